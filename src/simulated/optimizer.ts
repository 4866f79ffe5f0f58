import { createRng, seedFrom, type Rng } from '../core/rng.js';
import { shortHash } from '../core/hash.js';
import { estimateTokens, type ChatRequest, type ChatResponse, type ModelBackend } from '../models/types.js';
import { SECTION } from '../train/render.js';
import { DIAGNOSES, HARMFUL_EDITS, USELESS_EDITS, type Diagnosis } from './diagnoses.js';
import { simulatedMine } from './miner.js';
import { REFERENCE_IN_REQUEST, scopedLine, scopeOf, scopeReaches, type Scope } from './behaviours.js';

/** Behaviour knobs of the simulated optimizer. */
/**
 * The simulated optimizer's model id, versioned with its behaviour: the replay cache keys on the model, so a
 * changed optimizer never serves a night the reflections an older one wrote (2: draws keyed by request, scoping
 * by the answer's words, rules extended rather than moved).
 */
export const SIMULATED_OPTIMIZER_MODEL = 'sim-optimizer-2';

export interface SimulatedOptimizerOptions {
  seed: number;
  /** Probability that a reflection adds a plausible but useless edit. */
  uselessRate: number;
  /** Probability that a reflection proposes a harmful alternative (or a harmful edit) instead of the fix. */
  harmfulRate: number;
  model?: string;
}

/** A parsed trajectory: only what the rendered prompt shows. */
interface SeenTrajectory {
  id: string;
  task: string;
  response: string;
  feedback: string[];
}

/**
 * The offline optimizer. It reads only the rendered prompt (current skill, rejected edits, trajectories
 * with judge feedback) and replies in the same JSON schema a real optimizer must use, so the real parser,
 * merge, clip, patch and gate code runs on its output. It sometimes proposes useless or harmful edits.
 */
export function createSimulatedOptimizer(options: SimulatedOptimizerOptions): ModelBackend {
  const model = options.model ?? SIMULATED_OPTIMIZER_MODEL;
  // How often each exact request was seen: a repeat draws afresh, as a sampled model answers again, but the draw
  // never depends on the order concurrent requests arrive in (a global call counter would make a night's edits
  // depend on scheduling, and the same night give different skills run to run).
  const seen = new Map<string, number>();
  return {
    backend: 'simulated',
    model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      if (request.signal?.aborted) throw request.signal.reason ?? new Error('aborted');
      const key = shortHash(`${request.sampleIndex ?? 0}\u0000${request.system}\u0000${request.user}`);
      const repeat = (seen.get(key) ?? 0) + 1;
      seen.set(key, repeat);
      const rng = createRng(seedFrom(options.seed, request.user, request.sampleIndex ?? 0, repeat));
      const text = answer(request, rng, options);
      return {
        text,
        backend: 'simulated',
        model: request.model ?? model,
        // Offline and free: a known price of zero, so cost budgets work with the simulator.
        costUsd: 0,
        usage: { input: estimateTokens(request.system) + estimateTokens(request.user), output: estimateTokens(text), estimated: true },
      };
    },
  };
}

/**
 * Over the wire (an OpenAI-compatible server in tests) no purpose travels with the request; like a real
 * model, the simulator then tells its job from the system text.
 */
function purposeOf(request: ChatRequest): ChatRequest['purpose'] {
  if (request.purpose) return request.purpose;
  const s = request.system;
  if (s.startsWith('You improve a Markdown skill file')) return 'reflect';
  if (s.includes('epoch-level advisor')) return 'slow_update';
  if (s.startsWith('You coach the optimizer')) return 'meta';
  if (s.startsWith('You mine replay tasks')) return 'mine';
  if (/grader|rubric/i.test(s)) return 'judge';
  return undefined;
}

function answer(request: ChatRequest, rng: Rng, options: SimulatedOptimizerOptions): string {
  switch (purposeOf(request)) {
    case 'reflect':
      return reflect(request.user, rng, options);
    case 'slow_update':
      return slowUpdate(request.user);
    case 'meta':
      return metaNotes(request.user);
    case 'judge':
      return judgeRubric(request.user);
    case 'mine':
      return simulatedMine(request);
    default:
      return JSON.stringify({ reasoning: 'nothing to do', edits: [] });
  }
}

function section(text: string, heading: string): string {
  const start = text.indexOf(heading);
  if (start < 0) return '';
  const rest = text.slice(start + heading.length);
  const next = rest.search(/\n## /);
  return next < 0 ? rest : rest.slice(0, next);
}

function currentSkill(prompt: string): string {
  const body = section(prompt, SECTION.skill);
  const m = /<skill>\n([\s\S]*?)\n<\/skill>/.exec(body);
  return m?.[1] ?? '';
}

function parseTrajectories(text: string): SeenTrajectory[] {
  const out: SeenTrajectory[] = [];
  for (const block of text.split(/\n### Trajectory \d+ /).slice(1)) {
    const id = /^\(id=([^)]*)\)/.exec(block)?.[1] ?? '?';
    const task = /Task: <<<\n([\s\S]*?)\n>>>/.exec(block)?.[1] ?? '';
    const response = /Response: <<<\n([\s\S]*?)\n>>>/.exec(block)?.[1] ?? '';
    // Only the current attempt's findings (a slow-update prompt quotes the previous skill's after them).
    const fb = (block.split('Judge feedback:')[1] ?? '').split('\nUnder the previous skill:')[0] ?? '';
    const feedback = fb
      .split('\n')
      .filter((l) => l.startsWith('- ') && !l.includes('(all checks passed)'))
      .map((l) => l.slice(2));
    out.push({ id, task, response, feedback });
  }
  return out;
}

/** Edits the prompt says were rejected: this run's buffer, the memory of earlier nights, and edits quoted in the optimizer notes. */
function rejectedTexts(prompt: string): Set<string> {
  const body = `${section(prompt, SECTION.rejected)}\n${section(prompt, SECTION.memory)}`;
  const out = new Set<string>();
  for (const m of section(prompt, SECTION.meta).matchAll(/"([^"\n]{8,200})"/g)) out.add(m[1] ?? '');
  for (const m of body.matchAll(/^\d+\. \[[a-z_]+\](?: anchor="(?:[^"\\]|\\.)*")? ("(?:[^"\\]|\\.)*")(?: \(.*\))?$/gm)) {
    try {
      out.add(String(JSON.parse(m[1] ?? '""')));
    } catch {
      // an unreadable line is just not remembered
    }
  }
  return out;
}

interface Finding {
  diagnosis: Diagnosis;
  feedback: string;
  evidence: Set<string>;
  prompts: string[];
}

const STOPWORDS = new Set('that this with from have what your about were they them then than into only also just some more most much very will would could should there their which while where does make give write tell show please want need like know right'.split(' '));

/** Words of a prompt a scope could name: lower-case letter runs of 4+, split at hyphens and other marks. */
function scopeWords(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}[\p{L}\d]{3,}/gu) ?? []).filter((w) => !STOPWORDS.has(w));
}

/**
 * A keyword that tells the evidence prompts from the other trajectories of the batch: every evidence prompt
 * has it and no other trajectory does. With no other trajectory to tell them from, or no such word, there is
 * no ground for a scope and the instruction applies to every task. Of several shared by two or more failures,
 * the longest (a name of the kind of work rather than a phrasing word), then the first in the first prompt.
 * An instruction learnt from commit-message failures is then scoped to commit messages, not every task.
 */
export function scopeKeyword(evidence: readonly string[], others: readonly string[], answers: readonly string[] = [], finding = '', opts: { alone?: boolean } = {}): string | null {
  const [first, ...rest] = evidence;
  // Alone: the rule was turned down for every task, so it is narrowed to what the failing requests share even
  // with nothing in the batch to tell them from.
  if (first === undefined || (others.length === 0 && !opts.alone)) return null;
  const within = rest.map((p) => new Set(scopeWords(p)));
  const outside = new Set(others.flatMap(scopeWords));
  const candidates = [...new Set(scopeWords(first))].filter((w) => !outside.has(w) && within.every((s) => s.has(w)));
  // A word the failing answers repeat from their requests ("miles") names what they fail on; one the judge's
  // finding names as well (a check against "miles?|feet") is what the rule is about, even from one failure.
  const answered = answers.map((a) => new Set(scopeWords(a)));
  const named = answered.length > 0 ? candidates.filter((w) => answered.every((s) => s.has(w))) : [];
  const asked = new Set(scopeWords(requirementOf(finding)));
  const checked = named.filter((w) => asked.has(w));
  const longest = (words: readonly string[]) => words.reduce<string | null>((best, w) => (best === null || w.length > best.length ? w : best), null);
  if (checked.length > 0) return longest(checked);
  // One failure says little about which of its words names the kind of task: its first one that tells it apart.
  if (rest.length === 0) return candidates[0] ?? null;
  return longest(named.length > 0 ? named : candidates);
}

/**
 * The scope of a rule learnt from these failures: requests that give a PR reference when every failing request
 * gives one and no other trajectory does (what the request carries holds across its phrasings, a word of one
 * phrasing does not), else the keyword `scopeKeyword` finds, else none.
 */
export function scopeFor(evidence: readonly string[], others: readonly string[], answers: readonly string[] = [], finding = '', opts: { alone?: boolean } = {}): Scope | null {
  if (evidence.length === 0 || (others.length === 0 && !opts.alone)) return null;
  if (evidence.every((p) => REFERENCE_IN_REQUEST.test(p)) && !others.some((p) => REFERENCE_IN_REQUEST.test(p))) return { kind: 'reference' };
  const word = scopeKeyword(evidence, others, answers, finding, opts);
  return word === null ? null : { kind: 'word', word };
}

/**
 * The instruction lines of a skill that already say what a diagnosis asks, and whether they reach every
 * evidence prompt: an unscoped line does, a scoped one only prompts that mention its keyword.
 */
function coverage(lines: readonly string[], present: RegExp, prompts: readonly string[]): { said: boolean; uncovered: string[] } {
  const saying = lines.filter((l) => present.test(l));
  const reaches = (prompt: string) => saying.some((l) => scopeReaches(scopeOf(l), prompt));
  return { said: saying.length > 0, uncovered: prompts.filter((p) => !reaches(p)) };
}

/** The part of a judge feedback line that says what was required, without the excerpt of the answer it quotes. */
export function requirementOf(line: string): string {
  const cut = line.search(/ but it |; it starts with /);
  return cut < 0 ? line : line.slice(0, cut);
}

/** Group feedback lines by the diagnosis that explains them. */
function diagnose(trajectories: readonly SeenTrajectory[]): Finding[] {
  const findings = new Map<string, Finding>();
  for (const t of trajectories) {
    for (const line of t.feedback) {
      // Read what the check asks before what the answer showed: "must match /\(#512\)$/ but ... starts with
      // "- Fixed"" is about the reference, not the verb the quoted answer happens to open with.
      const asked = requirementOf(line);
      const d = DIAGNOSES.find((x) => x.evidence.test(asked)) ?? DIAGNOSES.find((x) => x.evidence.test(line));
      if (!d) continue;
      const f = findings.get(d.id) ?? { diagnosis: d, feedback: line, evidence: new Set<string>(), prompts: [] };
      if (!f.evidence.has(t.id)) f.prompts.push(t.task);
      f.evidence.add(t.id);
      findings.set(d.id, f);
    }
  }
  return [...findings.values()].sort((a, b) => b.evidence.size - a.evidence.size);
}

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[rng.int(items.length)] as T;
}

interface ProposedEditJson {
  op: string;
  anchor?: string;
  content?: string;
  rationale: string;
  evidence: string[];
}

function reflect(prompt: string, rng: Rng, options: SimulatedOptimizerOptions): string {
  const skill = currentSkill(prompt);
  const budget = Number(/Propose at most (\d+) edits/.exec(prompt)?.[1] ?? 4);
  const rejected = rejectedTexts(prompt);
  const failures = prompt.includes(SECTION.failed);
  const trajectories = parseTrajectories(section(prompt, failures ? SECTION.failed : SECTION.succeeded));
  const edits: ProposedEditJson[] = [];
  const lines = skill.split('\n');
  if (failures) {
    for (const finding of diagnose(trajectories)) {
      if (edits.length >= budget) break;
      const d = finding.diagnosis;
      // Said already, for every prompt that shows the failure: nothing to add. Said only under a scope some of
      // them lack: the rule reaches further than the scope, so say it for those too.
      const { said, uncovered } = coverage(lines, d.present, finding.prompts);
      if (uncovered.length === 0) continue;
      const tempted = d.harmfulAlternative !== undefined && !rejected.has(d.harmfulAlternative) && rng.next() < options.harmfulRate * 2;
      const others = trajectories.filter((t) => !finding.evidence.has(t.id)).map((t) => t.task);
      const answers = trajectories.filter((t) => finding.evidence.has(t.id) && uncovered.includes(t.task)).map((t) => t.response);
      // The same rule for every task was tried and turned down: it may still hold for the kind of request that
      // fails, so it is said again narrowed to a word those requests share (the held-out gate decides).
      const turnedDown = [...rejected].some((r) => d.present.test(r) && scopeOf(r) === null);
      // A rule that names what it converts needs no scope until the gate has turned it down for every task; nor does
      // one the skill says for one kind of request that fails on another too: it holds beyond that kind.
      const widen = said && !turnedDown;
      const scoped = tempted || d.selfLimiting || widen ? null : scopeFor(uncovered, others, answers, finding.feedback);
      const scope = scoped ?? (!tempted && turnedDown ? scopeFor(uncovered, others, answers, finding.feedback, { alone: true }) : null);
      const candidates = tempted && d.harmfulAlternative ? [d.harmfulAlternative] : d.instructions(finding.feedback).filter((c) => !rejected.has(scopedLine(scope, c)));
      if (candidates.length === 0) continue;
      const instruction = pick(candidates, rng);
      const content = scopedLine(scope, instruction);
      if (rejected.has(content)) continue;
      const evidence = [...finding.evidence];
      // A line that asks the opposite is replaced; one that says this rule already (under another scope: "do not
      // end the subject line with a period" for commits) is no conflict, and replacing it would move the rule away
      // from the tasks it serves instead of extending it.
      const conflictLine = d.conflict ? lines.find((l) => d.conflict?.test(l) && !d.present.test(l)) : undefined;
      const rationale = `${finding.evidence.size} failure(s) share this judge finding${said ? ' outside the scope the skill gives it' : ''}: ${finding.feedback.slice(0, 160)}`;
      if (conflictLine) edits.push({ op: 'replace', anchor: conflictLine, content, rationale, evidence });
      else {
        const heading = lines.find((l) => /^#{2,3} (?:Output|Format|Style|Rules|Conventions)/i.test(l));
        if (heading && rng.next() < 0.5) edits.push({ op: 'insert_after', anchor: heading, content, rationale, evidence });
        else edits.push({ op: 'append', content, rationale, evidence });
      }
    }
  }
  if (rng.next() < options.harmfulRate) {
    const harmful = pick(HARMFUL_EDITS, rng);
    if (!rejected.has(harmful)) edits.push({ op: 'append', content: harmful, rationale: 'answers look overloaded; simplify them', evidence: trajectories.slice(0, 2).map((t) => t.id) });
  }
  if (rng.next() < options.uselessRate) {
    const useless = pick(USELESS_EDITS, rng);
    if (!rejected.has(useless) && !skill.includes(useless)) edits.push({ op: 'append', content: useless, rationale: 'general care', evidence: trajectories.slice(0, 1).map((t) => t.id) });
  }
  const summary = failures ? `${trajectories.length} failures reviewed` : `${trajectories.length} successes reviewed`;
  // Real models wrap JSON in prose or fences now and then; the parser must cope.
  const json = JSON.stringify({ summary, edits: edits.slice(0, budget) }, null, 2);
  const style = rng.int(4);
  return style === 0 ? `Here is my analysis.\n\n\`\`\`json\n${json}\n\`\`\`\n` : style === 1 ? `${json}\n\nThese edits address the shared failures.` : json;
}

function slowUpdate(prompt: string): string {
  const skill = currentSkill(prompt);
  const comparison = section(prompt, SECTION.comparison);
  const wanted = ['### regressed', '### persistent_fail']
    .map((h) => {
      const start = comparison.indexOf(h);
      if (start < 0) return '';
      const rest = comparison.slice(start + h.length);
      const next = rest.search(/\n### (?:regressed|persistent_fail|improved|stable_success) /);
      return next < 0 ? rest : rest.slice(0, next);
    })
    .join('\n');
  const findings = diagnose(parseTrajectories(wanted)).filter((f) => !f.diagnosis.present.test(skill));
  const guidance = findings
    .slice(0, 3)
    .map((f) => `- ${f.diagnosis.instructions(f.feedback)[0] ?? ''}`)
    .join('\n');
  return JSON.stringify({ reasoning: `${findings.length} recurring failure kinds remain`, guidance });
}

function metaNotes(prompt: string): string {
  const rejected = [...rejectedTexts(prompt)];
  const notes = rejected.length === 0 ? 'No edit was rejected; keep proposing narrow, evidence-backed format rules.' : `These edits lowered or did not raise the held-out score; do not propose them again: ${rejected.map((r) => JSON.stringify(r)).join('; ')}.`;
  return JSON.stringify({ notes });
}

/** Rubric grading by key-term coverage: what a weak but honest judge does. */
function judgeRubric(prompt: string): string {
  const rubric = /rubric[^\n]*\n([\s\S]*?)(?:\n\n|\n#|$)/i.exec(prompt)?.[1] ?? '';
  const responseMatch = /<<<\n?([\s\S]*?)\n?>>>/.exec(prompt) ?? /<response>\n?([\s\S]*?)\n?<\/response>/i.exec(prompt);
  const response = (responseMatch?.[1] ?? '').toLowerCase();
  const quoted = [...rubric.matchAll(/"([^"]+)"/g)].map((m) => (m[1] ?? '').toLowerCase());
  const terms = quoted.length > 0 ? quoted : [...new Set(rubric.toLowerCase().match(/[a-z][a-z0-9-]{4,}/g) ?? [])];
  const hit = terms.filter((t) => response.includes(t)).length;
  const score = terms.length === 0 ? 0.5 : hit / terms.length;
  return JSON.stringify({ score: Number(score.toFixed(3)), reason: `${hit} of ${terms.length} rubric points present` });
}
