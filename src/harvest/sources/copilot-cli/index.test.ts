import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SessionDigest, SourceAdapter } from '../../types.js';
import { feedTranscript } from '../../../../test/helpers/feed-transcript.js';
import { copilotCliSource, createCopilotCliSource, projectFromWorkspaceYaml } from './index.js';

const REAL = resolve('fixtures/transcripts/copilot-cli/events.jsonl');
const SYNTH = resolve('fixtures/transcripts/synthetic/copilot-cli');
const CURRENT = join(SYNTH, 'session-state/6d1e0f3a-2b4c-4d5e-9f60-718293a4b5c6/events.jsonl');
const FLAT = join(SYNTH, 'session-state/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f.jsonl');
const LEGACY = join(SYNTH, 'history-session-state/8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3.json');


const feed = (path: string, source: SourceAdapter = copilotCliSource, from = 0, to?: number, saved?: unknown) => feedTranscript(source, path, from, to, saved);

describe('copilot-cli: the real 1.0.55 events.jsonl', () => {
  it('extracts the typed prompt (content, not transformedContent) and excludes sub-agent traffic', () => {
    const { parser, skips } = feed(REAL);
    expect(skips).toEqual({});
    const digests = parser.digests();
    expect(digests).toHaveLength(1);
    const d = digests[0] as SessionDigest;
    expect(d.prompts).toEqual([
      {
        text: "Read .copilot/skills/demo-greeter/SKILL.md, then delegate a subagent to (1) count lines in hello.py and (2) summarize README.md in one sentence. Then report the subagent's findings back to me.",
        at: '2026-05-26T16:14:32.834Z',
      },
    ]);
    expect(d.finalAnswers).toEqual([
      'Subagent findings:\n\n- **Lines in `hello.py`:** 6\n- **README.md summary:** A demo project containing a trivial `hello.py` example that prints a greeting.',
    ]);
    expect(d.sessionId).toBe('030f200c-c26f-4ef0-9099-6d1156c83631');
    expect(d.project).toEqual({ cwd: '/Users/testuser/workspace/demo-project' });
    // report_intent is harness bookkeeping; the sub-agent's own `view` calls are not the main agent's.
    expect(d.tools).toEqual(['view', 'task']);
    expect(d.skills).toEqual(['demo-greeter']);
    expect(d.models).toEqual(['claude-opus-4.7-1m-internal']);
    // Totals over both models from session.shutdown; inputTokens already include cache reads and writes.
    expect(d.tokens).toEqual({ input: 81666 + 17050, output: 521 + 226, cachedInput: 54064 + 13964 });
    expect(d.headless).toBe(true);
    expect(d.ownReplay).toBe(false);
    expect(d.startedAt).toBe('2026-05-26T16:14:28.083Z');
    expect(d.endedAt).toBe('2026-05-26T16:14:48.681Z');
    expect(d.feedback).toEqual([]);
  });

  it('resumes from saved state at every line with the same digest', () => {
    const whole = feed(REAL);
    const expected = whole.parser.digests();
    for (let cut = 0; cut <= whole.lineCount; cut++) {
      const saved: unknown = JSON.parse(JSON.stringify(feed(REAL, copilotCliSource, 0, cut).parser.saveState()));
      expect(feed(REAL, copilotCliSource, cut, undefined, saved).parser.digests()).toEqual(expected);
    }
  });
});

describe('copilot-cli: roots and discovery', () => {
  it('uses COPILOT_HOME, else ~/.copilot on every platform', () => {
    expect(copilotCliSource.defaultRoots({ env: { COPILOT_HOME: '/data/copilot' }, platform: 'linux', homeDir: '/home/u' })).toEqual(['/data/copilot']);
    expect(copilotCliSource.defaultRoots({ env: {}, platform: 'darwin', homeDir: '/Users/u' })).toEqual(['/Users/u/.copilot']);
    expect(copilotCliSource.defaultRoots({ env: {}, platform: 'win32', homeDir: 'C:\\Users\\u' })).toEqual(['C:\\Users\\u\\.copilot']);
  });

  it('finds all three layouts; missing roots yield nothing', async () => {
    const files = await copilotCliSource.discover([SYNTH, join(SYNTH, 'nope')]);
    expect(files).toEqual([LEGACY, FLAT, CURRENT]);
    expect(await copilotCliSource.discover(['/definitely/not/here'])).toEqual([]);
    expect(copilotCliSource.fileKind(CURRENT)).toBe('jsonl');
    expect(copilotCliSource.fileKind(FLAT)).toBe('jsonl');
    expect(copilotCliSource.fileKind(LEGACY)).toBe('json');
  });
});

describe('copilot-cli: current layout (synthetic, interactive, live)', () => {
  it('reads prompts, answers, feedback, tools, skills, files, models and streamed tokens; counts bad lines', () => {
    const { parser, skips } = feed(CURRENT);
    expect(skips).toEqual({ invalid_json: 1, binary: 1, unknown_record: 1 });
    const d = parser.digests()[0] as SessionDigest;
    expect(d.sessionId).toBe('6d1e0f3a-2b4c-4d5e-9f60-718293a4b5c6');
    // branch and repository come from workspace.yaml; cwd agrees with session.start.
    expect(d.project).toEqual({ cwd: '/home/dev/projects/shop', gitBranch: 'feature/dry-run', gitRepo: 'dev/shop' });
    expect(d.prompts.map((p) => p.text)).toEqual([
      'Add a --dry-run flag to scripts/sync.ts',
      'No, the flag should also skip the upload step',
      'Now run the full test suite and fix anything that fails',
      'Now run the full test suite and fix anything that fails',
    ]);
    expect(d.finalAnswers).toEqual([
      'Added `--dry-run`: it prints the planned changes and exits.',
      'The upload step is skipped too when `--dry-run` is set.',
      'Running the tests now.',
      '',
    ]);
    expect(d.feedback.map((f) => [f.kind, f.promptIndex])).toEqual([
      ['correction', 1],
      ['interrupt', 2],
      ['re-ask', 3],
    ]);
    expect(d.tools).toEqual(['view', 'edit', 'task', 'bash']);
    expect(d.skills).toEqual(['cli-flags', 'test-runner']);
    expect(d.filesTouched).toEqual(['/home/dev/projects/shop/scripts/sync.ts', 'scripts/upload.ts']);
    expect(d.models).toEqual(['gpt-5.1', 'claude-sonnet-4.5']);
    // No session.shutdown yet: output tokens streamed by every agent, input unknown.
    expect(d.tokens).toEqual({ input: 0, output: 40 + 120 + 30 + 50 + 70 + 20 + 25 + 15, cachedInput: 0 });
    expect(d.headless).toBe(false);
    expect(d.startedAt).toBe('2026-06-01T09:00:00.000Z');
    expect(d.endedAt).toBe('2026-06-01T09:03:00.000Z');
  });

  it('reads workspace.yaml through the injected reader', () => {
    const asked: string[] = [];
    const source = createCopilotCliSource({ readText: (p) => (asked.push(p), 'cwd: /elsewhere\nbranch: b\n') });
    const d = feed(CURRENT, source).parser.digests()[0];
    expect(asked).toEqual([join(SYNTH, 'session-state/6d1e0f3a-2b4c-4d5e-9f60-718293a4b5c6/workspace.yaml')]);
    // session.start's cwd wins over the yaml's; the yaml's branch fills the gap.
    expect(d?.project).toEqual({ cwd: '/home/dev/projects/shop', gitBranch: 'b' });
  });
});

describe('copilot-cli: flat layout (synthetic, headless, finished)', () => {
  it('takes git context from session.start and token totals from session.shutdown', () => {
    const { parser, skips } = feed(FLAT);
    expect(skips).toEqual({});
    const d = parser.digests()[0] as SessionDigest;
    expect(d.sessionId).toBe('3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f');
    expect(d.project).toEqual({ cwd: '/work/infra', gitBranch: 'main', gitRepo: 'acme/infra' });
    expect(d.prompts.map((p) => p.text)).toEqual(['Bump the terraform aws provider to 6.x and run plan']);
    expect(d.finalAnswers).toEqual(['Provider bumped to ~> 6.0; plan shows no changes.']);
    expect(d.filesTouched).toEqual(['/work/infra/versions.tf', '/work/infra/main.tf']);
    expect(d.tokens).toEqual({ input: 12000, output: 400, cachedInput: 9000 });
    expect(d.headless).toBe(true);
  });
});

describe('copilot-cli: early layout (synthetic history-session-state JSON)', () => {
  it('reads chatMessages: user prompts, last assistant text per prompt, tools and edited files', () => {
    const { digests, skips } = copilotCliSource.parseDocument(LEGACY, readFileSync(LEGACY, 'utf8'));
    expect(skips).toEqual([]);
    const d = digests[0] as SessionDigest;
    expect(d.sessionId).toBe('8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3');
    expect(d.prompts.map((p) => p.text)).toEqual(['Why does `make build` fail on a clean checkout?', 'thanks, perfect']);
    expect(d.finalAnswers).toEqual(['The `gen` target needs the `deps` target first; I added it as a prerequisite.', 'Glad it works.']);
    expect(d.feedback.map((f) => [f.kind, f.promptIndex])).toEqual([['praise', 1]]);
    expect(d.tools).toEqual(['str_replace_editor']);
    expect(d.filesTouched).toEqual(['/home/dev/tool/Makefile']);
    expect(d.models).toEqual(['claude-sonnet-4']);
    expect(d.tokens).toEqual({ input: 0, output: 0, cachedInput: 0 });
    expect(d.startedAt).toBe('2025-09-30T08:15:00.000Z');
    expect(d.endedAt).toBe('2025-09-30T08:16:30.000Z');
  });

  it('bad documents are skips', () => {
    expect(copilotCliSource.parseDocument(LEGACY, '{"sessionId":')).toMatchObject({ digests: [], skips: [{ reason: 'invalid_json' }] });
    expect(copilotCliSource.parseDocument(LEGACY, '{"sessionId":"x"}')).toMatchObject({ digests: [], skips: [{ reason: 'missing_field' }] });
    expect(copilotCliSource.parseDocument(LEGACY, '{"chatMessages":[{"content":"x"}]}').skips.map((s) => s.reason)).toEqual(['missing_field', 'not_a_session']);
  });
});

describe('copilot-cli: event edge cases', () => {
  it('own replay workspaces are marked, unknown families and missing fields are counted', () => {
    const parser = copilotCliSource.openParser('/h/.copilot/session-state/abc.jsonl');
    const outcomes = [
      '{"type":"session.start","data":{"sessionId":"s1","context":{"cwd":"/tmp/skillopt-sleep-replay-9/ws"}},"timestamp":"2026-01-01T00:00:00Z"}',
      '{"data":{}}',
      '{"type":"user.message","data":{"transformedContent":"injected only"}}',
      '{"type":"user.message","data":{"content":"do the thing"},"timestamp":"2026-01-01T00:00:01Z"}',
      '{"type":"brand.new_thing","data":{}}',
      '[1,2,3]',
      '',
    ].map((line) => parser.feedLine(line));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['ok', 'missing_field', 'missing_field', 'ok', 'unknown_record', 'unknown_record', 'ok']);
    const d = parser.digests()[0];
    expect(d?.sessionId).toBe('s1');
    expect(d?.ownReplay).toBe(true);
    expect(d?.prompts.map((p) => p.text)).toEqual(['do the thing']);
  });

  it('a session with no prompt yet has no digest; the file name is the fallback id', () => {
    const parser = copilotCliSource.openParser('/h/.copilot/session-state/flat-id.jsonl');
    parser.feedLine('{"type":"user.message","data":{"content":"hi"}}');
    expect(parser.digests()[0]?.sessionId).toBe('flat-id');
    expect(copilotCliSource.openParser('/h/x.jsonl').digests()).toEqual([]);
  });
});

describe('projectFromWorkspaceYaml', () => {
  it('reads cwd, branch and repository; tolerates junk', () => {
    expect(projectFromWorkspaceYaml('id: x\ncwd: /a\nbranch: main\nrepository: o/r\n')).toEqual({ cwd: '/a', gitBranch: 'main', gitRepo: 'o/r' });
    expect(projectFromWorkspaceYaml('git_root: /g\n')).toEqual({ cwd: '/g' });
    expect(projectFromWorkspaceYaml(': : :\n\t- [')).toBeUndefined();
    expect(projectFromWorkspaceYaml('- a\n- b\n')).toBeUndefined();
    expect(projectFromWorkspaceYaml('id: only\n')).toBeUndefined();
  });
});
