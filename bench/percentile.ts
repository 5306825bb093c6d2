// The nearest-rank percentile every benchmark reports (p99 of 100 samples is the 99th smallest).

/** The `p`th percentile of `values` (any order; not modified), or NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
