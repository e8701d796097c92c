// The walk behind a graft's re-payment (quota.md §5): one loop over a sub-DAG that rewrites the
// payment record of every node not paid in the target's pool and counts what moved, per kind.
// It is the hot path of a metered `ent`, so it allocates nothing per node: prices come from a
// per-kind table made once per graft, nodes re-paid from the common payer are remembered as runs of
// walk positions (one pair of numbers for a whole sub-DAG, not one array slot per node), and a
// refused graft finds them again by walking the same (immutable) sub-DAG in the same order.
import { entityKid, UNPAID, type Acct, type DagNode, type ScalarNode } from './dag.js';
import type { Dataframe, Segment } from './dataframe.js';
import { bump, K_STRING } from './kinds.js';
import type { Membrane } from './membrane.js';
import type { Pricing } from './rampoints.js';
import { work } from './work.js';

/** Where the grafted nodes are paid from now on. */
export interface RepayTarget {
  /** Paying quota membrane id, or UNMETERED. */
  readonly by: number;
  /** Its pool (−1 without one): nodes already paid in this pool stay as they are, for free. */
  readonly pool: number;
  readonly q: number;
  readonly c: number;
}

/** What a graft moves: rewritten records (and how to restore them), counts per kind, row segments. */
export class RepayWalk {
  /** The payer (membrane id or UNMETERED) and chain of the first re-paid paid node: the common case. */
  firstBy = UNPAID;
  firstQ = 0;
  firstC = 0;
  /** Per kind id (as long as the highest id counted): re-paid nodes that were paid by the first payer, and by anyone (all re-paid nodes). */
  readonly relCount: number[] = [];
  readonly paidCount: number[] = [];
  relStringMp = 0;
  relStringBytes = 0;
  paidStringMp = 0;
  paidStringBytes = 0;
  /** The UTF-8 length of each re-paid string: those of the first payer, and all. */
  readonly relStringLens: number[] = [];
  readonly paidStringLens: number[] = [];
  /** Walk positions [start, end) of nodes re-paid from the first payer, as flat pairs. */
  readonly runs: number[] = [];
  /** The rare rest: re-paid nodes that were unpaid, or paid by someone else (old by, mp, q, c in otherOld). */
  readonly unpaid: DagNode[] = [];
  readonly others: DagNode[] = [];
  readonly otherOld: number[] = [];
  /** Dataframe row segments to re-pay. */
  readonly segs: { df: Dataframe; s: Segment }[] = [];
}

/** No payer has this id: the first re-paid payer is not known yet. */
const NONE = -3;

/** The rare re-paid nodes: unpaid ones, and those of a payer other than the first (old record kept). */
function noteOther(w: RepayWalk, n: DagNode, a: Acct): void {
  if (a.by === UNPAID) {
    w.unpaid.push(n);
  } else {
    w.others.push(n);
    w.otherOld.push(a.by, a.mp, a.q, a.c);
  }
}

/**
 * Rewrites, in place, the payment record of every node of `root` that is not paid in the target's
 * pool and not already paid exactly as the target would pay it. `membranes`: the open ones by id.
 */
export function repayWalk(root: DagNode, t: RepayTarget, membranes: ReadonlyMap<number, Membrane>, pricing: Pricing): RepayWalk {
  const w = new RepayWalk();
  const { by, pool, q, c } = t;
  // Per-kind prices at the target chain, looked up once per kind per graft (strings: by length).
  const prices: (number | undefined)[] = [];
  const relCount = w.relCount;
  const runs = w.runs;
  let lastPayer = -2;
  let lastFree = false;
  let firstBy = NONE;
  let firstQ = 0;
  let firstC = 0;
  // Where the last run ends (runs[runs.length - 1]); −1 before the first.
  let runEnd = -1;
  const stack: DagNode[] = [root];
  for (let at = 0; stack.length > 0; at++) {
    const n = stack.pop() as DagNode;
    work.units++;
    if (n.kind === 'dag') n.children.pushValuesReversed(stack);
    const a = n.acct;
    if (a !== null) {
      const payer = a.by;
      if (payer !== lastPayer) {
        lastPayer = payer;
        lastFree = payer > 0 && (membranes.get(payer) as Membrane).pool === pool;
      }
      if (!lastFree) {
        const kid = entityKid(n);
        let len = 0;
        let price: number;
        if (kid === K_STRING) {
          len = (n as ScalarNode).len;
          price = pricing.stringPrice(len, q, c);
        } else {
          price = prices[kid] ?? (prices[kid] = pricing.price(kid, q, c));
        }
        if (payer !== by || a.mp !== price || a.q !== q || a.c !== c) {
          let first = payer === firstBy && a.q === firstQ && a.c === firstC;
          if (!first) {
            if (firstBy === NONE && payer !== UNPAID) {
              firstBy = payer;
              firstQ = a.q;
              firstC = a.c;
              first = true;
            } else {
              noteOther(w, n, a);
            }
          }
          if (first) {
            if (at === runEnd) runs[runs.length - 1] = at + 1;
            else runs.push(at, at + 1);
            runEnd = at + 1;
            bump(relCount, kid, 1);
          }
          if (kid === K_STRING) {
            if (first) {
              w.relStringMp += a.mp;
              w.relStringBytes += len;
              w.relStringLens.push(len);
            }
            w.paidStringMp += price;
            w.paidStringBytes += len;
            w.paidStringLens.push(len);
          }
          a.by = by;
          a.mp = price;
          a.q = q;
          a.c = c;
        }
      }
    }
    if (n.kind === 'dataframe') {
      for (const s of n.df.segments) {
        const free = s.by > 0 && (membranes.get(s.by) as Membrane).pool === pool;
        if (!free && !(s.by === by && s.q === q && s.c === c)) w.segs.push({ df: n.df, s });
      }
    }
  }
  w.firstBy = firstBy === NONE ? UNPAID : firstBy;
  w.firstQ = firstQ;
  w.firstC = firstC;
  const paid = w.paidCount;
  paid.push(...relCount);
  for (const n of w.unpaid) bump(paid, entityKid(n), 1);
  for (const n of w.others) bump(paid, entityKid(n), 1);
  return w;
}

/** Puts back every payment record repayWalk() rewrote (a refused graft, or an undone one). */
export function restoreRepaid(root: DagNode, w: RepayWalk, pricing: Pricing): void {
  const { firstBy, firstQ, firstC, runs } = w;
  let r = 0;
  const stack: DagNode[] = [root];
  for (let at = 0; stack.length > 0 && r < runs.length; at++) {
    const n = stack.pop() as DagNode;
    work.units++;
    if (n.kind === 'dag') n.children.pushValuesReversed(stack);
    if (at < (runs[r] as number)) continue;
    // A re-paid node's old price is a function of its kind, length and the old chain.
    const kid = entityKid(n);
    const a = n.acct as Acct;
    a.by = firstBy;
    a.mp = kid === K_STRING ? pricing.stringPrice((n as ScalarNode).len, firstQ, firstC) : pricing.price(kid, firstQ, firstC);
    a.q = firstQ;
    a.c = firstC;
    if (at + 1 === runs[r + 1]) r += 2;
  }
  for (const n of w.unpaid) Object.assign(n.acct as object, { by: UNPAID, mp: 0, q: 0, c: 0 });
  w.others.forEach((n, i) => {
    const old = w.otherOld;
    Object.assign(n.acct as object, { by: old[4 * i], mp: old[4 * i + 1], q: old[4 * i + 2], c: old[4 * i + 3] });
  });
}
