// Entity counts (quota.md §4 step 1) as values: one canonical shape, weighted sums and the
// differences between two of them. Pure; baskets, compare and basket fit build on it.
import { MEMBRANE_KINDS, type MembraneKind } from './kinds.js';
import type { EntityCounts } from './rampoints.js';

/** Every count of a set, kinds sorted, zeros dropped, both membrane kinds present. */
export interface FullCounts extends EntityCounts {
  readonly extras: ReadonlyMap<MembraneKind, ReadonlyMap<string, number>>;
  readonly extraStringBytes: ReadonlyMap<MembraneKind, number>;
}

function sorted(m: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of [...m.keys()].sort()) {
    const n = m.get(k) as number;
    if (n !== 0) out.set(k, n);
  }
  return out;
}

/** Σ weight × counts (one program with weight 1: its canonical shape). */
export function weightedCounts(parts: readonly { readonly weight: number; readonly counts: EntityCounts }[]): FullCounts {
  const byKind = new Map<string, number>();
  let stringBytes = 0;
  const extras = new Map<MembraneKind, Map<string, number>>(MEMBRANE_KINDS.map((m) => [m, new Map()]));
  const extraStringBytes = new Map<MembraneKind, number>(MEMBRANE_KINDS.map((m) => [m, 0]));
  for (const { weight, counts } of parts) {
    for (const [k, n] of counts.byKind) byKind.set(k, (byKind.get(k) ?? 0) + weight * n);
    stringBytes += weight * counts.stringBytes;
    for (const m of MEMBRANE_KINDS) {
      const t = extras.get(m) as Map<string, number>;
      for (const [k, n] of counts.extras?.get(m) ?? []) t.set(k, (t.get(k) ?? 0) + weight * n);
      extraStringBytes.set(m, (extraStringBytes.get(m) as number) + weight * (counts.extraStringBytes?.get(m) ?? 0));
    }
  }
  return { byKind: sorted(byKind), stringBytes, extras: new Map(MEMBRANE_KINDS.map((m) => [m, sorted(extras.get(m) as Map<string, number>)])), extraStringBytes };
}

/** The canonical shape of one set of counts. */
export function fullCounts(c: EntityCounts): FullCounts {
  return weightedCounts([{ weight: 1, counts: c }]);
}

/** Where two sets of counts differ, as `what: a vs b` items (empty: the same). */
export function countDifferences(a: EntityCounts, b: EntityCounts): { what: string; a: number; b: number }[] {
  const x = fullCounts(a);
  const y = fullCounts(b);
  const out: { what: string; a: number; b: number }[] = [];
  const cmp = (prefix: string, p: ReadonlyMap<string, number>, q: ReadonlyMap<string, number>) => {
    for (const k of [...new Set([...p.keys(), ...q.keys()])].sort()) {
      const u = p.get(k) ?? 0;
      const v = q.get(k) ?? 0;
      if (u !== v) out.push({ what: `${prefix}${k}`, a: u, b: v });
    }
  };
  cmp('', x.byKind, y.byKind);
  if (x.stringBytes !== y.stringBytes) out.push({ what: 'string bytes', a: x.stringBytes, b: y.stringBytes });
  for (const m of MEMBRANE_KINDS) {
    cmp(`extras through membrane:${m}: `, x.extras.get(m) as ReadonlyMap<string, number>, y.extras.get(m) as ReadonlyMap<string, number>);
    const u = x.extraStringBytes.get(m) as number;
    const v = y.extraStringBytes.get(m) as number;
    if (u !== v) out.push({ what: `extras through membrane:${m}: string bytes`, a: u, b: v });
  }
  return out;
}

/** N: how many entities the counts hold. */
export function entityTotal(c: EntityCounts): number {
  let n = 0;
  for (const v of c.byKind.values()) n += v;
  return n;
}
