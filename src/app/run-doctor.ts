import { systemClock } from '../core/clock.js';
import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { ModelError } from '../models/model-error.js';
import type { ChatRequest, ModelBackend, TokenUsage } from '../models/types.js';
import { extractJsonObject } from '../judges/json-extract.js';

/** The outcome of one backend's health check. */
export interface DoctorEntry {
  role: string;
  backend: string;
  model: string;
  ok: boolean;
  latencyMs: number;
  /** Error code when the call failed (AUTH, UNAVAILABLE, ...). */
  code?: string;
  message?: string;
  hint?: string;
  status?: number;
  usage?: TokenUsage;
  costUsd?: number;
  /** The start of the reply, for a person to eyeball. */
  reply?: string;
  /** Set when the call worked but the reply did not say OK (the model may ignore instructions). */
  warning?: string;
  /** For roles that must answer in JSON (the optimizer): did a call with a JSON schema get a JSON object back? */
  structured?: { ok: boolean; reply: string };
}

/** Health of every configured backend; ok only when all calls worked. */
export interface DoctorReport {
  ok: boolean;
  entries: DoctorEntry[];
}

/** The tiny call each backend gets: cheap, deterministic, and easy to check. */
export const DOCTOR_REQUEST: Readonly<ChatRequest> = {
  system: 'You are a health check. Follow the instruction exactly.',
  user: 'Reply with the word OK.',
  temperature: 0,
  purpose: 'doctor',
};

/** The structured-output check: the trainer's optimizer must return JSON when a schema is asked for. */
export const DOCTOR_STRUCTURED_REQUEST: Readonly<ChatRequest> = {
  system: 'You are a health check. Answer with JSON only.',
  user: 'Return the JSON object {"ok": true}.',
  temperature: 0,
  purpose: 'doctor',
  jsonSchema: { name: 'doctor_check', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } },
};

/**
 * Make one tiny call per backend (in parallel) and report what worked, with latency and tokens. Backends of the
 * roles in `structured` also get a call with a JSON schema, and fail when the reply is not a JSON object.
 */
export async function runDoctor(
  backends: Array<{ role: string; backend: ModelBackend; structured?: boolean }>,
  options: { clock?: Clock; signal?: AbortSignal } = {},
): Promise<DoctorReport> {
  const clock = options.clock ?? systemClock;
  const entries = await Promise.all(
    backends.map(async ({ role, backend, structured }) => {
      const entry = await checkOne(role, backend, clock, options.signal);
      return entry.ok && structured ? checkStructured(entry, backend, options.signal) : entry;
    }),
  );
  return { ok: entries.every((entry) => entry.ok), entries };
}

async function checkStructured(entry: DoctorEntry, backend: ModelBackend, signal: AbortSignal | undefined): Promise<DoctorEntry> {
  try {
    const response = await backend.complete({ ...DOCTOR_STRUCTURED_REQUEST, ...(signal ? { signal } : {}) });
    const reply = response.text.replace(/\s+/g, ' ').trim().slice(0, 120);
    if (extractJsonObject(response.text).ok) return { ...entry, structured: { ok: true, reply } };
    return {
      ...entry,
      ok: false,
      structured: { ok: false, reply },
      code: 'BAD_REQUEST',
      message: `asked for JSON with a schema, the ${entry.role} answered: ${JSON.stringify(reply)}; the trainer would find none of its replies usable`,
      hint: `use a model that follows JSON schemas (most current API models do), or set ${entry.role}.structured in config.json (json_schema, json_object or tool)`,
    };
  } catch (error) {
    return {
      ...entry,
      ok: false,
      structured: { ok: false, reply: '' },
      code: error instanceof SkillOptError ? error.code : 'INTERNAL',
      message: `the call with a JSON schema failed: ${error instanceof Error ? error.message : String(error)}`,
      ...(error instanceof SkillOptError && error.hint ? { hint: error.hint } : {}),
    };
  }
}

async function checkOne(role: string, backend: ModelBackend, clock: Clock, signal: AbortSignal | undefined): Promise<DoctorEntry> {
  const started = clock.now().getTime();
  const base = { role, backend: backend.backend, model: backend.model };
  try {
    const response = await backend.complete({ ...DOCTOR_REQUEST, ...(signal ? { signal } : {}) });
    const latencyMs = clock.now().getTime() - started;
    const reply = response.text.trim().slice(0, 80);
    return {
      ...base,
      model: response.model,
      ok: true,
      latencyMs,
      usage: response.usage,
      ...(response.costUsd !== undefined ? { costUsd: response.costUsd } : {}),
      reply,
      ...(/\bok\b/i.test(response.text) ? {} : { warning: 'the reply did not contain OK; the model may not follow instructions well' }),
    };
  } catch (error) {
    const latencyMs = clock.now().getTime() - started;
    if (error instanceof SkillOptError) {
      return {
        ...base,
        ok: false,
        latencyMs,
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
        ...(error instanceof ModelError && error.status !== undefined ? { status: error.status } : {}),
      };
    }
    return { ...base, ok: false, latencyMs, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  }
}

/** The report as lines of text for a terminal (the CLI prints JSON with --json instead). */
export function renderDoctorReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const entry of report.entries) {
    const head = `${entry.ok ? 'ok  ' : 'FAIL'} ${entry.role}: ${entry.backend} ${entry.model} (${entry.latencyMs} ms)`;
    lines.push(head);
    if (entry.ok) {
      const usage = entry.usage ? `${entry.usage.input} in / ${entry.usage.output} out${entry.usage.estimated ? ' (estimated)' : ''}` : 'no usage';
      const cost = entry.costUsd !== undefined ? `, $${entry.costUsd.toFixed(6)}` : ', price unknown';
      lines.push(`     tokens: ${usage}${cost}; reply: ${JSON.stringify(entry.reply ?? '')}`);
      if (entry.warning) lines.push(`     warning: ${entry.warning}`);
      if (entry.structured?.ok) lines.push('     structured output: JSON with a schema works');
    } else {
      lines.push(`     ${entry.code ?? 'ERROR'}: ${entry.message ?? 'unknown failure'}`);
      if (entry.hint) lines.push(`     fix: ${entry.hint}`);
    }
  }
  const failed = report.entries.filter((entry) => !entry.ok).length;
  lines.push(
    report.entries.length === 0
      ? 'no backends configured'
      : failed === 0
        ? `all ${report.entries.length} backend(s) answered`
        : `${failed} of ${report.entries.length} backend(s) failed`,
  );
  return lines.join('\n');
}
