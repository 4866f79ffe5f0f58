import { classifyFeedback } from '../harvest/feedback-lexicon.js';
import { FOLLOW_UP_REFERENCE, RULE_WORDS, TASK_VERBS } from './follow-up-lexicon.js';
import { STOPWORDS as STOP } from './lexicon.js';

/** What a turn is: a new request (a task), or a reaction to the previous answer (evidence on that task). */
export interface TurnReading {
  role: 'task' | 'feedback';
  signal?: 'correction' | 'praise' | 're-ask' | 'interrupt';
  /** Why, in a few words: shown by `mine --explain` and used by the benchmark's error listing. */
  reason: string;
}

/** What the classifier may look at besides the turn: the request and answer it follows. */
export interface TurnContext {
  /** The turn's position in the session (0: the first prompt). */
  index: number;
  /** What the person said before in the session (the request and earlier follow-ups). */
  previousPrompt?: string;
  previousAnswer?: string;
  /** The agent's reply to this turn, when there is one: a revision of the previous answer marks a follow-up. */
  answer?: string;
  /** The harvester's lexicon signal for this turn, when it found one. */
  signal?: 'correction' | 'praise' | 're-ask' | 'interrupt';
}

const PAYLOAD_WORDS = 6;
const LONG_WORDS = 60;
const PRAISE_ONLY_WORDS = 8;
const REVISION_OVERLAP = 0.5;
const REVISION_CONTAINMENT = 0.75;
const REVISION_MIN_WORDS = 4;
/** A turn this short with no question, answered by something that is not a revision, is an acknowledgment. */
const ACK_WORDS = 6;
const ACK_REPLY_WORDS = 12;

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/**
 * Values that name one instance of a task: issue and PR numbers, versions, ticket keys, ids and quoted
 * names. A follow-up repeats the values of the request it reacts to; a new request brings its own.
 */
export function instanceValues(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/#\d{1,7}\b|\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b|\bv?\d+\.\d+(?:\.\d+)*\b|\b\d{2,7}\b/g)) out.add(m[0].replace(/^#/, '').replace(/^v/, ''));
  for (const m of text.matchAll(/`([^`\n]{2,40})`/g)) out.add((m[1] ?? '').toLowerCase());
  return [...out];
}

/**
 * Does a reply revise the previous answer? Most of its words are the previous answer's: by the share of all
 * words (Jaccard), or, both having a few words, by the share of the shorter one's letter words (a revision that
 * converts numbers or units keeps the sentence around them: "19 miles" -> "30.6 km").
 */
export function revises(reply: string | undefined, previous: string | undefined): boolean {
  if (reply === undefined || previous === undefined) return false;
  const a = new Set(reply.toLowerCase().match(/[\p{L}\d]+/gu) ?? []);
  const b = new Set(previous.toLowerCase().match(/[\p{L}\d]+/gu) ?? []);
  if (a.size === 0 || b.size === 0) return false;
  const shared = [...a].filter((w) => b.has(w)).length;
  if (shared / (a.size + b.size - shared) >= REVISION_OVERLAP) return true;
  const la = [...a].filter((w) => /\p{L}/u.test(w));
  const lb = new Set([...b].filter((w) => /\p{L}/u.test(w)));
  if (la.length < REVISION_MIN_WORDS || lb.size < REVISION_MIN_WORDS) return false;
  const sharedLetters = la.filter((w) => lb.has(w)).length;
  return sharedLetters / Math.min(la.length, lb.size) >= REVISION_CONTAINMENT;
}

/**
 * Is a reply only an acknowledgment ("Glad it helps.")? Short, and not one of its content words is in the
 * turn it answers, the request or the answer before: it changes nothing and does nothing, so the turn asked
 * for no change ("Seeded" after "now seed the database" does the work the turn asked for).
 */
export function acknowledges(reply: string | undefined, before: string): boolean {
  if (reply === undefined || words(reply).length > ACK_REPLY_WORDS) return false;
  // Compared by their first four letters, so "Seeded" meets "seed".
  const prior = new Set(contentWords(before).map((w) => w.slice(0, 4)));
  const own = contentWords(reply).filter((w) => !STOP.has(w));
  return own.length > 0 && own.every((w) => !prior.has(w.slice(0, 4)));
}

/** Content words of a text (lower-case, 3+ letters). */
function contentWords(text: string): string[] {
  return text.toLowerCase().match(/\p{L}{3,}/gu) ?? [];
}

// Stems compared by their first letters: "entries" meets "entry", "changelog" meets "changelogs".
const stem = (word: string) => word.slice(0, 5);

/** The turn opens with a verb that asks for a new piece of work ("write ...", "draft ...", "can you summarise ..."). */
function opensWithTaskVerb(text: string): { verb: boolean; object: string } {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^(?:(?:ok(?:ay)?|thanks|thank you|great|cool|nice|perfect|good|alright|next|now|also|and|then|so|hi|hey|please|pls|danke|merci|gracias|obrigad[oa]|grazie|bedankt|super|bien|gut)[\s,.!:;-]+)+/u, '')
    .replace(/^(?:(?:can|could|would|will) you(?: please)?|please|i need(?: you to)?|i'd like(?: you to)?|help me|kannst du|könntest du|peux-tu|pouvez-vous|puedes|podrías|pode|puoi)\s+/u, '');
  const m = TASK_VERBS.exec(t);
  if (m) return { verb: true, object: t.slice(m[0].length).trim() };
  // One word of sequence or politeness the lists do not know may come first ("<then>, write ..."): a task verb
  // right after it still opens the request.
  const lead = /^\p{L}+[,;:]?\s+/u.exec(t);
  const after = lead ? TASK_VERBS.exec(t.slice(lead[0].length)) : null;
  if (!lead || !after) return { verb: false, object: '' };
  return { verb: true, object: t.slice(lead[0].length + after[0].length).trim() };
}

/**
 * Read one turn: a new request or a follow-up on the previous answer. Uses the lexicon signal (corrections,
 * praise, interrupts in the languages the lexicon knows) and structure: position, a reference to the last
 * answer, rule vocabulary, and whether the turn brings a new object or new instance values (a new PR number,
 * a pasted payload) the request it follows did not have. Pure.
 */
export function readTurn(text: string, context: TurnContext): TurnReading {
  const lexicon = context.signal ?? classifyFeedback(text)?.kind;
  if (lexicon === 'interrupt') return { role: 'feedback', signal: 'interrupt', reason: 'interrupt' };
  const n = words(text).length;
  const before = `${context.previousPrompt ?? ''}\n${context.previousAnswer ?? ''}`;
  const known = new Set(instanceValues(before));
  const fresh = instanceValues(text).filter((v) => !known.has(v));
  const colon = /[:：]\s*([\s\S]+)$/.exec(text);
  const payload = /```/.test(text) || n > LONG_WORDS || (colon !== null && words(colon[1] ?? '').length >= PAYLOAD_WORDS && fresh.length > 0);
  const opener = opensWithTaskVerb(text);
  const priorStems = new Set(contentWords(before).map(stem));
  const objectWords = contentWords(opener.object).filter((w) => !RULE_WORDS.test(w) && !STOP.has(w));
  const newWords = objectWords.filter((w) => !priorStems.has(stem(w))).length;
  // "add the PR number at the end" names rules; "write the unit tests for the parser" names a new object.
  // "write it in the imperative", "make that shorter": the object is the answer just given.
  const objectIsAnswer = /^(?:it|that|them|this one|the same|es|das|ça|le|lo|eso|isso|lo stesso|het)(?![\p{L}])/u.test(opener.object);
  const newObject = opener.verb && !objectIsAnswer && (newWords >= 2 || (newWords === 1 && !RULE_WORDS.test(opener.object)));
  const references = FOLLOW_UP_REFERENCE.test(text);
  const rules = RULE_WORDS.test(text);
  const newRequest = (opener.verb && (fresh.length > 0 || payload || newObject)) || (payload && fresh.length > 0);

  if (context.index === 0 || context.previousAnswer === undefined) {
    // Nothing to react to: a lone correction is kept as orphan evidence, anything else starts a task.
    if (!newRequest && !opener.verb && !text.includes('?') && lexicon === 'correction' && (references || rules) && n <= 25) return { role: 'feedback', signal: 'correction', reason: 'correction with no previous answer' };
    return { role: 'task', ...(lexicon ? { signal: lexicon } : {}), reason: 'first turn' };
  }
  if (newRequest) return { role: 'task', ...(lexicon === 'praise' ? { signal: 'praise' } : {}), reason: fresh.length > 0 ? 'new request with its own values' : payload ? 'new request with a payload' : 'new request for a new object' };
  if (lexicon === 'correction') return { role: 'feedback', signal: 'correction', reason: 'correction (lexicon)' };
  // The agent's reply says what the turn was, in any language: revising the answer just given means the turn
  // reacted to it (a correction, a clarification, "same rules as always"); starting something else after a
  // turn that asks for something is a new request, whatever words it shares with the last answer.
  const revision = revises(context.answer, context.previousAnswer);
  const asks = text.includes('?') || n > ACK_WORDS;
  // A short remark the agent answers with an acknowledgment only ("Glad it helps."), in words the lexicon does
  // not know: the person let the answer stand.
  if (!asks && !opener.verb && fresh.length === 0 && !payload && lexicon !== 're-ask' && acknowledges(context.answer, `${before}\n${text}`)) return { role: 'feedback', signal: 'praise', reason: 'the agent only acknowledged it' };
  if (revision && !payload && fresh.length === 0) return { role: 'feedback', signal: lexicon === 're-ask' ? 're-ask' : 'correction', reason: 'the agent revised its answer' };
  if (context.answer !== undefined && !revision && asks && lexicon !== 'praise') return { role: 'task', reason: 'asks for something and the reply is not a revision' };
  if (lexicon === 'praise') {
    if (n <= PRAISE_ONLY_WORDS || references || rules) return { role: 'feedback', signal: 'praise', reason: 'praise (lexicon)' };
    return { role: 'task', signal: 'praise', reason: 'praise with a new request' };
  }
  // The same request again ("summarise the paper again, shorter"): a redo, evidence that the answer failed.
  if (opener.verb && !newObject && references) return { role: 'feedback', signal: 're-ask', reason: 'asks for the same thing again' };
  if (references || rules) return { role: 'feedback', signal: 'correction', reason: references ? 'refers to the last answer' : 'states a rule for the last answer' };
  return { role: 'task', reason: opener.verb ? 'new request' : 'no sign of a follow-up' };
}
