/** The first characters of a model reply on one line, for a report that must show what came back. */
export function replyHead(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one === '') return '(empty reply)';
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
