import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestDeps } from '../../test/helpers/app-deps.js';
import { personaHome } from '../../test/helpers/persona-home.js';
import { runNight } from './run-night.js';
import { runAdopt, runReject, selectProposals } from './decide.js';
import { runHistory, runRollback } from './skill-versions.js';
import { runStatus } from './run-status.js';
import { listProposals, stageProposal } from '../store/proposals-repo.js';
import { sha256 } from '../core/hash.js';
import { syncSkill } from '../skills/disk.js';
import { managedTarget } from '../skills/targets.js';
import { takeNightLock } from '../night/lock.js';

const SKILL = 'skillopt-sleep-learned';
const claudePath = (home: string) => join(home, '.claude', 'skills', SKILL, 'SKILL.md');

describe('runNight (in process, simulated backends)', () => {
  it('--dry-run trains and reports but stages nothing', async () => {
    const { deps } = createTestDeps({ home: personaHome(await tmp()) });
    const out = await runNight(deps, { dryRun: true });
    expect(out.report.skills[0]).toMatchObject({ action: 'trained', decision: 'dry-run' });
    expect(listProposals(deps.openDb())).toEqual([]);
    expect(existsSync(join(out.reportDir, SKILL, 'proposed-SKILL.md'))).toBe(false);
    expect(existsSync(out.files.html)).toBe(true);
  });

  it('night.autoAdopt adopts a clean proposal where the agents load it, and records it', async () => {
    const { deps, home } = createTestDeps({ home: personaHome(await tmp()), config: { night: { autoAdopt: true } } });
    const out = await runNight(deps, {});
    expect(out.report.skills[0]).toMatchObject({ decision: 'auto-adopted', flagged: [] });
    // What the agent loads is the staged proposal, byte for byte.
    expect(readFileSync(claudePath(home), 'utf8')).toBe(readFileSync(join(out.reportDir, SKILL, 'proposed-SKILL.md'), 'utf8'));
    expect(runHistory(deps, SKILL).versions.map((v) => v.source)).toEqual(['baseline', 'adopted']);
    expect(out.report.commands).toContain(`skillopt-sleep rollback ${SKILL}`);
  });

  it('night.autoAdopt never adopts a flagged edit', async () => {
    const { deps, home } = createTestDeps({ home: personaHome(await tmp()), config: { night: { autoAdopt: true, maxEditChars: 40 } } });
    const out = await runNight(deps, {});
    const s = out.report.skills[0]!;
    expect(s.decision).toBe('proposed');
    expect(s.flagged[0]?.kinds).toContain('too_long');
    expect(out.report.warnings.join('\n')).toMatch(/not adopted automatically: \d+ flagged edits? needs? a person/);
    expect(existsSync(claudePath(home))).toBe(false);
  });

  it('trains only the skill --skill names, and refuses an unknown name before opening a night', async () => {
    const { deps } = createTestDeps({ home: personaHome(await tmp()) });
    await expect(runNight(deps, { skill: 'nope' })).rejects.toThrow(/no skill named "nope"/);
    expect((await runStatus(deps)).lastNight).toBeNull();
  });

  it('a lock held by a live process refuses the night and names it', async () => {
    const { deps } = createTestDeps({ home: personaHome(await tmp()), alive: () => true });
    takeNightLock(deps.openDb(), { pid: 1, host: 'test', isAlive: () => true }, { holder: 'daemon', trigger: 'schedule', dryRun: false, config: {} }, '2026-02-14T02:59:00Z');
    await expect(runNight(deps, {})).rejects.toThrow(/night 1 is already running \(daemon, pid 1 on test/);
  });
});

describe('adopt, reject, rollback (in process)', () => {
  it('reject sends every edit of the proposal to the rejected-edit memory with reason review', async () => {
    const { deps, sink } = createTestDeps({ home: personaHome(await tmp()) });
    await runNight(deps, {});
    const { results } = runReject(deps, {});
    expect(results[0]).toMatchObject({ skill: SKILL, night: 1 });
    expect(results[0]!.edits).toBeGreaterThan(0);
    expect(sink.entries.length).toBe(results[0]!.edits);
    expect(sink.entries.every((e) => e.reason === 'review' && e.night === 1 && e.skillKey === SKILL)).toBe(true);
  });

  it('records a hand edit as an external edit before anything else touches the file', async () => {
    const { deps, home, clock } = createTestDeps({ home: await tmp() });
    const target = managedTarget(SKILL, ['claude-code'], { homeDir: home, env: {}, exists: existsSync });
    const first = syncSkill(deps.openDb(), target, clock.now().toISOString());
    expect(first).toMatchObject({ state: 'not-installed', recorded: ['v1 baseline'] });
    mkdirSync(dirname(claudePath(home)), { recursive: true });
    writeFileSync(claudePath(home), '---\nname: x\n---\nmine\n');
    const second = syncSkill(deps.openDb(), target, clock.now().toISOString());
    expect(second).toMatchObject({ state: 'installed', recorded: ['v2 external-edit'] });
    expect(second.latest.content).toBe('---\nname: x\n---\nmine\n');
  });

  it('completes an adoption whose write happened but whose record did not (kill -9 between the two)', async () => {
    const { deps, home, clock } = createTestDeps({ home: await tmp() });
    const target = managedTarget(SKILL, ['claude-code'], { homeDir: home, env: {}, exists: existsSync });
    const base = syncSkill(deps.openDb(), target, clock.now().toISOString());
    const content = `${base.latest.content}\nAnswer in JSON only.\n`;
    deps.openDb().prepare("INSERT INTO nights (id, started_at, status, trigger) VALUES (1, 'x', 'completed', 'now')").run();
    stageProposal(deps.openDb(), { nightId: 1, skillId: base.skill.id, runId: null, baseVersion: 1, baseSha256: base.latest.sha256, content, sha256: sha256(content), recipe: { edits: [{ op: 'append', content: 'Answer in JSON only.' }], protectedContent: null }, reapplicable: true, flags: [] }, 'now');
    mkdirSync(dirname(claudePath(home)), { recursive: true });
    writeFileSync(claudePath(home), content);
    const after = syncSkill(deps.openDb(), target, clock.now().toISOString());
    expect(after.recorded).toEqual(['v2 adopted (night 1, interrupted adopt completed)']);
    expect(listProposals(deps.openDb())[0]?.status).toBe('adopted');
  });

  it('completes a RE-APPLIED adoption killed between its write and its record: the write-ahead text is the adoption, not a hand edit', async () => {
    const { deps, home, clock } = createTestDeps({ home: await tmp() });
    const target = managedTarget(SKILL, ['claude-code'], { homeDir: home, env: {}, exists: existsSync });
    const base = syncSkill(deps.openDb(), target, clock.now().toISOString());
    const content = `${base.latest.content}\nAnswer in JSON only.\n`;
    const db = deps.openDb();
    db.prepare("INSERT INTO nights (id, started_at, status, trigger) VALUES (1, 'x', 'completed', 'now')").run();
    stageProposal(db, { nightId: 1, skillId: base.skill.id, runId: null, baseVersion: 1, baseSha256: base.latest.sha256, content, sha256: sha256(content), recipe: { edits: [{ op: 'append', content: 'Answer in JSON only.' }], protectedContent: null }, reapplicable: true, flags: [] }, 'now');
    const mine = '---\nname: skillopt-sleep-learned\ndescription: d\n---\n# Mine\n\nKeep it short.\n';
    mkdirSync(dirname(claudePath(home)), { recursive: true });
    writeFileSync(claudePath(home), mine);
    expect(syncSkill(db, target, clock.now().toISOString()).recorded).toEqual(['v2 external-edit']);
    // The kill: the adopt writes the re-applied file, then its version record never lands (here: it is aborted).
    db.exec("CREATE TEMP TRIGGER killed BEFORE INSERT ON skill_versions BEGIN SELECT RAISE(ABORT, 'killed'); END");
    expect(() => runAdopt(deps, {})).toThrow(/killed/);
    db.exec('DROP TRIGGER killed');
    const written = readFileSync(claudePath(home), 'utf8');
    expect(written).toBe(`${mine}\nAnswer in JSON only.\n`);
    expect(listProposals(db)[0]).toMatchObject({ status: 'pending', reappliedContent: written, reappliedSha256: sha256(written) });
    const after = syncSkill(db, target, clock.now().toISOString());
    expect(after.recorded).toEqual(['v3 adopted (night 1, interrupted adopt completed)']);
    expect(after.latest).toMatchObject({ source: 'adopted', content: written });
    expect(listProposals(db)[0]).toMatchObject({ status: 'adopted', adoptedVersion: 3 });
    expect(runHistory(deps, SKILL).versions.map((v) => v.source)).toEqual(['baseline', 'external-edit', 'adopted']);
    // Adopt again finds it done; a later hand edit of that text is still a hand edit.
    expect(runAdopt.bind(null, deps, {})).toThrow(/no proposal is waiting/);
    writeFileSync(claudePath(home), `${written}more\n`);
    expect(syncSkill(db, target, clock.now().toISOString()).recorded).toEqual(['v4 external-edit']);
  });

  it('refuses to overwrite a second agent\'s copy that was edited by hand, writing nothing', async () => {
    const { deps, home } = createTestDeps({ home: personaHome(await tmp()), config: { night: { managedSkill: { agents: ['claude-code', 'codex'] } } } });
    await runNight(deps, {});
    const codex = join(home, '.agents', 'skills', SKILL, 'SKILL.md');
    mkdirSync(dirname(codex), { recursive: true });
    writeFileSync(codex, 'my codex notes\n');
    const [result] = (() => {
      try {
        return runAdopt(deps, {}).results;
      } catch (error) {
        return [{ error: (error as Error).message }];
      }
    })();
    expect(result).toMatchObject({ error: expect.stringMatching(/\.agents\/skills\/skillopt-sleep-learned\/SKILL\.md \(the codex copy\) was changed by hand/) });
    expect(existsSync(claudePath(home))).toBe(false);
    expect(readFileSync(codex, 'utf8')).toBe('my codex notes\n');
  });

  it('says which flag is missing when a night has several proposals, and refuses --skill with --all', async () => {
    const { deps } = createTestDeps({ home: await tmp() });
    expect(() => selectProposals(deps.openDb(), { skill: 'a', all: true }, 'adopt')).toThrow(/--skill and --all cannot be used together/);
    expect(() => selectProposals(deps.openDb(), {}, 'adopt')).toThrow(/no proposal is waiting/);
    expect(() => runRollback(deps, 'nope')).toThrow(/no skill named "nope"/);
  });
});

async function tmp(): Promise<string> {
  return mkdtempSync(join(tmpdir(), 'sos-night-'));
}

describe('remainingBudget', () => {
  it('gives each skill what the skills before it left of the night, and names the limit once it is reached', async () => {
    const { remainingBudget } = await import('./run-night.js');
    const budget = { maxTokens: 1000, maxCostUsd: 0.5, maxMinutes: 10, allowUnpricedCalls: false, hardCeiling: 1.25 };
    expect(remainingBudget(budget, { tokens: 400, costUsd: 0.1 }, 4)).toEqual({ budget: { ...budget, maxTokens: 600, maxCostUsd: 0.4, maxMinutes: 6 }, spent: null });
    expect(remainingBudget(budget, { tokens: 1200, costUsd: 0.1 }, 4).spent).toBe('1200 of 1000 tokens');
    expect(remainingBudget({ allowUnpricedCalls: false, hardCeiling: 1.25 }, { tokens: 1e9, costUsd: 9 }, 600)).toEqual({ budget: { allowUnpricedCalls: false, hardCeiling: 1.25 }, spent: null });
  });
});
