import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ROOT, runCli, tempDir } from './helpers.js';
import { personaHome } from '../helpers/persona-home.js';

/** Debian's chromium on PATH (.ci/run installs it); a missing browser fails the test, it never skips. */
function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    throw new Error('chromium is not on PATH: install it with `apt-get install -y chromium` (.ci/run does)');
  }
}

describe('report.html in headless Chromium', () => {
  it('renders with no console error and no network request; the chart and the diff are visible; a screenshot is saved', { timeout: 180_000 }, async () => {
    const executablePath = chromiumPath();
    const home = personaHome(tempDir());
    const run = runCli(['run', '--now', '--json'], { home });
    expect(run.code, run.stderr).toBe(0);
    const html = join(home, 'state', 'nights', '1', 'report.html');
    expect(readFileSync(html, 'utf8')).not.toMatch(/<script|<link|src=/i);
    const browser = await chromium.launchPersistentContext(tempDir('sos-chromium-'), {
      executablePath,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      expect(await page.title()).toBe('skillopt-sleep · night 1');
      const chart = page.getByTestId('chart').first();
      const diff = page.getByTestId('diff').first();
      expect(await chart.isVisible()).toBe(true);
      expect(await diff.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await chart.locator('circle').count()).toBeGreaterThanOrEqual(2);
      expect(await diff.locator('.add').count()).toBeGreaterThan(0);
      expect(await page.getByRole('heading', { name: /Applied edits/ }).first().isVisible()).toBe(true);
      const shot = join(tempDir(), 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      const stable = join(ROOT, 'test', 'e2e', '__screenshots__');
      mkdirSync(stable, { recursive: true });
      copyFileSync(shot, join(stable, 'report.png'));
      expect(existsSync(join(stable, 'report.png'))).toBe(true);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
