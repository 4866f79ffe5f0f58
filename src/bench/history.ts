import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRng, seedFrom, type Rng } from '../core/rng.js';

/**
 * Histories of several people for the mine-loop benchmark: recurring families answered wrongly first and then
 * corrected in the person's own varying words (drawn from a phrasing file), one-offs, slash commands, new
 * requests in follow-up position, in Claude Code, Codex and Copilot CLI files. The generator knows the true
 * rules of each family and keeps future instances for scoring; the miner sees only the transcripts.
 */

/** A phrasing file (fixtures/mine-loop/phrasings-*.json). */
export interface Phrasings {
  requests: Record<FamilyKind, string[]>;
  corrections: Record<Rule, string[]>;
  openers: string[];
  joiners: string[];
  standing: string[];
  praise: string[];
  clarify: string[];
  oneoffs: string[];
  next: string[];
}

export type FamilyKind = 'changelog' | 'commit' | 'trip';
export type Rule = 'imperative' | 'reference' | 'period' | 'metric';

/** The rules each kind of family has (what the person wants; the miner never sees this). */
export const FAMILY_RULES: Record<FamilyKind, Rule[]> = {
  changelog: ['imperative', 'reference', 'period'],
  commit: ['imperative', 'period'],
  trip: ['metric'],
};

/** One request of a family: what it is about and the plain answer an untrained agent gives. */
export interface Instance {
  kind: FamilyKind;
  prompt: string;
  n: number;
  plain: string;
}

/** A person's turn with its true role, for measuring follow-up classification. */
export interface LabelledTurn {
  text: string;
  role: 'task' | 'follow-up';
}

/** What the generator wrote for one person. */
export interface History {
  person: string;
  families: FamilyKind[];
  /** Sessions: id and its labelled turns. */
  sessions: Array<{ id: string; source: 'claude-code' | 'codex' | 'copilot-cli'; turns: LabelledTurn[]; kind?: FamilyKind }>;
  /** Requests after the history window, per family: scored with the true rules. */
  future: Record<string, Instance[]>;
}

const CHANGES: Array<[string, string]> = [
  ['Added', 'CSV export to the reports page'], ['Fixed', 'the login redirect loop'], ['Updated', 'the billing email template'],
  ['Removed', 'the legacy upload endpoint'], ['Improved', 'search ranking for short queries'], ['Renamed', 'the settings panel to Preferences'],
  ['Moved', 'the audit log to its own table'], ['Dropped', 'support for Node 18'], ['Bumped', 'the parser to version 4'],
  ['Handled', 'empty carts at checkout'], ['Implemented', 'dark mode for the dashboard'], ['Documented', 'the webhook retry policy'],
  ['Fixed', 'a race in the job scheduler'], ['Added', 'rate limits to the public API'], ['Updated', 'the onboarding checklist'],
  ['Removed', 'unused feature flags'], ['Improved', 'error messages on failed payments'], ['Added', 'a retry to the S3 uploader'],
  ['Fixed', 'timezone handling in reports'], ['Moved', 'the cron jobs to the worker'], ['Implemented', 'SSO for enterprise accounts'],
  ['Renamed', 'the beta flag to preview'], ['Handled', 'expired tokens on refresh'], ['Documented', 'the deploy checklist'],
  ['Bumped', 'the TLS library'], ['Dropped', 'the old avatar sizes'], ['Added', 'pagination to the audit view'], ['Fixed', 'a memory leak in the image cache'],
];
const BASE: Record<string, string> = { Added: 'Add', Fixed: 'Fix', Updated: 'Update', Removed: 'Remove', Improved: 'Improve', Renamed: 'Rename', Moved: 'Move', Dropped: 'Drop', Bumped: 'Bump', Handled: 'Handle', Implemented: 'Implement', Documented: 'Document' };
const PLACES = ['Kestrel Ridge', 'Harbor Loop', 'Aspen Gap', 'Miller Falls', 'Cedar Point', 'Fox Hollow', 'Blue Mesa', 'Lark Hill', 'Stone Creek', 'Otter Bay'];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)] as T;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

function round1(x: number): string {
  return String(Number(x.toFixed(1)));
}

/** The true rules, applied: how the person wants the answer. */
export function applyRules(text: string, rules: readonly Rule[], instance: Instance): string {
  let out = text;
  if (rules.includes('imperative')) out = out.replace(/^(\s*(?:- )?)([A-Z][a-z]+)/, (m, lead: string, verb: string) => (BASE[verb] ? lead + BASE[verb] : m));
  if (rules.includes('metric')) {
    out = out.replace(/(\d+(?:\.\d+)?) miles/g, (_m, n: string) => `${round1(Number(n) * 1.609344)} km`).replace(/(\d+(?:\.\d+)?) feet/g, (_m, n: string) => `${round1(Number(n) * 0.3048)} m`);
  }
  if (rules.includes('reference')) out = out.replace(/(\.?)\s*$/, (_m, dot: string) => ` (#${instance.n})${dot}`);
  if (rules.includes('period')) out = out.replace(/\.\s*$/, '');
  return out;
}

/** Does an answer follow every true rule of its family? */
export function followsRules(answer: string, instance: Instance): boolean {
  const text = answer.trim();
  const rules = FAMILY_RULES[instance.kind];
  const first = /^(?:- )?([A-Za-z]+)/.exec(text)?.[1] ?? '';
  if (rules.includes('imperative') && !Object.values(BASE).includes(first)) return false;
  if (rules.includes('reference') && !text.endsWith(`(#${instance.n})`)) return false;
  if (rules.includes('period') && text.endsWith('.')) return false;
  if (rules.includes('metric') && /\b(?:miles?|feet|ft|mi)\b/.test(text)) return false;
  return true;
}

function makeInstance(kind: FamilyKind, rng: Rng, phrasings: Phrasings, index: number): Instance {
  const [past, object] = CHANGES[(index * 7 + rng.int(CHANGES.length)) % CHANGES.length] as [string, string];
  const n = 400 + rng.int(600);
  const place = pick(rng, PLACES);
  const miles = 3 + rng.int(25);
  const feet = 200 + 100 * rng.int(30);
  const what = `${(BASE[past] ?? past).toLowerCase()} ${object}`;
  const values = { n: String(n), what, What: what.charAt(0).toUpperCase() + what.slice(1), what_past: `${past.toLowerCase()} ${object}`, place, miles: String(miles), feet: String(feet) };
  const prompt = fill(pick(rng, phrasings.requests[kind]), values);
  const plain = kind === 'changelog' ? `- ${past} ${object}.` : kind === 'commit' ? `${past} ${object}.` : `The ${place} route was ${miles} miles long with ${feet} feet of climbing.`;
  return { kind, prompt, n, plain };
}

/** One session as a list of turns: the person's text and the agent's answer. */
interface SessionPlan {
  id: string;
  source: 'claude-code' | 'codex' | 'copilot-cli';
  start: number;
  /** The recurring family its first request belongs to (none for a one-off). */
  kind?: FamilyKind;
  turns: Array<{ user: string; answer: string; role: 'task' | 'follow-up'; command?: { name: string; args: string } }>;
}

function correctionText(rng: Rng, phrasings: Phrasings, rules: readonly Rule[], instance: Instance): string {
  const parts = rules.map((r) => fill(pick(rng, phrasings.corrections[r]), { n: String(instance.n) }));
  return `${pick(rng, phrasings.openers)}${parts.join(pick(rng, phrasings.joiners))}`;
}

/** The history of one person: their families' sessions over three weeks, one-offs, and future instances. */
export function generateHistory(person: string, kinds: readonly FamilyKind[], phrasings: Phrasings, opts: { seed: number; instances: number; future: number; oneoffs: number; startMs: number }): { history: History; plans: SessionPlan[] } {
  const rng = createRng(seedFrom(opts.seed, person));
  const plans: SessionPlan[] = [];
  const sources = ['claude-code', 'codex', 'copilot-cli'] as const;
  const day = 86_400_000;
  let count = 0;
  const id = () => `${person}-${String(count++).padStart(3, '0')}`;
  const future: Record<string, Instance[]> = {};
  for (const kind of kinds) {
    const rules = FAMILY_RULES[kind];
    for (let i = 0; i < opts.instances; i++) {
      const instance = makeInstance(kind, rng, phrasings, i + kinds.indexOf(kind) * 3);
      const plan: SessionPlan = { id: id(), kind, source: sources[(i + kinds.indexOf(kind)) % 3] as SessionPlan['source'], start: opts.startMs + Math.floor((i / opts.instances) * 21 * day) + rng.int(3_600_000), turns: [] };
      const command = plan.source === 'claude-code' && kind === 'changelog' && rng.next() < 0.3 ? { name: '/changelog', args: `#${instance.n} ${instance.prompt.replace(/^.*?[:?]\s*/, '')}` } : undefined;
      plan.turns.push({ user: command ? command.args : instance.prompt, answer: instance.plain, role: 'task', ...(command ? { command } : {}) });
      if (rng.next() < 0.15) plan.turns.push({ user: fill(pick(rng, phrasings.clarify), { place: pick(rng, PLACES) }), answer: instance.plain, role: 'follow-up' });
      // The person corrects in one or two turns, or (later on) refers to the standing rules.
      const standing = i > opts.instances / 3 && rng.next() < 0.25;
      const split = rules.length > 1 && rng.next() < 0.5 ? 1 + rng.int(rules.length - 1) : rules.length;
      const rounds = standing ? [rules] : [rules.slice(0, split), rules.slice(split)].filter((r) => r.length > 0);
      let fixed: Rule[] = [];
      for (const round of rounds) {
        fixed = [...fixed, ...round];
        const text = standing ? pick(rng, phrasings.standing) : correctionText(rng, phrasings, round, instance);
        plan.turns.push({ user: text, answer: applyRules(instance.plain, fixed, instance), role: 'follow-up' });
      }
      if (rng.next() < 0.4) plan.turns.push({ user: pick(rng, phrasings.praise), answer: 'Glad it helps.', role: 'follow-up' });
      if (rng.next() < 0.15) plan.turns.push({ user: fill(pick(rng, phrasings.next), { place: pick(rng, PLACES) }), answer: 'Here is a first version.', role: 'task' });
      plans.push(plan);
    }
    future[kind] = Array.from({ length: opts.future }, (_, i) => makeInstance(kind, rng, phrasings, 100 + i));
  }
  for (let i = 0; i < opts.oneoffs; i++) {
    const plan: SessionPlan = { id: id(), source: sources[i % 3] as SessionPlan['source'], start: opts.startMs + rng.int(21 * day), turns: [] };
    plan.turns.push({ user: phrasings.oneoffs[(i + rng.int(3)) % phrasings.oneoffs.length] as string, answer: 'Here is how to do it.', role: 'task' });
    plans.push(plan);
  }
  // A session with no answer (the person left), kept as bad input.
  plans.push({ id: id(), source: 'codex', start: opts.startMs + 5 * day, turns: [{ user: 'hmm, can you look at the flaky e2e test later', answer: '', role: 'task' }] });
  const sessions = plans.map((p) => ({ id: p.id, source: p.source, turns: p.turns.map((t) => ({ text: t.user, role: t.role })), ...(p.kind ? { kind: p.kind } : {}) }));
  return { history: { person, families: [...kinds], sessions, future }, plans };
}

/** Write a person's sessions under `home` in the three agents' on-disk formats. */
export function writeHistory(home: string, plans: readonly SessionPlan[]): void {
  for (const plan of plans) {
    const { path, text } = plan.source === 'claude-code' ? claudeFile(plan) : plan.source === 'codex' ? codexFile(plan) : copilotFile(plan);
    const full = join(home, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

function uuidFor(id: string): string {
  const hex = [...id].reduce((h, c) => (Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0), 2166136261).toString(16).padStart(8, '0');
  const tail = Buffer.from(id).toString('hex').padEnd(12, '0').slice(-12);
  return `${hex}-0000-4000-8000-${tail}`;
}

function claudeFile(plan: SessionPlan): { path: string; text: string } {
  const sessionId = uuidFor(plan.id);
  const cwd = '/home/dev/shop';
  let t = plan.start;
  const at = () => new Date((t += 20_000)).toISOString();
  const env = { userType: 'external', entrypoint: 'cli', cwd, sessionId, version: '2.1.142', gitBranch: 'main', isSidechain: false };
  const lines: string[] = [];
  let parent: string | null = null;
  let k = 0;
  const push = (record: Record<string, unknown>) => {
    const uuid = `${sessionId.slice(0, 24)}${String(k++).padStart(12, '0')}`;
    lines.push(JSON.stringify({ parentUuid: parent, ...env, uuid, timestamp: at(), ...record }));
    parent = uuid;
  };
  for (const turn of plan.turns) {
    const content = turn.command ? `<command-message>${turn.command.name.slice(1)}</command-message>\n<command-name>${turn.command.name}</command-name>\n<command-args>${turn.command.args}</command-args>` : turn.user;
    push({ type: 'user', message: { role: 'user', content } });
    if (turn.answer !== '') push({ type: 'assistant', message: { model: 'claude-sonnet-4-5', id: `msg_${k}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: turn.answer }], stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 20 } } });
  }
  return { path: join('.claude', 'projects', '-home-dev-shop', `${sessionId}.jsonl`), text: `${lines.join('\n')}\n` };
}

function codexFile(plan: SessionPlan): { path: string; text: string } {
  const sessionId = uuidFor(plan.id);
  let t = plan.start;
  const at = () => new Date((t += 20_000)).toISOString();
  const lines: string[] = [];
  const push = (type: string, payload: Record<string, unknown>) => lines.push(JSON.stringify({ timestamp: at(), type, payload }));
  push('session_meta', { id: sessionId, timestamp: new Date(plan.start).toISOString(), cwd: '/home/dev/api', originator: 'codex_cli_rs', cli_version: '0.111.0', source: 'cli' });
  for (const turn of plan.turns) {
    push('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: turn.user }] });
    push('event_msg', { type: 'user_message', message: turn.user, images: [] });
    if (turn.answer !== '') {
      push('event_msg', { type: 'agent_message', message: turn.answer });
      push('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: turn.answer }] });
    }
  }
  const d = new Date(plan.start).toISOString();
  return { path: join('.codex', 'sessions', d.slice(0, 4), d.slice(5, 7), d.slice(8, 10), `rollout-${d.slice(0, 19).replace(/:/g, '-')}-${sessionId}.jsonl`), text: `${lines.join('\n')}\n` };
}

function copilotFile(plan: SessionPlan): { path: string; text: string } {
  const sessionId = uuidFor(plan.id);
  let t = plan.start;
  const at = () => new Date((t += 20_000)).toISOString();
  const lines: string[] = [];
  let k = 0;
  let parent: string | null = null;
  const push = (type: string, data: Record<string, unknown>) => {
    const id = `${sessionId.slice(0, 24)}${String(k++).padStart(12, '0')}`;
    lines.push(JSON.stringify({ type, data, id, timestamp: at(), parentId: parent }));
    parent = id;
  };
  push('session.start', { sessionId, version: 1, producer: 'copilot-agent', copilotVersion: '0.0.354', startTime: new Date(plan.start).toISOString(), context: { cwd: '/home/dev/web' } });
  for (const turn of plan.turns) {
    push('user.message', { content: turn.user });
    if (turn.answer !== '') push('assistant.message', { messageId: `a${k}`, model: 'claude-sonnet-4.5', content: turn.answer, toolRequests: [] });
  }
  return { path: join('.copilot', 'session-state', `${sessionId}.jsonl`), text: `${lines.join('\n')}\n` };
}

/** Read a phrasing file. */
export function loadPhrasings(path: string): Phrasings {
  return JSON.parse(readFileSync(path, 'utf8')) as Phrasings;
}
