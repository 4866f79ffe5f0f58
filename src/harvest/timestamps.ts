/** The two-digit number at `at`, or -1 when either character is not an ASCII digit. */
function twoDigits(value: string, at: number): number {
  const a = value.charCodeAt(at) - 48;
  const b = value.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
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
  // `YYYY-MM-DDTHH:MM:SS.mmmZ` checked by hand: this runs on every record, and a regex with six captures cost more
  // than the rest of the record's handling.
  if (value.length !== 24) return false;
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 || value.charCodeAt(13) !== 58) return false;
  if (value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46 || value.charCodeAt(23) !== 90) return false;
  const century = twoDigits(value, 0);
  const yy = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  const millis = twoDigits(value, 20);
  const lastMilli = value.charCodeAt(22) - 48;
  if (century < 0 || yy < 0 || millis < 0 || lastMilli < 0 || lastMilli > 9) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(century * 100 + yy) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  // Hour 24 is legal input (`T24:00:00` is the next midnight) but never canonical output.
  return day <= days && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60;
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
