import type { DaemonConfig } from './config.js';
import { addDays, instantAt, minuteOfDay, parseHourMinute, wallTime, type LocalDate } from './zoned-time.js';

/** The nightly schedule as plain data (minutes past local midnight in one zone). */
export interface NightSchedule {
  at: number;
  timeZone: string;
  catchUp: { enabled: boolean; from: number; to: number; windowHours: number };
  quietMinutes: number;
  maxDelayMinutes: number;
}

/** The last night that counts (finished, failed or out of budget; an interrupted night does not count). */
export interface LastNight {
  /** Its night date; derived from startedAt when absent. */
  date?: LocalDate | undefined;
  startedAt: string;
  finishedAt?: string | null | undefined;
}

/** What asked: node-cron at the scheduled time, or the catch-up timer (start, wake, hourly, retry). */
export type NightTrigger = 'schedule' | 'catch-up';

/** Why a night runs now, or why not and when to ask again. */
export type NightDecision =
  | { run: true; date: LocalDate; reason: 'scheduled' | 'missed'; slot: Date }
  | { run: false; date: LocalDate; reason: 'already-ran' | 'catch-up-disabled' | 'outside-hours' | 'too-soon' | 'agent-active'; detail: string; retryAt: Date | null; slot: Date };

/** The schedule of a validated daemon config; `localTimeZone` is the machine's zone (the default). */
export function scheduleFromConfig(config: DaemonConfig, localTimeZone: string): NightSchedule {
  const minutes = (s: string) => parseHourMinute(s) ?? 0; // validated by the schema
  return {
    at: minutes(config.schedule.at),
    timeZone: config.schedule.timezone ?? localTimeZone,
    catchUp: { enabled: config.catchUp.enabled, from: minutes(config.catchUp.from), to: minutes(config.catchUp.to), windowHours: config.catchUp.windowHours },
    quietMinutes: config.activeSession.quietMinutes,
    maxDelayMinutes: config.activeSession.maxDelayMinutes,
  };
}

/** `HH:MM` of minutes past midnight. */
export function formatHourMinute(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The scheduled instant of the night of `date`. */
export function slotOf(date: LocalDate, schedule: NightSchedule): Date {
  return instantAt(date, schedule.at, schedule.timeZone);
}

/** The night an instant belongs to: the local date of the latest scheduled time at or before it. */
export function nightDateOf(instant: Date, schedule: NightSchedule): LocalDate {
  const today = wallTime(instant, schedule.timeZone).date;
  return instant.getTime() >= slotOf(today, schedule).getTime() ? today : addDays(today, -1);
}

function insideHours(minute: number, from: number, to: number): boolean {
  return from <= to ? minute >= from && minute <= to : minute >= from || minute <= to;
}

function lastNightDate(last: LastNight, schedule: NightSchedule): LocalDate {
  return last.date ?? nightDateOf(new Date(last.startedAt), schedule);
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * Should a night start now? Pure: node-cron and the catch-up timer only call it. At most one night per night date;
 * a catch-up also needs the allowed hours and a last night older than the window; a live agent session puts the
 * night off (up to maxDelayMinutes after its slot).
 */
export function shouldRunNight(now: Date, lastNight: LastNight | null, schedule: NightSchedule, context: { trigger: NightTrigger; lastActivityAt?: Date | null | undefined }): NightDecision {
  const date = nightDateOf(now, schedule);
  const slot = slotOf(date, schedule);
  const nextSlot = slotOf(addDays(date, 1), schedule);
  if (lastNight && lastNightDate(lastNight, schedule) >= date) {
    return { run: false, date, slot, reason: 'already-ran', detail: `the night of ${date} already ran`, retryAt: nextSlot };
  }
  if (context.trigger === 'catch-up') {
    const c = schedule.catchUp;
    if (!c.enabled) return { run: false, date, slot, reason: 'catch-up-disabled', detail: 'catch-up is off (daemon.catchUp.enabled)', retryAt: nextSlot };
    if (!insideHours(minuteOfDay(now, schedule.timeZone), c.from, c.to)) {
      const today = wallTime(now, schedule.timeZone).date;
      const opens = [today, addDays(today, 1)].map((d) => instantAt(d, c.from, schedule.timeZone)).find((t) => t.getTime() > now.getTime()) ?? nextSlot;
      return { run: false, date, slot, reason: 'outside-hours', detail: `catch-up runs between ${formatHourMinute(c.from)} and ${formatHourMinute(c.to)}`, retryAt: opens.getTime() < nextSlot.getTime() ? opens : nextSlot };
    }
    if (lastNight) {
      const age = now.getTime() - new Date(lastNight.finishedAt ?? lastNight.startedAt).getTime();
      if (age < c.windowHours * HOUR) {
        const at = new Date(now.getTime() - age + c.windowHours * HOUR);
        return { run: false, date, slot, reason: 'too-soon', detail: `the last night is younger than ${c.windowHours} h`, retryAt: at.getTime() < nextSlot.getTime() ? at : nextSlot };
      }
    }
  }
  if (schedule.quietMinutes > 0 && context.lastActivityAt) {
    const quietUntil = context.lastActivityAt.getTime() + schedule.quietMinutes * MINUTE;
    const deadline = slot.getTime() + schedule.maxDelayMinutes * MINUTE;
    if (now.getTime() < quietUntil && now.getTime() < deadline) {
      return { run: false, date, slot, reason: 'agent-active', detail: `a transcript changed in the last ${schedule.quietMinutes} min`, retryAt: new Date(Math.min(quietUntil, deadline)) };
    }
  }
  return { run: true, date, slot, reason: context.trigger === 'schedule' ? 'scheduled' : 'missed' };
}

/**
 * When the next night will start, if nothing changes: now when one is due, else the earliest moment the catch-up
 * or the schedule will say yes (ignoring agent activity, which only delays it).
 */
export function nextNightAt(now: Date, lastNight: LastNight | null, schedule: NightSchedule): { at: Date; date: LocalDate; trigger: NightTrigger } {
  const date = nightDateOf(now, schedule);
  const candidates: Array<[Date, NightTrigger]> = [[now, 'catch-up']];
  if (schedule.catchUp.enabled) {
    const today = wallTime(now, schedule.timeZone).date;
    for (const d of [today, addDays(today, 1)]) candidates.push([instantAt(d, schedule.catchUp.from, schedule.timeZone), 'catch-up']);
    if (lastNight) candidates.push([new Date(new Date(lastNight.finishedAt ?? lastNight.startedAt).getTime() + schedule.catchUp.windowHours * HOUR), 'catch-up']);
  }
  for (let k = 0; k <= 2; k++) candidates.push([slotOf(addDays(date, k), schedule), 'schedule']);
  const ordered = candidates.filter(([t]) => t.getTime() >= now.getTime()).sort((a, b) => a[0].getTime() - b[0].getTime());
  for (const [at, trigger] of ordered) {
    const decision = shouldRunNight(at, lastNight, schedule, { trigger });
    if (decision.run) return { at, date: decision.date, trigger };
  }
  const fallback = slotOf(addDays(date, 1), schedule);
  return { at: fallback, date: addDays(date, 1), trigger: 'schedule' };
}

/** The node-cron expression of the schedule (minute hour, every day). */
export function cronExpression(schedule: NightSchedule): string {
  return `${schedule.at % 60} ${Math.floor(schedule.at / 60)} * * *`;
}
