import type { TrainProgress } from '../train/trainer.js';
import { formatPercent } from '../report/format.js';
import type { Progress } from './output.js';

/** A training run's progress events as lines of the shared progress reporter. */
export function trainProgressLines(progress: Progress, prefix = ''): (event: TrainProgress) => void {
  const output = { err: (text: string) => progress.line(text) };
  return (event) => {
    switch (event.kind) {
      case 'baseline':
        output.err(`${prefix}baseline val ${formatPercent(event.val)}`);
        break;
      case 'step':
        output.err(`${prefix}step ${event.step}/${event.totalSteps}: ${event.action} (val ${formatPercent(event.val)})`);
        break;
      case 'slow_update':
        output.err(`${prefix}slow update (epoch ${event.epoch}): ${event.action} (val ${formatPercent(event.val)})`);
        break;
      case 'test':
        output.err(`${prefix}test ${formatPercent(event.baseline)} -> ${formatPercent(event.best)}`);
        break;
      default:
        event satisfies never;
    }
  };
}
