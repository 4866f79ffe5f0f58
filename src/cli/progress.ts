import type { Output } from '../app/deps.js';
import type { TrainProgress } from '../train/trainer.js';
import { formatPercent } from '../report/format.js';


/** Progress lines on stderr when it is a terminal; nothing when piped (stdout stays data). */
export function progressPrinter(output: Output, prefix = ''): ((event: TrainProgress) => void) | undefined {
  if (!output.interactive) return undefined;
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
