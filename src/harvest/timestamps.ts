/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the exact form `Date.prototype.toISOString` writes for years 0000-9999. */
const CANONICAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * True when `value` is already what `new Date(Date.parse(value)).toISOString()` would return: the canonical form
 * with every field in range. Claude Code, Codex and Copilot write exactly this, so most records skip the Date round trip.
 */
export function isCanonicalIso(value: string): boolean {
  if (value.length !== 24) return false;
  const m = CANONICAL_ISO.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  // Hour 24 is legal input (`T24:00:00` is the next midnight) but never canonical output.
  return day <= days && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
}

/** Normalise any timestamp (ISO string or epoch ms/s) to ISO-8601 UTC, or undefined when unreadable. */
export function toUtcIso(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds and milliseconds both occur; anything below 1e11 cannot be a millisecond date after 1973.
    ms = value < 1e11 ? value * 1000 : value;
  } else if (typeof value === 'string' && value.length > 0 && value.length < 64) {
    if (isCanonicalIso(value)) return value;
    ms = Date.parse(value);
  } else {
    return undefined;
  }
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
