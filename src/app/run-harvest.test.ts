import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import { isSkillOptError } from '../core/errors.js';
import { openDatabase } from '../store/db.js';
import { parseSince, runHarvest, selectSources } from './run-harvest.js';
import { claudeCodeSource } from '../harvest/sources/claude-code/index.js';
import { codexSource } from '../harvest/sources/codex/index.js';
import { getSession, listSessions } from '../store/sessions-repo.js';
import { renderHarvestReport, renderSession, renderSessionList, toSessionJson } from '../harvest/render.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('parseSince', () => {
  it('reads a bare date as UTC midnight and rejects nonsense with a hint', () => {
    expect(parseSince('2026-03-01')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseSince('2026-03-01T08:30:00+02:00')?.toISOString()).toBe('2026-03-01T06:30:00.000Z');
    expect(parseSince(undefined)).toBeUndefined();
    const error = (() => {
      try {
        parseSince('yesterday-ish');
      } catch (e) {
        return e;
      }
    })();
    expect(isSkillOptError(error, 'INPUT')).toBe(true);
  });
});

describe('selectSources', () => {
  const adapters = [claudeCodeSource, codexSource];
  it('picks one, all, or the enabled ones, and names the fix for a bad name', () => {
    expect(selectSources({ adapters, source: 'codex' }).map((a) => a.name)).toEqual(['codex']);
    expect(selectSources({ adapters }).map((a) => a.name)).toEqual(['claude-code', 'codex']);
    expect(selectSources({ adapters, enabledSources: ['codex'] }).map((a) => a.name)).toEqual(['codex']);
    expect(() => selectSources({ adapters, source: 'cursor' })).toThrow(/unknown source "cursor"/);
    expect(() => selectSources({ adapters, source: 'claude-code', enabledSources: ['codex'] })).toThrow(/disabled/);
  });
});

describe('runHarvest and the renderers', () => {
  it('harvests, lists and shows sessions as text and JSON', async () => {
    const home = mkdtempSync(join(tmpdir(), 'use-case-'));
    dirs.push(home);
    const dir = join(home, '.claude', 'projects', '-w-app');
    mkdirSync(dir, { recursive: true });
    const lines = [
      { type: 'user', uuid: 'u1', timestamp: '2026-03-01T10:00:00Z', cwd: '/w/app', message: { role: 'user', content: 'add a login form' } },
      { type: 'assistant', uuid: 'a1', requestId: 'r1', timestamp: '2026-03-01T10:00:05Z', message: { id: 'm1', model: 'claude-x', role: 'assistant', content: [{ type: 'text', text: 'Added LoginForm.tsx' }, { type: 'tool_use', name: 'Write', input: { file_path: '/w/app/LoginForm.tsx' } }] } },
      { type: 'user', uuid: 'u2', timestamp: '2026-03-01T10:01:00Z', cwd: '/w/app', message: { role: 'user', content: 'thanks' } },
    ];
    writeFileSync(join(dir, '11110000-0000-4000-8000-000000000001.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const db = openDatabase(':memory:');
    const report = await runHarvest(
      { db, environment: { env: {}, platform: 'linux', homeDir: home }, clock: fixedClock('2026-03-02T00:00:00Z') },
      { adapters: [claudeCodeSource, codexSource], project: '/w/app' },
    );
    const text = renderHarvestReport(report);
    expect(text.split('\n')[0]).toMatch(/^source\s+seen\s+read\s+new\s+updated\s+bytes\s+time\s+skipped$/);
    expect(text).toMatch(/claude-code\s+1\s+1\s+1\s+0\s/);
    expect(text).toMatch(/^total\s/m);

    const records = listSessions(db, { source: 'claude-code', limit: 10 });
    expect(records).toHaveLength(1);
    expect(renderSessionList(records)).toContain('add a login form');
    const record = getSession(db, records[0]?.id ?? 0);
    if (!record) throw new Error('missing');
    const shown = renderSession(record);
    expect(shown).toContain('1. add a login form');
    expect(shown).toContain('-> Added LoginForm.tsx');
    expect(shown).toContain('! praise: thanks');
    const json = toSessionJson(record);
    expect(json).toMatchObject({
      id: record.id,
      source: 'claude-code',
      project: { cwd: '/w/app' },
      started_at: '2026-03-01T10:00:00.000Z',
      tools: ['Write'],
      skills: [],
      headless: false,
      files_touched: ['/w/app/LoginForm.tsx'],
    });
    expect(json.prompts).toEqual([
      { text: 'add a login form', at: '2026-03-01T10:00:00.000Z' },
      { text: 'thanks', at: '2026-03-01T10:01:00.000Z' },
    ]);
    expect(getSession(db, '1111')?.id).toBe(record.id);
    expect(getSession(db, 'nope')).toBeUndefined();
    expect(renderSessionList([])).toMatch(/no sessions/);
    db.close();
  });
});
