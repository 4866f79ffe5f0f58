import { runChecks, validateChecks } from '../judges/rules.js';
import type { Check } from '../judges/types.js';
import type { MemberRecord } from '../store/families-repo.js';
import { ANSWER_RULES, ANSWER_SHAPE, checksFromDirective, type CheckKind, type DerivedCheck } from './judge-heuristic.js';

/**
 * Grounded judges. Every check derived from the person's words must pass the answers they accepted and fail
 * the answer they corrected with those words; a check that does not is dropped and reported. Instance values
 * (PR numbers, versions, ticket keys) are parameters bound per task from its own prompt, never copied across.
 */

/** A value that names one instance of a task, with the word before it in the prompt ("PR", "#", "ticket"). */
export interface InstanceValue {
  value: string;
  kind: 'number' | 'version' | 'key';
  label: string;
}

/** A check with at most one parameter `{{v}}`, bound per task. */
export interface CheckTemplate {
  op: Check['op'];
  arg?: string | number | string[];
  /** The parameter: which value of a task's prompt fills `{{v}}`. */
  param?: { kind: InstanceValue['kind']; label: string };
  kind: CheckKind;
  /** The person's words the check was derived from. */
  source: string;
  /** What it checks, in words a person reads. */
  describe: string;
}

/** One answer a check was tried on, shortened. */
export interface AnswerRef {
  session: string;
  answer: string;
}

/** A check that passed grounding, with its evidence. */
export interface GroundedCheck extends CheckTemplate {
  passes: AnswerRef[];
  fails: AnswerRef[];
}

/** A candidate the grounding dropped, and why. */
export interface DroppedCheck {
  describe: string;
  source: string;
  reason: string;
}

/** The judge of a family: its grounded checks, what was dropped, and whether it can be trained on. */
export interface FamilyJudge {
  /** grounded: at least one check from the person's words survived; ungrounded: there were words but none survived;
   *  no-feedback: the family has no correction or acceptance to ground on (its tasks get a request rubric). */
  status: 'grounded' | 'ungrounded' | 'no-feedback';
  checks: GroundedCheck[];
  dropped: DroppedCheck[];
  /** Instances with both a corrected and an accepted answer (the evidence grounding ran on). */
  pairs: number;
  /** Instances whose accepted answer failed every candidate check (the instances disagree with the rest). */
  disagreeing: number;
}

const SNIPPET = 160;
const MAX_REFS = 6;
const NUMBER_WORDS = /(?<!\p{L})(?:number|nummer|numéro|número|numero|num|no\.|nr\.?|id|ref|reference|referenz|référence|referencia|referência|riferimento|link|#)(?!\p{L})/iu;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat;
}

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The instance values of a prompt, in order, each with the word before it. */
export function valuesOf(text: string): InstanceValue[] {
  const out: InstanceValue[] = [];
  const seen = new Set<string>();
  const labelBefore = (at: number) => {
    const before = text.slice(Math.max(0, at - 24), at);
    if (/#\s*$/.test(before)) return '#';
    return (/(\p{L}+)[\s:#-]*$/u.exec(before)?.[1] ?? '').toLowerCase();
  };
  const add = (value: string, kind: InstanceValue['kind'], at: number) => {
    if (seen.has(value)) return;
    seen.add(value);
    out.push({ value, kind, label: labelBefore(at) });
  };
  for (const m of text.matchAll(/\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b/g)) add(m[0], 'key', m.index);
  for (const m of text.matchAll(/\bv?(\d+\.\d+(?:\.\d+)+|\d+\.\d+)\b/g)) add(m[1] ?? m[0], 'version', m.index);
  // A number may end a sentence ("pull request 460. Summary: ..."); "4.2" is a version, read above.
  for (const m of text.matchAll(/(?<![\w.-])#?(\d{1,7})(?![\w-]|\.\d)/g)) {
    const value = m[1] ?? '';
    if (out.some((v) => v.value.includes(value))) continue;
    add(value, 'number', m.index + (m[0].startsWith('#') ? 1 : 0));
  }
  return out;
}

/** Labels that name a number as the instance's reference ("PR #12", "pull request 12", "issue 12", "ticket no. 12"). */
const REFERENCE_LABEL = /^(?:[#!]|pr|mr|request|issue|ticket)$/;

/** Is this label one that names a reference rather than a count or a thing's version ("Node 18")? */
function isReferenceLabel(label: string): boolean {
  return REFERENCE_LABEL.test(label) || NUMBER_WORDS.test(label);
}

/**
 * The value of a task's prompt that fills a parameter: same kind and same label first; else, for a parameter
 * labelled as a reference, a value labelled as one in another way ("PR #723" then "pull request 460"), not a
 * count that comes first ("Node 18"); else the first of that kind.
 */
export function bindValue(param: NonNullable<CheckTemplate['param']>, prompt: string): string | undefined {
  const values = valuesOf(prompt).filter((v) => v.kind === param.kind);
  const same = values.find((v) => v.label === param.label);
  if (same) return same.value;
  const reference = isReferenceLabel(param.label) ? values.find((v) => isReferenceLabel(v.label)) : undefined;
  return (reference ?? values[0])?.value;
}

/** A template bound to one task's prompt, or undefined when the prompt has no value for its parameter. */
export function bindCheck(template: CheckTemplate, prompt: string): Check | undefined {
  if (!template.param) return template.arg === undefined ? { op: template.op } : { op: template.op, arg: template.arg };
  const value = bindValue(template.param, prompt);
  if (value === undefined || typeof template.arg !== 'string') return undefined;
  const isPattern = template.op === 'regex' || template.op === 'not_regex';
  return { op: template.op, arg: template.arg.replaceAll('{{v}}', isPattern ? regexEscape(value) : value) };
}

/** Text of a directive with another instance's values replaced by this task's, or undefined when they cannot be. */
export function bindText(text: string, originPrompt: string, prompt: string): string | undefined {
  const origin = valuesOf(originPrompt);
  let out = text;
  for (const v of origin) {
    if (!out.includes(v.value)) continue;
    const bound = bindValue({ kind: v.kind, label: v.label }, prompt);
    if (bound === undefined) return undefined;
    out = out.replaceAll(v.value, bound);
  }
  return out;
}

/** The non-space run of an answer around a value ("(#516)"), trimmed of sentence punctuation after it. */
function tokenAround(answer: string, at: number, length: number): { token: string; start: number; end: number } {
  let start = at;
  while (start > 0 && !/\s/.test(answer[start - 1] as string)) start--;
  let end = at + length;
  while (end < answer.length && !/\s/.test(answer[end] as string)) end++;
  let token = answer.slice(start, end);
  const trailing = /[.,;:!?]+$/.exec(token.slice(at - start + length));
  if (trailing) {
    token = token.slice(0, token.length - trailing[0].length);
    end -= trailing[0].length;
  }
  return { token, start, end };
}

/**
 * Checks on where a value of the request sits in an accepted answer: at the end, at the start (past a
 * bullet), or anywhere, written the way the person accepted it ("(#516)"), with the value as a parameter.
 */
function valueTemplates(value: InstanceValue, accepted: string, source: string): CheckTemplate[] {
  const at = accepted.indexOf(value.value);
  if (at < 0) return [];
  const { token, start, end } = tokenAround(accepted, at, value.value.length);
  const offset = at - start;
  const literal = `${regexEscape(token.slice(0, offset))}{{v}}${regexEscape(token.slice(offset + value.value.length))}`;
  const shown = `${token.slice(0, offset)}N${token.slice(offset + value.value.length)}`;
  const param = { kind: value.kind, label: value.label };
  const who = value.label === '#' ? 'number' : `${value.label} ${value.kind}`.trim();
  const out: CheckTemplate[] = [];
  const rest = accepted.slice(end);
  if (/^[\s.,;:!?"'`*_]*$/.test(rest)) {
    out.push({ op: 'regex', arg: `/${literal}[\\s"'\\x60*_]*$/`, param, kind: 'content', source, describe: `ends with ${shown}, N this task's ${who}` });
  }
  const lead = accepted.slice(0, start);
  if (new RegExp(`^${ANSWER_SHAPE}$`).test(lead)) {
    out.push({ op: 'regex', arg: `/^${ANSWER_SHAPE}${literal}/`, param, kind: 'content', source, describe: `starts with ${shown}, N this task's ${who}` });
  }
  out.push({ op: 'regex', arg: `/${literal}/`, param, kind: 'content', source, describe: `contains ${shown}, N this task's ${who}` });
  return out;
}

/** A correction with the answer it was about. */
interface Correction {
  text: string;
  directives: string[];
  corrected?: string;
  /** The agent's next answer after the correction (what it changed in response). */
  revised?: string;
  session: string;
}

/** What grounding reads of one instance (one request). */
export interface GroundingInstance {
  prompt: string;
  session: string;
  accepted: string[];
  corrected: string[];
  corrections: Correction[];
}

/** An instance's corrections (with the answer each was about) and its accepted and corrected answers. */
export function groundingInstance(member: MemberRecord): GroundingInstance {
  const answers = member.answers ?? [];
  const corrections: Correction[] = [];
  for (const line of member.evidence) {
    if (line.kind !== 'correction' && line.kind !== 're-ask') continue;
    const about = [...answers].reverse().find((a) => a.promptIndex < line.promptIndex);
    const directives = member.evidence.filter((e) => e.kind === 'directive' && e.promptIndex === line.promptIndex).map((e) => e.text);
    const revised = answers.find((a) => a.promptIndex >= line.promptIndex);
    corrections.push({ text: line.text, directives, ...(about && about.verdict === 'corrected' ? { corrected: about.text } : {}), ...(revised ? { revised: revised.text } : {}), session: member.sessionId });
  }
  return {
    prompt: member.prompt,
    session: member.sessionId,
    accepted: answers.filter((a) => a.verdict === 'accepted').map((a) => a.text),
    corrected: answers.filter((a) => a.verdict === 'corrected').map((a) => a.text),
    corrections,
  };
}

function passes(check: Check, answer: string): boolean {
  return runChecks([check], { response: answer, toolCalls: [] }).hard === 1;
}

interface Candidate {
  template: CheckTemplate;
  /** The corrected answers the words that produced it were about, with the instance's prompt to bind on. */
  about: Array<{ prompt: string; answer: string; session: string }>;
  /** True when only revisions proposed it (no words named it): it must be seen in two requests or more. */
  fromRevisionsOnly: boolean;
  /** The requests whose revisions showed it. */
  revisedIn: Set<string>;
}

/** Requests a rule read only from revisions must be seen in before it is tried (one revision can change a period by chance). */
const MIN_REVISIONS = 2;

function keyOf(t: CheckTemplate): string {
  return JSON.stringify([t.op, t.arg ?? null, t.param ?? null]);
}

/** Accepted answers of other instances, their own value of this kind swapped for this instance's (to learn the shape). */
function acceptedElsewhere(instances: readonly GroundingInstance[], self: GroundingInstance, value: InstanceValue): string[] {
  const out: string[] = [];
  for (const other of instances) {
    if (other === self || out.length >= 2) continue;
    const theirs = bindValue({ kind: value.kind, label: value.label }, other.prompt);
    if (theirs === undefined) continue;
    for (const answer of other.accepted) if (answer.includes(theirs)) out.push(answer.replaceAll(theirs, value.value));
  }
  return out;
}

/** A derived check as a candidate template, with the person's words it answers as its source. */
function templateOf(derived: DerivedCheck, source: string): CheckTemplate {
  return { op: derived.check.op, ...(derived.check.arg === undefined ? {} : { arg: derived.check.arg }), kind: derived.kind, source, describe: describeCheck(derived.check) };
}

/** Candidate checks from every correction of the family: the rule lexicon, and values the person named. */
function candidates(instances: readonly GroundingInstance[]): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  const add = (template: CheckTemplate, instance: GroundingInstance, correction: Correction, fromRevision = false) => {
    const key = keyOf(template);
    const entry = out.get(key) ?? { template, about: [], fromRevisionsOnly: fromRevision, revisedIn: new Set<string>() };
    if (!fromRevision) entry.fromRevisionsOnly = false;
    else entry.revisedIn.add(`${instance.session}\n${instance.prompt}`);
    if (correction.corrected !== undefined && !entry.about.some((a) => a.session === instance.session && a.answer === correction.corrected)) entry.about.push({ prompt: instance.prompt, answer: correction.corrected, session: instance.session });
    out.set(key, entry);
  };
  for (const instance of instances) {
    const values = valuesOf(instance.prompt);
    for (const correction of instance.corrections) {
      const words = [correction.text, ...correction.directives];
      for (const directive of new Set(words)) {
        for (const derived of checksFromDirective(directive)) {
          add(templateOf(derived, correction.text), instance, correction);
        }
      }
      // A value the person named, or named by its label ("the PR number"), placed as in the answers they accepted.
      const lower = correction.text.toLowerCase();
      for (const value of values) {
        const named = lower.includes(value.value.toLowerCase()) || (value.label.length > 1 && new RegExp(`(?<!\\p{L})${regexEscape(value.label)}(?!\\p{L})`, 'iu').test(lower)) || (value.kind === 'number' && NUMBER_WORDS.test(lower));
        if (!named) continue;
        const shapes = instance.accepted.length > 0 ? instance.accepted : acceptedElsewhere(instances, instance, value);
        for (const accepted of shapes.slice(0, 3)) for (const template of valueTemplates(value, accepted, correction.text)) add(template, instance, correction);
      }
      // What the agent changed in answer to the words, in any language: a rule the corrected answer broke and its
      // revision keeps, or a value of the request the revision added. Grounding below then asks every accepted
      // answer of the family to agree.
      const { corrected, revised } = correction;
      if (corrected === undefined || revised === undefined) continue;
      for (const rule of ANSWER_RULES) {
        if (!passes(rule.check, corrected) && passes(rule.check, revised)) {
          add(templateOf(rule, correction.text), instance, correction, true);
        }
      }
      for (const value of values) {
        if (corrected.includes(value.value) || !revised.includes(value.value)) continue;
        for (const template of valueTemplates(value, revised, correction.text)) add(template, instance, correction, true);
      }
    }
  }
  for (const [key, candidate] of out) if (candidate.fromRevisionsOnly && candidate.revisedIn.size < MIN_REVISIONS) out.delete(key);
  return out;
}

/** A check in a person's words. */
export function describeCheck(check: Check): string {
  const arg = check.arg === undefined ? '' : typeof check.arg === 'string' ? check.arg : JSON.stringify(check.arg);
  if (check.op === 'not_regex' && /\(\?:ed\|ing\)/.test(arg)) return 'the first word is not past tense or a gerund (imperative mood)';
  if (check.op === 'not_regex' && arg.startsWith('/\\.$')) return 'does not end with a period';
  return arg === '' ? check.op : `${check.op} ${arg}`;
}

/**
 * Ground the candidate checks of a family on its answers: a check survives when it passes every accepted
 * answer (bound to that answer's own request) and fails every corrected answer the words it came from were
 * about. Returns the family judge with evidence for each check and a reason for each dropped one. Pure.
 */
export function groundFamily(members: readonly MemberRecord[]): FamilyJudge {
  const instances = members.map(groundingInstance);
  const pairs = instances.filter((i) => i.accepted.length > 0 && i.corrected.length > 0).length;
  const withWords = instances.some((i) => i.corrections.length > 0);
  const withAccepted = instances.filter((i) => i.accepted.length > 0);
  if (!withWords || withAccepted.length === 0) {
    const status = withWords ? 'ungrounded' : 'no-feedback';
    const dropped = withWords ? [{ describe: 'every check', source: instances.flatMap((i) => i.corrections.map((c) => c.text))[0] ?? '', reason: 'no answer the person accepted: nothing to ground a check on' }] : [];
    return { status, checks: [], dropped, pairs, disagreeing: 0 };
  }
  const checks: GroundedCheck[] = [];
  const dropped: DroppedCheck[] = [];
  const failedAccepted = new Map<GroundingInstance, number>();
  let tried = 0;
  for (const { template, about } of candidates(instances).values()) {
    if (validateChecks([{ op: template.op, ...(template.arg === undefined ? {} : { arg: template.arg }) }].map((c) => (template.param ? { ...c, arg: String(c.arg).replaceAll('{{v}}', '1') } : c)), { shapeWarning: false }).errors.length > 0) continue;
    tried++;
    const passRefs: AnswerRef[] = [];
    let failure: string | undefined;
    for (const instance of withAccepted) {
      const bound = bindCheck(template, instance.prompt);
      if (!bound) continue;
      for (const answer of instance.accepted) {
        if (passes(bound, answer)) passRefs.push({ session: instance.session, answer: snippet(answer) });
        else {
          failedAccepted.set(instance, (failedAccepted.get(instance) ?? 0) + 1);
          failure ??= `fails an answer the person accepted (${instance.session}: ${JSON.stringify(snippet(answer))})`;
        }
      }
    }
    const failRefs: AnswerRef[] = [];
    for (const target of about) {
      const bound = bindCheck(template, target.prompt);
      if (!bound) continue;
      if (passes(bound, target.answer)) failure ??= `passes the answer the person corrected with these words (${target.session}: ${JSON.stringify(snippet(target.answer))})`;
      else failRefs.push({ session: target.session, answer: snippet(target.answer) });
    }
    if (failure === undefined && passRefs.length === 0) failure = 'no accepted answer to try it on';
    if (failure === undefined && failRefs.length === 0) failure = 'no corrected answer it fails';
    if (failure !== undefined) dropped.push({ describe: template.describe, source: template.source, reason: failure });
    else checks.push({ ...template, passes: passRefs.slice(0, MAX_REFS), fails: failRefs.slice(0, MAX_REFS) });
  }
  const disagreeing = tried === 0 ? 0 : withAccepted.filter((i) => (failedAccepted.get(i) ?? 0) >= tried).length;
  return { status: checks.length > 0 ? 'grounded' : 'ungrounded', checks: preferSpecific(checks), dropped, pairs, disagreeing };
}

/** Of several placements of one value that all ground, keep the most specific (end or start over anywhere). */
function preferSpecific(checks: readonly GroundedCheck[]): GroundedCheck[] {
  // One pattern found through two labels ("PR 512", "#512") is one check.
  const seen = new Set<string>();
  const unique = checks.filter((c) => {
    const key = JSON.stringify([c.op, c.arg ?? null, c.param?.kind ?? null]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.filter((c) => {
    if (!c.param || !c.describe.startsWith('contains ')) return true;
    return !unique.some((o) => o !== c && o.param?.kind === c.param?.kind && o.param?.label === c.param?.label && !o.describe.startsWith('contains '));
  });
}

/**
 * Ground checks a model proposed for one task the same way: a value of this task's prompt in a check becomes a
 * parameter, and the check is kept only when it passes every accepted answer of the family (bound to each one's
 * request) and fails at least one corrected answer. Pure.
 */
export function groundProposedChecks(checks: readonly Check[], members: readonly MemberRecord[], member: MemberRecord): { kept: Check[]; dropped: DroppedCheck[] } {
  const instances = members.map(groundingInstance);
  const values = valuesOf(member.prompt);
  const kept: Check[] = [];
  const dropped: DroppedCheck[] = [];
  for (const check of checks) {
    let template: CheckTemplate = { op: check.op, ...(check.arg === undefined ? {} : { arg: check.arg }), kind: 'content', source: 'the model miner', describe: describeCheck(check) };
    if (typeof check.arg === 'string') {
      const isPattern = check.op === 'regex' || check.op === 'not_regex';
      const value = values.find((v) => check.arg !== undefined && String(check.arg).includes(isPattern ? regexEscape(v.value) : v.value));
      if (value) template = { ...template, arg: String(check.arg).replaceAll(isPattern ? regexEscape(value.value) : value.value, '{{v}}'), param: { kind: value.kind, label: value.label } };
    }
    let reason: string | undefined;
    let passed = 0;
    let failed = 0;
    for (const instance of instances) {
      const bound = bindCheck(template, instance.prompt);
      if (!bound) continue;
      for (const answer of instance.accepted) {
        if (passes(bound, answer)) passed++;
        else reason ??= `fails an answer the person accepted (${instance.session}: ${JSON.stringify(snippet(answer))})`;
      }
      for (const answer of instance.corrected) if (!passes(bound, answer)) failed++;
    }
    if (reason === undefined && passed === 0) reason = 'no accepted answer to try it on';
    if (reason === undefined && failed === 0) reason = 'passes every answer the person corrected';
    if (reason !== undefined) dropped.push({ describe: template.describe, source: template.source, reason });
    else kept.push(check);
  }
  return { kept, dropped };
}

/** A rubric with the values of the family's other instances replaced by this task's own (or its line dropped). */
export function bindRubric(rubric: string, members: readonly MemberRecord[], member: MemberRecord): string {
  const own = new Set(valuesOf(member.prompt).map((v) => v.value));
  const lines: string[] = [];
  for (const line of rubric.split('\n')) {
    let out: string | undefined = line;
    for (const other of members) {
      if (other === member || out === undefined) continue;
      for (const v of valuesOf(other.prompt)) {
        if (own.has(v.value) || !new RegExp(`(?<![\\w.])#?${regexEscape(v.value)}(?![\\w])`).test(out ?? '')) continue;
        out = bindText(out ?? '', other.prompt, member.prompt);
        break;
      }
    }
    if (out !== undefined) lines.push(out);
  }
  return lines.join('\n');
}
