import { describe, it, expect, afterEach } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixedClock } from '../../../core/clock.js';
import { openDatabase, type Db } from '../../../store/db.js';
import { harvestSources } from '../../harvester.js';
import { getSession, listSessions } from '../../../store/sessions-repo.js';
import { copilotChatSource } from '../copilot-chat/index.js';
import { copilotCliSource } from './index.js';

// Both Copilot sources through the real incremental harvester: what the daemon will actually run.
describe('Copilot sources inside the harvester', () => {
  const dirs: string[] = [];
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('stores one session per synthetic file, counts bad lines, and finds nothing new on a second pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copilot-harvest-'));
    dirs.push(dir);
    db = openDatabase(join(dir, 'sleep.db'));
    const deps = { db, environment: { env: {}, platform: 'linux' as const, homeDir: join(dir, 'home') }, clock: fixedClock('2026-07-01T00:00:00Z') };
    const options = {
      sources: [copilotChatSource, copilotCliSource],
      useDefaultRoots: false,
      extraRoots: {
        'copilot-chat': [resolve('fixtures/transcripts/synthetic/copilot-chat/User')],
        'copilot-cli': [resolve('fixtures/transcripts/synthetic/copilot-cli')],
      },
    };
    const first = await harvestSources(deps, options);
    const [chat, cli] = first.sources;
    expect(chat?.filesSeen).toBe(5);
    expect(chat?.sessionsNew).toBe(5);
    expect(chat?.skipped.invalid_json).toBe(1);
    expect(chat?.skipped.partial_line).toBe(0);
    expect(chat?.skipped.unknown_record).toBe(1);
    expect(chat?.skipped.missing_field).toBe(1);
    expect(cli?.filesSeen).toBe(3);
    expect(cli?.sessionsNew).toBe(3);
    expect(cli?.skipped.binary).toBe(1);
    const sessions = listSessions(db, { includeOwnReplays: true });
    expect(sessions.filter((s) => s.source === 'copilot-chat')).toHaveLength(5);
    // The session from a skillopt-sleep replay workspace is stored but never listed for mining.
    expect(listSessions(db, { source: 'copilot-chat' })).toHaveLength(4);
    expect(sessions.filter((s) => s.source === 'copilot-cli')).toHaveLength(3);

    const second = await harvestSources(deps, options);
    expect(second.totals.sessionsNew).toBe(0);
    expect(second.totals.sessionsUpdated).toBe(0);
  });

  it('resumes a growing chat log and a growing CLI log from their checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copilot-harvest-'));
    dirs.push(dir);
    cpSync(resolve('fixtures/transcripts/synthetic/copilot-chat/User'), join(dir, 'User'), { recursive: true });
    cpSync(resolve('fixtures/transcripts/synthetic/copilot-cli'), join(dir, 'copilot'), { recursive: true });
    db = openDatabase(join(dir, 'sleep.db'));
    const deps = { db, environment: { env: {}, platform: 'linux' as const, homeDir: join(dir, 'home') }, clock: fixedClock('2026-07-01T00:00:00Z') };
    const options = {
      sources: [copilotChatSource, copilotCliSource],
      useDefaultRoots: false,
      extraRoots: { 'copilot-chat': [join(dir, 'User')], 'copilot-cli': [join(dir, 'copilot')] },
    };
    await harvestSources(deps, options);
    const chatLog = join(dir, 'User/workspaceStorage/3f9a1c0d5e/chatSessions/5b8f2e1a-0c3d-4e5f-8a9b-1c2d3e4f5a6b.jsonl');
    const request = { requestId: 'request_5', message: { text: 'Bump the version to 2.1.0' }, response: [{ value: 'Bumped to 2.1.0.' }], timestamp: 1767262000000 };
    appendFileSync(chatLog, `${JSON.stringify({ kind: 2, k: ['requests'], v: [request] })}\n`);
    const cliLog = join(dir, 'copilot/session-state/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f.jsonl');
    appendFileSync(cliLog, `${JSON.stringify({ type: 'user.message', data: { content: 'Also pin the random provider' }, timestamp: '2025-11-20T14:05:00.000Z' })}\n`);
    const second = await harvestSources(deps, options);
    expect(second.totals.sessionsUpdated).toBe(2);
    expect(getSession(db, '5b8f2e1a-0c3d-4e5f-8a9b-1c2d3e4f5a6b')?.digest.prompts.map((p) => p.text)).toEqual([
      "Fix the rounding bug in src/invoice.ts so totals use banker's rounding",
      'Now add a unit test for the rounding',
      'Also update the changelog',
      'Bump the version to 2.1.0',
    ]);
    expect(getSession(db, '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f')?.digest.prompts.map((p) => p.text)).toEqual([
      'Bump the terraform aws provider to 6.x and run plan',
      'Also pin the random provider',
    ]);
  });
});
