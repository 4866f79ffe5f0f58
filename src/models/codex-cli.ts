import { SkillOptError, type ErrorCode } from '../core/errors.js';
import { harnessFailure, type HarnessIdentity } from './harness-failure.js';
import { estimatedUsage, type ChatRequest, type ChatResponse, type ModelBackend, type TokenUsage } from './types.js';
import type { CodexSkillLayout } from './harness-workspace.js';
import { runReplay } from './harness-replay.js';
import { classifyHarnessFailure, jsonReplyInstruction, tailOf, type HarnessDeps } from './harness-process.js';

/** Settings of the `codex exec` harness backend. */
export interface CodexCliConfig {
  /** The executable (default `codex`). */
  command?: string;
  model?: string;
  timeoutMs: number;
  extraArgs?: readonly string[];
  /** Off by default: read-only sandbox. On: workspace-write sandbox inside the replay workspace. */
  allowTools?: boolean;
  projectDir?: string;
  allowProjectAccess?: boolean;
  /** Default `skills-dir`; see CodexSkillLayout. */
  skillLayout?: CodexSkillLayout;
  killGraceMs?: number;
}

/** What the `codex exec --json` event stream said, reduced to what a response needs. */
export interface CodexEvents {
  threadId: string | undefined;
  /** The last completed agent_message: the final answer. */
  finalText: string | undefined;
  usage: TokenUsage | undefined;
  toolCalls: string[];
  /** Messages of turn.failed and top-level error events, in order. */
  errors: string[];
  /** Lines that were not JSON objects (counted, not fatal). */
  skippedLines: number;
  sawEvents: boolean;
}

const BACKEND = 'codex-cli';
const LOGIN_HINT = 'run `codex login` (or set OPENAI_API_KEY for the daemon)';

/**
 * The argv for one call (without the command). `--skip-git-repo-check` because the workspace is not a repo;
 * `-` reads the prompt from stdin so it never shows in `ps`.
 */
export function buildCodexArgs(config: CodexCliConfig, request: ChatRequest): string[] {
  const args = ['exec', '--json', '--skip-git-repo-check', '--color', 'never'];
  args.push('--sandbox', config.allowTools ? 'workspace-write' : 'read-only');
  const model = request.model ?? config.model;
  if (model) args.push('--model', model);
  if (config.extraArgs) args.push(...config.extraArgs);
  args.push('-');
  return args;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function toolNameOf(item: Record<string, unknown>): string | undefined {
  switch (item.type) {
    case 'command_execution':
      return 'shell';
    case 'mcp_tool_call':
      return `${typeof item.server === 'string' ? item.server : 'mcp'}.${typeof item.tool === 'string' ? item.tool : 'unknown'}`;
    case 'web_search':
      return 'web_search';
    case 'file_change':
      return 'apply_patch';
    default:
      return undefined;
  }
}

/** Read the JSONL event stream of `codex exec --json`. Never throws: bad lines are skipped and counted. */
export function parseCodexEvents(stdout: string): CodexEvents {
  const events: CodexEvents = { threadId: undefined, finalText: undefined, usage: undefined, toolCalls: [], errors: [], skippedLines: 0, sawEvents: false };
  const seenTools = new Set<string>();
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    let event: Record<string, unknown> | undefined;
    try {
      event = asRecord(JSON.parse(line));
    } catch {
      event = undefined;
    }
    if (!event || typeof event.type !== 'string') {
      events.skippedLines += 1;
      continue;
    }
    events.sawEvents = true;
    switch (event.type) {
      case 'thread.started':
        if (typeof event.thread_id === 'string') events.threadId = event.thread_id;
        break;
      case 'item.started':
      case 'item.updated':
      case 'item.completed': {
        const item = asRecord(event.item);
        if (!item) break;
        if (item.type === 'agent_message' && event.type === 'item.completed' && typeof item.text === 'string') {
          events.finalText = item.text;
        }
        const tool = toolNameOf(item);
        // An item id is reported as started and completed; count the call once.
        const id = typeof item.id === 'string' ? item.id : `${events.toolCalls.length}:${event.type}`;
        if (tool && !seenTools.has(id)) {
          seenTools.add(id);
          events.toolCalls.push(tool);
        }
        break;
      }
      case 'turn.completed': {
        const usage = asRecord(event.usage);
        if (!usage) break;
        const prior = events.usage ?? { input: 0, output: 0, cachedInput: 0 };
        events.usage = {
          input: prior.input + num(usage.input_tokens),
          output: prior.output + num(usage.output_tokens),
          cachedInput: (prior.cachedInput ?? 0) + num(usage.cached_input_tokens),
        };
        break;
      }
      case 'turn.failed': {
        const message = asRecord(event.error)?.message;
        events.errors.push(typeof message === 'string' ? message : 'turn failed');
        break;
      }
      case 'error':
        events.errors.push(typeof event.message === 'string' ? event.message : 'error');
        break;
      default:
        // turn.started and event types added later carry nothing we need.
        break;
    }
  }
  return events;
}

const IDENTITY: HarnessIdentity = { backend: BACKEND, product: 'Codex', loginHint: LOGIN_HINT, updateHint: '', tryCommand: 'echo hi | codex exec --json --skip-git-repo-check -' };

function failure(kind: ErrorCode, what: string): SkillOptError {
  return harnessFailure(IDENTITY, kind, what);
}

/** Map a finished run to a response or a typed error. */
export function interpretCodexRun(
  run: { stdout: string; stderr: string; exitCode: number | null },
  request: ChatRequest,
  fallbackModel: string,
): ChatResponse {
  const events = parseCodexEvents(run.stdout);
  if (events.errors.length > 0 || run.exitCode !== 0) {
    const messages = events.errors.join(' | ');
    const text = `${messages}\n${run.stderr}`;
    const what = tailOf(messages || run.stderr || run.stdout) || `exit code ${run.exitCode ?? 'none'}`;
    throw failure(classifyHarnessFailure(text) ?? 'UNAVAILABLE', what);
  }
  if (!events.sawEvents && run.stdout.trim() !== '') {
    throw new SkillOptError('BAD_REQUEST', `${BACKEND}: the output is not the --json event stream (${tailOf(run.stdout, 120)})`, {
      hint: 'cli.extraArgs must not remove --json; update Codex if its output format changed',
    });
  }
  const text = events.finalText ?? '';
  if (text.trim() === '') {
    throw new SkillOptError('EMPTY_REPLY', `${BACKEND}: no agent message in the output (thread ${events.threadId ?? 'unknown'})`, {
      hint: 'run the task by hand with `codex exec`; the task may need tools that are disabled',
    });
  }
  return {
    text,
    usage: events.usage ?? estimatedUsage(`${request.system}\n${request.user}`, text),
    backend: BACKEND,
    model: request.model ?? fallbackModel,
    toolCalls: events.toolCalls,
  };
}

/**
 * A backend that runs `codex exec --json` with the prompt on stdin inside a fresh replay workspace. The skill
 * goes to `.agents/skills/<name>/SKILL.md` (the repo-scoped folder Codex scans from its cwd); the system text
 * goes to the workspace AGENTS.md, which Codex reads as project instructions. The cwd prefix marks the
 * session for harvest (Codex records cwd in session_meta), and the env marker is set too.
 */
export function createCodexCliBackend(config: CodexCliConfig, deps: HarnessDeps): ModelBackend {
  const command = config.command ?? 'codex';
  const model = config.model ?? 'default';
  return {
    backend: BACKEND,
    model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const context = [request.system, request.jsonSchema ? jsonReplyInstruction(request.jsonSchema) : '']
        .filter((part) => part.trim() !== '')
        .join('\n\n');
      const workspaceOptions = {
        agent: 'codex' as const,
        ...(request.skill ? { skill: request.skill } : {}),
        ...(context ? { contextText: context } : {}),
        ...(config.projectDir ? { projectDir: config.projectDir } : {}),
        allowProjectAccess: config.allowProjectAccess ?? false,
        codexSkillLayout: config.skillLayout ?? 'skills-dir',
      };
      const run = await runReplay(deps, workspaceOptions, {
        backend: BACKEND,
        command,
        args: buildCodexArgs(config, request),
        stdin: request.user,
        timeoutMs: config.timeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(config.killGraceMs !== undefined ? { killGraceMs: config.killGraceMs } : {}),
        notFoundHint: 'install Codex (`npm i -g @openai/codex`) or set cli.command to its full path',
      });
      return interpretCodexRun(run, request, model);
    },
  };
}
