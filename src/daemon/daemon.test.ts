import { describe, it, expect, afterEach } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixedClock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { DaemonConfigSchema, type DaemonConfig } from './config.js';
import { askDaemon, resultOf, type DaemonReply } from './control-client.js';
import type { CronScheduler } from './cron.js';
import { Daemon } from './daemon.js';
import type { LastNight } from './schedule.js';
import type { DaemonServices, NightOutcome } from './services.js';
import { singletonPaths } from './singleton.js';
import { ChangeBatcher, type Timers } from './batcher.js';
import { detectClockJump } from './clock-jump.js';

/** The result of a reply the daemon answered. */
function answer<T>(reply: DaemonReply): T {
  if (!reply.reachable) throw new Error(`daemon not reachable: ${reply.detail}`);
  return resultOf<T>(reply.response);
}

interface Fake {
  services: DaemonServices;
  nights: Array<{ reason: string }>;
  harvests: Array<{ files?: readonly string[] | undefined }>;
  release(): void;
  setConfig(c: unknown): void;
}

function fakeServices(options: { roots?: string[]; config?: unknown; nightMs?: number; last?: LastNight | null } = {}): Fake {
  let last: LastNight | null = options.last ?? null;
  let config: DaemonConfig = DaemonConfigSchema.parse(options.config ?? { catchUp: { enabled: false }, watch: { enabled: false } });
  let next: unknown;
  const nights: Array<{ reason: string }> = [];
  const harvests: Array<{ files?: readonly string[] | undefined }> = [];
  let release: () => void = () => undefined;
  return {
    nights,
    harvests,
    release: () => release(),
    setConfig: (c) => (next = c),
    services: {
      harvest: async (r) => {
        harvests.push({ files: r.files });
        return { filesSeen: r.files?.length ?? 0, filesRead: r.files?.length ?? 0, sessionsNew: 0, sessionsUpdated: 0, bytesRead: 0, durationMs: 1 };
      },
      runNight: async ({ reason, signal }): Promise<NightOutcome> => {
        nights.push({ reason });
        await new Promise<void>((resolve) => {
          release = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
          if (options.nightMs !== undefined) setTimeout(resolve, options.nightMs);
        });
        if (signal.aborted) return { night: nights.length, outcome: 'interrupted' };
        last = { startedAt: '2026-03-11T10:00:00.000Z', finishedAt: '2026-03-11T10:00:01.000Z' };
        return { night: nights.length, outcome: 'completed' };
      },
      lastNight: () => last,
      transcriptRoots: () => options.roots ?? [],
      daemonConfig: () => config,
      reloadConfig: () => {
        const parsed = DaemonConfigSchema.safeParse(next);
        if (!parsed.success) throw new SkillOptError('CONFIG', `config.json has invalid settings: ${parsed.error.issues[0]?.path.join('.')}`);
        config = parsed.data;
        return config;
      },
      close: () => undefined,
    },
  };
}

function fakeCron(): CronScheduler & { fire(): void; expressions: string[] } {
  let fn: (() => void) | undefined;
  const expressions: string[] = [];
  return {
    expressions,
    fire: () => fn?.(),
    schedule: (expression, _tz, fire) => {
      expressions.push(expression);
      fn = fire;
      return { stop: () => (fn = undefined), nextRun: () => null };
    },
  };
}

const running: Daemon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop('test end')));
});

function startDaemon(fake: Fake, options: { home?: string; cron?: CronScheduler; clock?: ReturnType<typeof fixedClock> } = {}) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'sos-d-'));
  const clock = options.clock ?? fixedClock('2026-03-11T10:00:00Z');
  const daemon = new Daemon({ services: fake.services, clock, logger: silentLogger, singleton: singletonPaths(home), localTimeZone: 'UTC', version: 'test', pid: process.pid, ...(options.cron ? { cron: options.cron } : {}) });
  running.push(daemon);
  return { daemon, home, socket: join(home, 'control.sock'), clock };
}

describe('Daemon over its control socket (fake services, real socket)', () => {
  it('answers status with its pid, schedule and next night; the socket is 0600', async () => {
    const fake = fakeServices();
    const { daemon, socket } = startDaemon(fake, { cron: fakeCron() });
    await daemon.start();
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const reply = await askDaemon(socket, 'status');
    expect(reply.reachable).toBe(true);
    const status = answer<Record<string, unknown>>(reply);
    expect(status).toMatchObject({ protocol: 1, pid: process.pid, schedule: { at: '03:00', timeZone: 'UTC', cron: '0 3 * * *' }, night: { running: false }, lastNight: null });
    // No night yet and catch-up off: the next night is tomorrow's slot.
    expect(status.nextNight).toMatchObject({ at: '2026-03-12T03:00:00.000Z', trigger: 'schedule' });
  });

  it('two run-now at once give one night: the second joins the first', async () => {
    const fake = fakeServices();
    const { daemon, socket } = startDaemon(fake, { cron: fakeCron() });
    await daemon.start();
    const a = askDaemon(socket, 'run-now', { timeoutMs: 10_000 });
    await sleep(50);
    const b = askDaemon(socket, 'run-now', { timeoutMs: 10_000 });
    await sleep(50);
    expect(fake.nights).toHaveLength(1);
    fake.release();
    const [ra, rb] = await Promise.all([a, b]);
    const oa = answer<{ night: number; joined: boolean }>(ra);
    const ob = answer<{ night: number; joined: boolean }>(rb);
    expect(oa).toMatchObject({ night: 1, joined: false, outcome: 'completed' });
    expect(ob).toMatchObject({ night: 1, joined: true });
    expect(fake.nights).toEqual([{ reason: 'run-now' }]);
  });

  it('cron fires the night once per date; catch-up at start runs a missed one', async () => {
    const cron = fakeCron();
    const fake = fakeServices({ nightMs: 1 });
    const { daemon } = startDaemon(fake, { cron });
    await daemon.start();
    expect(fake.nights).toHaveLength(0); // catch-up is off in this config
    cron.fire();
    await sleep(30);
    cron.fire(); // the same date again (a DST repeat, a second trigger)
    await sleep(30);
    expect(fake.nights).toEqual([{ reason: 'schedule' }]);

    const missed = fakeServices({ nightMs: 1, config: { watch: { enabled: false } }, last: { startedAt: '2026-03-09T03:00:00Z', finishedAt: '2026-03-09T03:10:00Z' } });
    const second = startDaemon(missed, { cron: fakeCron() });
    await second.daemon.start();
    await sleep(30);
    expect(missed.nights).toEqual([{ reason: 'catch-up' }]);
  });

  it('on wake (the wall clock jumps ahead of the monotonic one) catches up the night it slept through', async () => {
    const fake = fakeServices({ nightMs: 1, config: { watch: { enabled: false } }, last: { startedAt: '2026-03-10T03:00:00Z', finishedAt: '2026-03-10T03:20:00Z' } });
    const home = mkdtempSync(join(tmpdir(), 'sos-wake-'));
    const clock = fixedClock('2026-03-11T02:00:00Z'); // before tonight's 03:00 slot: nothing to do
    const daemon = new Daemon({ services: fake.services, clock, logger: silentLogger, singleton: singletonPaths(home), localTimeZone: 'UTC', version: 'test', pid: process.pid, cron: fakeCron(), monotonicNow: () => 0, tickMs: 20 });
    running.push(daemon);
    await daemon.start();
    await sleep(60);
    expect(fake.nights).toEqual([]);
    clock.set('2026-03-11T10:00:00Z'); // asleep for 8 h: the monotonic clock did not move
    await waitFor(() => fake.nights.length > 0);
    expect(fake.nights).toEqual([{ reason: 'catch-up' }]);
  });

  it('refuses a second daemon on the same state folder, naming the running one', async () => {
    const fake = fakeServices();
    const first = startDaemon(fake, { cron: fakeCron() });
    await first.daemon.start();
    const second = new Daemon({ services: fakeServices().services, clock: fixedClock('2026-03-11T10:00:00Z'), logger: silentLogger, singleton: singletonPaths(first.home), localTimeZone: 'UTC', version: 'test', pid: 999_999, cron: fakeCron() });
    await expect(second.start()).rejects.toThrow(new RegExp(`already running \\(pid ${process.pid}\\)`));
    // The first one is unharmed.
    expect((await askDaemon(first.socket, 'status')).reachable).toBe(true);
  });

  it('reload-config refuses a broken config and keeps the old one; a good one re-arms cron', async () => {
    const cron = fakeCron();
    const fake = fakeServices();
    const { daemon, socket } = startDaemon(fake, { cron });
    await daemon.start();
    fake.setConfig({ schedule: { at: '25:61' } });
    const bad = await askDaemon(socket, 'reload-config');
    expect((bad as { response: { ok: boolean; error: { code: string; message: string } } }).response).toMatchObject({ ok: false, error: { code: 'CONFIG', message: expect.stringMatching(/schedule\.at/) } });
    fake.setConfig({ schedule: { at: '04:30' }, catchUp: { enabled: false }, watch: { enabled: false } });
    const good = answer<{ schedule: { at: string } }>(await askDaemon(socket, 'reload-config'));
    expect(good.schedule.at).toBe('04:30');
    expect(cron.expressions).toEqual(['0 3 * * *', '30 4 * * *']);
  });

  it('answers bad requests with an error line and keeps serving', async () => {
    const { daemon, socket } = startDaemon(fakeServices(), { cron: fakeCron() });
    await daemon.start();
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const s = connect(socket);
      let text = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        text += d;
        if (text.split('\n').length > 2) {
          s.destroy();
          resolve(text);
        }
      });
      s.write('not json\n{"command":"dance"}\n');
    });
    const [one, two] = answer.trim().split('\n').map((l) => JSON.parse(l));
    expect(one).toMatchObject({ ok: false, error: { code: 'INPUT', message: 'the request is not JSON' } });
    expect(two.error.message).toMatch(/unknown command "dance"; expected one of status, run-now/);
    expect((await askDaemon(socket, 'status')).reachable).toBe(true);
  });

  it('stop aborts the night in flight, closes the socket and removes its files', async () => {
    const fake = fakeServices();
    const { daemon, socket, home } = startDaemon(fake, { cron: fakeCron() });
    await daemon.start();
    const night = askDaemon(socket, 'run-now', { timeoutMs: 10_000 });
    await sleep(50);
    expect(existsSync(join(home, 'daemon.pid'))).toBe(true);
    const stop = await askDaemon(socket, 'stop');
    expect((stop as { response: { ok: boolean } }).response.ok).toBe(true);
    expect(await daemon.done).toBe(0);
    expect(answer<{ outcome: string }>(await night).outcome).toBe('interrupted');
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(home, 'daemon.pid'))).toBe(false);
    expect((await askDaemon(socket, 'status')).reachable).toBe(false);
  });

  it('harvests a changed transcript (debounced) and a root that appears later', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-w-'));
    const present = join(home, 'present');
    const later = join(home, 'not', 'yet', 'there');
    mkdirSync(present);
    const fake = fakeServices({ roots: [present, later], config: { catchUp: { enabled: false }, watch: { debounceMs: 100 } } });
    const { daemon } = startDaemon(fake, { home, cron: fakeCron() });
    await daemon.start();
    await waitFor(() => fake.harvests.length >= 1); // the start-up harvest of everything
    const file = join(present, 'session.jsonl');
    writeFileSync(file, '{"a":1}\n');
    await waitFor(() => fake.harvests.some((h) => h.files?.includes(file)));
    appendFileSync(file, '{"a":2}\n');
    writeFileSync(join(present, 'state.vscdb'), 'not a transcript');
    const before = fake.harvests.length;
    await waitFor(() => fake.harvests.length > before);
    expect(fake.harvests.at(-1)?.files).toEqual([file]);
    // A new project folder with a file written at once (before chokidar watches the folder).
    const fresh = join(present, '-new-project', 'fresh.jsonl');
    mkdirSync(join(present, '-new-project'));
    writeFileSync(fresh, '{"a":3}\n');
    await waitFor(() => fake.harvests.some((h) => h.files?.includes(fresh)));
    const mid = fake.harvests.length;
    mkdirSync(later, { recursive: true });
    await waitFor(() => fake.harvests.length > mid && fake.harvests.at(-1)?.files === undefined);
    const status = daemon.status() as { watch: { watching: string[] } };
    expect(status.watch.watching).toEqual([later, present].sort());
  });
});

describe('watcher in polling mode (network disks)', () => {
  it('sees an append to a transcript by polling it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-p-'));
    const root = join(home, 'root');
    mkdirSync(root);
    const file = join(root, 's.jsonl');
    writeFileSync(file, '{"a":1}\n');
    const fake = fakeServices({ roots: [root], config: { catchUp: { enabled: false }, watch: { debounceMs: 50, usePolling: true, pollIntervalMs: 100 } } });
    const { daemon } = startDaemon(fake, { home, cron: fakeCron() });
    await daemon.start();
    await waitFor(() => fake.harvests.length >= 1);
    await sleep(300);
    appendFileSync(file, '{"a":2}\n');
    await waitFor(() => fake.harvests.some((h) => h.files?.includes(file)));
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error('timed out waiting');
    await sleep(25);
  }
}

describe('ChangeBatcher (fake timers)', () => {
  function fakeTimers(): Timers & { advance(ms: number): void } {
    let now = 0;
    let id = 0;
    const pending = new Map<number, { at: number; fn: () => void }>();
    return {
      setTimeout: (fn, ms) => (pending.set(++id, { at: now + ms, fn }), id),
      clearTimeout: (h) => void pending.delete(h as number),
      advance(ms) {
        const end = now + ms;
        for (;;) {
          const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
          if (!next || next[1].at > end) break;
          now = next[1].at;
          pending.delete(next[0]);
          next[1].fn();
        }
        now = end;
      },
    };
  }

  it('flushes after a quiet period, and at most maxWait after the first change while changes keep coming', () => {
    const timers = fakeTimers();
    const batches: string[][] = [];
    const b = new ChangeBatcher({ debounceMs: 1000, maxWaitMs: 5000 }, (batch) => batches.push(batch.files), timers);
    b.add('/a');
    timers.advance(500);
    b.add('/b');
    b.add('/a');
    timers.advance(999);
    expect(batches).toEqual([]);
    timers.advance(1);
    expect(batches).toEqual([['/a', '/b']]);
    for (let t = 0; t < 12; t++) {
      b.add('/c');
      timers.advance(500);
    }
    expect(batches[1]).toEqual(['/c']); // cut by maxWait at 5 s, not starved by the steady stream
    expect(batches.length).toBeGreaterThanOrEqual(2);
  });
});

describe('clock jump detection', () => {
  it('sees a wake (wall ahead of monotonic) and a clock set back, not ordinary drift', () => {
    expect(detectClockJump({ wallMs: 0, monoMs: 0 }, { wallMs: 30_500, monoMs: 30_000 }, 60_000).jumped).toBe(false);
    expect(detectClockJump({ wallMs: 0, monoMs: 0 }, { wallMs: 8 * 3_600_000, monoMs: 30_000 }, 60_000)).toMatchObject({ jumped: true, skewMs: 8 * 3_600_000 - 30_000 });
    expect(detectClockJump({ wallMs: 10_000_000, monoMs: 0 }, { wallMs: 10_000_000 - 3_600_000, monoMs: 30_000 }, 60_000).jumped).toBe(true);
  });
});
