import { z } from 'zod';
import { isValidTimeZone, parseHourMinute } from './zoned-time.js';

const HourMinute = z.string().refine((s) => parseHourMinute(s) !== undefined, { message: 'expected a time HH:MM from 00:00 to 23:59, e.g. "03:00"' });

const TimeZone = z.string().refine((s) => isValidTimeZone(s), { message: 'unknown time zone; use an IANA name such as "Europe/Paris", "America/New_York" or "UTC"' });

/** The `daemon` section of config.json: when nights run, how transcripts are watched, where logs go. */
export const DaemonConfigSchema = z
  .strictObject({
    schedule: z
      .strictObject({
        at: HourMinute.default('03:00').describe('Local time of the nightly run, HH:MM (24 h). A time skipped by a DST change runs after the jump.'),
        timezone: TimeZone.optional().describe('IANA time zone of `at`; unset means the machine\'s zone.'),
      })
      .prefault({})
      .describe('When the nightly run starts.'),
    catchUp: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Run a missed night (the machine was asleep or off at the scheduled time) at start, on wake and hourly.'),
        from: HourMinute.default('00:00').describe('A catch-up night may start from this local time ...'),
        to: HourMinute.default('23:59').describe('... until this local time (a window that wraps midnight, e.g. 22:00-08:00, is allowed).'),
        windowHours: z.number().min(0).max(72).default(12).describe('A catch-up runs only when the last night started more than this many hours ago.'),
      })
      .prefault({})
      .describe('Catching up on a night the machine slept through. Never more than one night per date.'),
    activeSession: z
      .strictObject({
        quietMinutes: z.number().int().min(0).max(240).default(10).describe('Put a night off while a transcript changed in the last N minutes (an agent session is active); 0 never waits.'),
        maxDelayMinutes: z.number().int().min(0).max(720).default(120).describe('Longest a night waits for a quiet moment after its slot before it runs anyway.'),
      })
      .prefault({})
      .describe('Not competing with a live agent session.'),
    watch: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Watch transcript folders and harvest changed files as sessions happen.'),
        debounceMs: z.number().int().min(50).max(600_000).default(2000).describe('Quiet time after the last change before a harvest runs.'),
        maxWaitMs: z.number().int().min(100).max(3_600_000).default(30_000).describe('Longest a change waits for its harvest while files keep changing.'),
        usePolling: z.boolean().default(false).describe('Poll instead of file-system events (network or removable disks where events do not arrive).'),
        pollIntervalMs: z.number().int().min(100).max(600_000).default(5000).describe('Polling interval when usePolling is on.'),
      })
      .prefault({})
      .describe('The transcript watcher.'),
    log: z
      .strictObject({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('Level of the daemon log (logs/daemon.log in the state folder).'),
        maxBytes: z.number().int().min(10_000).default(10_000_000).describe('Size at which the log file is rotated.'),
        keep: z.number().int().min(1).max(50).default(5).describe('Rotated log files kept (daemon.log.1 ... daemon.log.N).'),
      })
      .prefault({})
      .describe('The daemon\'s own log.'),
    shutdownSeconds: z.number().min(1).max(300).default(20).describe('On SIGTERM/SIGINT, how long the current step may take to finish or abort before the daemon exits anyway.'),
  })
  .describe('The background service (`skillopt-sleep daemon`, installed by `skillopt-sleep install`).');

/** The validated daemon section. */
export type DaemonConfig = z.infer<typeof DaemonConfigSchema>;

/** The defaults of the daemon section. */
export function defaultDaemonConfig(): DaemonConfig {
  return DaemonConfigSchema.parse({});
}
