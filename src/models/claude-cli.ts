import { SkillOptError, type ErrorCode } from '../core/errors.js';
import { harnessFailure, type HarnessIdentity } from './harness-failure.js';
import { estimatedUsage, type ChatRequest, type ChatResponse, type ModelBackend, type TokenUsage } from './types.js';
import { runReplay } from './harness-replay.js';
import { classifyHarnessFailure, jsonReplyInstruction, tailOf, type HarnessDeps } from './harness-process.js';

export type { HarnessDeps } from './harness-process.js';

/** Settings of the `claude -p` harness backend. */
export interface ClaudeCliConfig {
  /** The executable (default `claude`); a full path when it is not on PATH. */
  command?: string;
  model?: string;
  timeoutMs: number;
  /** Appended after our flags (e.g. `--allowedTools Bash`). */
  extraArgs?: readonly string[];
  /** Off by default: the target may load the installed skill and nothing else. */
  allowTools?: boolean;
  /** Linked into the workspace as `project/` only when allowProjectAccess is true. */
  projectDir?: string;
  allowProjectAccess?: boolean;
  killGraceMs?: number;
}

/** The fields of Claude Code's `--output-format json` result object that we read. */
export interface ClaudeResult {
  subtype: string;
  isError: boolean;
  result: string | undefined;
  sessionId: string | undefined;
  costUsd: number | undefined;
  usage: TokenUsage | undefined;
  model: string | undefined;
  toolCalls: string[];
}

const BACKEND = 'claude-cli';
// We never pass --bare or force API-key auth, so the person's own Claude Code login (subscription or key) is used.
const LOGIN_HINT = 'log in once with `claude /login` (or `claude setup-token` for the daemon), or set ANTHROPIC_API_KEY';

/** The argv for one call (without the command); pure so tests can pin it. */
export function buildClaudeArgs(config: ClaudeCliConfig, request: ChatRequest): string[] {
  const args = ['-p', '--output-format', 'json'];
  const model = request.model ?? config.model;
  if (model) args.push('--model', model);
  const system = [request.system, request.jsonSchema ? jsonReplyInstruction(request.jsonSchema) : '']
    .filter((part) => part.trim() !== '')
    .join('\n\n');
  if (system) args.push('--append-system-prompt', system);
  if (config.allowTools) {
    // --verbose turns the json output into the full message list, which is where tool_use blocks are.
    args.push('--verbose');
  } else {
    // Only the Skill tool, so the installed skill can load; --strict-mcp-config keeps the user's MCP servers out.
    args.push('--tools', request.skill ? 'Skill' : '', '--strict-mcp-config');
  }
  if (config.extraArgs) args.push(...config.extraArgs);
  return args;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function parseUsage(value: unknown): TokenUsage | undefined {
  const usage = asRecord(value);
  if (!usage) return undefined;
  const input = num(usage.input_tokens);
  const output = num(usage.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = num(usage.cache_read_input_tokens) ?? 0;
  const cacheWrite = num(usage.cache_creation_input_tokens) ?? 0;
  // Anthropic's input_tokens excludes cache reads and writes; the budget wants everything that was sent.
  return { input: (input ?? 0) + cacheRead + cacheWrite, output: output ?? 0, cachedInput: cacheRead };
}

function toolUsesOf(message: unknown): string[] {
  const content = asRecord(asRecord(message)?.message)?.content;
  if (!Array.isArray(content)) return [];
  return content.flatMap((block) => {
    const b = asRecord(block);
    return b?.type === 'tool_use' && typeof b.name === 'string' ? [b.name] : [];
  });
}

function parseJsonLoose(stdout: string): unknown {
  const trimmed = stdout.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    // Some setups print a warning line before the JSON; the result is then the last line.
    const last = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '').at(-1);
    if (last === undefined) return undefined;
    try {
      return JSON.parse(last) as unknown;
    } catch {
      return undefined;
    }
  }
}

/**
 * Parse Claude Code's json output: one result object, or (with verbose on) an array of session messages
 * ending in the result object. Never throws; `ok: false` says why.
 */
export function parseClaudeResult(stdout: string): { ok: true; value: ClaudeResult } | { ok: false; reason: string } {
  if (stdout.trim() === '') return { ok: false, reason: 'empty stdout' };
  const parsed = parseJsonLoose(stdout);
  if (parsed === undefined) return { ok: false, reason: `stdout is not JSON: ${tailOf(stdout, 120)}` };
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const result = asRecord(messages.findLast((m) => asRecord(m)?.type === 'result'));
  if (!result) return { ok: false, reason: 'no object with type "result" in the output' };
  const toolCalls = messages.flatMap((m) => (asRecord(m)?.type === 'assistant' ? toolUsesOf(m) : []));
  // Tools the model tried but was not allowed to use still show what it would have called.
  const denials = Array.isArray(result.permission_denials) ? result.permission_denials : [];
  for (const denial of denials) {
    const name = asRecord(denial)?.tool_name;
    if (typeof name === 'string') toolCalls.push(name);
  }
  const modelUsage = asRecord(result.modelUsage);
  return {
    ok: true,
    value: {
      subtype: typeof result.subtype === 'string' ? result.subtype : 'unknown',
      isError: result.is_error === true,
      result: typeof result.result === 'string' ? result.result : undefined,
      sessionId: typeof result.session_id === 'string' ? result.session_id : undefined,
      costUsd: num(result.total_cost_usd) ?? num(result.cost_usd),
      usage: parseUsage(result.usage),
      model: modelUsage ? Object.keys(modelUsage)[0] : undefined,
      toolCalls,
    },
  };
}

const IDENTITY: HarnessIdentity = { backend: BACKEND, product: 'Claude Code', loginHint: LOGIN_HINT, updateHint: ' (`claude update`)', tryCommand: 'claude -p "hi" --output-format json' };

function failure(kind: ErrorCode, what: string): SkillOptError {
  return harnessFailure(IDENTITY, kind, what);
}

/** Map a finished run to a response or a typed error. */
export function interpretClaudeRun(
  run: { stdout: string; stderr: string; exitCode: number | null },
  request: ChatRequest,
  fallbackModel: string,
): ChatResponse {
  const parsed = parseClaudeResult(run.stdout);
  if (!parsed.ok) {
    const text = `${run.stderr}\n${run.stdout}`;
    if (run.exitCode !== 0) {
      const kind = classifyHarnessFailure(text) ?? 'UNAVAILABLE';
      throw failure(kind, `exit code ${run.exitCode ?? 'none'}: ${tailOf(text) || 'no output'}`);
    }
    if (run.stdout.trim() === '') {
      throw new SkillOptError('EMPTY_REPLY', `${BACKEND}: claude exited 0 but printed nothing`, {
        hint: 'run `claude -p "hi" --output-format json` by hand; check cli.extraArgs',
      });
    }
    throw new SkillOptError('BAD_REQUEST', `${BACKEND}: unreadable output (${parsed.reason})`, {
      hint: 'cli.extraArgs must not change --output-format; update Claude Code if its output format changed',
    });
  }
  const result = parsed.value;
  if (result.isError || result.subtype !== 'success') {
    const what = `${result.subtype}: ${tailOf(result.result ?? run.stderr) || 'no message'}`;
    if (result.subtype === 'error_max_turns') {
      throw new SkillOptError('BAD_REQUEST', `${BACKEND}: the agent ran out of turns (${what})`, {
        hint: 'pass a higher --max-turns through cli.extraArgs, or keep tools disabled',
      });
    }
    throw failure(classifyHarnessFailure(`${result.result ?? ''}\n${run.stderr}`) ?? 'UNAVAILABLE', what);
  }
  const text = result.result ?? '';
  if (text.trim() === '') {
    throw new SkillOptError('EMPTY_REPLY', `${BACKEND}: the result text is empty (session ${result.sessionId ?? 'unknown'})`, {
      hint: 'the task may need tools that are disabled; look at the task or allow tools for this target',
    });
  }
  const usage = result.usage ?? estimatedUsage(`${request.system}\n${request.user}`, text);
  const response: ChatResponse = {
    text,
    usage,
    backend: BACKEND,
    model: request.model ?? result.model ?? fallbackModel,
    toolCalls: result.toolCalls,
  };
  if (result.costUsd !== undefined) response.costUsd = result.costUsd;
  return response;
}

/**
 * A backend that runs `claude -p --output-format json` with the user text on stdin, inside a fresh replay
 * workspace that has the candidate skill installed at `.claude/skills/<name>/SKILL.md`.
 */
export function createClaudeCliBackend(config: ClaudeCliConfig, deps: HarnessDeps): ModelBackend {
  const command = config.command ?? 'claude';
  const model = config.model ?? 'default';
  return {
    backend: BACKEND,
    model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const workspaceOptions = {
        agent: 'claude-code' as const,
        ...(request.skill ? { skill: request.skill } : {}),
        ...(config.projectDir ? { projectDir: config.projectDir } : {}),
        allowProjectAccess: config.allowProjectAccess ?? false,
      };
      const run = await runReplay(deps, workspaceOptions, {
        backend: BACKEND,
        command,
        args: buildClaudeArgs(config, request),
        stdin: request.user,
        timeoutMs: config.timeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(config.killGraceMs !== undefined ? { killGraceMs: config.killGraceMs } : {}),
        notFoundHint: 'install Claude Code (`npm i -g @anthropic-ai/claude-code`) or set cli.command to its full path',
      });
      return interpretClaudeRun(run, request, model);
    },
  };
}
