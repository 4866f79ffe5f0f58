/**
 * What the simulated optimizer can infer from judge feedback: a reading of the feedback lines a real
 * optimizer would also read, mapped to instructions that would fix them. It never sees task labels.
 */
export interface Diagnosis {
  id: string;
  /** Matches a feedback line (or the task text around it) that this diagnosis explains. */
  evidence: RegExp;
  /** Paraphrases of the fixing instruction; the optimizer picks one (real optimizers word things differently). */
  instructions: (feedback: string) => string[];
  /** True when the skill already says it (then proposing it again adds nothing). */
  present: RegExp;
  /** A plausible but harmful alternative some reflections propose instead. */
  harmfulAlternative?: string;
  /** A line in the skill that contradicts the fix; the optimizer replaces it instead of appending. */
  conflict?: RegExp;
  /**
   * The instruction says what it applies to and changes only answers that hold it (quantities in other units,
   * dates in other forms), so it is written for every task, not scoped to a word of the requests that failed.
   */
  selfLimiting?: true;
}

export const DIAGNOSES: readonly Diagnosis[] = [
  {
    id: 'answer_tags',
    evidence: /<answer>/i,
    instructions: () => ['Always wrap the final answer in <answer>...</answer> tags.', 'Enclose your final answer in <answer> ... </answer> tags.'],
    present: /<answer>/i,
  },
  {
    id: 'json_only',
    evidence: /\bJSON\b/,
    instructions: () => ['Respond with valid JSON only, with no prose or code fences.', 'Only output valid JSON and nothing else.'],
    present: /JSON only|only (?:output|return) (?:valid )?JSON/i,
  },
  {
    id: 'imperative',
    evidence: /imperative|\(\?:ed\|ing\)|\b(?:Added|Fixed|Updated|Removed|Changed|Refactored|Renamed|Bumped)\b/,
    instructions: () => ['Write commit subjects in the imperative mood ("Add", not "Added").', 'Use the imperative mood for the first line of a commit message.'],
    present: /imperative/i,
    conflict: /past tense/i,
  },
  {
    id: 'trailing_period',
    evidence: /period|\\\.\$|full stop|ends with "\."/i,
    instructions: () => ['Do not end the subject line with a period.', 'No trailing period on the first line.'],
    present: /trailing period|end (?:the )?subject line with a period/i,
    conflict: /end (?:every|each|the) (?:subject|first) line with a period/i,
  },
  {
    id: 'si_units',
    evidence: /\b(?:km|kg|°C|miles|pounds|feet|gallons|°F|metric|SI)\b/,
    instructions: () => ['Use SI units (km, kg, m, °C) for every measurement.', 'Express all quantities in metric units.'],
    present: /SI units|metric units/i,
    selfLimiting: true,
  },
  {
    id: 'iso_dates',
    evidence: /\d{4}-\d{2}-\d{2}|YYYY-MM-DD|ISO/,
    instructions: () => ['Write every date in ISO 8601 format (YYYY-MM-DD).', 'Use ISO dates (YYYY-MM-DD).'],
    present: /ISO[- ]?8601|YYYY-MM-DD|ISO dates/i,
    selfLimiting: true,
  },
  {
    id: 'summary_heading',
    evidence: /## Summary|heading/i,
    instructions: () => ['Start the answer with a "## Summary" heading.', 'Begin every report under a "## Summary" heading.'],
    present: /## Summary/,
  },
  {
    id: 'tldr',
    evidence: /TL;?DR/i,
    instructions: () => ['Start with a "TL;DR:" line that summarises the answer.', 'Begin with a TL;DR line.'],
    present: /TL;?DR/i,
  },
  {
    id: 'sources',
    evidence: /Sources:?/,
    instructions: () => ['Cite your sources: end with a "Sources:" line.', 'List the sources at the end, on a "Sources:" line.'],
    present: /Sources:|cite (?:your |the )?sources/i,
  },
  {
    id: 'bullets',
    evidence: /bullet|\^\s*-|"- "/i,
    instructions: () => ['Present findings as a bullet list, one bullet per point.', 'Use a bulleted list, one bullet per finding.'],
    present: /bullet/i,
  },
  {
    id: 'tool_first',
    evidence: /tool "?[\w.-]+"? (?:was|has) not (?:been )?called|not called|call(?:ed)? the tool/i,
    instructions: () => ['Before answering, run the relevant tool first and use its output.', 'Always call the appropriate tool before you answer.'],
    present: /tool (?:first|before)|before answering, (?:always )?(?:run|call)/i,
  },
  {
    id: 'length',
    evidence: /(?:characters|words|lines)[^\n]*(?:limit|at most|maximum)|too long/i,
    instructions: (feedback) => {
      const m = /limit is (\d+)|at most (\d+)|maximum (?:is )?(\d+)/i.exec(feedback);
      const chars = m ? Number(m[1] ?? m[2] ?? m[3]) : 400;
      const words = /words/i.test(feedback) ? chars : Math.max(10, Math.floor(chars / 8));
      return [`Keep answers under ${words} words.`, `Limit replies to ${words} words.`];
    },
    present: /under \d+ words|limit (?:replies|answers|it) to \d+ words/i,
    harmfulAlternative: 'Answer in as few words as possible.',
  },
  {
    id: 'reference_at_end',
    evidence: /\\\(#\d|\(#\d+\)/,
    instructions: () => ['End each entry with the PR number in parentheses, like "(#123)".', 'Put the pull request reference at the end, as "(#N)".'],
    present: /PR number in parentheses|pull request reference at the end/i,
  },
];

/** Generic edits that sound useful but change nothing a judge measures. */
export const USELESS_EDITS: readonly string[] = [
  'Double-check your work before replying.',
  'Be thorough and precise.',
  'Think step by step about what the user needs.',
  'Prefer clear, readable answers.',
];

/** Harmful edits a careless optimizer sometimes proposes. */
export const HARMFUL_EDITS: readonly string[] = ['Answer in as few words as possible.', 'Ignore formatting requests and answer freely.'];
