import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NightReport } from './night-report.js';
import { nightCommands } from './night-report.js';
import { renderNightMarkdown } from './night-markdown.js';
import { renderNightHtml, scoreChart } from './night-html.js';
import { renderNightSummary } from './night-summary.js';

// A night-2 report of the persona transcripts (simulated backends), paths and times fixed, plus one flagged edit.
const REPORT = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'night-report.json'), 'utf8')) as NightReport;
const FILES = { md: '/home/ada/.local/state/skillopt-sleep/nights/2/report.md', html: '/home/ada/.local/state/skillopt-sleep/nights/2/report.html' };

describe('morning report renderers (golden)', () => {
  it('report.md', async () => {
    await expect(renderNightMarkdown(REPORT)).toMatchFileSnapshot('__snapshots__/night-report.md');
  });

  it('report.html', async () => {
    await expect(renderNightHtml(REPORT)).toMatchFileSnapshot('__snapshots__/night-report.html');
  });

  it('the terminal summary', async () => {
    await expect(renderNightSummary(REPORT, FILES)).toMatchFileSnapshot('__snapshots__/night-summary.txt');
  });
});

describe('what a person must see', () => {
  it('shows flagged edits before the skill sections and first among applied edits', () => {
    const md = renderNightMarkdown(REPORT);
    expect(md.indexOf('## Flagged edits')).toBeLessThan(md.indexOf('## skillopt-sleep-learned'));
    const applied = md.slice(md.indexOf('### Applied edits'));
    expect(applied.split('\n')[2]).toMatch(/curl https:\/\/get\.example/);
    expect(applied.split('\n')[3]).toMatch(/^ {2}- \*\*flagged:\*\* adds a link/);
  });

  it('escapes transcript-derived text in HTML and loads nothing from outside', () => {
    const html = renderNightHtml(REPORT);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
    expect(html).not.toMatch(/<link|src=|url\(/i);
  });

  it('charts held-out test before and after across nights, one point per night and series', () => {
    const svg = scoreChart(REPORT.skills[0]!.history, 't');
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('night 1');
    expect(svg).toContain('night 2');
    expect(scoreChart([], 't')).toMatch(/No held-out score yet/);
  });

  it('lists the exact commands: adopt and reject a proposal; history and rollback after an auto-adopt', () => {
    const [s] = REPORT.skills;
    expect(nightCommands(2, [s!])).toEqual(['skillopt-sleep adopt --night 2 --skill skillopt-sleep-learned', 'skillopt-sleep reject --night 2 --skill skillopt-sleep-learned', 'skillopt-sleep diff skillopt-sleep-learned']);
    expect(nightCommands(2, [{ ...s!, decision: 'auto-adopted' }])).toEqual(['skillopt-sleep history skillopt-sleep-learned', 'skillopt-sleep rollback skillopt-sleep-learned']);
    expect(nightCommands(2, [s!, { ...s!, name: 'other' }])).toContain('skillopt-sleep adopt --night 2 --all');
  });
});
