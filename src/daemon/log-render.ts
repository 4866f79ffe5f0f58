/** pino's numeric levels by name. */
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

function scalar(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One pino JSON line as a person reads it: `2026-03-11T03:00:00.000Z info  night started night=4 reason=schedule`. */
export function renderLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, pid: _pid, hostname: _host, err, ...rest } = record;
  const when = typeof time === 'number' ? new Date(time).toISOString() : String(time ?? '');
  const name = typeof level === 'number' ? (LEVELS[level] ?? String(level)) : String(level ?? '');
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${scalar(v)}`);
  const error = err && typeof err === 'object' ? ` error=${scalar((err as { message?: unknown }).message ?? err)}` : err !== undefined ? ` error=${scalar(err)}` : '';
  return `${when} ${name.padEnd(5)} ${String(msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}${error}`;
}

/** The last `n` complete lines of a text. */
export function lastLines(text: string, n: number): string[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.slice(Math.max(0, lines.length - n));
}
