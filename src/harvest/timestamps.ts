/** Layout of `YYYY-MM-DDTHH:MM:SS.mmmZ`, the exact form `Date.prototype.toISOString` writes for years 0000-9999: a digit, or the separator. */
const LAYOUT = 'dddd-dd-ddTdd:dd:dd.dddZ';

/** The number written by the digits at `from`..`from + length` (all known to be digits). */
function digitsAt(value: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) n = n * 10 + (value.charCodeAt(i) - 48);
  return n;
}

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
  // Character by character: this runs on every record, and a regex with six captures cost more than the rest of it.
  for (let i = 0; i < 24; i++) {
    const code = value.charCodeAt(i);
    const want = LAYOUT.charCodeAt(i);
    if (want === 100 /* d */ ? code < 48 || code > 57 : code !== want) return false;
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  // Hour 24 is legal input (`T24:00:00` is the next midnight) but never canonical output.
  return day <= days && digitsAt(value, 11, 2) < 24 && digitsAt(value, 14, 2) < 60 && digitsAt(value, 17, 2) < 60;
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
