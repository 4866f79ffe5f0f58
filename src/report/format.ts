/** A score in [0, 1] as a percentage with one decimal; `n/a` when nothing was measured (null or NaN). */
export function formatPercent(x: number | null): string {
  return x === null || Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}
