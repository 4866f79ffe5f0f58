/** Count of Unicode code points (what a person calls characters; emoji count once). */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A short quoted excerpt for feedback lines: one line, at most `max` characters, with an ellipsis. */
export function snippet(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : flat);
}

/**
 * How the reply opens, for "it starts with ..." feedback: as many characters as the expected
 * prefix, extended to the end of the word so the line reads naturally, capped at 40.
 */
export function openingWords(text: string, minLength: number): string {
  const chars = [...text.trimStart()];
  let end = Math.min(chars.length, Math.max(1, minLength));
  while (end < chars.length && end < 40 && !/\s/.test(chars[end] as string)) end++;
  const cut = chars.slice(0, end).join('');
  return JSON.stringify(end < chars.length && end >= 40 ? `${cut}…` : cut);
}

/** How the reply ends, for "it ends with ..." feedback (mirror of openingWords). */
export function closingWords(text: string, minLength: number): string {
  const chars = [...text.trimEnd()];
  let start = Math.max(0, chars.length - Math.max(1, minLength));
  while (start > 0 && chars.length - start < 40 && !/\s/.test(chars[start - 1] as string)) start--;
  const cut = chars.slice(start).join('');
  return JSON.stringify(start > 0 && chars.length - start >= 40 ? `…${cut}` : cut);
}

/**
 * Normalisation for exact answers: Unicode NFKC, trim, collapse whitespace, case-fold, and strip
 * trailing sentence punctuation (so "Paris." equals "paris").
 */
export function normalizeExact(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/[\s.,;:!?…。，；：！？]+$/u, '')
    .trim();
}

/** Lines of a text split on LF or CRLF. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
