import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { formatError, isSkillOptError, SkillOptError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { commandResultSchema, sleepStatusSchema, type CallContext, type SleepApi } from './api.js';
import { conflictsIn, inputShapeOf, TOOL_SPECS, type ToolInput, type ToolName, type ToolSpec } from './tool-specs.js';

/** Settings of the server itself (not of skillopt-sleep). */
export interface McpServerOptions {
  version: string;
  logger?: Logger;
}

type Handler = (input: ToolInput, call: CallContext) => Promise<Record<string, unknown>>;

// The input was validated against the spec's zod shape, which the typed inputs in api.ts mirror.
function checked<T>(input: ToolInput): T {
  return input as unknown as T;
}

function handlerOf(api: SleepApi, tool: ToolName): Handler {
  switch (tool) {
    case 'sleep_status':
      return (_input, call) => api.status({}, call);
    case 'sleep_run':
      return (input, call) => api.run(checked<Parameters<SleepApi['run']>[0]>(input), call);
    case 'sleep_report':
      return (input, call) => api.report(checked<Parameters<SleepApi['report']>[0]>(input), call);
    case 'sleep_adopt':
      return (input, call) => api.adopt(checked<Parameters<SleepApi['adopt']>[0]>(input), call);
    case 'sleep_reject':
      return (input, call) => api.reject(checked<Parameters<SleepApi['reject']>[0]>(input), call);
    case 'sleep_rollback':
      return (input, call) => api.rollback(checked<Parameters<SleepApi['rollback']>[0]>(input), call);
    case 'sleep_history':
      return (input, call) => api.history(checked<Parameters<SleepApi['history']>[0]>(input), call);
    default:
      tool satisfies never;
      throw new Error('unreachable');
  }
}

/** A tool error a person can read and a model can act on: the code, the message and the fix. */
export function toolError(error: unknown): CallToolResult {
  const code = isSkillOptError(error) ? error.code : 'INTERNAL';
  const hint = isSkillOptError(error) ? error.hint : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // No structuredContent: clients validate it against the tool's output schema even on errors (SDK 1.32).
  // The second text block is the same error as JSON, for clients and models that parse.
  return {
    isError: true,
    content: [
      { type: 'text', text: `${code}: ${formatError(error)}` },
      { type: 'text', text: JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } }) },
    ],
  };
}

function outputSchemaOf(spec: ToolSpec) {
  return spec.tool === 'sleep_status' ? sleepStatusSchema : commandResultSchema;
}

/**
 * The MCP server: one tool per spec in TOOL_SPECS, input validated by the spec's zod shape (unknown keys
 * refused), output returned both as structured content and as JSON text for clients that read only text.
 * The transport is attached by the caller (stdio in `skillopt-sleep mcp`, in-memory in tests).
 */
export function createMcpServer(api: SleepApi, options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: 'skillopt-sleep', title: 'skillopt-sleep', version: options.version },
    { instructions: 'skillopt-sleep trains your skill files at night from your own sessions. Use sleep_status first; sleep_run runs a night now; sleep_report shows what it proposes; the person decides with sleep_adopt or sleep_reject; sleep_rollback undoes an adopted change.' },
  );
  for (const spec of TOOL_SPECS) {
    const handle = handlerOf(api, spec.tool);
    server.registerTool(
      spec.tool,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: z.strictObject(inputShapeOf(spec)),
        outputSchema: outputSchemaOf(spec),
        annotations: { readOnlyHint: spec.readOnly, destructiveHint: !spec.readOnly && spec.tool !== 'sleep_run', openWorldHint: false },
      },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const input = args as ToolInput;
        const conflicts = conflictsIn(spec, input);
        if (conflicts.length > 0) {
          return toolError(new SkillOptError('INPUT', `${spec.tool}: ${conflicts.join('; ')} cannot be given together`, { hint: 'name one skill, or ask for all of them' }));
        }
        const progressToken = extra._meta?.progressToken;
        let step = 0;
        const call: CallContext = { signal: extra.signal };
        if (progressToken !== undefined) {
          call.onProgress = (message) => {
            step += 1;
            extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step, message } }).catch((error: unknown) => options.logger?.debug({ err: error }, 'progress notification failed'));
          };
        }
        try {
          const data = await handle(input, call);
          return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }], structuredContent: data };
        } catch (error) {
          options.logger?.warn({ tool: spec.tool, err: error }, 'tool failed');
          return toolError(error);
        }
      },
    );
  }
  return server;
}
