/** The q-quantile (0..1) of `values` by nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Rounds to `digits` decimals for printing. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);
