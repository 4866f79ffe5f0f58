import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The harvest's memory settings act on V8 for the whole process, so each check runs in a fresh Node process (the
 * built module, as `npm test` builds first): V8's young generation must stay at its first size while held and grow
 * again once released, and nested holders must restore only on the last release.
 */
const BUILT = join(import.meta.dirname, '../../dist/harvest/heap.js');

function run(body: string): Record<string, number> {
  const script = `
    import { holdHarvestHeap } from ${JSON.stringify(BUILT)};
    import { getHeapSpaceStatistics } from 'node:v8';
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    // Allocation with survivors, as a harvest makes: a window of live strings over a stream of garbage.
    const churn = () => { const live = []; for (let i = 0; i < 400000; i++) { live.push('x'.repeat(64) + i); if (live.length > 2000) live.shift(); } return live.length; };
    const out = {};
    ${body}
    process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as Record<string, number>;
}

describe.skipIf(!existsSync(BUILT))('holdHarvestHeap', () => {
  it('keeps the young generation at its first size while held, and lets it grow once released', () => {
    const out = run(`
      const heap = holdHarvestHeap();
      churn();
      out.first = newSpace();
      churn(); churn(); churn();
      out.held = newSpace();
      heap.release();
      churn(); churn(); churn();
      out.released = newSpace();`);
    // A fresh process starts at 1 MB semi-spaces; V8 may commit its second page before the first scavenge.
    expect(out.held).toBe(out.first);
    expect(out.held).toBeLessThanOrEqual(2);
    expect(out.released).toBeGreaterThan(out.held as number);
  });

  it('restores V8 only when the last of nested holders is released', () => {
    const out = run(`
      const outer = holdHarvestHeap();
      const inner = holdHarvestHeap();
      inner.release();
      inner.release(); // twice: counted once
      churn();
      out.start = newSpace();
      churn(); churn(); churn();
      out.afterInner = newSpace();
      outer.release();
      churn(); churn(); churn();
      out.afterOuter = newSpace();`);
    expect(out.afterInner).toBe(out.start);
    expect(out.afterOuter).toBeGreaterThan(out.afterInner as number);
  });

  it('collects every so many files read, and never when told 0', () => {
    const out = run(`
      const { getHeapStatistics } = await import('node:v8');
      const garbage = () => { let keep = []; for (let i = 0; i < 20000; i++) keep.push({ i, s: 'y'.repeat(100) + i }); keep = null; };
      const used = () => getHeapStatistics().used_heap_size;
      const never = holdHarvestHeap({ holdYoungGeneration: true, smallOptimizingCompiles: true, collectEveryFiles: 0 });
      garbage(); garbage();
      const a = used(); for (let i = 0; i < 4; i++) never.fileRead(); out.never = a - used();
      never.release();
      const every = holdHarvestHeap({ holdYoungGeneration: true, smallOptimizingCompiles: true, collectEveryFiles: 4 });
      garbage(); garbage();
      const b = used(); for (let i = 0; i < 4; i++) every.fileRead(); out.every = b - used();
      every.release();`);
    expect(Math.abs(out.never as number)).toBeLessThan(256 * 1024); // nothing collected, only the loop's own bytes
    expect(out.every).toBeGreaterThan(1024 * 1024);
  });

  it('holds it from the first allocation in a process the CLI starts for harvest (src/cli/early.ts), not for another command', () => {
    const early = join(import.meta.dirname, '../../dist/cli/early.js');
    const grown = (command: string) => {
      const script = `
        await import(${JSON.stringify(early)});
        const { getHeapSpaceStatistics } = await import('node:v8');
        const live = []; for (let i = 0; i < 600000; i++) { live.push('x'.repeat(64) + i); if (live.length > 4000) live.shift(); }
        process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576));`;
      return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script, 'cli', command], { encoding: 'utf8' }));
    };
    // V8 may take one step (1 -> 2 MB) before the hold binds; left alone it grows to its 16 MB semi-spaces.
    expect(grown('harvest')).toBeLessThanOrEqual(2);
    expect(grown('mine')).toBeGreaterThan(4);
  });
});
