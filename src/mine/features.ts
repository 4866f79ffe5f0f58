import { CJK_PHRASES, CONCEPT_PREFIXES, CONCEPT_WORDS, STOPWORDS, UNIT_KINDS } from './lexicon.js';

/** A sparse weighted feature vector of one prompt, unit length (empty when the prompt says nothing). */
export interface PromptVector {
  features: Map<string, number>;
}

/** Why a prompt is not clustered. */
export type PromptSkip = 'empty' | 'slash_command_only' | 'no_words';

/** The text a prompt is clustered by, or why it is not clustered. */
export type PromptReading = { ok: true; text: string; truncated: boolean } | { ok: false; reason: PromptSkip };

// The request is stated up front; past this the text is a paste (logs, files) that says little about the task.
const READ_CHARS = 2_000;
const HEAD_CHARS = 200;
const HEAD_TOKENS = 16;
const PAYLOAD_TOKENS = 48;
const PAYLOAD_WEIGHT = 0.3;
const CONCEPT_WEIGHT = 2;
// One shared word (often a task-kind concept) is a topic, not a task: "explain this error" vs "explain useEffect".
/**
 * The version of what `vectorize` computes: stored exemplar vectors made by another version are rebuilt once
 * (bump it whenever the features of a prompt change, e.g. 2 added the kinds of values a request holds).
 */
export const FEATURES_VERSION = '2';
/** Features two prompts must share before their cosine counts. */
export const MIN_SHARED = 2;
// Concepts that name a whole task on their own ("a regex for ...", "SQL for ..."): one is enough to compare.
const STRONG_CONCEPTS: ReadonlySet<string> = new Set(['@regex', '@sql', '@translate', '@standup', '@changelog', '@pullrequest']);

/** How much one shared feature counts toward MIN_SHARED. */
export function sharedWeight(feature: string): number {
  return STRONG_CONCEPTS.has(feature) ? MIN_SHARED : 1;
}
const BIGRAM_WEIGHT = 0.5;
const HEAD_DECAY = 0.1;
const HEAD_FLOOR = 0.4;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/**
 * Clean a user prompt for clustering: code fences, quoted lines, log-like lines, URLs and paths removed,
 * only the first couple of thousand characters kept. A slash command alone is not a request. Never throws.
 */
export function readPrompt(text: unknown, command?: string): PromptReading {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: command ? 'slash_command_only' : 'empty' };
  const raw = text.trim();
  if (/^\/[\w:.-]+$/.test(raw)) return { ok: false, reason: 'slash_command_only' };
  const head = raw.length > READ_CHARS * 4 ? raw.slice(0, READ_CHARS * 4) : raw;
  const cleaned = head
    .normalize('NFKC')
    .replace(/^\/[\w:.-]+\s+/, '')
    .replace(/```[\s\S]*?(?:```|$)/g, '\n')
    .split(/\r?\n/)
    .filter((line) => !isNoiseLine(line))
    .join('\n')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@-]+){2,}[\\/]?/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
  if (cleaned === '') return { ok: false, reason: 'no_words' };
  const truncated = cleaned.length > READ_CHARS;
  return { ok: true, text: truncated ? cleaned.slice(0, READ_CHARS) : cleaned, truncated };
}

/** Quoted lines, stack frames, timestamps and symbol-heavy lines are pasted material, not the request. */
function isNoiseLine(line: string): boolean {
  const t = line.trim();
  if (t === '') return false;
  if (t.startsWith('>')) return true;
  if (/^at\s+\S+.*:\d+(?::\d+)?\)?$/.test(t)) return true;
  if (/^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t)) return true;
  if (t.length > 300) return true;
  const letters = (t.match(/\p{L}/gu) ?? []).length;
  return t.length >= 12 && letters / t.length < 0.4;
}

/** Light suffix stripping for Latin and Cyrillic words; enough for plurals and tenses to meet. */
export function stemWord(word: string): string {
  if (word.length <= 4) return word;
  for (const [suffix, replacement] of STEM_RULES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, word.length - suffix.length) + replacement;
  }
  return word;
}

const STEM_RULES: ReadonlyArray<readonly [string, string]> = [
  ['isations', 'ize'], ['izations', 'ize'], ['isation', 'ize'], ['ization', 'ize'], ['ising', 'ize'], ['izing', 'ize'],
  ['ised', 'ize'], ['ized', 'ize'], ['ises', 'ize'], ['izes', 'ize'], ['ise', 'ize'],
  ['ations', 'ate'], ['ation', 'ate'], ['ments', ''], ['ment', ''], ['ings', ''], ['ing', ''], ['ies', 'y'],
  ['ied', 'y'], ['es', ''], ['ed', ''], ['ly', ''], ['en', ''], ['er', ''], ['s', ''], ['e', ''],
];

function conceptOf(word: string): string | undefined {
  const whole = CONCEPT_WORDS.get(word);
  if (whole) return whole;
  for (const [prefix, concept] of CONCEPT_PREFIXES) if (word.startsWith(prefix)) return concept;
  return undefined;
}

/** Content tokens of a text: concepts, stems of non-stop words, and character bigrams of CJK runs. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let lower = text.toLowerCase().replace(/tl;dr/g, 'tldr').replace(/\bregular expressions?\b/g, 'regex').replace(/\bpull requests?\b/g, 'pr').replace(/['’]/g, '');
  if (CJK_RUN.test(lower)) {
    CJK_RUN.lastIndex = 0;
    for (const [phrase, word] of CJK_PHRASES) lower = lower.replaceAll(phrase, word);
  }
  for (const match of lower.matchAll(/[\p{L}\p{M}\p{N}_-]+/gu)) {
    const word = match[0].replace(/^[-_]+|[-_]+$/g, '');
    if (word === '') continue;
    if (CJK_RUN.test(word)) {
      CJK_RUN.lastIndex = 0;
      for (const run of word.match(CJK_RUN) ?? []) {
        const chars = [...run];
        if (chars.length === 1) out.push(run);
        for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
      }
      continue;
    }
    if (/^\d+$/.test(word) || STOPWORDS.has(word)) continue;
    // "commit-message" and "commit_message" count as their parts.
    for (const part of word.split(/[-_]+/)) {
      if (part.length < 2 || STOPWORDS.has(part) || /^\d+$/.test(part)) continue;
      out.push(conceptOf(part) ?? stemWord(part));
    }
  }
  return out;
}

// A reference (#123, PR 123), a version (v2.4.1) or a quantity with its unit ("12 miles", "400 ft").
const SLOT_PATTERN = /(?<![\p{L}\p{N}.])(?:#(\d+)|v?(\d+\.\d+(?:\.\d+)?)(?!\.\d)|(\d+(?:[.,]\d+)?)\s?(%|°\s?[cf]|[\p{L}/]+))(?![\p{L}\p{N}])/giu;
const SLOT_WEIGHT = CONCEPT_WEIGHT;

/**
 * The kinds of values a request carries, in order: `ref` (#N), `version`, a quantity's kind (length, mass,
 * duration, ...) or `percent`. The values differ between instances of a task; their kinds are its shape.
 */
export function slotsOf(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase().replace(/\b(?:pr|mr|pull request|merge request|issue|ticket)\s*#?\s?(\d+)/g, '#$1');
  for (const m of lower.matchAll(SLOT_PATTERN)) {
    if (m[1] !== undefined) out.push('ref');
    else if (m[2] !== undefined) out.push('version');
    else if (m[4] === '%') out.push('percent');
    else {
      const kind = UNIT_KINDS.get((m[4] ?? '').replace(/\s+/g, ''));
      if (kind) out.push(kind);
    }
  }
  return out;
}

/** Split the request (the instruction before the first colon, question mark or line break) from its payload. */
export function splitHeadPayload(text: string): { head: string; payload: string } {
  const cut = text.slice(0, HEAD_CHARS).search(/[:?\n]/);
  if (cut > 0) return { head: text.slice(0, cut), payload: text.slice(cut + 1) };
  return { head: text, payload: '' };
}

/**
 * Weighted features of a prompt: the request's tokens weigh 1 (task-kind concepts 2), adjacent pairs of
 * them 0.5, and payload tokens 0.3, since the payload (the diff, the paper) changes every time the same
 * task recurs. Normalised to unit length.
 */
export function vectorize(text: string): PromptVector {
  const { head, payload } = splitHeadPayload(text);
  let headTokens = tokenize(head);
  let payloadTokens = tokenize(payload);
  if (headTokens.length > HEAD_TOKENS) {
    payloadTokens = [...headTokens.slice(HEAD_TOKENS), ...payloadTokens];
    headTokens = headTokens.slice(0, HEAD_TOKENS);
  }
  const features = new Map<string, number>();
  const add = (key: string, weight: number) => features.set(key, Math.max(features.get(key) ?? 0, weight));
  // Earlier words carry the task ("write a SQL query ..."); later ones drift into its particulars.
  headTokens.forEach((token, i) => add(token, (token.startsWith('@') ? CONCEPT_WEIGHT : 1) * Math.max(HEAD_FLOOR, 1 - HEAD_DECAY * i)));
  for (let i = 0; i + 1 < headTokens.length; i++) add(`${headTokens[i]}+${headTokens[i + 1]}`, BIGRAM_WEIGHT);
  for (const token of payloadTokens.slice(0, PAYLOAD_TOKENS)) add(token, token.startsWith('@') ? CONCEPT_WEIGHT * PAYLOAD_WEIGHT : PAYLOAD_WEIGHT);
  // The shape of the values (two lengths; a reference) wherever they stand: the same task in other words keeps it.
  const slots = slotsOf(text);
  for (const slot of slots) add(`$${slot}`, 1);
  if (slots.length >= 2) add(`$${[...slots].sort().join('+')}`, SLOT_WEIGHT);
  let norm = 0;
  for (const w of features.values()) norm += w * w;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, w] of features) features.set(k, w / norm);
  return { features };
}

/** Cosine of two unit vectors (iterates the smaller one). */
export function cosine(a: PromptVector, b: PromptVector): number {
  const [small, large] = a.features.size <= b.features.size ? [a.features, b.features] : [b.features, a.features];
  let dot = 0;
  let shared = 0;
  for (const [k, w] of small) {
    const other = large.get(k);
    if (other !== undefined) {
      dot += w * other;
      shared += sharedWeight(k);
    }
  }
  return shared >= MIN_SHARED ? dot : 0;
}
