import { CORRECTION, INTERRUPT_WORDS, PRAISE, WEAK_CORRECTION } from './feedback-phrases.js';
import type { PhraseSet } from './feedback-phrases.js';

/** A feedback signal read from one user message. */
export interface FeedbackMatch {
  kind: 'correction' | 'praise' | 'interrupt';
  /** The phrase that matched. */
  matched: string;
}

// Corrections lead a message; a phrase deep inside a long new request is rarely about the last answer.
const SCAN_CHARS = 600;
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
// Fillers that may precede an opening phrase: "hmm, no", "ok so actually", "ну нет".
const FILLER =
  "(?:(?:hmm+|hm+|uh+|um+|well|wait|oh+|ah+|ugh+|so|and|but|ok|okay|also|oops|ehm?|äh|euh|bueno|pues|allora|nou|ну|ええと|えっと|嗯)[\\s,.!…:;、，-]+){0,2}";

const BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}])';
const BOUNDARY_AFTER = '(?![\\p{L}\\p{N}])';

/**
 * One alternation for a phrase list. Latin and Cyrillic entries need letter boundaries; consecutive ones share one
 * pair of lookarounds (`(?<!x)(?:a|b)(?!x)` matches exactly what `(?<!x)a(?!x)|(?<!x)b(?!x)` does, in the same
 * order), which makes the regex several times cheaper to compile and to run. CJK entries match as substrings.
 */
export function phraseAlternation(sources: readonly string[]): string {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 0) out.push(`${BOUNDARY_BEFORE}(?:${run.map((s) => `(?:${s})`).join('|')})${BOUNDARY_AFTER}`);
    run = [];
  };
  for (const source of sources) {
    if (CJK.test(source)) {
      flush();
      out.push(source);
    } else {
      run.push(source);
    }
  }
  flush();
  return out.join('|');
}

/** The two regexes of one phrase set. */
export interface CompiledSet {
  readonly start: RegExp;
  readonly anywhere: RegExp | null;
}

/**
 * The regexes for one phrase set. `fast` (used) has no `i` flag: the text is lower-cased by normalise() first and
 * every phrase is lower case (feedback-phrases.ts), and case-insensitive Unicode matching is what made these slow.
 * `reference` is the plain construction (each entry bounded on its own, `iu`), kept as the oracle tests compare with.
 */
export function compilePhraseSet(set: PhraseSet, mode: 'fast' | 'reference' = 'fast'): CompiledSet {
  if (mode === 'reference') {
    const bounded = (source: string) => (CJK.test(source) ? source : `${BOUNDARY_BEFORE}(?:${source})${BOUNDARY_AFTER}`);
    return {
      start: new RegExp(`^${FILLER}(?<p>${set.start.map(bounded).join('|')})`, 'iu'),
      anywhere: set.anywhere.length === 0 ? null : new RegExp(set.anywhere.map(bounded).join('|'), 'giu'),
    };
  }
  return {
    start: new RegExp(`^${FILLER}(?<p>${phraseAlternation(set.start)})`, 'u'),
    anywhere: set.anywhere.length === 0 ? null : new RegExp(phraseAlternation(set.anywhere), 'gu'),
  };
}

interface Compiled {
  correction: CompiledSet;
  weak: CompiledSet;
  praise: CompiledSet;
  interruptOnly: RegExp;
}

let compiled: Compiled | undefined;

/** Compiled once per process, on first use: a command that never classifies feedback never pays for it. */
function lexicon(): Compiled {
  compiled ??= {
    correction: compilePhraseSet(CORRECTION),
    weak: compilePhraseSet(WEAK_CORRECTION),
    praise: compilePhraseSet(PRAISE),
    interruptOnly: new RegExp(`^(?<p>${INTERRUPT_WORDS.join('|')})[\\s!.。！…]*$`, 'iu'),
  };
  return compiled;
}

const INTERRUPT_MARKER = /\[request interrupted by user[^\]\n]{0,80}\]|<turn_aborted>/i;
// A praise word right after a negation is not praise: "not perfect", "nicht perfekt", "不完美".
const NEGATED = /(?:(?<![\p{L}])(?:not|no|nicht|kein|pas|non|não|nao|niet|geen|нет|не|nie)\s+(?:\p{L}+\s+)?|n't\s+(?:\p{L}+\s+)?|[不没])$/iu;

const ASCII_ONLY = /^[\u0000-\u007f]*$/; // eslint-disable-line no-control-regex

/** Lower-case, straight quotes, one space; fenced code and quoted lines removed (pasted logs are not feedback). */
export function normalise(text: string): string {
  // Each step is skipped when it cannot change the text (ASCII is already NFC and holds no curly quote): this runs on
  // every prompt a harvest reads.
  const ascii = ASCII_ONLY.test(text);
  let t = ascii ? text : text.normalize('NFC');
  if (t.includes('```')) t = t.replace(/```[\s\S]*?(?:```|$)/g, ' ');
  if (t.includes('>')) t = t.replace(/^\s*>.*$/gm, ' ');
  if (!ascii) t = t.replace(/[\u2018\u2019\u02BC´]/g, "'").replace(/[\u201C\u201D]/g, '"');
  if (t.includes('`')) t = t.replace(/`/g, "'");
  return t
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, SCAN_CHARS);
}

function matchStart(set: CompiledSet, text: string): string | null {
  return set.start.exec(text)?.groups?.p ?? null;
}

function matchAnywhere(set: CompiledSet, text: string, skipNegated: boolean): string | null {
  const re = set.anywhere;
  if (re === null) return null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (!skipNegated || !NEGATED.test(text.slice(Math.max(0, m.index - 24), m.index))) return m[0];
  }
  return null;
}

/**
 * Classify a user message that follows an assistant answer as a correction, praise or interrupt, or null.
 * An interrupt outranks everything; a strong correction outranks praise ("thanks, but you forgot X");
 * praise outranks a weak redirect ("perfect, actually also do Y"); "thanks, now do Y" is praise.
 */
export function classifyFeedback(text: string): FeedbackMatch | null {
  const marker = INTERRUPT_MARKER.exec(text);
  if (marker) return { kind: 'interrupt', matched: marker[0] };
  const t = normalise(text);
  if (t.length === 0) return null;
  const re = lexicon();
  const stop = re.interruptOnly.exec(t.replace(/[\p{Extended_Pictographic}\uFE0F]/gu, '').trim());
  if (stop?.groups?.p) return { kind: 'interrupt', matched: stop.groups.p };
  const correction = matchStart(re.correction, t) ?? matchAnywhere(re.correction, t, false);
  if (correction !== null) return { kind: 'correction', matched: correction.trim() };
  const praise = matchStart(re.praise, t) ?? matchAnywhere(re.praise, t, true);
  if (praise !== null) return { kind: 'praise', matched: praise.trim() };
  const weak = matchStart(re.weak, t);
  if (weak !== null) return { kind: 'correction', matched: weak.trim() };
  return null;
}

// Openers stripped from a clause before looking for an instruction: the objection, not the instruction.
const PREAMBLES: readonly RegExp[] = [
  /^(?:no+|nope|nah|wrong|incorrect|actually|hmm+|ok(?:ay)?|well|wait|again|sorry|also|and|but|so|instead|rather|nein|non|não|nao|nee|нет|不对|違う)(?:[\s,.:;!、，。-]+|$)/iu,
  /^please\s+/i,
  /^(?:that|this|it)(?:'s| is| was) (?:wrong|incorrect|not (?:what i (?:asked|wanted|meant)(?: for)?|right|correct|it))[\s,.:;!-]*/i,
  /^you (?:need|have|should|must|still need|were supposed|are supposed)(?: to)?\s+/i,
  /^(?:can|could|would|will) you(?: please)?\s+/i,
  /^(?:make sure|be sure|remember)(?: to| that| you)?\s+/i,
  /^(?:i want|i need|i'd like|i wanted|we need)(?: you)?(?: to)?\s+/i,
  /^(?:it|the (?:answer|output|reply|response|message|subject|commit message|title|summary)) (?:should|must|has to|needs to)\s+/i,
];
// After these the rest of the clause is the instruction even without an imperative verb.
const FORGOT = /^you (?:forgot|missed|left out|didn't|did not)(?: to)?[\s:]+/i;
const ASKED = /^(?:as |like )?i (?:said|told you|asked(?: you)?(?: for)?|wanted|meant)[\s,:]*(?:(?:to|that)\s+)?/i;

// Words an instruction opens with, in the languages the classifier reads.
const DIRECTIVE_START = new RegExp(
  '^(?:' +
    [
      'use', 'wrap', 'keep', 'make', 'add', 'remove', 'delete', 'drop', 'put', 'write', 'return', 'output', 'respond',
      'reply', 'answer', 'only', 'always', 'never', "don't", 'do not', 'no', 'avoid', 'include', 'exclude', 'limit',
      'start', 'begin', 'end', 'finish', 'format', 'call', 'run', 'prefer', 'stick to', 'follow', 'switch to', 'change',
      'rename', 'sort', 'indent', 'sign', 'mention', 'cite', 'give', 'show', 'print', 'list', 'omit', 'skip', 'capitalize',
      'lowercase', 'uppercase', 'stay', 'be', 'under', 'at most', 'no more than', 'less than', 'fewer than', 'in', 'as',
      'verwende', 'benutze', 'nutze', 'schreib', 'schreibe', 'keine', 'kein', 'nur', 'immer', 'nie', 'niemals',
      'utilise', 'utilisez', 'écris', 'ajoute', 'enlève', 'supprime', 'garde', 'uniquement', 'seulement', 'toujours',
      'jamais', 'pas de', 'usa', 'utiliza', 'escribe', 'añade', 'agrega', 'quita', 'elimina', 'mantén', 'solo', 'siempre',
      'nunca', 'sin', 'escreva', 'adicione', 'remova', 'mantenha', 'apenas', 'sempre', 'sem', 'scrivi', 'aggiungi',
      'rimuovi', 'togli', 'mantieni', 'mai', 'senza', 'gebruik', 'schrijf', 'voeg', 'verwijder', 'houd', 'alleen', 'altijd',
      'nooit', 'geen', 'используй', 'пиши', 'напиши', 'добавь', 'убери', 'удали', 'оставь', 'только', 'всегда', 'никогда',
      'без',
    ].join('|') +
    ')(?![\\p{L}])|^(?:请|請|只|不要|别|必须|務必|必ず|使用|用)',
  'iu',
);

function stripPreambles(clause: string): { rest: string; implied: '' | 'include ' | null } {
  let rest = clause.trim();
  let implied: '' | 'include ' | null = null;
  for (let changed = true; changed && rest.length > 0; ) {
    changed = false;
    for (const [re, prefix] of [[FORGOT, 'include '], [ASKED, '']] as const) {
      const m = re.exec(rest);
      if (m) {
        rest = rest.slice(m[0].length);
        implied = prefix;
        changed = true;
      }
    }
    for (const re of PREAMBLES) {
      const m = re.exec(rest);
      if (m && m[0].length > 0) {
        rest = rest.slice(m[0].length).trimStart();
        changed = true;
      }
    }
  }
  return { rest, implied };
}

function tidy(directive: string): string {
  const d = directive.replace(/[\s.!?。！？,;:]+$/u, '').trim();
  // Lower-case a capitalised first word ("Use ..."), not an acronym ("JSON only").
  return /^\p{Lu}\p{Ll}/u.test(d) ? d.charAt(0).toLowerCase() + d.slice(1) : d;
}

/**
 * Pull explicit instructions out of a correction ("No. Use imperative mood and no trailing period." ->
 * ["use imperative mood", "no trailing period"]), for the miner to turn into judge checks. "You forgot X"
 * becomes "include X". Returns [] when the message carries no instruction.
 */
export function extractCorrectionDirectives(text: string): string[] {
  const body = text.normalize('NFC').replace(/```[\s\S]*?(?:```|$)/g, ' ').replace(/[\u2018\u2019]/g, "'");
  const clauses = body.split(/(?<=[.!?;。！？；])\s*|\n+/u).map((c) => c.trim()).filter((c) => c.length > 0);
  const out: string[] = [];
  for (const clause of clauses) {
    const { rest, implied } = stripPreambles(clause);
    if (rest.length === 0) continue;
    const pieces = rest.split(/\s+(?:and|&|und|et|y|e|en|и)\s+|,\s*(?:and\s+)?/iu);
    const parts = pieces.length > 1 && pieces.every((p) => DIRECTIVE_START.test(p.trim())) ? pieces : [rest];
    for (const part of parts) {
      const p = part.trim();
      if (DIRECTIVE_START.test(p)) out.push(tidy(p));
      else if (implied !== null) out.push(tidy(`${implied}${p}`));
    }
  }
  return [...new Set(out.filter((d) => d.length > 1 && d.length <= 200))];
}
