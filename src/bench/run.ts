import { runGateBench } from './gate-bench.js';
import { runNightBench } from './night-bench.js';
import { runHarvestBench } from './harvest-bench.js';
import { runMineBench } from './mine-bench.js';
import { runDaemonBench } from './daemon-bench.js';
import { runMineLoopBench } from './mine-loop.js';
import { runTrainerBench } from './trainer-bench.js';

/** `npm run bench`: every benchmark, figures printed (speed targets live here, never in tests). */
async function main(): Promise<void> {
  const benches: Array<[string, () => Promise<string[]>]> = [
    ['gate', () => runGateBench()],
    ['trainer', () => runTrainerBench()],
    ['night', () => runNightBench()],
    ['harvest', () => runHarvestBench()],
    ['mine', () => runMineBench()],
    ['daemon', () => runDaemonBench()],
    ['mine-loop', () => runMineLoopBench()],
  ];
  const only = process.argv.slice(2);
  for (const [name, bench] of benches) {
    if (only.length > 0 && !only.includes(name)) continue;
    const started = performance.now();
    const lines = await bench();
    process.stdout.write(`${lines.join('\n')}\n  (${name} bench took ${((performance.now() - started) / 1000).toFixed(1)} s)\n\n`);
  }
}

await main();
