import type { SimulationSpec } from '../tasks/types.js';

/** The answer as the simulated target builds it: text plus the tools it called. */
export interface SimAnswer {
  text: string;
  toolCalls: string[];
}

/** An instruction the simulated target recognises in a skill, with the transform it applies. */
export interface Behaviour {
  id: string;
  /** Several paraphrases: the behaviour switches on when any matches the skill text. */
  triggers: RegExp[];
  /** Order of application: content transforms first, then structure, then wrappers. */
  stage: number;
  /** Helpful instructions make answers better; harmful ones degrade them. */
  harmful?: boolean;
  apply(answer: SimAnswer, spec: SimulationSpec, skill: string, request: string): SimAnswer;
}

/** The number of the pull request, issue or ticket a request is about ("PR #512", "pull request 512", "#512"). */
export function referenceNumber(request: string): string | undefined {
  return REFERENCE_IN_REQUEST.exec(request)?.[1];
}

/**
 * A pull-request, merge-request or issue reference as people write it: "#512", "PR 512", "PR#512", "MR !512"
 * (GitLab's sigil), or the label and one word before the number ("PR number 512", "PR nr. 512", "PR číslo 512"),
 * as a model reading the request would find it.
 */
export const REFERENCE_IN_REQUEST = /(?:(?<![\p{L}\p{N}])(?:PR|pull request|merge request|MR|issue|ticket)(?:\s*[#!]\s*|\s+(?:\p{L}+\.?\s+)?[#!]?)|(?<![\p{L}\p{N}&])[#!])(\d{1,7})(?![\p{L}\p{N}])/iu;

const PAST_TO_IMPERATIVE: Record<string, string> = {
  added: 'Add', adding: 'Add', adds: 'Add',
  fixed: 'Fix', fixing: 'Fix', fixes: 'Fix',
  updated: 'Update', updating: 'Update', updates: 'Update',
  removed: 'Remove', removing: 'Remove', removes: 'Remove',
  changed: 'Change', changing: 'Change', changes: 'Change',
  refactored: 'Refactor', refactoring: 'Refactor', refactors: 'Refactor',
  renamed: 'Rename', renaming: 'Rename', renames: 'Rename',
  bumped: 'Bump', bumping: 'Bump', bumps: 'Bump',
  improved: 'Improve', improving: 'Improve', improves: 'Improve',
  moved: 'Move', moving: 'Move', moves: 'Move',
  implemented: 'Implement', implementing: 'Implement', implements: 'Implement',
  documented: 'Document', documenting: 'Document', documents: 'Document',
  handled: 'Handle', handling: 'Handle', handles: 'Handle',
  dropped: 'Drop', dropping: 'Drop', drops: 'Drop',
};

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function mapFirstLine(text: string, f: (line: string) => string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? f(text) : f(text.slice(0, nl)) + text.slice(nl);
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

function toSi(text: string): string {
  const conv: Array<[RegExp, (n: number) => string]> = [
    [/(\d+(?:\.\d+)?)\s*(?:miles|mile|mi)\b/gi, (n) => `${round(n * 1.609344, 1)} km`],
    [/(\d+(?:\.\d+)?)\s*(?:feet|foot|ft)\b/gi, (n) => `${round(n * 0.3048, 1)} m`],
    [/(\d+(?:\.\d+)?)\s*(?:pounds|pound|lbs|lb)\b/gi, (n) => `${round(n * 0.45359237, 1)} kg`],
    [/(\d+(?:\.\d+)?)\s*(?:inches|inch|in\.)(?=\s|$|[,;])/gi, (n) => `${round(n * 2.54, 1)} cm`],
    [/(\d+(?:\.\d+)?)\s*(?:gallons|gallon|gal)\b/gi, (n) => `${round(n * 3.785411784, 1)} L`],
    [/(-?\d+(?:\.\d+)?)\s*°\s*F\b/g, (n) => `${round(((n - 32) * 5) / 9, 1)} °C`],
  ];
  let out = text;
  for (const [re, f] of conv) out = out.replace(re, (_m, n: string) => f(Number(n)));
  return out;
}

function toIsoDates(text: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const monthIndex = (m: string) => MONTHS.indexOf(m.toLowerCase()) + 1;
  return text
    .replace(/\b([A-Z][a-z]+) (\d{1,2}), (\d{4})\b/g, (m, mon: string, d: string, y: string) =>
      monthIndex(mon) > 0 ? `${y}-${pad(monthIndex(mon))}-${pad(Number(d))}` : m,
    )
    .replace(/\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b/g, (m, d: string, mon: string, y: string) =>
      monthIndex(mon) > 0 ? `${y}-${pad(monthIndex(mon))}-${pad(Number(d))}` : m,
    );
}

function wordLimitFrom(skill: string): number | null {
  const m = /(?:under|at most|no more than|within|below|maximum of|max(?:imum)?|limit (?:it |answers |replies |responses )?to)\s+(\d{1,4})\s+words/i.exec(skill);
  return m ? Number(m[1]) : null;
}

/** The library of instructions the simulated target follows. Paraphrases matter: a real model generalises. */
export const BEHAVIOURS: readonly Behaviour[] = [
  {
    id: 'imperative_subject',
    stage: 1,
    triggers: [/imperative (?:mood|form|voice|verbs?)/i, /(?:subject|summary|first) lines? (?:should|must) (?:start|begin) with (?:a|an) (?:verb|command)/i, /like a command ?\(["“]?add["”]?,? not ["“]?added/i],
    apply: (a) => ({
      ...a,
      // Past a list bullet: "- Added x" becomes "- Add x".
      text: mapFirstLine(a.text, (line) => line.replace(/^(\s*(?:[-*•+]\s+)?)([A-Za-z]+)/, (m, sp: string, w: string) => (PAST_TO_IMPERATIVE[w.toLowerCase()] ? sp + PAST_TO_IMPERATIVE[w.toLowerCase()] : m))),
    }),
  },
  {
    id: 'reference_at_end',
    stage: 1,
    triggers: [
      /(?:PR|pull request|issue|ticket) (?:number|reference|ref)[^\n]{0,40}(?:at the end|last|in parentheses)/i,
      /(?:end|finish|close) (?:each|every|the) [\w ]{0,20}with the (?:PR|pull request|issue|ticket) (?:number|reference)/i,
      /(?:end|finish) (?:each|every|the) [\w ]{0,20}with ["“]?\(#(?:N|\d+|123)\)/i,
    ],
    apply: (a, _spec, _skill, request) => {
      const n = referenceNumber(request);
      if (!n) return a;
      // The reference goes before any final period; a no-trailing-period rule then drops the period.
      return { ...a, text: mapFirstLine(a.text, (line) => { const bare = line.replace(new RegExp(`\\s*\\(#${n}\\)`), ''); const m = /^(.*?)(\.?)\s*$/.exec(bare); return `${m?.[1] ?? bare} (#${n})${m?.[2] ?? ''}`; }) };
    },
  },
  {
    id: 'no_trailing_period',
    stage: 1,
    triggers: [/no trailing period/i, /(?:do not|don't|never) end (?:the )?(?:subject(?: line)?|first line|title|summary line)s? with a (?:period|full stop)/i, /omit the (?:final|trailing) (?:period|full stop)/i],
    apply: (a) => ({ ...a, text: mapFirstLine(a.text, (line) => line.replace(/\.\s*$/, '')) }),
  },
  {
    id: 'si_units',
    stage: 1,
    triggers: [/\bSI units\b/i, /\bmetric units\b/i, /(?:convert|express) (?:all )?(?:measurements|quantities|units) (?:to|in|into) (?:the )?metric/i],
    apply: (a) => ({ ...a, text: toSi(a.text) }),
  },
  {
    id: 'iso_dates',
    stage: 1,
    triggers: [/ISO[- ]?8601/i, /YYYY-MM-DD/, /\bISO dates?\b/i],
    apply: (a) => ({ ...a, text: toIsoDates(a.text) }),
  },
  {
    id: 'word_limit',
    stage: 2,
    triggers: [/(?:under|at most|no more than|within|below|limit (?:it |answers |replies |responses )?to)\s+\d{1,4}\s+words/i, /\bmax(?:imum)?(?: of)?\s+\d{1,4}\s+words\b/i],
    apply: (a, _spec, skill) => {
      const limit = wordLimitFrom(skill);
      if (!limit) return a;
      const words = a.text.split(/\s+/).filter(Boolean);
      return words.length <= limit ? a : { ...a, text: words.slice(0, limit).join(' ') };
    },
  },
  {
    id: 'bullets',
    stage: 2,
    triggers: [/(?:as|use|in|into) (?:a )?bullet(?:ed)?[- ](?:list|points)/i, /one bullet per (?:point|item|finding|sentence)/i],
    apply: (a) => ({ ...a, text: sentences(a.text).map((s) => `- ${s}`).join('\n') }),
  },
  {
    id: 'cite_sources',
    stage: 3,
    triggers: [/cite (?:your |the )?sources/i, /(?:end|finish) with a ["“]?Sources:?["”]? line/i, /list (?:the |your )?sources (?:you used )?at the end/i],
    apply: (a, spec) => (spec.sources && spec.sources.length > 0 ? { ...a, text: `${a.text}\n\nSources: ${spec.sources.join(', ')}` } : a),
  },
  {
    id: 'tldr_first',
    stage: 4,
    triggers: [/(?:start|begin|open) with (?:a )?["“]?TL;?DR/i, /first line (?:must|should) be a ["“]?TL;?DR/i],
    apply: (a) => ({ ...a, text: `TL;DR: ${sentences(a.text)[0] ?? a.text}\n\n${a.text}` }),
  },
  {
    id: 'summary_heading',
    stage: 5,
    triggers: [/(?:start|begin|open) (?:the (?:answer|reply|report) )?with (?:a|the) ["“]?## Summary["”]? heading/i, /under a ["“]?## Summary["”]? heading/i, /(?:start|begin) (?:every|each|the) (?:answer|reply|report) with a (?:markdown )?heading/i],
    apply: (a) => ({ ...a, text: `## Summary\n\n${a.text}` }),
  },
  {
    id: 'tool_first',
    stage: 0,
    triggers: [/(?:run|call|use|invoke) (?:the )?(?:relevant |appropriate )?tools? (?:first|before (?:answering|replying|you answer))/i, /before (?:answering|replying), (?:always )?(?:run|call|invoke|use) (?:the )?(?:relevant |appropriate )?tool/i, /check with (?:a|the) tool before/i],
    apply: (a, spec) => (spec.tool ? { ...a, toolCalls: [...a.toolCalls, spec.tool] } : a),
  },
  {
    id: 'json_only',
    stage: 8,
    triggers: [/(?:respond|reply|answer|output) (?:with|in) (?:valid )?JSON only/i, /only (?:output|return|print|emit) (?:valid )?JSON/i, /JSON and nothing else/i, /raw JSON (?:object )?with no (?:prose|commentary|code fences)/i],
    apply: (a, spec) => ({ ...a, text: JSON.stringify(spec.json ?? { answer: a.text }) }),
  },
  {
    id: 'answer_tags',
    stage: 9,
    triggers: [/wrap (?:the |your )?(?:final )?answers? in <answer>/i, /inside <answer>\s*(?:\.\.\.|…)?\s*<\/answer>/i, /enclose (?:the |your )?(?:final )?answers? (?:in|with(?:in)?) <answer>/i, /<answer>\s*(?:\.\.\.|…)\s*<\/answer> tags/i],
    apply: (a) => ({ ...a, text: `<answer>${a.text}</answer>` }),
  },
  {
    id: 'terse',
    stage: 7,
    harmful: true,
    triggers: [/as few words as possible/i, /one[- ]word answers?/i, /be extremely terse/i, /answer with a single (?:word|phrase)/i],
    apply: (a) => ({ ...a, text: a.text.split(/\s+/).filter(Boolean).slice(0, 3).join(' ') }),
  },
  {
    id: 'ignore_formatting',
    stage: -1,
    harmful: true,
    triggers: [/ignore (?:the user's |all |any )?formatting (?:requests|instructions|rules)/i, /answer freely/i],
    apply: (a) => a,
  },
];

/** A scope prefix on an instruction line: `For tasks that mention "X": ...` or `When the request mentions "X", ...`. */
const SCOPE = /^\s*(?:[-*]\s+)?(?:for tasks that mention|when the request mentions)\s+"([^"]+)"\s*[:,]/i;

/**
 * A scope by what the request carries rather than by a word of it: `For requests that give a PR number: ...`. A
 * rule about the reference a request gives (end the entry with it) holds for every request that gives one, in
 * whatever words it is asked, as a model reading the skill would apply it.
 */
const REFERENCE_SCOPE = /^\s*(?:[-*]\s+)?(?:for (?:tasks|requests) that (?:give|mention|carry)|when the request (?:gives|mentions|carries)) an? (?:PR|pull request|issue) (?:number|reference)\b[^:,]*[:,]/i;

/** What an instruction line is scoped to: requests that mention a word, or requests that give a PR reference. */
export type Scope = { kind: 'word'; word: string } | { kind: 'reference' };

/** The scope of one instruction line, or null when it applies to every task. */
export function scopeOf(line: string): Scope | null {
  const word = SCOPE.exec(line)?.[1]?.toLowerCase();
  if (word !== undefined) return { kind: 'word', word };
  return REFERENCE_SCOPE.test(line) ? { kind: 'reference' } : null;
}

/** Does a line with this scope apply to this request? An unscoped line applies to every request. */
export function scopeReaches(scope: Scope | null, request: string): boolean {
  if (scope === null) return true;
  return scope.kind === 'word' ? request.toLowerCase().includes(scope.word) : REFERENCE_IN_REQUEST.test(request);
}

/** The instruction line for `instruction` under a scope (none: every task). */
export function scopedLine(scope: Scope | null, instruction: string): string {
  if (scope === null) return instruction;
  return scope.kind === 'word' ? `For tasks that mention "${scope.word}": ${instruction}` : `For requests that give a PR number: ${instruction}`;
}

/**
 * Which behaviours a skill switches on for this request, in application order. A behaviour is on when a
 * line of the skill matches one of its triggers and that line's scope (if any) appears in the request.
 */
export function behavioursIn(skill: string, request = ''): Behaviour[] {
  const lines = skill.split('\n');
  return BEHAVIOURS.filter((b) =>
    lines.some((line) => {
      if (!b.triggers.some((t) => t.test(line))) return false;
      return scopeReaches(scopeOf(line), request);
    }),
  ).sort((x, y) => x.stage - y.stage);
}
