import { createTask } from 'node-cron';

/** A cron-style daily trigger; node-cron in the daemon, a hand-driven fake in tests. */
export interface CronScheduler {
  schedule(expression: string, timeZone: string, fire: () => void): { stop(): void; nextRun(): Date | null };
}

/** node-cron 4: one timer armed until the next match, so an idle daemon costs nothing between nights. */
export const nodeCronScheduler: CronScheduler = {
  schedule(expression, timeZone, fire) {
    const task = createTask(expression, () => fire(), { timezone: timeZone, name: 'skillopt-sleep-night', noOverlap: true });
    void task.start();
    return {
      stop: () => void task.destroy(),
      nextRun: () => task.getNextRun(),
    };
  },
};
