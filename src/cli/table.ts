// Plain-text tables for the reports of run, compare and basket: columns padded to their widest cell,
// numbers right-aligned.

export type Align = 'left' | 'right';

/** Rows of cells (the first row is the header) as aligned lines, two spaces between columns. */
export function table(rows: readonly (readonly string[])[], align: readonly Align[], indent = ''): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      (indent + r.map((c, i) => (align[i] === 'right' ? c.padStart(widths[i] as number) : i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ')).trimEnd(),
    )
    .join('\n');
}

/** Milli-points as points with exactly three decimals (aligns in a column): 1500 → "1.500". */
export function points3(mp: number | bigint): string {
  const v = BigInt(mp);
  const a = v < 0n ? -v : v;
  return `${v < 0n ? '-' : ''}${a / 1000n}.${(a % 1000n).toString().padStart(3, '0')}`;
}

/** A ratio max/min of positive amounts, to three decimals; null when some amount is 0. */
export function spread(xs: readonly (number | bigint)[]): number | null {
  if (xs.length === 0) return null;
  const vs = xs.map((x) => BigInt(x));
  let lo = vs[0] as bigint;
  let hi = lo;
  for (const v of vs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo <= 0n) return null;
  // Exact: round(hi / lo) to thousandths, half up, in integers.
  const thousandths = (hi * 2000n + lo) / (2n * lo);
  return Number(thousandths) / 1000;
}
