// A model-operation command set for fast-check (fc.commands / fc.modelRun): a reference model of
// plain maps and arrays (no DAG, no plans, use recomputed from scratch) runs next to a real Memory.
// Every command predicts whether the real operation is accepted; after each one I1–I4 hold, every
// counter agrees with the model, and a refused operation left the real state deep-equal to before.
// Membranes (quota and copy_on_mutate, stacked), declarations of every kind, dataframe appends,
// assignments, freezes, prunes, grafts (ent), releases and retired membranes are covered.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';

import fc from 'fast-check';

import { MergeError } from '../diagnostics.js';
import { checkInvariants, snapshot, type Detached, type Memory, type View } from '../model/index.js';
import { unitWorld } from './unit-world.js';

// Unit-profile prices in milli-points (fixtures.ts): c = copy_on_mutate membranes on the chain.
const PRICE = {
  dag: (c: number) => 1000 + 7 * c,
  bool: (c: number) => 1 + 7 * c,
  int32: (c: number) => 250 + 7 * c,
  string: (len: number, c: number) => 100 + len + (7 + len) * c,
  df: (c: number) => 2000 + 7 * c,
  row: (len: number, c: number) => 50 + 7 * c + PRICE.int32(c) + PRICE.string(len, c),
  quota: (c: number) => 500 + 7 * c,
  com: (c: number) => 300 + 7 * c,
};

interface RMembrane {
  id: number;
  kind: 'quota' | 'copy_on_mutate';
  T: number;
  D: number;
  O: number;
  quotaParent: number; // 0: none
  parent: number; // the innermost membrane of any kind it was created over; 0: none
  pool: number;
  direct: number;
  open: boolean;
  retired: boolean;
  /** What its own entity cost its quota parent. */
  paidMp: number;
}
interface RView {
  base: string;
  chain: number[];
}
/** One paid thing: who paid (−1 unpaid, 0 unmetered, else membrane id) and how much. */
interface Pay {
  by: number;
  mp: number;
}
interface RItem {
  name: string;
  kind: 'bool' | 'int32' | 'string' | 'dag' | 'df';
  len: number;
  pay: Pay;
  rows: (Pay & { len: number })[];
  frozen: boolean;
}
/** The reference model: what a correct Memory must hold after the same commands. */
export interface ReferenceModel {
  membranes: RMembrane[];
  views: RView[];
  items: Map<string, RItem & { base: string }>; // in the world, by name
  detached: RItem[];
  nextName: number;
  nextPool: number;
  total: number; // mp of every live allocation
  refused: number;
  accepted: number;
  stats: MemoryModelStats;
}
/** The real side: the Memory under test, its views and the values pruned from it. */
export interface RealWorld {
  mem: Memory;
  views: View[];
  detached: Detached[];
}

/** What the commands did, over every run that shares it: a test can check both outcomes were exercised. */
export interface MemoryModelStats {
  runs: number;
  accepted: number;
  refused: number;
  /** Retired membranes closed at once, and those that stayed open for a while. */
  closed: number;
  closedLater: number;
}

export function newMemoryModelStats(): MemoryModelStats {
  return { runs: 0, accepted: 0, refused: 0, closed: 0, closedLater: 0 };
}

const BASES = ['A', 'B', 'C'];

function quotaOf(m: ReferenceModel, v: RView): RMembrane | null {
  for (let i = v.chain.length - 1; i >= 0; i--) {
    const x = m.membranes[(v.chain[i] as number) - 1] as RMembrane;
    if (x.kind === 'quota') return x;
  }
  return null;
}
const comCount = (m: ReferenceModel, v: RView) => v.chain.filter((id) => m.membranes[id - 1]?.kind === 'copy_on_mutate').length;
/** A view through a retired membrane takes no allocation (MRG3015). */
const dead = (m: ReferenceModel, v: RView) => v.chain.some((id) => (m.membranes[id - 1] as RMembrane).retired);

/** A retired membrane with nothing paid, nothing below and nothing open on it closes, and so may its parents. */
function closeIfDone(m: ReferenceModel, x: RMembrane | undefined): void {
  if (!x || !x.retired || !x.open || x.direct !== 0) return;
  if (below(m, x, (y) => y.direct) !== 0 || m.membranes.some((y) => y.open && y.parent === x.id)) return;
  x.open = false;
  m.stats.closed++;
  if (x.quotaParent !== 0) (m.membranes[x.quotaParent - 1] as RMembrane).direct -= x.paidMp;
  m.total -= x.paidMp;
  closeIfDone(m, m.membranes[x.parent - 1]);
  closeIfDone(m, m.membranes[x.quotaParent - 1]);
}

/** After a release: every retired membrane that paid for it may be done now. */
function closeRetired(m: ReferenceModel, payers: number[]): void {
  for (const by of payers) if (by > 0) closeIfDone(m, m.membranes[by - 1]);
}

function encloses(m: ReferenceModel, outer: RMembrane, inner: RMembrane): boolean {
  for (let p = inner.quotaParent; p !== 0; p = (m.membranes[p - 1] as RMembrane).quotaParent) if (p === outer.id) return true;
  return false;
}
const below = (m: ReferenceModel, x: RMembrane, direct: (y: RMembrane) => number) =>
  m.membranes.filter((y) => y.kind === 'quota' && y !== x && encloses(m, x, y)).reduce((a, y) => a + direct(y), 0);

/**
 * Would moving the direct uses by `delta` (membrane id → mp) be accepted? Recomputed from scratch:
 * every quota membrane whose direct or below use grows must still satisfy I1–I3.
 */
function fits(m: ReferenceModel, delta: Map<number, number>): boolean {
  const now = (y: RMembrane) => y.direct;
  const next = (y: RMembrane) => y.direct + (delta.get(y.id) ?? 0);
  for (const x of m.membranes) {
    if (x.kind !== 'quota') continue;
    const d0 = now(x);
    const d1 = next(x);
    const b0 = below(m, x, now);
    const b1 = below(m, x, next);
    if (d1 > d0 && d1 > x.D) return false;
    if (b1 > b0 && b1 > x.T - x.D) return false;
    if (d1 + b1 > d0 + b0 && d1 + b1 > x.T) return false;
  }
  return true;
}

function apply(m: ReferenceModel, delta: Map<number, number>): void {
  for (const [id, x] of delta) (m.membranes[id - 1] as RMembrane).direct += x;
}

function addDelta(delta: Map<number, number>, by: number, mp: number): void {
  if (by > 0) delta.set(by, (delta.get(by) ?? 0) + mp);
}

/** Runs one real operation and compares its outcome with the model's prediction. */
function expectOutcome(m: ReferenceModel, r: RealWorld, accept: boolean, fn: () => void): boolean {
  const before = snapshot(r.mem);
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error !== null && !(error instanceof MergeError)) throw error;
  m.stats[accept ? 'accepted' : 'refused']++;
  if (accept) {
    if (error) throw new Error(`expected success, got ${(error as MergeError).code}: ${(error as MergeError).message}`);
  } else {
    if (!(error instanceof MergeError)) throw new Error('expected a refusal (MergeError), but the operation was accepted');
    deepStrictEqual(snapshot(r.mem), before, 'a refused operation changed the state');
  }
  return error === null;
}

function agree(m: ReferenceModel, r: RealWorld): void {
  deepStrictEqual(checkInvariants(r.mem), [], 'I1–I4 and the counters hold');
  const ms = r.mem.allMembranes();
  deepStrictEqual(
    ms.map((y) => y.id),
    m.membranes.filter((x) => x.open).map((x) => x.id),
    'the open membranes',
  );
  for (const x of m.membranes) {
    const y = ms.find((z) => z.id === x.id);
    if (!x.open) continue;
    if (!y) throw new Error(`membrane ${x.id} is missing`);
    strictEqual(y.retired, x.retired, `membrane ${x.id}: retired`);
    strictEqual(y.directUsed, x.direct, `membrane ${x.id}: direct use`);
    strictEqual(y.belowUsed, x.kind === 'quota' ? below(m, x, (z) => z.direct) : 0, `membrane ${x.id}: use below`);
    const kids = m.membranes.filter((z) => z.kind === 'quota' && z.open && z.quotaParent === x.id).reduce((a, z) => a + z.T, 0);
    strictEqual(y.childTotals, x.kind === 'quota' ? kids : 0, `membrane ${x.id}: totals of the membranes on it`);
  }
  strictEqual(r.mem.report().totals.mp, m.total, 'milli-points of every live allocation');
  strictEqual(r.mem.liveDetached().length, m.detached.length, 'live pruned values');
}

/** One operation on the model and on the real Memory. */
export type MemoryCommand = fc.Command<ReferenceModel, RealWorld>;
type Cmd = MemoryCommand;
const pick = <T,>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

/** The view a command's index picks, its innermost quota membrane and its copy_on_mutate count. */
function viewAt(m: ReferenceModel, i: number): { vi: number; v: RView; q: RMembrane | null; c: number } {
  const vi = i % m.views.length;
  const v = m.views[vi] as RView;
  return { vi, v, q: quotaOf(m, v), c: comCount(m, v) };
}

/** Records a membrane the real Memory accepted over view `v`: in the model, with a view through it. */
function addMembrane(m: ReferenceModel, r: RealWorld, v: RView, x: Pick<RMembrane, 'kind' | 'T' | 'D' | 'O' | 'quotaParent' | 'pool' | 'paidMp'>, view: View): void {
  const within = v.chain[v.chain.length - 1] ?? 0;
  m.membranes.push({ ...x, id: m.membranes.length + 1, parent: within, direct: 0, open: true, retired: false });
  m.total += x.paidMp;
  m.views.push({ base: v.base, chain: [...v.chain, m.membranes.length] });
  r.views.push(view);
}

class NewQuota implements Cmd {
  constructor(readonly v: number, readonly T: number, readonly D: number, readonly O: number) {}
  check = (m: Readonly<ReferenceModel>) => m.views.length > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const { vi, v, q: parent, c } = viewAt(m, this.v);
    const last = v.chain.length > 0 ? m.membranes[(v.chain[v.chain.length - 1] as number) - 1] : undefined;
    const [T, D, O] = [this.T * 1000, this.D * 1000, this.O * 1000];
    const kids = parent ? m.membranes.filter((z) => z.kind === 'quota' && z.open && z.quotaParent === parent.id).reduce((a, z) => a + z.T, 0) : 0;
    const delta = new Map<number, number>();
    addDelta(delta, parent?.id ?? 0, PRICE.quota(c));
    const accept = !dead(m, v) && D <= T && (!parent || kids + T <= parent.T - parent.D + parent.O) && fits(m, delta);
    let view: View | undefined;
    if (expectOutcome(m, r, accept, () => (view = r.mem.quota(r.views[vi] as View, `q${m.membranes.length + 1}`, this.T, this.D, this.O)))) {
      apply(m, delta);
      const pool = last?.kind === 'quota' ? last.pool : m.nextPool++;
      addMembrane(m, r, v, { kind: 'quota', T, D, O, quotaParent: parent?.id ?? 0, pool, paidMp: PRICE.quota(c) }, view as View);
    }
    agree(m, r);
  }
  toString = () => `NewQuota(v${this.v}, ${this.T}, ${this.D}, ${this.O})`;
}

class NewCoM implements Cmd {
  constructor(readonly v: number) {}
  check = (m: Readonly<ReferenceModel>) => m.views.length > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const { vi, v, q: parent, c } = viewAt(m, this.v);
    const delta = new Map<number, number>();
    addDelta(delta, parent?.id ?? 0, PRICE.com(c));
    let view: View | undefined;
    if (expectOutcome(m, r, !dead(m, v) && fits(m, delta), () => (view = r.mem.copyOnMutate(r.views[vi] as View, `c${m.membranes.length + 1}`)))) {
      apply(m, delta);
      addMembrane(m, r, v, { kind: 'copy_on_mutate', T: 0, D: 0, O: 0, quotaParent: parent?.id ?? 0, pool: 0, paidMp: PRICE.com(c) }, view as View);
    }
    agree(m, r);
  }
  toString = () => `NewCoM(v${this.v})`;
}

class Declare implements Cmd {
  constructor(readonly v: number, readonly kind: RItem['kind'], readonly len: number) {}
  check = (m: Readonly<ReferenceModel>) => m.views.length > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const { vi, v, q, c } = viewAt(m, this.v);
    const price = { bool: PRICE.bool(c), int32: PRICE.int32(c), string: PRICE.string(this.len, c), dag: PRICE.dag(c), df: PRICE.df(c) }[this.kind];
    const delta = new Map<number, number>();
    addDelta(delta, q?.id ?? 0, price);
    const name = `n${m.nextName}`;
    const rv = r.views[vi] as View;
    const ok = expectOutcome(m, r, !dead(m, v) && fits(m, delta), () => {
      if (this.kind === 'bool') r.mem.declareScalar(rv, [name], 'bool', true, { inert: false });
      else if (this.kind === 'int32') r.mem.declareScalar(rv, [name], 'int32', 7n, { inert: false });
      else if (this.kind === 'string') r.mem.declareScalar(rv, [name], 'string', 's'.repeat(this.len), { inert: false });
      else if (this.kind === 'dag') r.mem.declareDag(rv, [name], { inert: false });
      else r.mem.declareDataframe(rv, [name], [{ name: 'id', type: 'string' }, { name: 'n', type: 'int32' }], { inert: false });
    });
    if (ok) {
      m.nextName++;
      apply(m, delta);
      m.total += price;
      m.items.set(name, { name, base: v.base, kind: this.kind, len: this.len, pay: { by: q?.id ?? 0, mp: price }, rows: [], frozen: false });
    }
    agree(m, r);
  }
  toString = () => `Declare(v${this.v}, ${this.kind}, ${this.len})`;
}

/** Views whose base holds the item (any chain over that base can reach it). */
const viewsOver = (m: ReferenceModel, base: string) => m.views.map((v, i) => [v, i] as const).filter(([v]) => v.base === base);

class Append implements Cmd {
  constructor(readonly item: number, readonly v: number, readonly len: number) {}
  check = (m: Readonly<ReferenceModel>) => [...m.items.values()].some((i) => i.kind === 'df');
  run(m: ReferenceModel, r: RealWorld): void {
    const dfs = [...m.items.values()].filter((i) => i.kind === 'df');
    const it = pick(dfs, this.item);
    const [v, vi] = pick(viewsOver(m, it.base), this.v);
    const q = quotaOf(m, v);
    const c = comCount(m, v);
    const price = PRICE.row(this.len, c);
    const delta = new Map<number, number>();
    addDelta(delta, q?.id ?? 0, price);
    if (expectOutcome(m, r, !dead(m, v) && !it.frozen && fits(m, delta), () => r.mem.appendRow(r.views[vi] as View, [it.name], ['s'.repeat(this.len), 1n]))) {
      apply(m, delta);
      m.total += price;
      it.rows.push({ by: q?.id ?? 0, mp: price, len: this.len });
    }
    agree(m, r);
  }
  toString = () => `Append(i${this.item}, v${this.v}, ${this.len})`;
}

class Assign implements Cmd {
  constructor(readonly item: number, readonly v: number, readonly len: number) {}
  check = (m: Readonly<ReferenceModel>) => [...m.items.values()].some((i) => i.kind === 'string');
  run(m: ReferenceModel, r: RealWorld): void {
    const it = pick([...m.items.values()].filter((i) => i.kind === 'string'), this.item);
    const [v, vi] = pick(viewsOver(m, it.base), this.v);
    const q = quotaOf(m, v);
    const price = PRICE.string(this.len, comCount(m, v));
    const delta = new Map<number, number>();
    addDelta(delta, it.pay.by, -it.pay.mp);
    addDelta(delta, q?.id ?? 0, price);
    if (expectOutcome(m, r, !dead(m, v) && !it.frozen && fits(m, delta), () => r.mem.assign(r.views[vi] as View, [it.name], 's'.repeat(this.len)))) {
      apply(m, delta);
      m.total += price - it.pay.mp;
      const old = it.pay.by;
      it.pay = { by: q?.id ?? 0, mp: price };
      it.len = this.len;
      closeRetired(m, [old]);
    }
    agree(m, r);
  }
  toString = () => `Assign(i${this.item}, v${this.v}, ${this.len})`;
}

class Freeze implements Cmd {
  constructor(readonly item: number) {}
  check = (m: Readonly<ReferenceModel>) => m.items.size > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const it = pick([...m.items.values()], this.item);
    expectOutcome(m, r, true, () => r.mem.freeze(r.mem.at(r.mem.root, [it.base]), [it.name]));
    it.frozen = true;
    agree(m, r);
  }
  toString = () => `Freeze(i${this.item})`;
}

class Prune implements Cmd {
  constructor(readonly item: number, readonly v: number) {}
  check = (m: Readonly<ReferenceModel>) => m.items.size > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const it = pick([...m.items.values()], this.item);
    const [, vi] = pick(viewsOver(m, it.base), this.v);
    let d: Detached | undefined;
    expectOutcome(m, r, true, () => (d = r.mem.prune(r.views[vi] as View, [it.name])));
    m.items.delete(it.name);
    m.detached.push(it);
    r.detached.push(d as Detached);
    agree(m, r);
  }
  toString = () => `Prune(i${this.item}, v${this.v})`;
}

class Ent implements Cmd {
  constructor(readonly d: number, readonly v: number) {}
  check = (m: Readonly<ReferenceModel>) => m.detached.length > 0 && m.views.length > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const di = this.d % m.detached.length;
    const it = m.detached[di] as RItem;
    const { vi, v, q, c } = viewAt(m, this.v);
    const by = q?.id ?? 0;
    const free = (p: Pay) => p.by > 0 && q !== null && (m.membranes[p.by - 1] as RMembrane).pool === q.pool;
    const delta = new Map<number, number>();
    const newPrice = { bool: PRICE.bool(c), int32: PRICE.int32(c), string: PRICE.string(it.len, c), dag: PRICE.dag(c), df: PRICE.df(c) }[it.kind];
    const repaid: [Pay, number][] = [];
    if (!free(it.pay)) repaid.push([it.pay, newPrice]);
    for (const row of it.rows) if (!free(row)) repaid.push([row, PRICE.row(row.len, c)]);
    for (const [p, price] of repaid) {
      addDelta(delta, p.by, -p.mp);
      addDelta(delta, by, price);
    }
    const name = `n${m.nextName}`;
    if (expectOutcome(m, r, !dead(m, v) && fits(m, delta), () => r.mem.ent(r.views[vi] as View, [], r.detached[di] as Detached, name))) {
      m.nextName++;
      apply(m, delta);
      const old = repaid.map(([p]) => p.by);
      for (const [p, price] of repaid) {
        m.total += price - (p.by >= 0 ? p.mp : 0);
        p.by = by;
        p.mp = price;
      }
      closeRetired(m, old);
      m.detached.splice(di, 1);
      r.detached.splice(di, 1);
      m.items.set(name, { ...it, name, base: v.base });
    }
    agree(m, r);
  }
  toString = () => `Ent(d${this.d}, v${this.v})`;
}

class Release implements Cmd {
  constructor(readonly d: number) {}
  check = (m: Readonly<ReferenceModel>) => m.detached.length > 0;
  run(m: ReferenceModel, r: RealWorld): void {
    const di = this.d % m.detached.length;
    const it = m.detached[di] as RItem;
    expectOutcome(m, r, true, () => r.mem.release(r.detached[di] as Detached));
    const delta = new Map<number, number>();
    for (const p of [it.pay, ...it.rows]) {
      addDelta(delta, p.by, -p.mp);
      if (p.by >= 0) m.total -= p.mp;
    }
    apply(m, delta);
    closeRetired(m, [it.pay.by, ...it.rows.map((p) => p.by)]);
    m.detached.splice(di, 1);
    r.detached.splice(di, 1);
    agree(m, r);
  }
  toString = () => `Release(d${this.d})`;
}

class Retire implements Cmd {
  constructor(readonly v: number) {}
  check = (m: Readonly<ReferenceModel>) => m.views.some((v) => v.chain.length > 0);
  run(m: ReferenceModel, r: RealWorld): void {
    const withChain = m.views.map((v, i) => [v, i] as const).filter(([v]) => v.chain.length > 0);
    const [v, vi] = pick(withChain, this.v);
    const x = m.membranes[(v.chain[v.chain.length - 1] as number) - 1] as RMembrane;
    expectOutcome(m, r, true, () => r.mem.retireMembrane((r.views[vi] as View).membrane!));
    if (x.open) {
      x.retired = true;
      closeIfDone(m, x);
      if (x.open) m.stats.closedLater++; // counts the ones that stay open for now
    }
    agree(m, r);
  }
  toString = () => `Retire(v${this.v})`;
}

const idx = fc.nat({ max: 1000 });
/** The command arbitraries, for fc.commands(memoryCommands(), …). */
export function memoryCommands(): fc.Arbitrary<MemoryCommand>[] {
  return [
    fc.tuple(idx, fc.nat({ max: 20 }), fc.nat({ max: 24 }), fc.nat({ max: 10 })).map(([v, T, D, O]) => new NewQuota(v, T, D, O)),
    idx.map((v) => new NewCoM(v)),
    fc.tuple(idx, fc.constantFrom<RItem['kind']>('bool', 'int32', 'string', 'dag', 'df'), fc.nat({ max: 3000 })).map(([v, k, len]) => new Declare(v, k, len)),
    fc.tuple(idx, idx, fc.nat({ max: 500 })).map(([i, v, len]) => new Append(i, v, len)),
    fc.tuple(idx, idx, fc.nat({ max: 3000 })).map(([i, v, len]) => new Assign(i, v, len)),
    idx.map((i) => new Freeze(i)),
    fc.tuple(idx, idx).map(([i, v]) => new Prune(i, v)),
    fc.tuple(idx, idx).map(([d, v]) => new Ent(d, v)),
    idx.map((d) => new Release(d)),
    idx.map((v) => new Retire(v)),
  ];
}

/**
 * The setup for fc.modelRun: a fresh unit-priced world (src/testing/unit-world.ts) with three mutable
 * dags A, B and C, and the model of it. `stats` counts what the commands did (share one across runs).
 */
export function memoryModelSetup(stats: MemoryModelStats = newMemoryModelStats()): () => { model: ReferenceModel; real: RealWorld } {
  return () => {
    stats.runs++;
    const mem = unitWorld();
    for (const b of BASES) mem.declareDag(mem.root, [b], { inert: false });
    const model: ReferenceModel = {
      membranes: [],
      views: BASES.map((base) => ({ base, chain: [] })),
      items: new Map(),
      detached: [],
      nextName: 0,
      nextPool: 1,
      total: BASES.length * 1000,
      refused: 0,
      accepted: 0,
      stats,
    };
    return { model, real: { mem, views: BASES.map((b) => mem.at(mem.root, [b])), detached: [] } };
  };
}

/** A ready property: random command sequences (up to `maxCommands`) run against model and Memory. */
export function memoryModelProperty(opts: { maxCommands?: number; stats?: MemoryModelStats } = {}) {
  const setup = memoryModelSetup(opts.stats);
  return fc.property(fc.commands(memoryCommands(), { maxCommands: opts.maxCommands ?? 50, size: 'max' }), (cmds) => fc.modelRun(setup, cmds));
}
