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

/** A proposal staged by a night and waiting for adopt or reject (also each entry of `<state>/pending.json`). */
export const pendingProposalSchema = z.object({
  night: z.number().int().describe('the night that staged it'),
  skill: z.string().describe('the skill it changes'),
  proposalId: z.number().int().describe('the proposal'),
  flagged: z.number().int().describe('edits the edit policy flagged for a person to look at'),
  testBefore: z.number().nullable().describe('held-out test score before'),
  testAfter: z.number().nullable().describe('held-out test score after'),
  valBefore: z.number().nullable().describe('validation score before'),
  valAfter: z.number().nullable().describe('validation score after'),
});

/**
 * Everything `sleep_status` reports: `skillopt-sleep status --json` (src/app/run-status.ts) with the pending
 * proposals' scores, the state folder and whether the daemon answers on its socket. Objects are loose so a field
 * the status gains later passes through to the client.
 */
export const sleepStatusSchema = z.looseObject({
  stateDir: z.string().describe('the state folder'),
  daemon: z.object({ socket: z.string(), running: z.boolean() }).describe('the background daemon, by its control socket'),
  service: z
    .looseObject({
      installed: z.boolean().nullable().describe('the systemd / launchd unit is there (null: unknown, or no service manager here)'),
      running: z.boolean().nullable().describe('a daemon answers its socket or holds a live pid file'),
      pid: z.number().int().nullable().optional(),
      nextNight: z.object({ at: z.string(), date: z.string(), trigger: z.string() }).nullable().optional().describe('the next night: from the daemon, else from the schedule'),
      detail: z.string(),
    })
    .describe('the background service, as `skillopt-sleep status` shows it'),
  running: z.looseObject({ night: z.number().int().nullable(), pid: z.number().int(), host: z.string(), holder: z.string(), since: z.string() }).nullable().describe('the night running now, or null'),
  lastNight: z
    .looseObject({ night: z.number().int(), status: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(), dryRun: z.boolean(), report: z.string().nullable() })
    .nullable()
    .describe('the latest finished night, or null before the first'),
  nextNight: z.looseObject({ at: z.string().nullable(), detail: z.string() }).describe('when the next night runs'),
  pending: z.array(pendingProposalSchema).describe('proposals waiting for adopt or reject, newest night first'),
  replaySet: z.looseObject({ train: z.number().int(), val: z.number().int(), test: z.number().int(), unsplit: z.number().int(), total: z.number().int() }).describe('active replay tasks by split'),
  sources: z.array(z.looseObject({ source: z.string(), sessions: z.number().int(), lastHarvest: z.string().nullable() })).describe('harvested sessions per source'),
  skills: z.array(z.looseObject({ name: z.string(), kind: z.string(), version: z.number().int(), state: z.string(), path: z.string() })).describe('the target skills and their versions'),
  problems: z.array(z.string()).describe('what needs a person (a broken skill file, ...)'),
});
export type SleepStatus = z.infer<typeof sleepStatusSchema>;
