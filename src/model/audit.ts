// Independent checks of a Memory: the invariants I1–I4 (quota.md §6), and that every counter equals
// what the payment records add up to. Also a plain-data snapshot for "state unchanged" comparisons.
// Used by tests and by the interpreter's property tests; O(size of the world), not for hot paths.
import { walk, type DagNode } from './dag.js';
import type { Dataframe } from './dataframe.js';
import { kindMap } from './kinds.js';
import type { Membrane } from './membrane.js';
import type { Memory } from './memory.js';

/** Violations of I1–I4 and of counter consistency; empty when all hold. */
export function checkInvariants(mem: Memory): string[] {
  const bad: string[] = [];
  const ms = mem.allMembranes();
  const paid = new Map<number, number>();
  let totalPaid = 0;
  // Unpaid (-1) and unmetered (0) are no membrane's id: they count toward the run total only (an
  // unpaid record holds 0 milli-points, so one that holds more shows up there).
  const add = (by: number, mp: number) => {
    totalPaid += mp;
    paid.set(by, (paid.get(by) ?? 0) + mp);
  };
  const visit = (n: DagNode) =>
    walk(n, (x) => {
      if (x.acct) add(x.acct.by, x.acct.mp);
      if (x.kind === 'dataframe') for (const s of x.df.segments) add(s.by, s.mp);
    });
  visit(mem.dag);
  for (const d of mem.liveDetached()) visit(d.node);
  for (const l of mem.loosePayments()) add(l.by, l.mp);
  for (const m of ms) if (m.paid) add(m.paid.by, m.paid.mp);

  // Open membranes only (a closed one has left allMembranes()). Copy-on-mutate ones too: they pay
  // for nothing and hold no quota, so every counter of theirs must stay 0 against limits of 0.
  for (const m of ms) {
    const tag = `membrane '${m.name}'`;
    if (m.directUsed !== (paid.get(m.id) ?? 0)) bad.push(`${tag}: direct use ${m.directUsed} ≠ ${paid.get(m.id) ?? 0} paid by it`);
    const below = ms.filter((x) => x.kind === 'quota' && encloses(m, x)).reduce((a, x) => a + x.directUsed, 0);
    if (m.belowUsed !== below) bad.push(`${tag}: below use ${m.belowUsed} ≠ ${below} charged inside it`);
    const byKind = m.directMp.reduce((a, b) => a + b, 0);
    if (byKind !== m.directUsed) bad.push(`${tag}: by-kind milli-points ${byKind} ≠ direct use ${m.directUsed}`);
    if (m.directUsed > m.direct) bad.push(`I1 ${tag}: direct ${m.directUsed} > D ${m.direct}`);
    if (m.belowUsed > m.total - m.direct) bad.push(`I2 ${tag}: below ${m.belowUsed} > T−D ${m.total - m.direct}`);
    if (m.directUsed + m.belowUsed > m.total) bad.push(`I3 ${tag}: direct + below ${m.directUsed + m.belowUsed} > T ${m.total}`);
    // A copy-on-mutate membrane's total is 0: it adds nothing here.
    const children = ms.filter((x) => x.quotaParent === m).reduce((a, x) => a + x.total, 0);
    if (m.childTotals !== children) bad.push(`${tag}: child totals ${m.childTotals} ≠ ${children}`);
    if (children > m.total - m.direct + m.overcommit) bad.push(`I4 ${tag}: child totals ${children} > (T−D)+O ${m.total - m.direct + m.overcommit}`);
  }
  const totals = mem.report().totals;
  if (totals.mp !== totalPaid) bad.push(`run total ${totals.mp} ≠ ${totalPaid} in payment records`);
  return bad;
}

function encloses(outer: Membrane, inner: Membrane): boolean {
  for (let p = inner.quotaParent; p; p = p.quotaParent) if (p === outer) return true;
  return false;
}

function dfSnap(df: Dataframe) {
  const rows: string[][] = [];
  for (let i = 0; i < df.rows; i++) rows.push(df.row(i).map(String));
  return {
    columns: df.columns.map((c) => `${c.type.name} ${c.name}`),
    rows,
    frozen: df.frozen,
    segments: df.segments.map((s) => ({ ...s })),
  };
}

/** A plain-data picture of a node (insertion-ordered children, payments, dataframe rows). */
export function nodeSnapshot(n: DagNode): unknown {
  const base = { kind: n.kind, frozen: n.frozen, acct: n.acct ? [n.acct.by, n.acct.mp, n.acct.q, n.acct.c] : null };
  switch (n.kind) {
    case 'dag':
      return { ...base, entity: n.entity, children: n.children.entries().map(([k, v]) => [k, nodeSnapshot(v)]) };
    case 'scalar':
      return { ...base, type: n.type.name, value: typeof n.value === 'bigint' ? `${n.value}n` : n.value };
    case 'dataframe':
      return { ...base, df: dfSnap(n.df) };
    case 'alias':
      return { ...base, target: n.target };
    case 'opaque':
      return { ...base, entity: n.entity };
  }
}

/** Everything observable about a Memory, as plain data (compare two with deep equality). */
export function snapshot(mem: Memory): unknown {
  return {
    dag: nodeSnapshot(mem.dag),
    membranes: mem.allMembranes().map((m) => ({
      id: m.id,
      name: m.name,
      kind: m.kind,
      limits: [m.total, m.direct, m.overcommit],
      directUsed: m.directUsed,
      belowUsed: m.belowUsed,
      childTotals: m.childTotals,
      closed: m.closed,
      paid: m.paid ? [m.paid.by, m.paid.mp, m.paid.q, m.paid.c] : null,
      count: kindMap(m.directCount),
      mp: kindMap(m.directMp),
      children: m.children.map((c) => c.id),
    })),
    live: mem.liveDetached().map((d) => ({ id: d.id, from: d.from, node: nodeSnapshot(d.node) })),
    loose: mem.loosePayments().map((l) => [l.by, l.mp, l.q, l.c, l.kid, l.len]),
    totals: mem.report().totals,
    counts: mem.counts(),
  };
}
