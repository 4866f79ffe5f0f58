import { describe, it, expect } from 'vitest';
import { DaemonConfigSchema } from './config.js';
import { cronExpression, nextNightAt, nightDateOf, scheduleFromConfig, shouldRunNight, slotOf, type LastNight, type NightSchedule } from './schedule.js';
import { instantAt, offsetMinutes } from './zoned-time.js';

function schedule(overrides: Record<string, unknown> = {}, zone = 'UTC'): NightSchedule {
  return scheduleFromConfig(DaemonConfigSchema.parse(overrides), zone);
}
const at = (iso: string) => new Date(iso);
const night = (startedAt: string, finishedAt?: string): LastNight => ({ startedAt, finishedAt: finishedAt ?? startedAt });

describe('shouldRunNight (fixed clock)', () => {
  const s = schedule();

  it('runs the scheduled night at 03:00 and refuses a second trigger for the same date', () => {
    const yesterday = night('2026-03-10T03:00:00Z', '2026-03-10T03:40:00Z');
    const cron = shouldRunNight(at('2026-03-11T03:00:00Z'), yesterday, s, { trigger: 'schedule' });
    expect(cron).toMatchObject({ run: true, date: '2026-03-11', reason: 'scheduled' });
    // The night ran; the hourly catch-up fires in the same minute, then cron fires again (a fall-back repeat).
    const ran = night('2026-03-11T03:00:00Z', '2026-03-11T03:30:00Z');
    expect(shouldRunNight(at('2026-03-11T03:00:30Z'), ran, s, { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'already-ran', retryAt: at('2026-03-12T03:00:00Z') });
    expect(shouldRunNight(at('2026-03-11T03:59:00Z'), ran, s, { trigger: 'schedule' })).toMatchObject({ run: false, reason: 'already-ran' });
  });

  it('catches up a night the laptop slept through, once', () => {
    const last = night('2026-03-09T03:00:00Z', '2026-03-09T03:20:00Z');
    const wake = shouldRunNight(at('2026-03-11T08:30:00Z'), last, s, { trigger: 'catch-up' });
    expect(wake).toMatchObject({ run: true, date: '2026-03-11', reason: 'missed' });
    // After the catch-up night, neither the hourly check nor tomorrow's early hours run another one for that date.
    const caught = night('2026-03-11T08:30:00Z', '2026-03-11T09:00:00Z');
    expect(shouldRunNight(at('2026-03-11T09:30:00Z'), caught, s, { trigger: 'catch-up' }).run).toBe(false);
    expect(shouldRunNight(at('2026-03-12T02:59:00Z'), caught, s, { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'already-ran' });
    // At tomorrow's slot the scheduled night runs (a new date).
    expect(shouldRunNight(at('2026-03-12T03:00:00Z'), caught, s, { trigger: 'schedule' })).toMatchObject({ run: true, date: '2026-03-12' });
  });

  it('before the slot, the instant belongs to the previous night', () => {
    expect(nightDateOf(at('2026-03-11T02:59:59Z'), s)).toBe('2026-03-10');
    expect(nightDateOf(at('2026-03-11T03:00:00Z'), s)).toBe('2026-03-11');
    const last = night('2026-03-10T03:00:00Z');
    expect(shouldRunNight(at('2026-03-11T01:00:00Z'), last, s, { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'already-ran', retryAt: at('2026-03-11T03:00:00Z') });
  });

  it('runs a first night ever at once when catch-up allows it', () => {
    expect(shouldRunNight(at('2026-03-11T15:00:00Z'), null, s, { trigger: 'catch-up' })).toMatchObject({ run: true, reason: 'missed' });
    expect(shouldRunNight(at('2026-03-11T15:00:00Z'), null, schedule({ catchUp: { enabled: false } }), { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'catch-up-disabled' });
  });

  it('keeps catch-up inside the allowed hours, including a window that wraps midnight', () => {
    const wrap = schedule({ catchUp: { from: '22:00', to: '08:00' } });
    const last = night('2026-03-08T03:00:00Z');
    expect(shouldRunNight(at('2026-03-11T12:00:00Z'), last, wrap, { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'outside-hours', retryAt: at('2026-03-11T22:00:00Z') });
    expect(shouldRunNight(at('2026-03-11T23:00:00Z'), last, wrap, { trigger: 'catch-up' })).toMatchObject({ run: true });
    expect(shouldRunNight(at('2026-03-11T07:59:00Z'), last, wrap, { trigger: 'catch-up' })).toMatchObject({ run: true });
    // The scheduled trigger is not bound by the catch-up hours.
    expect(shouldRunNight(at('2026-03-11T03:00:00Z'), last, schedule({ catchUp: { from: '09:00', to: '17:00' } }), { trigger: 'schedule' }).run).toBe(true);
  });

  it('waits out the window after a recent night (a manual run late in the evening)', () => {
    const manual = night('2026-03-10T23:00:00Z', '2026-03-10T23:30:00Z'); // night date 2026-03-10
    const d = shouldRunNight(at('2026-03-11T09:00:00Z'), manual, s, { trigger: 'catch-up' });
    expect(d).toMatchObject({ run: false, reason: 'too-soon', retryAt: at('2026-03-11T11:30:00Z') });
    expect(shouldRunNight(at('2026-03-11T11:30:00Z'), manual, s, { trigger: 'catch-up' }).run).toBe(true);
  });

  it('puts a night off while an agent session is active, up to maxDelayMinutes after the slot', () => {
    const last = night('2026-03-10T03:00:00Z');
    const busy = shouldRunNight(at('2026-03-11T03:00:00Z'), last, s, { trigger: 'schedule', lastActivityAt: at('2026-03-11T02:58:00Z') });
    expect(busy).toMatchObject({ run: false, reason: 'agent-active', retryAt: at('2026-03-11T03:08:00Z') });
    expect(shouldRunNight(at('2026-03-11T03:08:00Z'), last, s, { trigger: 'catch-up', lastActivityAt: at('2026-03-11T02:58:00Z') }).run).toBe(true);
    // Two hours after the slot, the night runs even if the person never stops.
    expect(shouldRunNight(at('2026-03-11T05:00:00Z'), last, s, { trigger: 'catch-up', lastActivityAt: at('2026-03-11T04:59:00Z') }).run).toBe(true);
    expect(shouldRunNight(at('2026-03-11T03:00:00Z'), last, schedule({ activeSession: { quietMinutes: 0 } }), { trigger: 'schedule', lastActivityAt: at('2026-03-11T02:59:59Z') }).run).toBe(true);
  });

  it('handles a clock jump forward (wake after sleep) as an ordinary catch-up decision', () => {
    // Asleep from 02:00 to 10:00: the cron slot passed unseen; the wake check at 10:00 runs the missed night.
    const last = night('2026-03-10T03:00:00Z');
    expect(shouldRunNight(at('2026-03-11T02:00:00Z'), last, s, { trigger: 'catch-up' }).run).toBe(false);
    expect(shouldRunNight(at('2026-03-11T10:00:00Z'), last, s, { trigger: 'catch-up' })).toMatchObject({ run: true, date: '2026-03-11' });
    // A jump backwards (clock set back to before the slot) does not re-run the night of that date.
    const ran = night('2026-03-11T10:00:00Z');
    expect(shouldRunNight(at('2026-03-11T04:00:00Z'), ran, s, { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'already-ran' });
  });
});

describe('DST changes', () => {
  it('a slot in the spring-forward gap runs after the jump, once (Europe/Berlin, 02:30)', () => {
    const s = schedule({ schedule: { at: '02:30', timezone: 'Europe/Berlin' } });
    // 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 never happens; it reads as 03:30 CEST = 01:30Z.
    expect(slotOf('2026-03-29', s).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(slotOf('2026-03-28', s).toISOString()).toBe('2026-03-28T01:30:00.000Z');
    expect(slotOf('2026-03-30', s).toISOString()).toBe('2026-03-30T00:30:00.000Z');
    const last = night('2026-03-28T01:30:00Z');
    expect(shouldRunNight(at('2026-03-29T01:15:00Z'), last, s, { trigger: 'catch-up' })).toMatchObject({ run: false, reason: 'already-ran' });
    expect(shouldRunNight(at('2026-03-29T01:30:00Z'), last, s, { trigger: 'catch-up' })).toMatchObject({ run: true, date: '2026-03-29' });
  });

  it('a slot repeated by the fall-back overlap runs at its first occurrence only (Europe/Berlin, 02:30)', () => {
    const s = schedule({ schedule: { at: '02:30', timezone: 'Europe/Berlin' } });
    // 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens at 00:30Z and again at 01:30Z.
    expect(slotOf('2026-10-25', s).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const last = night('2026-10-24T00:30:00Z');
    expect(shouldRunNight(at('2026-10-25T00:30:00Z'), last, s, { trigger: 'schedule' })).toMatchObject({ run: true, date: '2026-10-25' });
    const ran = night('2026-10-25T00:30:00Z', '2026-10-25T01:10:00Z');
    // node-cron may fire again at the second 02:30 local: same date, refused.
    expect(shouldRunNight(at('2026-10-25T01:30:00Z'), ran, s, { trigger: 'schedule' })).toMatchObject({ run: false, reason: 'already-ran' });
    // The next slot is 02:30 CET = 01:30Z.
    expect(nextNightAt(at('2026-10-25T02:00:00Z'), ran, s).at.toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('keeps the local hour across a US change (America/New_York, 03:00)', () => {
    const s = schedule({ schedule: { at: '03:00', timezone: 'America/New_York' } });
    expect(slotOf('2026-03-07', s).toISOString()).toBe('2026-03-07T08:00:00.000Z'); // EST
    expect(slotOf('2026-03-08', s).toISOString()).toBe('2026-03-08T07:00:00.000Z'); // EDT, 03:00 exists (the gap is 02:00-03:00)
    expect(offsetMinutes(at('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(instantAt('2026-11-01', 90, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z'); // first 01:30 (EDT)
  });
});

describe('nextNightAt', () => {
  const s = schedule();
  it('is tomorrow at the slot after tonight\'s night, now when one is due, and the window end after a late manual night', () => {
    expect(nextNightAt(at('2026-03-11T04:00:00Z'), night('2026-03-11T03:00:00Z'), s)).toMatchObject({ at: at('2026-03-12T03:00:00Z'), date: '2026-03-12', trigger: 'schedule' });
    expect(nextNightAt(at('2026-03-11T10:00:00Z'), night('2026-03-09T03:00:00Z'), s)).toMatchObject({ at: at('2026-03-11T10:00:00Z'), trigger: 'catch-up' });
    expect(nextNightAt(at('2026-03-11T09:00:00Z'), night('2026-03-10T23:00:00Z', '2026-03-10T23:30:00Z'), s).at).toEqual(at('2026-03-11T11:30:00Z'));
    expect(nextNightAt(at('2026-03-11T12:00:00Z'), night('2026-03-01T03:00:00Z'), schedule({ catchUp: { from: '22:00', to: '23:00' } })).at).toEqual(at('2026-03-11T22:00:00Z'));
  });
  it('renders the cron expression of the slot', () => {
    expect(cronExpression(schedule({ schedule: { at: '02:05' } }))).toBe('5 2 * * *');
  });
});

describe('daemon config: bad input', () => {
  it('names a bad time and an unknown time zone', () => {
    const r = DaemonConfigSchema.safeParse({ schedule: { at: '25:00', timezone: 'Mars/Olympus_Mons' }, catchUp: { from: '7am' } });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^schedule\.at: expected a time HH:MM/),
      expect.stringMatching(/^schedule\.timezone: unknown time zone/),
      expect.stringMatching(/^catchUp\.from: expected a time HH:MM/),
    ]));
  });
});
