// The accounting half of the world: membranes, per-kind tallies, payments, and the journal that
// makes every operation undoable. Memory (memory.ts) adds the DAG operations on top.
import { entityKid, UNMETERED, UNPAID, type Acct, type DagNode } from './dag.js';
import type { ColumnSpec, Dataframe, Segment } from './dataframe.js';
import { PaymentGroups, type PaymentGroup } from './groups.js';
import { K_ROW, K_STRING, kindId } from './kinds.js';
import { applyCharge, ChargePlan, type Membrane } from './membrane.js';
import type { Pricing } from './rampoints.js';
import { repayWalk, restoreRepaid } from './repay.js';
import { entityKindOf, utf8Length, type ScalarValue } from './types.js';
import { Tally } from './usage.js';
import type { View } from './view.js';

export type Undo = () => void;

/** See Ledger.watchCharges. */
export type ChargeWatcher = (m: Membrane) => void;

export abstract class Ledger {
  /**
   * Open membranes by id (ids start at 1; 0 means "no quota membrane"), in creation order. A closed
   * membrane leaves the map (and its parent's children), so a loop that makes and drops membranes
   * holds only the live ones.
   */
  protected readonly membranes = new Map<number, Membrane>();
  protected nextMembraneId = 1;
  protected readonly tally = new Tally();
  protected journal: Undo[] | null = null;
  /** Told after a quota membrane's counters moved (see watchCharges); null costs one test per charge. */
  protected watcher: ChargeWatcher | null = null;

  constructor(readonly pricing: Pricing) {}

  /**
   * Calls `fn(m)` after every change of the use charged directly at quota membrane `m` (a charge, a
   * release, or the undo of either); the `below` use of m's enclosing quota membranes moved by the
   * same amount. For reports that draw use over time; `null` stops it.
   */
  watchCharges(fn: ChargeWatcher | null): void {
    this.watcher = fn;
  }

  /** The open membrane with an id (as found in payment records: a membrane that pays is open). */
  membrane(id: number): Membrane {
    const m = this.membranes.get(id);
    if (!m) throw new Error(`no open membrane with id ${id}`);
    return m;
  }

  /** Every open membrane (retired ones that still hold something included), in creation order. */
  allMembranes(): readonly Membrane[] {
    // An undone close puts a membrane back at the end of the map: order by id, not by insertion.
    return [...this.membranes.values()].sort((a, b) => a.id - b.id);
  }


  protected untallyRow(quota: Membrane | null, df: Dataframe, row: readonly ScalarValue[], q: number, c: number): void {
    this.tallyOne(quota, K_ROW, -this.pricing.price(K_ROW, q, c), q, c, 0, -1);
    const fixed = df.fixedPrice(this.pricing, q, c);
    for (let i = 0; i < row.length; i++) {
      const k = df.colKinds[i] as number;
      const v = row[i] as ScalarValue;
      if (k >= 0) this.tallyOne(quota, k, -(fixed.each[i] as number), q, c, 0, -1);
      else if (typeof v === 'string') {
        const len = utf8Length(v);
        this.tallyOne(quota, K_STRING, -this.pricing.stringPrice(len, q, c), q, c, -len, -1);
      } else {
        const kk = kindId(entityKindOf((df.columns[i] as ColumnSpec).type, v));
        this.tallyOne(quota, kk, -this.pricing.price(kk, q, c), q, c, 0, -1);
      }
    }
  }

  /** Per-kind counters only (the hierarchical counters move separately). Not journaled. */
  protected tallyOne(m: Membrane | null, kid: number, mp: number, q: number, c: number, sbytes: number, n = 1, lens?: readonly number[]): void {
    if (m) {
      const dc = m.directCount;
      const dm = m.directMp;
      while (dc.length <= kid) dc.push(0);
      while (dm.length <= kid) dm.push(0);
      dc[kid] = (dc[kid] as number) + n;
      dm[kid] = (dm[kid] as number) + mp;
    }
    this.tally.add(kid, n, mp, q, c, sbytes, lens);
  }


  // ------------------------------------------------------------------ atomic groups

  /**
   * Runs `fn`; if it throws, every change it made through this Memory is undone and the error is
   * rethrown. Nests. Use it for multi-step operations that must succeed or fail as one.
   */
  atomically<T>(fn: () => T): T {
    const outer = this.journal;
    if (outer === null) this.journal = [];
    const j = this.journal as Undo[];
    const mark = j.length;
    try {
      return fn();
    } catch (e) {
      this.rollback(j, mark);
      throw e;
    } finally {
      if (outer === null) this.journal = null;
    }
  }

  protected op<T>(fn: () => T): T {
    return this.atomically(fn);
  }

  /**
   * For operations that check everything before their first change (declarations, assignment):
   * outside atomically() they need no journal, which keeps the hot paths free of undo closures.
   */
  protected checkedOp<T>(fn: () => T): T {
    return this.journal === null ? fn() : this.atomically(fn);
  }

  protected rollback(j: Undo[], mark: number): void {
    while (j.length > mark) (j.pop() as Undo)();
  }

  protected record(undo: Undo): void {
    this.journal?.push(undo);
  }

  protected set<O extends object, K extends keyof O>(obj: O, key: K, value: O[K]): void {
    const old = obj[key];
    obj[key] = value;
    this.record(() => {
      obj[key] = old;
    });
  }


  /** Moves m's counters by x (unchecked) and tells the watcher: every change of use goes through here. */
  protected moveUse(m: Membrane, x: number): void {
    applyCharge(m, x);
    if (this.watcher !== null) this.watcher(m);
  }

  protected charge(m: Membrane, x: number): void {
    this.moveUse(m, x);
    this.record(() => this.moveUse(m, -x));
    // A retired membrane closes when the last thing it paid for is released.
    if (x < 0 && m.retired) this.closeIfDone(m);
  }

  /** Closes a retired membrane once it holds nothing and nothing open is stacked on it (see Memory). */
  protected abstract closeIfDone(m: Membrane): void;

  protected book(m: Membrane | null, kid: number, n: number, mp: number, q: number, c: number, sbytes: number, lens?: readonly number[]): void {
    this.tallyOne(m, kid, mp, q, c, sbytes, n, lens);
    this.record(() => this.tallyOne(m, kid, -mp, q, c, -sbytes, -n, lens));
  }


  /** Records a new payment (acct already filled in) and charges it. */
  protected pay(m: Membrane | null, kid: number, acct: Acct, sbytes: number): void {
    if (m) this.charge(m, acct.mp);
    this.book(m, kid, 1, acct.mp, acct.q, acct.c, sbytes);
  }

  /** Releases an entity's payment (no-op if unpaid) and marks it unpaid. */
  protected unpay(a: Acct, kid: number, sbytes: number): void {
    if (a.by === UNPAID) return;
    const m = a.by > 0 ? this.membrane(a.by) : null;
    if (m) this.charge(m, -a.mp);
    if (kid >= 0) this.book(m, kid, -1, -a.mp, a.q, a.c, -sbytes);
    this.setAcct(a, UNPAID, 0, 0, 0);
  }

  /** Rewrites a payment record (a node's Acct or a dataframe row segment). */
  protected setAcct(a: { by: number; mp: number; q: number; c: number }, by: number, mp: number, q: number, c: number): void {
    const old = [a.by, a.mp, a.q, a.c] as const;
    a.by = by;
    a.mp = mp;
    a.q = q;
    a.c = c;
    this.record(() => {
      [a.by, a.mp, a.q, a.c] = old;
    });
  }

  protected unpaySegment(df: Dataframe, s: Segment): void {
    if (s.by === UNPAID) return;
    const m = s.by > 0 ? this.membrane(s.by) : null;
    const t = df.tally(this.pricing, s.start, s.end, s.q, s.c);
    if (m) this.charge(m, -s.mp);
    for (const [k, n] of t.count) this.book(m, k, -n, -(t.mp.get(k) as number), s.q, s.c, k === K_STRING ? -t.stringBytes : 0, k === K_STRING ? t.stringLens : undefined);
    this.setAcct(s, UNPAID, 0, 0, 0);
  }

  /**
   * Re-pays every entity of a sub-DAG that is grafted through `view` (quota.md §5): free when its
   * payer is in the view's pool, else full price at the view's quota membrane. Checked as one plan.
   */
  protected repay(node: DagNode, view: View, what: string): void {
    const quota = view.quota;
    const by = quota?.id ?? UNMETERED;
    const { q, c } = view;
    const pricing = this.pricing;
    // Payments are rewritten during the walk and restored if the plan is refused: one pass over
    // the nodes, and refusal is the rare path.
    const w = repayWalk(node, { by, pool: quota?.pool ?? -1, q, c }, this.membranes, pricing);
    // Nothing to move (a node of another payer is only ever noted once the first payer has a run).
    if (w.runs.length === 0 && w.unpaid.length === 0 && w.segs.length === 0) return;
    // Per-kind tallies of what is released (per old payer) and paid (at the target).
    const group = (gby: number, gq: number, gc: number, count: number[], stringMp: number, sbytes: number, lens: number[]): PaymentGroup => {
      const kmp: number[] = [];
      let mp = 0;
      for (let k = 0; k < count.length; k++) {
        const n = count[k] as number;
        const x = n === 0 ? 0 : k === K_STRING ? stringMp : n * pricing.price(k, gq, gc);
        kmp.push(x);
        mp += x;
      }
      return { by: gby, q: gq, c: gc, mp, count, kmp, stringBytes: sbytes, stringLens: lens };
    };
    const released: PaymentGroup[] = [];
    if (w.others.length > 0) {
      const others = new PaymentGroups();
      const old = w.otherOld;
      w.others.forEach((n, i) => {
        others.add(old[4 * i] as number, old[4 * i + 2] as number, old[4 * i + 3] as number, entityKid(n), old[4 * i + 1] as number, n.kind === 'scalar' ? n.len : 0);
      });
      released.push(...others.values());
    }
    if (w.runs.length > 0) released.push(group(w.firstBy, w.firstQ, w.firstC, w.relCount, w.relStringMp, w.relStringBytes, w.relStringLens));
    const paid = group(by, q, c, w.paidCount, w.paidStringMp, w.paidStringBytes, w.paidStringLens);
    const restore = () => restoreRepaid(node, w, pricing);
    try {
      const plan = new ChargePlan();
      for (const g of released) if (g.by > 0) plan.add(this.membrane(g.by), -g.mp);
      plan.add(quota, paid.mp);
      for (const { df, s } of w.segs) {
        if (s.by > 0) plan.add(this.membrane(s.by), -s.mp);
        plan.add(quota, df.tally(pricing, s.start, s.end, q, c).total);
      }
      plan.check(what);
    } catch (e) {
      restore();
      throw e;
    }
    this.record(restore);
    for (const g of released) this.bookGroup(g.by > 0 ? this.membrane(g.by) : null, g, -1);
    this.bookGroup(quota, paid, 1);
    for (const { df, s } of w.segs) {
      this.unpaySegment(df, s);
      const t = df.tally(pricing, s.start, s.end, q, c);
      if (quota) this.charge(quota, t.total);
      for (const [k, n] of t.count) this.book(quota, k, n, t.mp.get(k) as number, q, c, k === K_STRING ? t.stringBytes : 0, k === K_STRING ? t.stringLens : undefined);
      this.setAcct(s, by, t.total, q, c);
    }
  }

  /** Charges (sign 1) or releases (sign −1) a whole payment group at m, with one undo entry. */
  protected bookGroup(m: Membrane | null, g: PaymentGroup, sign: 1 | -1): void {
    if (m) this.charge(m, sign * g.mp);
    const apply = (s: number) => {
      for (let k = 0; k < g.count.length; k++) {
        const n = g.count[k] as number;
        if (n !== 0) this.tallyOne(m, k, s * (g.kmp[k] as number), g.q, g.c, k === K_STRING ? s * g.stringBytes : 0, s * n, k === K_STRING ? g.stringLens : undefined);
      }
    };
    apply(sign);
    this.record(() => apply(-sign));
  }


  /** @internal The highest run total (milli-points of live allocations) ever reached; tests compare it. */
  peakMp(): number {
    return this.tally.peakMp;
  }

  /** The accounting of the whole run as counts (feeds bytesOf / basket normalization). */
  counts() {
    return this.tally.counts();
  }
}
