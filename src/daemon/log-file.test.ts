import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRotatingLogger, daemonLogPath } from './log-file.js';
import { lastLines, renderLogLine } from './log-render.js';

describe('daemon log file', () => {
  it('writes 0600 JSON lines, rotates at maxBytes and keeps `keep` old files', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sos-log-')), 'logs');
    const log = createRotatingLogger(dir, { level: 'info', maxBytes: 10_000, keep: 2 });
    for (let i = 0; i < 400; i++) log.logger.info({ i, pad: 'x'.repeat(40) }, 'line');
    log.flush();
    const current = daemonLogPath(dir);
    expect(statSync(current).mode & 0o777).toBe(0o600);
    expect(existsSync(`${current}.1`)).toBe(true);
    expect(existsSync(`${current}.2`)).toBe(true);
    expect(existsSync(`${current}.3`)).toBe(false);
    for (const f of [current, `${current}.1`, `${current}.2`]) {
      expect(statSync(f).size).toBeLessThan(10_200);
      for (const line of readFileSync(f, 'utf8').trim().split('\n')) expect(JSON.parse(line).msg).toBe('line');
    }
    // The newest line is in the current file.
    expect(JSON.parse(lastLines(readFileSync(current, 'utf8'), 1)[0] ?? '{}').i).toBe(399);
  });

  it('renders a pino line for a person, and passes other text through', () => {
    const line = JSON.stringify({ level: 40, time: Date.parse('2026-03-11T03:00:00Z'), pid: 7, msg: 'night put off', reason: 'agent-active', detail: 'a transcript changed', err: { message: 'boom' } });
    expect(renderLogLine(line)).toBe('2026-03-11T03:00:00.000Z warn  night put off reason=agent-active detail="a transcript changed" error=boom');
    expect(renderLogLine('not json')).toBe('not json');
  });
});
