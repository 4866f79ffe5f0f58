import type { SessionDigest, SourceName, UserPrompt } from './types.js';
import { classifyFeedback } from './feedback-lexicon.js';
import { redactSecrets } from '../core/redact.js';
import { toUtcIso } from './timestamps.js';

export { toUtcIso } from './timestamps.js';

/** Longest prompt text kept; pasted logs beyond this add nothing mining can use. */
export const MAX_PROMPT_CHARS = 16_000;
/** Longest final answer kept per prompt. */
export const MAX_ANSWER_CHARS = 8_000;
/** Cap on tools/skills/files/models lists so one runaway session cannot bloat its row. */
export const MAX_LIST_ITEMS = 200;

/** Token overlap above which a prompt after an answer counts as a re-ask of the previous one. */
const REASK_SIMILARITY = 0.6;

/** The text the agents write when the user pressed Esc; a feedback signal, never a prompt. */
export const INTERRUPT_PATTERN = /^\[Request interrupted by user[^\]]*\]/;

/** A fresh digest with every list empty. */
export function createDigest(source: SourceName, sessionId: string): SessionDigest {
  return {
    source,
    sessionId,
    prompts: [],
    finalAnswers: [],
    tools: [],
    skills: [],
    filesTouched: [],
    feedback: [],
    models: [],
    tokens: { input: 0, output: 0, cachedInput: 0 },
    headless: false,
    ownReplay: false,
  };
}

/** Widen the digest's start/end to include this instant (ISO UTC strings compare correctly as text). */
export function widenTimeRange(digest: SessionDigest, at: unknown): string | undefined {
  const iso = toUtcIso(at);
  if (!iso) return undefined;
  if (!digest.startedAt || iso < digest.startedAt) digest.startedAt = iso;
  if (!digest.endedAt || iso > digest.endedAt) digest.endedAt = iso;
  return iso;
}

/** Push a value once, keeping first-seen order and a bounded length. */
export function addUnique(list: string[], value: string | undefined): void {
  if (!value || list.length >= MAX_LIST_ITEMS || list.includes(value)) return;
  list.push(value);
}

/** Cut text to a maximum length with a visible marker. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[...truncated ${text.length - max} chars]`;
}

const ASCII_ONLY = /^[\u0000-\u007f]*$/; // eslint-disable-line no-control-regex

/** The distinct words (2+ letters, digits or `_`) of a text, lower-cased. */
export function wordsOf(text: string): Set<string> {
  const lower = text.toLowerCase();
  // Lower-cased ASCII holds no letter or digit outside a-z and 0-9, and a plain regex splits it several times faster.
  const separators = ASCII_ONLY.test(lower) ? /[^a-z0-9_]+/ : /[^\p{L}\p{N}_]+/u;
  return new Set(lower.split(separators).filter((w) => w.length > 1));
}

/** The word sets of the last texts compared: each prompt is compared with the one before it, then with the next. */
let recentWords: Array<{ text: string; words: Set<string> }> = [];

function cachedWordsOf(text: string): Set<string> {
  const hit = recentWords.find((entry) => entry.text === text);
  if (hit) return hit.words;
  const words = wordsOf(text);
  recentWords = [{ text, words }, ...recentWords.slice(0, 1)];
  return words;
}

/** Jaccard overlap of the word sets of two texts (0..1). */
export function textSimilarity(a: string, b: string): number {
  const wa = cachedWordsOf(a);
  const wb = cachedWordsOf(b);
  if (wa.size === 0 && wb.size === 0) return a.trim() === b.trim() ? 1 : 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  const union = wa.size + wb.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Append a real user prompt: opens an answer slot, classifies feedback with the shared lexicon and
 * detects a re-ask (the previous prompt got an answer and this one says nearly the same thing).
 */
export function recordPrompt(digest: SessionDigest, prompt: UserPrompt): void {
  const text = truncateText(prompt.text, MAX_PROMPT_CHARS);
  const index = digest.prompts.length;
  const entry: UserPrompt = { text };
  if (prompt.at) entry.at = prompt.at;
  if (prompt.command) entry.command = prompt.command;
  if (prompt.skill) entry.skill = prompt.skill;
  const previous = digest.prompts[index - 1];
  const previousAnswer = digest.finalAnswers[index - 1];
  digest.prompts.push(entry);
  digest.finalAnswers.push('');
  const match = classifyFeedback(text);
  if (match) digest.feedback.push({ kind: match.kind, text, promptIndex: index });
  if (previous && previousAnswer && previous.command === prompt.command && textSimilarity(previous.text, text) >= REASK_SIMILARITY) {
    digest.feedback.push({ kind: 're-ask', text, promptIndex: index });
  }
}

/**
 * True when `text` repeats the latest prompt and that prompt has no answer yet: the same prompt written
 * twice (queue + record, duplicated events), not a re-ask.
 */
export function isUnansweredRepeat(digest: SessionDigest, text: string): boolean {
  const last = digest.prompts.length - 1;
  return last >= 0 && digest.prompts[last]?.text === truncateText(text, MAX_PROMPT_CHARS) && !digest.finalAnswers[last];
}

/** Set (or extend) the final answer of the latest prompt; answers before the first prompt are dropped. */
export function recordAnswer(digest: SessionDigest, text: string, mode: 'replace' | 'append'): void {
  const index = digest.finalAnswers.length - 1;
  if (index < 0 || !text.trim()) return;
  const current = digest.finalAnswers[index] ?? '';
  const next = mode === 'append' && current ? `${current}\n\n${text}` : text;
  digest.finalAnswers[index] = truncateText(next, MAX_ANSWER_CHARS);
}

/** Record that the user interrupted the answer to the latest prompt. */
export function recordInterrupt(digest: SessionDigest, text: string): void {
  const index = digest.prompts.length - 1;
  if (index < 0) return;
  digest.feedback.push({ kind: 'interrupt', text: text.slice(0, 200), promptIndex: index });
}

/** A redaction function that remembers its answers: the same text (digest and parser state) is scanned once. */
export type Redactor = (text: string) => string;

/** A memoising wrapper around redactSecrets that counts the secrets it replaced (each distinct text once). */
export function createRedactor(): Redactor & { secrets(): number } {
  // Only texts that held a secret are remembered: redaction is deterministic, so a secret-free text scanned twice
  // gives the same text and adds nothing to the count, while hashing every text for the lookup (most hold no secret,
  // and the map stays empty) cost 5% of a harvest.
  const memo = new Map<string, string>();
  let secrets = 0;
  const redact = (text: string): string => {
    if (memo.size > 0) {
      const known = memo.get(text);
      if (known !== undefined) return known;
    }
    const result = redactSecrets(text);
    if (result.count > 0) {
      secrets += result.count;
      memo.set(text, result.text);
    }
    return result.text;
  };
  return Object.assign(redact, { secrets: () => secrets });
}

/** Redact every text field of a digest (prompts, answers, feedback, paths, names) before it is stored. */
export function redactDigest(digest: SessionDigest, redactor: Redactor & { secrets(): number } = createRedactor()): { digest: SessionDigest; secrets: number } {
  const before = redactor.secrets();
  const r = redactor;
  const out: SessionDigest = {
    ...digest,
    prompts: digest.prompts.map((p) => ({ ...p, text: r(p.text), ...(p.skill ? { skill: r(p.skill) } : {}) })),
    finalAnswers: digest.finalAnswers.map(r),
    tools: digest.tools.map(r),
    skills: digest.skills.map(r),
    filesTouched: digest.filesTouched.map(r),
    feedback: digest.feedback.map((f) => ({ ...f, text: r(f.text) })),
    ...(digest.toolErrors ? { toolErrors: digest.toolErrors.map((e) => ({ ...e, tool: r(e.tool), text: r(e.text) })) } : {}),
    models: [...digest.models],
    tokens: { ...digest.tokens },
  };
  if (digest.project) {
    const project: NonNullable<SessionDigest['project']> = {};
    if (digest.project.cwd !== undefined) project.cwd = r(digest.project.cwd);
    if (digest.project.gitBranch !== undefined) project.gitBranch = r(digest.project.gitBranch);
    if (digest.project.gitRepo !== undefined) project.gitRepo = r(digest.project.gitRepo);
    out.project = project;
  }
  return { digest: out, secrets: redactor.secrets() - before };
}

/** Most distinct unknown record types kept per session (a flood of new types must not bloat the row). */
const MAX_UNKNOWN_TYPES = 50;

/** Count a record type the parser did not know; the type name is cut to 80 characters. */
export function countUnknownRecord(digest: SessionDigest, type: string): void {
  const counts = (digest.unknownRecords ??= {});
  const key = type.slice(0, 80);
  if (counts[key] === undefined && Object.keys(counts).length >= MAX_UNKNOWN_TYPES) return;
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Remember the agent version that wrote a record (bounded, first seen first). */
export function noteAgentVersion(digest: SessionDigest, version: string | undefined): void {
  if (!version || version.length > 40) return;
  const versions = (digest.agentVersions ??= []);
  if (!versions.includes(version) && versions.length < 20) versions.push(version);
}

/** Record the invoked skill on the latest prompt and on the session's skill list. */
export function recordPromptSkill(digest: SessionDigest, skill: string | undefined): void {
  const name = skill?.trim().replace(/^[/$]/, '');
  if (!name) return;
  addUnique(digest.skills, name);
  const latest = digest.prompts[digest.prompts.length - 1];
  if (latest && !latest.skill) latest.skill = name;
}

/**
 * The digest as a parser hands it out: a session without a prompt says why (`reason`), one with prompts
 * carries no reason. A copy, so the parser's own state is never marked.
 */
export function withEmptyReason(digest: SessionDigest, reason: string): SessionDigest {
  const { emptyReason: _old, ...rest } = digest;
  return digest.prompts.length > 0 ? rest : { ...rest, emptyReason: reason };
}

const MAX_TOOL_ERRORS = 50;

/** Record a failed tool call against the current prompt (bounded; the text is cut to 300 characters). */
export function recordToolError(digest: SessionDigest, tool: string, text: string): void {
  const errors = (digest.toolErrors ??= []);
  if (errors.length >= MAX_TOOL_ERRORS) return;
  errors.push({ tool, promptIndex: Math.max(0, digest.prompts.length - 1), text: truncateText(text.trim() || '(no output)', 300) });
}

/** A plain object from unknown JSON, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A string field, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, or 0. */
export function asCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Redact every string inside a JSON-like value (parser state is stored too, so it must hold no secret). */
export function redactValue<T>(value: T, redactor: Redactor = (text) => redactSecrets(text).text): T {
  if (typeof value === 'string') return redactor(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, redactor)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = redactValue(item, redactor);
    return out as T;
  }
  return value;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Rebuild a digest from saved state, field by field: a damaged or older state yields a valid digest
 * (missing parts empty) instead of a parser that throws later.
 */
export function restoreDigest(value: unknown, source: SourceName, sessionId: string): SessionDigest {
  const saved = asRecord(value) ?? {};
  const digest = createDigest(source, asString(saved.sessionId) ?? sessionId);
  if (Array.isArray(saved.prompts)) {
    for (const item of saved.prompts) {
      const p = asRecord(item);
      const text = asString(p?.text);
      if (text === undefined) continue;
      const prompt: UserPrompt = { text };
      const at = asString(p?.at);
      if (at) prompt.at = at;
      const command = asString(p?.command);
      if (command) prompt.command = command;
      const skill = asString(p?.skill);
      if (skill) prompt.skill = skill;
      digest.prompts.push(prompt);
    }
  }
  const answers = Array.isArray(saved.finalAnswers) ? saved.finalAnswers : [];
  digest.finalAnswers = digest.prompts.map((_, i) => asString(answers[i]) ?? '');
  digest.tools = stringList(saved.tools);
  digest.skills = stringList(saved.skills);
  digest.filesTouched = stringList(saved.filesTouched);
  digest.models = stringList(saved.models);
  if (Array.isArray(saved.feedback)) {
    for (const item of saved.feedback) {
      const f = asRecord(item);
      const kind = f?.kind;
      const text = asString(f?.text);
      const promptIndex = f?.promptIndex;
      if ((kind === 'correction' || kind === 'praise' || kind === 're-ask' || kind === 'interrupt') && text !== undefined && typeof promptIndex === 'number') {
        digest.feedback.push({ kind, text, promptIndex });
      }
    }
  }
  if (Array.isArray(saved.toolErrors)) {
    for (const item of saved.toolErrors) {
      const e = asRecord(item);
      const tool = asString(e?.tool);
      const text = asString(e?.text);
      if (tool !== undefined && text !== undefined && typeof e?.promptIndex === 'number') (digest.toolErrors ??= []).push({ tool, text, promptIndex: e.promptIndex });
    }
  }
  const tokens = asRecord(saved.tokens);
  digest.tokens = { input: asCount(tokens?.input), output: asCount(tokens?.output), cachedInput: asCount(tokens?.cachedInput) };
  digest.headless = saved.headless === true;
  digest.ownReplay = saved.ownReplay === true;
  const started = asString(saved.startedAt);
  if (started) digest.startedAt = started;
  const ended = asString(saved.endedAt);
  if (ended) digest.endedAt = ended;
  const origin = asString(saved.origin);
  if (origin) digest.origin = origin;
  const versions = stringList(saved.agentVersions);
  if (versions.length) digest.agentVersions = versions;
  const unknown = asRecord(saved.unknownRecords);
  if (unknown) {
    const counts: Record<string, number> = {};
    for (const [type, n] of Object.entries(unknown)) if (asCount(n) > 0) counts[type] = asCount(n);
    if (Object.keys(counts).length) digest.unknownRecords = counts;
  }
  const emptyReason = asString(saved.emptyReason);
  if (emptyReason) digest.emptyReason = emptyReason;
  const forkedFrom = asString(saved.forkedFrom);
  if (forkedFrom) digest.forkedFrom = forkedFrom;
  const project = asRecord(saved.project);
  if (project) {
    const out: NonNullable<SessionDigest['project']> = {};
    const cwd = asString(project.cwd);
    if (cwd) out.cwd = cwd;
    const branch = asString(project.gitBranch);
    if (branch) out.gitBranch = branch;
    const repo = asString(project.gitRepo);
    if (repo) out.gitRepo = repo;
    digest.project = out;
  }
  return digest;
}
