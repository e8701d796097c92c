// Membranes (quota.md §5–§6) and the hierarchical counters behind them.
// A charge at a quota membrane m checks m's direct limit and then the `below` limit of every
// enclosing quota membrane up to the root (like the kernel's hierarchical page counter); only when
// every level accepts does any counter move. Counters are integer milli-points.
import { MergeError, diagnostic } from '../diagnostics.js';
import type { Acct } from './dag.js';
import type { MembraneKind } from './kinds.js';
import { formatPoints } from './rampoints.js';

export type LimitKind = 'direct' | 'below' | 'total' | 'pool';

export class Membrane {
  /** Used milli-points of this membrane's own (direct) allocations. */
  directUsed = 0;
  /** Used milli-points charged to quota membranes inside this one. */
  belowUsed = 0;
  /** Sum of the totals of the open quota membranes that have this one as their enclosing quota (§6). */
  childTotals = 0;
  /**
   * @internal The highest direct + below use its counters ever reached (steps of a refused, undone
   * group included). Not in reports: tests compare it to see that two ways of running a program
   * charged the same amounts along the way, not only at the end.
   */
  peak = 0;
  /** Direct allocations by entity kind id: how many, and their milli-points (membrane extras included). */
  readonly directCount: number[] = [];
  readonly directMp: number[] = [];
  /** Membranes created over this one (any kind), in creation order. */
  readonly children: Membrane[] = [];
  closed = false;
  /**
   * The name it was bound to went out of scope: nothing may be allocated through it any more, and it
   * closes as soon as it holds nothing and nothing open is stacked on it (until then it stays open,
   * keeping its §6 share, for what it paid that lives on in a longer-lived DAG).
   */
  retired = false;
  /** The membrane is itself an entity: who paid for it, through the view it was created over. */
  paid: Acct | null = null;

  constructor(
    readonly id: number,
    /** The name it was declared under (the interpreter's path), used in errors and reports. */
    readonly name: string,
    readonly kind: MembraneKind,
    /** T, D, O in milli-points (0 for copy_on_mutate). */
    readonly total: number,
    readonly direct: number,
    readonly overcommit: number,
    /** The innermost membrane of the chain it was created over. */
    readonly parent: Membrane | null,
    /** The innermost quota membrane enclosing it (through any membrane kind). */
    readonly quotaParent: Membrane | null,
    /** Pool id (§5): quota membranes stacked directly on each other share one. 0 for copy_on_mutate. */
    readonly pool: number,
  ) {}
}

/** The quota_error (MRG3006) for a refused charge or declaration, with structured details. */
export function quotaError(m: Membrane, limit: LimitKind, limitValue: number, used: number, requested: number, what?: string): MergeError {
  const labels: Record<LimitKind, string> = {
    direct: 'direct allocation limit D',
    below: 'limit for membranes below it (T − D)',
    total: 'total T',
    pool: 'pool for stacked membranes (T − D) + O',
  };
  const message =
    `${what ?? 'allocation'} refused by quota membrane '${m.name}': ${formatPoints(used)} used + ${formatPoints(requested)} requested ` +
    `> ${formatPoints(limitValue)} points (${labels[limit]})`;
  const details = new Map<string, unknown>([
    ['membrane', m.name],
    ['membraneId', m.id],
    ['limit', limit],
    ['limitValue', limitValue],
    ['used', used],
    ['requested', requested],
  ]);
  return new MergeError(diagnostic('MRG3006', message), details);
}

/**
 * Throws the quota error of the first level that refuses `x` milli-points charged directly at `m`.
 * Only I1 (direct ≤ D) and I2 (below ≤ T − D) are checked: together they imply I3 (direct + below ≤ T),
 * so a separate T check could never be the one that refuses. A release (x ≤ 0) always fits.
 */
export function checkCharge(m: Membrane, x: number): void {
  if (m.directUsed + x > m.direct) throw quotaError(m, 'direct', m.direct, m.directUsed, x);
  for (let p = m.quotaParent; p !== null; p = p.quotaParent) {
    if (p.belowUsed + x > p.total - p.direct) throw quotaError(p, 'below', p.total - p.direct, p.belowUsed, x);
  }
}

/** Moves the counters by x (negative: a release) and keeps each level's peak. Never checks: call checkCharge first. */
export function applyCharge(m: Membrane, x: number): void {
  m.directUsed += x;
  m.peak = Math.max(m.peak, m.directUsed + m.belowUsed);
  for (let p = m.quotaParent; p !== null; p = p.quotaParent) {
    p.belowUsed += x;
    p.peak = Math.max(p.peak, p.directUsed + p.belowUsed);
  }
}

/**
 * Net changes of several charges and releases, checked as one: every level's final use must fit
 * D and T − D (I3 follows, as for checkCharge; a level whose use only shrinks fits). Refusal names
 * the first level, in the order the charges were added, innermost first.
 */
export class ChargePlan {
  // Plans name a handful of membranes (a payer, a target and their ancestors): parallel arrays with
  // a linear search beat Maps here (measured on the metered `ent` path).
  private readonly order: Membrane[] = [];
  private readonly directDelta: number[] = [];
  private readonly belowDelta: number[] = [];

  private slot(m: Membrane): number {
    let i = this.order.indexOf(m);
    if (i < 0) {
      i = this.order.push(m) - 1;
      this.directDelta.push(0);
      this.belowDelta.push(0);
    }
    return i;
  }

  add(m: Membrane | null, x: number): void {
    if (m === null) return;
    const i = this.slot(m);
    this.directDelta[i] = (this.directDelta[i] as number) + x;
    for (let p = m.quotaParent; p !== null; p = p.quotaParent) {
      const j = this.slot(p);
      this.belowDelta[j] = (this.belowDelta[j] as number) + x;
    }
  }

  check(what?: string): void {
    this.order.forEach((m, i) => {
      const dd = this.directDelta[i] as number;
      const bd = this.belowDelta[i] as number;
      if (m.directUsed + dd > m.direct) throw quotaError(m, 'direct', m.direct, m.directUsed, dd, what);
      if (m.belowUsed + bd > m.total - m.direct) throw quotaError(m, 'below', m.total - m.direct, m.belowUsed, bd, what);
    });
  }
}
