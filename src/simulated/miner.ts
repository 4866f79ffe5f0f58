import { buildHeuristicJudge } from '../mine/judge-heuristic.js';
import type { ChatRequest } from '../models/types.js';

/** The text of a `## Heading` section of the mining prompt, up to the next section. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`## ${heading}\n`);
  if (start < 0) return '';
  const rest = text.slice(start + heading.length + 4);
  const next = rest.search(/\n## /);
  return (next < 0 ? rest : rest.slice(0, next)).trim();
}

function unwrap(text: string): string {
  const m = /<untrusted>\n?([\s\S]*?)\n?<\/untrusted>/.exec(text);
  return (m?.[1] ?? text).replace(/…$/, '').trim();
}

function bullets(text: string): string[] {
  if (text === '(none)') return [];
  return text
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2).trim());
}

/**
 * The simulated optimizer's answer to a mining call (purpose 'mine'). Like a careful model it reads only
 * the rendered prompt: the request, the user's directives and the answer the agent gave. It keeps the
 * request as the task prompt, turns directives into the checks a rule can express, and writes a rubric
 * whose quoted term is a word of the request the answer used (so it grades content, not form).
 */
export function simulatedMine(request: Pick<ChatRequest, 'user'>): string {
  const user = request.user;
  const prompt = unwrap(section(user, 'Request'));
  const directives = bullets(section(user, 'Directives'));
  const answerSection = section(user, 'Answer the agent gave');
  const answer = answerSection ? unwrap(answerSection) : undefined;
  if (prompt === '') return JSON.stringify({ notes: 'no request to mine' });
  const heuristic = buildHeuristicJudge({ prompt, directives, answer });
  const anchor = heuristic.checks.find((c) => c.kind === 'content' && c.check.op === 'contains')?.check.arg;
  const rubric = [
    typeof anchor === 'string' ? `The reply is about "${anchor}" and does what the request asks.` : 'The reply does what the request asks, correctly and completely.',
    ...directives.slice(0, 4).map((d) => `It follows the user's standing instruction: ${d}.`),
  ].join('\n');
  const checks = heuristic.checks.filter((c) => c.kind !== 'content' || c.check.op !== 'contains').map((c) => c.check);
  return JSON.stringify({ prompt, context: '', rubric, checks, notes: `${directives.length} directive(s) read` }, null, 2);
}
