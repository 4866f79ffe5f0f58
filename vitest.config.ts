import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // An e2e test that spawns the CLI ten times takes 30 s on a 2-core machine other work keeps busy; a hang still fails.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Worker threads that keep their module cache from file to file: a fresh process (forks) or a fresh module graph
    // (isolate) per file cost about half the unit tests' CPU in re-importing the same modules. The tests keep no
    // module-level state between files (temp dirs, injected clocks and env; no vi.mock), which is what this needs.
    pool: 'threads',
    isolate: false,
    // Vitest's default is one worker less than the cores: on a 2-core machine one worker, so every file ran in series
    // while the e2e files mostly wait on the CLIs they spawn. At least two, so a waiting file never idles the machine.
    maxWorkers: Math.max(2, availableParallelism()),
    // On CI also write a JSON summary, so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    ...(process.env.CI ? { outputFile: { json: '.ci/results.json' } } : {}),
  },
});
