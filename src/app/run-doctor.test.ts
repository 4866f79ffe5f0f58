import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../core/clock.js';
import { createOpenAIBackend } from '../models/openai.js';
import { createAnthropicBackend } from '../models/anthropic.js';
import { renderDoctorReport, runDoctor } from './run-doctor.js';
import type { ModelBackend } from '../models/types.js';
import { openAIChatBody, openAIErrorReply, startFakeOpenAIServer } from '../../test/helpers/fake-openai-server.js';
import type { FakeServer } from '../../test/helpers/fake-openai-server.js';
import { startFakeAnthropicServer } from '../../test/helpers/fake-anthropic-server.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Each reading of the clock moves it 25 ms, so latency is a known number without real timing. */
function steppingClock(): Clock {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return {
    now: () => {
      const d = new Date(t);
      t += 25;
      return d;
    },
  };
}

describe('runDoctor', () => {
  it('reports each backend ok or failed with code, hint, tokens and latency', async () => {
    const openai = await startFakeOpenAIServer(() => ({ json: openAIChatBody('OK', { usage: { prompt_tokens: 20, completion_tokens: 1 } }) }));
    const anthropic = await startFakeAnthropicServer();
    servers.push(openai, anthropic);
    const failing = await startFakeOpenAIServer(() => openAIErrorReply(401, 'Incorrect API key provided'));
    servers.push(failing);
    const report = await runDoctor(
      [
        { role: 'target', backend: createOpenAIBackend({ model: 'gpt-4o-mini', baseURL: openai.url }, { env: {} }) },
        { role: 'optimizer', backend: createAnthropicBackend({ model: 'claude-haiku-4-5', baseURL: anthropic.url }, { env: { ANTHROPIC_API_KEY: 'k' } }) },
        { role: 'judge', backend: createOpenAIBackend({ model: 'gpt-4o', baseURL: failing.url }, { env: { OPENAI_API_KEY: 'bad' } }) },
      ],
      { clock: steppingClock() },
    );
    expect(report.ok).toBe(false);
    const [target, optimizer, judge] = report.entries;
    expect(target).toMatchObject({ role: 'target', backend: 'openai', ok: true, reply: 'OK', usage: { input: 20, output: 1 } });
    expect(target?.costUsd).toBeGreaterThan(0);
    expect(target?.latencyMs).toBeGreaterThan(0);
    expect(optimizer).toMatchObject({ ok: true, backend: 'anthropic' });
    expect(judge).toMatchObject({ ok: false, code: 'AUTH', status: 401 });
    expect(judge?.hint).toContain('OPENAI_API_KEY');
    // The check sends the documented tiny prompt.
    expect(JSON.stringify(openai.requests[0]?.body)).toContain('Reply with the word OK.');

    const text = renderDoctorReport(report);
    expect(text).toContain('ok   target: openai gpt-4o-mini');
    expect(text).toContain('FAIL judge: openai gpt-4o');
    expect(text).toContain('fix: set OPENAI_API_KEY');
    expect(text).toContain('1 of 3 backend(s) failed');
  });

  it('warns when the reply is not OK and reports non-SkillOpt failures as INTERNAL', async () => {
    const chatty: ModelBackend = { backend: 'fake', model: 'm', complete: async () => ({ text: 'Sure! Here you go.', usage: { input: 1, output: 1 }, backend: 'fake', model: 'm' }) };
    const broken: ModelBackend = { backend: 'fake', model: 'm', complete: () => Promise.reject(new TypeError('boom')) };
    const report = await runDoctor([
      { role: 'a', backend: chatty },
      { role: 'b', backend: broken },
    ]);
    expect(report.entries[0]?.warning).toContain('OK');
    expect(report.entries[1]).toMatchObject({ ok: false, code: 'INTERNAL', message: 'boom' });
    expect(renderDoctorReport({ ok: true, entries: [] })).toBe('no backends configured');
  });
});

describe('runDoctor: structured output of the optimizer', () => {
  it('fails an optimizer that answers a JSON-schema request in prose, and passes one that answers JSON', async () => {
    const prose = await startFakeOpenAIServer(() => ({ json: openAIChatBody('OK. Sure, here is what I think: the answer is yes.') }));
    const json = await startFakeOpenAIServer((req) => ({ json: openAIChatBody(JSON.stringify(req.body).includes('doctor_check') ? '{"ok": true}' : 'OK') }));
    servers.push(prose, json);
    const report = await runDoctor(
      [
        { role: 'optimizer', backend: createOpenAIBackend({ model: 'gpt-4o-mini', baseURL: prose.url }, { env: {} }), structured: true },
        { role: 'optimizer', backend: createOpenAIBackend({ model: 'gpt-4o-mini', baseURL: json.url }, { env: {} }), structured: true },
      ],
      { clock: steppingClock() },
    );
    const [bad, good] = report.entries;
    expect(bad).toMatchObject({ ok: false, code: 'BAD_REQUEST', structured: { ok: false } });
    expect(bad?.message).toContain('asked for JSON with a schema, the optimizer answered');
    expect(bad?.hint).toContain('optimizer.structured');
    expect(good).toMatchObject({ ok: true, structured: { ok: true, reply: '{"ok": true}' } });
    expect(renderDoctorReport(report)).toContain('structured output: JSON with a schema works');
  });
});
