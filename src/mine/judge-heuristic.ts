import { isShapeOnly, validateChecks } from '../judges/rules.js';
import type { Check, Judge } from '../judges/types.js';
import { STOPWORDS } from './lexicon.js';
import { splitHeadPayload } from './features.js';

/**
 * What a check measures. shape: form only (tags, length, headings, JSON syntax); style: wording rules
 * (imperative mood, ISO dates); content: what the answer says. A judge with no content check can be
 * satisfied by a formatting trick, so it is gameable.
 */
export type CheckKind = 'shape' | 'style' | 'content';

/** A check derived from a user's correction, with the directive it came from. */
export interface DerivedCheck {
  check: Check;
  kind: CheckKind;
  /** The directive (or answer) the check was derived from. */
  source: string;
}

/** A heuristic judge and how far it can be trusted. */
export interface HeuristicJudge {
  judge: Judge;
  checks: DerivedCheck[];
  /** No content check: a formatting trick can satisfy it; it must never gate alone. */
  gameable: boolean;
  /** Directives no rule could be derived from (left for the LLM miner or the rubric). */
  unmatched: string[];
}

// Common answer shapes a rule on the first word must look past: list bullets, headings, quotes, a code fence, a type prefix ("feat: ").
/** A regex source that skips the opening shape of an answer (bullet, heading, quote, fence) on any line. */
export const ANSWER_SHAPE = String.raw`(?:\x60{3}[\w-]*\n)?[ \t]*(?:[-*•+>][ \t]+|#{1,6}[ \t]+|\d+[.)][ \t]+|\*\*)?`;
const PAST_OR_GERUND_FIRST_WORD = `/^${ANSWER_SHAPE}(?:[a-z]+(?:\\([^)]*\\))?!?:\\s*)?[A-Za-z]+(?:ed|ing)\\b/`;
const CONVENTIONAL = String.raw`/^(?:feat|fix|chore|docs|refactor|test|perf|build|ci|style|revert)(?:\([^)]*\))?!?: \S/`;
/** A period at the end of the answer, past closing quotes and emphasis. */
const TRAILING_PERIOD = String.raw`/\.$|\.[\s"'\x60*_]+$/`;
const IMPERIAL_UNITS = String.raw`/\b\d+(?:\.\d+)?\s*(?:miles?|mi|feet|foot|ft|pounds?|lbs?|gallons?|inch(?:es)?)\b|\d\s*°\s*F\b/i`;

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Literals the user quoted in a directive ("...", '...', `...`, «...»). */
function quoted(directive: string): string[] {
  // A single quote inside a word is an apostrophe ("don't"), not a quote.
  const pattern = /["“«`]([^"”»`]{1,60})["”»`]|(?<!\p{L})['‘]([^'’]{1,60})['’](?!\p{L})/gu;
  return [...directive.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? '').trim()).filter((q) => q.length > 0);
}

/**
 * Rule checks for one explicit directive from a correction, e.g. "use imperative mood", "no trailing period",
 * "wrap it in <answer>", "only JSON", "under 50 words". Returns [] when no rule can say it. Pure.
 */
export function checksFromDirective(directive: string): DerivedCheck[] {
  const d = directive.trim();
  const lower = d.toLowerCase();
  const out: DerivedCheck[] = [];
  const push = (check: Check, kind: CheckKind) => out.push({ check, kind, source: d });

  if (/imperati(?:ve|f|v|vo)|imperativ|impératif|present tense|not (?:the )?past tense|no past tense|like a command|base form|bare verb|verb first|infinitiv/.test(lower)) push({ op: 'not_regex', arg: PAST_OR_GERUND_FIRST_WORD }, 'style');
  if (/conventional commit/.test(lower)) push({ op: 'regex', arg: CONVENTIONAL }, 'style');
  const periodWord = /(?<!\p{L})(?:period|full[- ]stop|dot|punkt|schlusspunkt|point final|point|punto final|punto|ponto final|ponto|punt)(?!\p{L})/u.test(lower);
  const removal = /(?<!\p{L})(?:no|without|drop|remove|lose|omit|strip|skip|get rid|don'?t|do not|never|not|nix|kein(?:en)?|ohne|weg|sans|pas de|enlève|sin|quita|sem|tira|senza|togli|geen|zonder)(?!\p{L})/u.test(lower);
  if (/(?:trailing|final|ending) (?:period|full stop|dot)/.test(lower) || (periodWord && removal)) {
    // `\.$` also lets the feedback line name the fault ("period") a reflection can act on.
    push({ op: 'not_regex', arg: TRAILING_PERIOD }, 'style');
  }
  const tag = /<([a-z][\w-]{0,30})>/i.exec(d)?.[1];
  if (tag && /wrap|enclose|inside|within|in |put|tags?|einpack|entoure|envuelve/.test(lower)) {
    push({ op: 'regex', arg: `/<${regexEscape(tag)}>[\\s\\S]*<\\/${regexEscape(tag)}>/` }, 'shape');
  }
  if (/\bjson\b/.test(lower) && /only|just|nothing else|no prose|valid|raw|pure|nur|seulement|solo|uniquement|apenas/.test(lower)) {
    const keys = /keys?\s*(?:named\s*)?[:=]?\s*((?:["`']?[\w-]+["`']?(?:,\s*|\s+and\s+)?){1,8})/i.exec(d)?.[1];
    const names = keys ? [...keys.matchAll(/[\w-]+/g)].map((m) => m[0]).filter((k) => k !== 'and') : [];
    push(names.length > 0 ? { op: 'json_has_keys', arg: names } : { op: 'json_valid' }, names.length > 0 ? 'content' : 'shape');
  }
  const limit = /(?:under|at most|no more than|max(?:imum)?(?: of)?|less than|fewer than|within|up to|höchstens|maximal|moins de|menos de)\s+(\d{1,5})\s+(words?|characters?|chars?|lines?|wörter|zeichen|zeilen|mots|caractères|lignes|palabras|caracteres|líneas)/i.exec(d);
  if (limit) {
    const n = Number(limit[1]);
    const unit = (limit[2] ?? '').toLowerCase();
    if (/^(?:line|zeile|ligne|líne)/.test(unit)) push({ op: 'max_lines', arg: n }, 'shape');
    else if (/^(?:char|zeichen|caract)/.test(unit)) push({ op: 'max_chars', arg: n }, 'shape');
    else if (n >= 1) push({ op: 'regex', arg: `/^\\s*(?:\\S+\\s+){0,${n - 1}}\\S*\\s*$/` }, 'shape');
  }
  if (/tl;?dr/.test(lower) && /start|begin|open|first|lead/.test(lower)) push({ op: 'starts_with', arg: 'TL;DR' }, 'shape');
  const heading = /(?:heading|header|überschrift|titre)\b[^"“'`]*["“'`]?(#{1,6}\s*[^"”'`]+)?/i.exec(d);
  if (heading && /heading|header|überschrift|titre/.test(lower)) {
    const text = (heading[1] ?? quoted(d)[0] ?? '').replace(/^#+\s*/, '').trim();
    push(text ? { op: 'heading', arg: text } : { op: 'heading' }, 'shape');
  }
  if (/bullet|aufzählung|puces|viñetas/.test(lower)) push({ op: 'regex', arg: String.raw`/^\s*[-*•] \S/m` }, 'shape');
  if (/\bsi units?\b|metric|metrisch|métrique|métrico/.test(lower)) push({ op: 'not_regex', arg: IMPERIAL_UNITS }, 'content');
  if (/iso[- ]?8601|yyyy-mm-dd|iso dates?|iso format/.test(lower)) push({ op: 'regex', arg: String.raw`/\b\d{4}-\d{2}-\d{2}\b/` }, 'style');
  if (/\bcite\b|\bsources?\b|quellen|citer/.test(lower)) push({ op: 'regex', arg: '/sources?:/i' }, 'style');
  if (/emoji/.test(lower) && /^(?:no|never|don't|do not|avoid|without|keine|sans|sin)\b/.test(lower)) push({ op: 'not_regex', arg: '/\\p{Extended_Pictographic}/u' }, 'style');

  const literals = quoted(d).filter((q) => !/^#|^<|json/i.test(q));
  if (literals.length > 0 && out.length === 0) {
    const negative = /^(?:no|never|don't|do not|avoid|without|remove|drop|omit|stop|keine?|nie|sans|jamais|sin|nunca|sem|nooit|geen)\b/i.test(lower);
    for (const literal of literals.slice(0, 3)) push({ op: negative ? 'not_contains' : 'contains', arg: literal }, 'content');
  }
  const instead = /^use\s+([\w.+#-]{2,30})\s+(?:instead of|not|rather than)\s+([\w.+#-]{2,30})$/i.exec(d);
  if (instead && out.length === 0) {
    push({ op: 'contains', arg: instead[1] as string }, 'content');
    push({ op: 'not_regex', arg: `/(?<![\\w.-])${regexEscape(instead[2] as string)}(?![\\w-])/i` }, 'content');
  }
  // Only checks that validate survive: a rule nobody can run is worse than none.
  return out.filter((c) => validateChecks([c.check], { shapeWarning: false }).errors.length === 0);
}

/**
 * The rules a correction's effect can be read from without its words: the agent's revision that the person then
 * let stand shows which one they meant (the first word no longer past tense, the period gone, the units metric).
 */
export const ANSWER_RULES: readonly DerivedCheck[] = [
  { check: { op: 'not_regex', arg: PAST_OR_GERUND_FIRST_WORD }, kind: 'style', source: 'the revision the person accepted' },
  { check: { op: 'not_regex', arg: TRAILING_PERIOD }, kind: 'style', source: 'the revision the person accepted' },
  { check: { op: 'not_regex', arg: IMPERIAL_UNITS }, kind: 'content', source: 'the revision the person accepted' },
];

/**
 * A content anchor: the first word of the request's payload (what this instance is about: "retry",
 * "pagination") that the agent's answer also used. It keeps a judge from being won by format alone.
 */
export function contentAnchor(prompt: string, answer: string | undefined): DerivedCheck | undefined {
  if (!answer) return undefined;
  const { head, payload } = splitHeadPayload(prompt);
  const answerWords = new Set((answer.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_-]*/gu) ?? []).map((w) => w.replace(/[-_]+$/, '')));
  for (const part of [payload, head]) {
    for (const match of part.toLowerCase().matchAll(/[\p{L}][\p{L}\p{N}_-]*/gu)) {
      const word = match[0];
      if ([...word].length < 4 || STOPWORDS.has(word) || GENERIC.has(word)) continue;
      if (answerWords.has(word)) return { check: { op: 'contains', arg: word }, kind: 'content', source: 'a word of the request the accepted answer used' };
    }
  }
  return undefined;
}

// Words of a request that any answer would echo without doing the task.
const GENERIC = new Set('write give make create draft generate change changes code file files commit message summary summarize summarise please this that with from into what does explain following'.split(' '));

/** True when a judge has no check on what the answer says (only form or wording). */
export function isGameableChecks(checks: readonly DerivedCheck[]): boolean {
  return !checks.some((c) => c.kind === 'content');
}

/**
 * A judge from the family's corrections: rule checks for every directive a rule can express plus a content
 * anchor; without any derivable rule, a rubric that states the request. Flags judges with no content check.
 */
export function buildHeuristicJudge(input: { prompt: string; directives: readonly string[]; answer?: string | undefined }): HeuristicJudge {
  const checks: DerivedCheck[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const directive of input.directives) {
    const derived = checksFromDirective(directive);
    if (derived.length === 0) unmatched.push(directive);
    for (const c of derived) {
      const key = JSON.stringify(c.check);
      if (!seen.has(key)) {
        seen.add(key);
        checks.push(c);
      }
    }
  }
  const anchor = contentAnchor(input.prompt, input.answer);
  if (checks.length === 0) {
    const rubric = renderRubric(input.prompt, unmatched);
    const judge: Judge = anchor ? { kind: 'rubric', rubric, checks: [anchor.check] } : { kind: 'rubric', rubric };
    return { judge, checks: anchor ? [anchor] : [], gameable: false, unmatched };
  }
  if (anchor && !seen.has(JSON.stringify(anchor.check))) checks.push(anchor);
  const judge: Judge = { kind: 'rule', checks: checks.map((c) => c.check) };
  return { judge, checks, gameable: isGameableChecks(checks) || isShapeOnly(judge), unmatched };
}

/** A rubric a grader model can apply: the request, then the user's standing instructions. */
export function renderRubric(prompt: string, directives: readonly string[]): string {
  const request = prompt.replace(/\s+/g, ' ').trim().slice(0, 240);
  // No quotation marks: a grader reads quoted terms as words the reply must contain.
  const lines = [`The reply does what was asked: ${request}`];
  for (const d of directives.slice(0, 6)) lines.push(`The user has asked before: ${d}.`);
  return lines.join('\n');
}
