import { extractCorrectionDirectives } from '../harvest/feedback-lexicon.js';
import type { FeedbackSignal, SessionDigest } from '../harvest/types.js';
import { readTurn } from './follow-up.js';

/** The kinds of evidence an outcome label rests on. */
export type EvidenceKind = 'correction' | 'praise' | 're-ask' | 'interrupt' | 'tool-error' | 'abandoned' | 'directive';

/** One line of evidence: what the user (or a tool) said, and where. */
export interface EvidenceLine {
  sessionId: string;
  /** The prompt the line was found at (a correction sits at the prompt after the answer it judges). */
  promptIndex: number;
  kind: EvidenceKind;
  text: string;
}

/** How the agent's answer to one task prompt went, with the evidence it rests on. */
export interface OutcomeLabel {
  /** Index of the task prompt in the session. */
  promptIndex: number;
  outcome: 'success' | 'failure' | 'unknown';
  evidence: EvidenceLine[];
  /** Explicit instructions from the user's corrections ("use imperative mood"). */
  directives: string[];
  /** Every answer the agent gave to this request (the first, then one after each follow-up), with the person's verdict. */
  answers: AnswerVerdict[];
}

/**
 * One answer of the agent to a request and what the person made of it: corrected (a correction or re-ask
 * followed it), accepted (praised, or the last answer they let stand after correcting), or unjudged (the
 * first answer, never remarked on: weak evidence, not used to ground a judge).
 */
export interface AnswerVerdict {
  promptIndex: number;
  text: string;
  verdict: 'corrected' | 'accepted' | 'unjudged';
  /** How the verdict was read: praised, let-stand (after a correction), or the kind of objection. */
  how: 'praised' | 'let-stand' | 'correction' | 're-ask' | 'interrupt' | 'none';
}

/** A prompt's role in a session: a task request, or feedback on the previous answer. */
export interface PromptRole {
  index: number;
  role: 'task' | 'feedback';
  signal?: FeedbackSignal['kind'];
  /** Why the turn was read so. */
  reason?: string;
}

const EVIDENCE_CHARS = 300;

/** Words that only ever describe the form of an answer, not a new task. */
const FORMAT_WORDS = /\b(?:bullet(?:ed)?|bullets|list|json|imperative|trailing period|shorter|longer|concise|table|markdown|heading|tl;?dr|one line|one-line|plain text|code block|words?)\b/i;

const FORMAT_FILLER = /\b(?:use|a|an|the|as|in|it|make|with|no|only|one|per|line|point|finding|instead|please|pls|format|answer|reply|output|it's|its)\b/gi;

/**
 * A short prompt (at most 6 words) that asks only for a format: once format words and filler are gone, at
 * most one word is left. "summarise the paper again, shorter" restates the task, so it stays a re-ask.
 */
function isFormatInstruction(text: string): boolean {
  if (wordCount(text) > 6 || !FORMAT_WORDS.test(text)) return false;
  const rest = text.replace(new RegExp(FORMAT_WORDS.source, 'gi'), ' ').replace(FORMAT_FILLER, ' ').match(/\p{L}{2,}/gu) ?? [];
  return rest.length <= 1;
}
// Error output a tool returned, as the agent's answer quotes it. Matched per line, so a mention of "an error" is not one.
const TOOL_ERROR = /^(?:error|fatal|panic)(?:\[[^\]]*\])?:|^Traceback \(most recent call last\)|command not found|exit(?:ed with)? (?:code|status) [1-9]|\bE(?:NOENT|ACCES|ADDRINUSE|CONNREFUSED)\b|^npm ERR!/im;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EVIDENCE_CHARS ? `${flat.slice(0, EVIDENCE_CHARS - 1)}…` : flat;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * Which prompts of a session are task requests and which react to the previous answer (corrections, praise,
 * "redo", "same rules as always", clarifications): see `readTurn`. A follow-up is evidence, never a task.
 */
export function classifyPrompts(digest: SessionDigest): PromptRole[] {
  const prompts = Array.isArray(digest.prompts) ? digest.prompts : [];
  const answers = Array.isArray(digest.finalAnswers) ? digest.finalAnswers : [];
  const signals = new Map<number, FeedbackSignal>();
  for (const signal of Array.isArray(digest.feedback) ? digest.feedback : []) {
    if (signal && typeof signal.promptIndex === 'number' && !signals.has(signal.promptIndex)) signals.set(signal.promptIndex, signal);
  }
  const textOf = (i: number) => (typeof prompts[i]?.text === 'string' ? (prompts[i]?.text as string) : '');
  return prompts.map((_prompt, index) => {
    const text = textOf(index);
    const signal = signals.get(index)?.kind;
    // A short follow-up that only asks for a format ("use a bullet list") corrects the previous answer.
    if (!signal && index > 0 && isFormatInstruction(text)) return { index, role: 'feedback', signal: 'correction', reason: 'format instruction' };
    const previous = index > 0 ? answers[index - 1] : undefined;
    const reading = readTurn(text, {
      index,
      // Values and words of the whole conversation so far: a second correction repeats the request's PR number too.
      previousPrompt: prompts.slice(0, index).map((_p, i) => `${textOf(i)}\n${typeof answers[i] === 'string' ? answers[i] : ''}`).join('\n'),
      ...(typeof previous === 'string' && previous.trim() !== '' ? { previousAnswer: previous } : {}),
      ...(typeof answers[index] === 'string' && (answers[index] as string).trim() !== '' ? { answer: answers[index] as string } : {}),
      ...(signal ? { signal } : {}),
    });
    return { index, role: reading.role, ...(reading.signal ? { signal: reading.signal } : {}), reason: reading.reason };
  });
}

/**
 * Label the outcome of each task prompt of a session from what followed it: corrections, interrupts,
 * re-asks and a session that ends before an answer mark a failure; praise a success; failed tool calls
 * count against it unless the person praised the result. Every label keeps its evidence lines. Pure; never throws on a damaged digest.
 * `isReask(a, b)` says whether a later task prompt asks the same thing again (the caller's clustering).
 */
export function labelOutcomes(digest: SessionDigest, isReask: (earlier: string, later: string) => boolean = () => false): OutcomeLabel[] {
  return labelSession(digest, isReask).labels;
}

/** A session's labels, plus follow-ups that had no answer to react to (kept as evidence, counted). */
export interface SessionLabels {
  labels: OutcomeLabel[];
  orphans: EvidenceLine[];
}

/** `labelOutcomes` with the orphan follow-ups kept. Pure; never throws. */
export function labelSession(digest: SessionDigest, isReask: (earlier: string, later: string) => boolean = () => false): SessionLabels {
  const prompts = Array.isArray(digest.prompts) ? digest.prompts : [];
  const answers = Array.isArray(digest.finalAnswers) ? digest.finalAnswers : [];
  const roles = classifyPrompts(digest);
  const textOf = (i: number) => (typeof prompts[i]?.text === 'string' ? (prompts[i]?.text as string) : '');
  const labels: OutcomeLabel[] = [];
  const byIndex = new Map<number, OutcomeLabel>();
  const orphans: EvidenceLine[] = [];
  let current: OutcomeLabel | undefined;
  const evidence = (label: OutcomeLabel, promptIndex: number, kind: EvidenceKind, text: string) =>
    label.evidence.push({ sessionId: digest.sessionId, promptIndex, kind, text: clip(text) });

  const answerAt = (i: number) => (typeof answers[i] === 'string' ? (answers[i] as string).trim() : '');
  // The answer the person is looking at: the last one of the current request's chain, not yet judged.
  let pending: AnswerVerdict | undefined;
  let corrected = false;
  const open = (index: number) => {
    const text = answerAt(index);
    pending = text === '' ? undefined : { promptIndex: index, text, verdict: 'unjudged', how: 'none' };
    if (pending && current) current.answers.push(pending);
  };
  const close = () => {
    // The last answer they let stand after correcting it is the one they accepted.
    if (pending && corrected && pending.verdict === 'unjudged') Object.assign(pending, { verdict: 'accepted', how: 'let-stand' });
    pending = undefined;
    corrected = false;
  };

  for (const role of roles) {
    const text = textOf(role.index);
    if (role.role === 'task') {
      const previous = current;
      const reask = previous !== undefined && (role.signal === 're-ask' || isReask(textOf(previous.promptIndex), text));
      if (previous && reask) {
        evidence(previous, role.index, 're-ask', text);
        if (pending && pending.verdict === 'unjudged') Object.assign(pending, { verdict: 'corrected', how: 're-ask' });
        corrected = false;
      }
      if (previous && role.signal === 'praise') {
        evidence(previous, role.index, 'praise', text);
        if (pending) Object.assign(pending, { verdict: 'accepted', how: 'praised' });
      }
      close();
      current = { promptIndex: role.index, outcome: 'unknown', evidence: [], directives: [], answers: [] };
      labels.push(current);
      byIndex.set(role.index, current);
      open(role.index);
    } else if (current) {
      const kind: EvidenceKind = role.signal === 'praise' ? 'praise' : role.signal === 'interrupt' ? 'interrupt' : role.signal === 're-ask' ? 're-ask' : 'correction';
      evidence(current, role.index, kind, text);
      if (kind === 'praise') {
        if (pending) Object.assign(pending, { verdict: 'accepted', how: 'praised' });
        continue;
      }
      if (pending) Object.assign(pending, { verdict: 'corrected', how: kind });
      corrected = true;
      if (kind === 'correction' || kind === 're-ask') {
        const directives = extractCorrectionDirectives(text);
        // A bare format instruction, or a follow-up whose rule has no imperative verb ("closer, but the number
        // goes last"), is its own directive: the judge synthesis reads the whole sentence.
        if (directives.length === 0 && kind === 'correction' && text.trim().length <= 300) directives.push(text.trim().replace(/\s+/g, ' '));
        for (const directive of directives) {
          if (!current.directives.includes(directive)) current.directives.push(directive);
          evidence(current, role.index, 'directive', directive);
        }
      }
      open(role.index);
    } else {
      orphans.push({ sessionId: digest.sessionId, promptIndex: role.index, kind: 'correction', text: clip(text) });
    }
  }
  close();

  const toolErrors = Array.isArray(digest.toolErrors) ? digest.toolErrors : undefined;
  if (toolErrors) {
    // The error belongs to the task being worked on: the last task prompt at or before it.
    for (const error of toolErrors) {
      if (!error || typeof error.promptIndex !== 'number') continue;
      const owner = [...labels].reverse().find((l) => l.promptIndex <= error.promptIndex);
      if (owner) evidence(owner, error.promptIndex, 'tool-error', `${String(error.tool)}: ${String(error.text)}`);
    }
  } else {
    // Digests stored before tool errors were recorded: error output the answer quotes.
    for (const label of labels) {
      const answer = answers[label.promptIndex];
      if (typeof answer !== 'string') continue;
      const error = TOOL_ERROR.exec(answer);
      if (error) evidence(label, label.promptIndex, 'tool-error', answer.slice(Math.max(0, error.index - 40), error.index + 160));
    }
  }
  const last = labels[labels.length - 1];
  // The person left as soon as the prompt was sent (or the agent never answered it).
  if (last && last.promptIndex === roles.length - 1) {
    const answer = answers[last.promptIndex];
    if (typeof answer !== 'string' || answer.trim() === '') evidence(last, last.promptIndex, 'abandoned', 'the session ended before an answer to this prompt');
  }

  for (const label of labels) {
    const kinds = new Set(label.evidence.map((e) => e.kind));
    const failed = kinds.has('correction') || kinds.has('interrupt') || kinds.has('re-ask') || kinds.has('abandoned');
    // Agents often recover from a failing command; praise outranks a tool error, a person's objection does not.
    label.outcome = failed ? 'failure' : kinds.has('praise') ? 'success' : kinds.has('tool-error') ? 'failure' : 'unknown';
  }
  return { labels, orphans };
}
