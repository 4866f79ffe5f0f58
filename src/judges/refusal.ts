/**
 * Refusal openers, lower-case, straight apostrophes. A reply that opens with one of these and
 * says little else is a refusal; a long reply that opens this way usually goes on to do the work.
 */
const REFUSAL_OPENERS: readonly string[] = [
  // English
  "i can't",
  'i cannot',
  'i can not',
  "i'm unable",
  'i am unable',
  "i'm not able to",
  'i am not able to',
  "i won't be able",
  "i'm sorry, but i can",
  "i'm sorry, i can",
  'i am sorry, but i can',
  'sorry, i can',
  'sorry, but i can',
  'sorry, i am unable',
  "sorry, i'm unable",
  'i apologize, but i can',
  'i apologise, but i can',
  "unfortunately, i can't",
  'unfortunately, i cannot',
  'unfortunately i cannot',
  "unfortunately i can't",
  'as an ai',
  'cannot complete',
  'unable to complete',
  'unable to help',
  'no can do',
  // French
  'je ne peux pas',
  'désolé, je ne peux pas',
  'désolée, je ne peux pas',
  'je suis désolé, mais je ne peux pas',
  'je suis désolée, mais je ne peux pas',
  "je ne suis pas en mesure",
  // Spanish
  'no puedo',
  'lo siento, no puedo',
  'lo siento, pero no puedo',
  'no me es posible',
  // Portuguese
  'não posso',
  'desculpe, não posso',
  'desculpe, mas não posso',
  'não consigo',
  // German
  'ich kann nicht',
  'ich kann das nicht',
  'ich kann dir dabei nicht',
  'ich kann ihnen dabei nicht',
  'es tut mir leid, aber ich kann',
  'leider kann ich',
  // Italian
  'non posso',
  'mi dispiace, ma non posso',
  'mi dispiace, non posso',
  // Dutch
  'ik kan niet',
  'sorry, ik kan',
  'het spijt me, maar ik kan',
  // Russian
  'я не могу',
  'извините, я не могу',
  'извините, но я не могу',
  'к сожалению, я не могу',
  // Chinese
  '抱歉，我无法',
  '抱歉，我不能',
  '对不起，我无法',
  '对不起，我不能',
  '我无法',
  '我不能',
  // Japanese
  '申し訳ありませんが',
  '申し訳ございませんが',
  'すみませんが、',
  // Korean
  '죄송하지만',
  '죄송합니다',
];

// Past this much text after the opener the reply is doing something more than refusing.
const REFUSAL_MAX_CHARS = 600;

/** The refusal opener the reply starts with, or undefined when it does not read as a refusal. */
export function findRefusalOpener(response: string): string | undefined {
  // Strip leading Markdown markers (#, >, *, _, -) so "**I can't** do that" still counts.
  const opening = response
    .trimStart()
    .replace(/^[\s#>*_\-`]+/u, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/,(?=\S)/g, ', ')
    .slice(0, 160)
    .toLowerCase();
  const opener = REFUSAL_OPENERS.find((candidate) => opening.startsWith(candidate));
  if (opener === undefined) return undefined;
  return response.trim().length < REFUSAL_MAX_CHARS ? opener : undefined;
}
