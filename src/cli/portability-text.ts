// The text of a program's portability (quota.md §9) for `merg-e compare` and `merg-e run --report`:
// the breakdown of the points gap between the dearest and the cheapest profile, and how the runs
// under different profiles ended when they ended differently.
import type { Portability } from '../runtime/portability.js';
import { points3, table } from './table.js';

/** At most this many parts are listed in the text breakdown; the rest are summed in one line. */
const SHOWN_PARTS = 6;

export function breakdownText(p: Portability): string[] {
  const b = p.breakdown;
  if (!b) return [];
  const shown = b.parts.slice(0, SHOWN_PARTS);
  const rest = b.parts.slice(SHOWN_PARTS);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const pts = (x: number) => x.toFixed(3);
  const row = (name: string, hi: number, lo: number, share: number) => [name, pts(hi), pts(lo), pts(hi - lo), pct(share)];
  const rows = [['part', b.hi, b.lo, 'gap', 'share'], ...shown.map((x) => row(x.kind, x.hiPoints, x.loPoints, x.share))];
  if (rest.length > 0) {
    const sum = (f: (x: (typeof rest)[number]) => number) => rest.reduce((a, x) => a + f(x), 0);
    rows.push(row(`${rest.length} other part${rest.length === 1 ? '' : 's'}`, sum((x) => x.hiPoints), sum((x) => x.loPoints), sum((x) => x.share)));
  }
  return [`the gap between the dearest and the cheapest profile, by part (points; shares of the gap sum to 100%):`, table(rows, ['left', 'right', 'right', 'right', 'right'], '  ')];
}

export function outcomesText(p: Portability): string[] {
  if (!p.outcomesDiffer) return [];
  return ['the runs ended differently, so the spread compares different work:', ...p.differences.map((d) => `  ${d}`)];
}

/** `run --report`'s portability lines: the run's points under every profile, priced from its counts, and the breakdown. */
export function runPortabilityText(p: Portability): string {
  const rows = p.points;
  if (rows.length < 2) return '';
  const spread = p.spread === null ? 'n/a' : p.spread.toFixed(3);
  const lines = [`portability (this run priced from its entity counts under every profile): spread ${spread} (warn above ${p.warnSpread})`];
  lines.push(table([rows.map((r) => r.profile), rows.map((r) => points3(r.mp))], rows.map(() => 'right' as const), '  '));
  if (p.unlikeBasket) lines.push(...breakdownText(p));
  return lines.join('\n') + '\n';
}
