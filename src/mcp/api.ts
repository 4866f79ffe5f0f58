import { z } from 'zod';

/**
 * What the MCP server needs from skillopt-sleep: one method per tool, each taking the tool's parsed input and
 * returning plain data (or throwing a SkillOptError, which the server turns into a tool error).
 */
export interface SleepApi {
  status(input: StatusInput, call: CallContext): Promise<SleepStatus>;
  run(input: RunInput, call: CallContext): Promise<CommandResult>;
  report(input: ReportInput, call: CallContext): Promise<CommandResult>;
  adopt(input: DecisionInput, call: CallContext): Promise<CommandResult>;
  reject(input: DecisionInput, call: CallContext): Promise<CommandResult>;
  rollback(input: RollbackInput, call: CallContext): Promise<CommandResult>;
  history(input: HistoryInput, call: CallContext): Promise<CommandResult>;
}

/** Per call: cancellation from the client, and progress lines for long commands (a night). */
export interface CallContext {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

// The inputs mirror src/mcp/tool-specs.ts (keys are the flags in camelCase); server.test.ts checks the keys.
export type StatusInput = Record<string, never>;
export interface RunInput { now?: boolean; dryRun?: boolean; skill?: string }
export interface ReportInput { night?: number; open?: boolean }
export interface DecisionInput { night?: number; skill?: string; all?: boolean }
export interface RollbackInput { skill: string; to?: number }
export interface HistoryInput { skill: string }

/** The result of a command: which command ran and the data it returned (its `--json` output). */
export const commandResultSchema = z.object({
  command: z.string().describe('the skillopt-sleep command that ran, with its arguments'),
  data: z.unknown().describe("the command's JSON result"),
});
export type CommandResult = z.infer<typeof commandResultSchema>;

/** A proposal staged by a night and waiting for adopt or reject. */
export const pendingProposalSchema = z.object({
  night: z.number().int().describe('the night that staged it'),
  skill: z.string().describe('the skill it changes'),
  valBefore: z.number().nullable().describe('held-out score before'),
  valAfter: z.number().nullable().describe('held-out score after'),
});

/** Everything `sleep_status` reports; also the shape of `skillopt-sleep status --json` the hooks read. */
export const sleepStatusSchema = z.object({
  stateDir: z.string().describe('the state folder'),
  database: z.object({ path: z.string(), exists: z.boolean() }).describe('the SQLite store'),
  daemon: z.object({ socket: z.string(), running: z.boolean() }).describe('the background daemon, by its control socket'),
  sessions: z
    .object({ total: z.number().int(), bySource: z.record(z.string(), z.number().int()), lastHarvestedAt: z.string().nullable() })
    .describe('harvested sessions per source (our own replays left out)'),
  replaySet: z
    .object({
      active: z.number().int(),
      excluded: z.number().int(),
      reviewed: z.number().int(),
      bySplit: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int(), unassigned: z.number().int() }),
    })
    .describe('replay tasks by split'),
  lastNight: z
    .object({ id: z.number().int(), status: z.string(), trigger: z.string(), startedAt: z.string(), finishedAt: z.string().nullable() })
    .nullable()
    .describe('the latest night, or null before the first'),
  pendingProposals: z.array(pendingProposalSchema).describe('proposals waiting for adopt or reject'),
  service: z
    .object({
      installed: z.boolean().nullable().describe('the systemd / launchd unit is there (null: no service manager here)'),
      running: z.boolean().nullable().describe('a daemon answers its socket or holds a live pid file'),
      pid: z.number().int().nullable(),
      nextNight: z.object({ at: z.string(), date: z.string(), trigger: z.string() }).nullable().describe('the next night: from the daemon, else from the schedule'),
      detail: z.string(),
    })
    .optional()
    .describe('the background service, as `skillopt-sleep status` shows it'),
});
export type SleepStatus = z.infer<typeof sleepStatusSchema>;
