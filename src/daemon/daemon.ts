import type { Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../core/clock.js';
import { SkillOptError, isSkillOptError, formatError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { ChangeBatcher, type ChangeBatch } from './batcher.js';
import { detectClockJump, type ClockReading } from './clock-jump.js';
import type { DaemonConfig } from './config.js';
import { CONTROL_PROTOCOL_VERSION, type ControlRequest } from './control-protocol.js';
import { createControlServer } from './control-server.js';
import { nodeCronScheduler, type CronScheduler } from './cron.js';
import { cronExpression, formatHourMinute, nextNightAt, scheduleFromConfig, shouldRunNight, type LastNight, type NightSchedule, type NightTrigger } from './schedule.js';
import type { DaemonServices, HarvestSummary, NightOutcome, NightReason } from './services.js';
import { acquireDaemonSingleton, type DaemonSingleton, type SingletonPaths } from './singleton.js';
import { TranscriptWatcher } from './watcher.js';

/** What the daemon is built from; tests give fakes of the services, the cron and the clocks. */
export interface DaemonDeps {
  services: DaemonServices;
  clock: Clock;
  logger: Logger;
  singleton: SingletonPaths;
  /** The machine's time zone (the schedule's default). */
  localTimeZone: string;
  version: string;
  pid: number;
  cron?: CronScheduler;
  /** Monotonic milliseconds (performance.now); with the wall clock, detects sleep and clock jumps. */
  monotonicNow?: () => number;
  /** Applies a new log level after reload-config. */
  setLogLevel?: (level: string) => void;
  /** How often the wake detector looks (ms). */
  tickMs?: number;
}

const HOUR = 3_600_000;

/** The `status` answer of the control socket. */
export interface DaemonStatus {
  protocol: number;
  pid: number;
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  socket: string;
  schedule: { at: string; timeZone: string; cron: string; cronNextRun: string | null; catchUp: DaemonConfig['catchUp'] };
  lastNight: LastNight | null;
  nextNight: { at: string; date: string; trigger: NightTrigger };
  night: { running: boolean; reason?: NightReason; startedAt?: string };
  lastResult: { reason: NightReason; startedAt: string; finishedAt: string; outcome?: NightOutcome; error?: string } | null;
  watch: { enabled: boolean; watching: string[]; waitingFor: Array<{ root: string; watchingParent: string }>; pendingChanges: number; lastActivityAt: string | null };
  harvest: { runs: number; running: boolean; last: (HarvestSummary & { at: string; files: number | 'all' }) | null; lastError: string | null };
  memory: { rssMb: number; heapUsedMb: number; externalMb: number };
}

interface RunningNight {
  promise: Promise<NightOutcome>;
  reason: NightReason;
  startedAt: string;
}

/**
 * The background service: harvests transcripts as they change, runs one night per night (node-cron at the
 * scheduled time; catch-up at start, on wake and hourly), and answers a local control socket. Every night
 * decision is `shouldRunNight`; work (harvests, nights) runs one at a time.
 */
export class Daemon {
  private config: DaemonConfig;
  private schedule: NightSchedule;
  private readonly cron: CronScheduler;
  private cronTask: { stop(): void; nextRun(): Date | null } | undefined;
  private watcher: TranscriptWatcher | undefined;
  private batcher: ChangeBatcher;
  private server: Server | undefined;
  private closeClients: (() => void) | undefined;
  private singleton: DaemonSingleton | undefined;
  private readonly abort = new AbortController();
  private work: Promise<unknown> = Promise.resolve();
  private night: RunningNight | null = null;
  private lastResult: { reason: NightReason; startedAt: string; finishedAt: string; outcome?: NightOutcome; error?: string } | null = null;
  private pendingHarvest: ChangeBatch | null = null;
  private harvests = { runs: 0, running: false, last: null as (HarvestSummary & { at: string; files: number | 'all' }) | null, lastError: null as string | null };
  private timers: { hourly?: NodeJS.Timeout; tick?: NodeJS.Timeout; retry?: NodeJS.Timeout } = {};
  private lastReading: ClockReading | undefined;
  private startedAt = '';
  private stopping: Promise<number> | undefined;
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code once the daemon has stopped. */
  readonly done: Promise<number>;

  constructor(private readonly deps: DaemonDeps) {
    this.config = deps.services.daemonConfig();
    this.schedule = scheduleFromConfig(this.config, deps.localTimeZone);
    this.cron = deps.cron ?? nodeCronScheduler;
    this.batcher = this.newBatcher();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Become the singleton, open the socket, watch, schedule; then harvest what changed while down and catch up. */
  async start(): Promise<void> {
    const { logger } = this.deps;
    this.startedAt = this.deps.clock.now().toISOString();
    const control = createControlServer((request) => this.handle(request), logger);
    this.server = control.server;
    this.closeClients = control.closeClients;
    this.singleton = await acquireDaemonSingleton(control.server, this.deps.singleton, { clock: this.deps.clock, logger, version: this.deps.version, pid: this.deps.pid });
    logger.info({ pid: this.deps.pid, socket: this.deps.singleton.socket, schedule: `${formatHourMinute(this.schedule.at)} ${this.schedule.timeZone}` }, 'daemon started');
    await this.startWatcher();
    this.armCron();
    this.timers.hourly = setInterval(() => {
      void this.watcher?.reconcile();
      this.checkNight('catch-up', 'hourly');
    }, HOUR);
    const mono = this.deps.monotonicNow ?? (() => performance.now());
    this.lastReading = { wallMs: this.deps.clock.now().getTime(), monoMs: mono() };
    this.timers.tick = setInterval(() => this.tick(mono), this.deps.tickMs ?? 30_000);
    // Whatever the tools wrote while the daemon was down (when watching), then a night missed meanwhile.
    if (this.config.watch.enabled) void this.queueHarvest({ files: [], full: true }).catch(() => undefined);
    this.checkNight('catch-up', 'start');
  }

  /** Stop within the configured deadline: watchers, timers, the current step (aborted), socket, database, logs. */
  stop(reason: string, exitCode = 0): Promise<number> {
    this.stopping ??= (async () => {
      const { logger } = this.deps;
      logger.info({ reason }, 'daemon stopping');
      for (const t of Object.values(this.timers)) clearTimeout(t);
      this.cronTask?.stop();
      this.batcher.dispose();
      this.abort.abort(new SkillOptError('CANCELLED', `daemon stopping (${reason})`));
      const deadlineMs = this.config.shutdownSeconds * 1000;
      const drained = await Promise.race([
        Promise.all([this.work, this.watcher?.close()]).then(() => true),
        sleep(deadlineMs, false, { ref: false }),
      ]);
      if (!drained) logger.error({ deadlineMs }, 'the current step did not finish before the shutdown deadline; exiting anyway (the store is crash-safe)');
      this.closeClients?.();
      await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
      this.singleton?.release();
      if (drained) this.deps.services.close();
      const code = drained ? exitCode : 1;
      logger.info({ code }, 'daemon stopped');
      this.resolveDone(code);
      return code;
    })();
    return this.stopping;
  }

  /** The `status` answer. */
  status(): DaemonStatus {
    const now = this.deps.clock.now();
    const last = this.deps.services.lastNight();
    const next = nextNightAt(now, last, this.schedule);
    return {
      protocol: CONTROL_PROTOCOL_VERSION,
      pid: this.deps.pid,
      version: this.deps.version,
      startedAt: this.startedAt,
      uptimeSeconds: Math.round((now.getTime() - new Date(this.startedAt).getTime()) / 1000),
      socket: this.deps.singleton.socket,
      schedule: { at: formatHourMinute(this.schedule.at), timeZone: this.schedule.timeZone, cron: cronExpression(this.schedule), cronNextRun: this.cronTask?.nextRun()?.toISOString() ?? null, catchUp: this.config.catchUp },
      lastNight: last,
      nextNight: { at: next.at.toISOString(), date: next.date, trigger: next.trigger },
      night: this.night ? { running: true, reason: this.night.reason, startedAt: this.night.startedAt } : { running: false },
      lastResult: this.lastResult,
      watch: { enabled: this.config.watch.enabled, ...(this.watcher?.state() ?? { watching: [], waitingFor: [] }), pendingChanges: this.batcher.pending, lastActivityAt: this.watcher?.lastActivityAt?.toISOString() ?? null },
      harvest: this.harvests,
      memory: (({ rss, heapUsed, external }) => ({ rssMb: Math.round(rss / 1e5) / 10, heapUsedMb: Math.round(heapUsed / 1e5) / 10, externalMb: Math.round(external / 1e5) / 10 }))(process.memoryUsage()),
    };
  }

  private async handle(request: ControlRequest): Promise<unknown> {
    if (this.stopping && request.command !== 'status') throw new SkillOptError('UNAVAILABLE', 'the daemon is stopping', { hint: 'start it again, or wait for the service manager to restart it' });
    switch (request.command) {
      case 'status':
        return this.status();
      case 'run-now': {
        const joined = this.night !== null;
        const promise = this.startNight('run-now');
        if (request.wait === false) return { started: true, joined };
        return { joined, ...(await promise) };
      }
      case 'harvest-now': {
        const promise = this.queueHarvest({ files: [], full: true });
        this.batcher.flushNow(); // pending changes join the full harvest
        if (request.wait === false) return { started: true };
        return await promise;
      }
      case 'reload-config':
        return await this.reload();
      case 'stop':
        setImmediate(() => void this.stop('stop command'));
        return { stopping: true, pid: this.deps.pid };
      default:
        request.command satisfies never;
        throw new SkillOptError('INPUT', 'unknown command');
    }
  }

  private async reload(): Promise<unknown> {
    let next: DaemonConfig;
    try {
      next = this.deps.services.reloadConfig();
    } catch (error) {
      this.deps.logger.error({ err: formatError(error) }, 'reload-config refused; the old config stays');
      throw error;
    }
    const watchChanged = JSON.stringify(next.watch) !== JSON.stringify(this.config.watch);
    this.config = next;
    this.schedule = scheduleFromConfig(next, this.deps.localTimeZone);
    this.deps.setLogLevel?.(next.log.level);
    this.armCron();
    if (watchChanged) {
      this.batcher.flushNow();
      this.batcher = this.newBatcher();
      await this.watcher?.close();
      this.watcher = undefined;
      await this.startWatcher();
    } else {
      await this.watcher?.setRoots(this.deps.services.transcriptRoots());
    }
    this.deps.logger.info({ schedule: formatHourMinute(this.schedule.at), timeZone: this.schedule.timeZone }, 'config reloaded');
    this.checkNight('catch-up', 'reload');
    return { reloaded: true, schedule: { at: formatHourMinute(this.schedule.at), timeZone: this.schedule.timeZone }, roots: this.deps.services.transcriptRoots() };
  }

  private newBatcher(): ChangeBatcher {
    return new ChangeBatcher({ debounceMs: this.config.watch.debounceMs, maxWaitMs: this.config.watch.maxWaitMs }, (batch) => void this.queueHarvest(batch).catch(() => undefined));
  }

  private async startWatcher(): Promise<void> {
    if (!this.config.watch.enabled) return;
    const watcher = new TranscriptWatcher(
      this.deps.services.transcriptRoots(),
      { onFile: (path) => this.batcher.add(path), onRootAppeared: () => this.batcher.addFull() },
      { usePolling: this.config.watch.usePolling, pollIntervalMs: this.config.watch.pollIntervalMs },
      { clock: this.deps.clock, logger: this.deps.logger },
    );
    this.watcher = watcher;
    await watcher.start();
  }

  private armCron(): void {
    this.cronTask?.stop();
    this.cronTask = this.cron.schedule(cronExpression(this.schedule), this.schedule.timeZone, () => this.checkNight('schedule', 'cron'));
  }

  private tick(mono: () => number): void {
    const reading = { wallMs: this.deps.clock.now().getTime(), monoMs: mono() };
    const previous = this.lastReading ?? reading;
    this.lastReading = reading;
    const jump = detectClockJump(previous, reading, 60_000);
    if (!jump.jumped) return;
    this.deps.logger.info({ skewSeconds: Math.round(jump.skewMs / 1000) }, jump.skewMs > 0 ? 'woke from sleep or the clock jumped forward' : 'the clock jumped back');
    // node-cron armed its timer from the old wall time: re-arm it, look at the roots, and catch up.
    this.armCron();
    void this.watcher?.reconcile();
    this.checkNight('catch-up', 'wake');
  }

  private checkNight(trigger: NightTrigger, why: string): void {
    if (this.stopping || this.night) return;
    let decision: ReturnType<typeof shouldRunNight>;
    try {
      decision = shouldRunNight(this.deps.clock.now(), this.deps.services.lastNight(), this.schedule, { trigger, lastActivityAt: this.watcher?.lastActivityAt ?? null });
    } catch (error) {
      this.deps.logger.error({ err: error }, 'cannot decide about the night (the store is unreadable?); asking again in an hour');
      return;
    }
    this.deps.logger.debug({ trigger, why, decision }, 'night decision');
    if (decision.run) {
      void this.startNight(trigger === 'schedule' ? 'schedule' : 'catch-up').catch(() => undefined);
      return;
    }
    clearTimeout(this.timers.retry);
    if (decision.retryAt && ['agent-active', 'outside-hours', 'too-soon'].includes(decision.reason)) {
      const delay = decision.retryAt.getTime() - this.deps.clock.now().getTime();
      if (delay < HOUR) {
        this.deps.logger.info({ reason: decision.reason, detail: decision.detail, retryAt: decision.retryAt.toISOString() }, 'night put off');
        this.timers.retry = setTimeout(() => this.checkNight(trigger, 'retry'), Math.max(1000, delay));
      }
    }
  }

  private startNight(reason: NightReason): Promise<NightOutcome> {
    if (this.night) return this.night.promise;
    const startedAt = this.deps.clock.now().toISOString();
    const promise = this.exclusive(() => {
      if (this.abort.signal.aborted) throw new SkillOptError('CANCELLED', 'the daemon is stopping');
      return this.deps.services.runNight({ reason, signal: this.abort.signal });
    });
    const night: RunningNight = { promise, reason, startedAt };
    this.night = night;
    promise.then(
      (outcome) => {
        this.lastResult = { reason, startedAt, finishedAt: this.deps.clock.now().toISOString(), outcome };
        this.deps.logger.info({ reason, ...outcome }, 'night done');
      },
      (error: unknown) => {
        this.lastResult = { reason, startedAt, finishedAt: this.deps.clock.now().toISOString(), error: formatError(error) };
        if (isSkillOptError(error, 'LOCKED')) this.deps.logger.warn({ err: formatError(error) }, 'night not started: another process holds the night lock');
        else this.deps.logger.error({ err: error }, 'night failed');
      },
    ).finally(() => {
      if (this.night === night) this.night = null;
    });
    return promise;
  }

  private queueHarvest(batch: ChangeBatch): Promise<HarvestSummary> {
    if (this.pendingHarvest) {
      this.pendingHarvest = { files: [...new Set([...this.pendingHarvest.files, ...batch.files])], full: this.pendingHarvest.full || batch.full };
      return this.pendingPromise ?? Promise.reject(new Error('no pending harvest'));
    }
    this.pendingHarvest = batch;
    this.pendingPromise = this.exclusive(async () => {
      const taken = this.pendingHarvest ?? { files: [], full: true };
      this.pendingHarvest = null;
      this.pendingPromise = undefined;
      return this.harvest(taken);
    });
    return this.pendingPromise;
  }

  private pendingPromise: Promise<HarvestSummary> | undefined;

  private async harvest(batch: ChangeBatch): Promise<HarvestSummary> {
    const at = this.deps.clock.now().toISOString();
    this.harvests.running = true;
    try {
      const summary = await this.deps.services.harvest({ ...(batch.full ? {} : { files: batch.files }), signal: this.abort.signal });
      this.harvests.runs++;
      this.harvests.last = { ...summary, at, files: batch.full ? 'all' : batch.files.length };
      this.harvests.lastError = null;
      if (summary.filesRead > 0) this.deps.logger.info({ ...summary, changed: batch.full ? 'all' : batch.files.length }, 'harvested');
      return summary;
    } catch (error) {
      this.harvests.lastError = formatError(error);
      this.deps.logger.error({ err: error }, 'harvest failed; the files are read again at the next change');
      throw error;
    } finally {
      this.harvests.running = false;
    }
  }

  /** Work runs one piece at a time; a failed piece does not block the next. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.work.then(fn, fn);
    this.work = run.catch(() => undefined);
    return run;
  }
}
