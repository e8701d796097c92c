// Model-based property test: a reference model of plain maps and arrays (no DAG, no plans, use
// recomputed from scratch) runs next to the real Memory. After every command I1–I4 hold, the
// counters agree, and a refused command left the real state deep-equal to before. Retired membranes
// (their name's scope ended) refuse allocations and close once they hold nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { checkInvariants, snapshot, type Detached, type Memory, type View } from '../../src/model/index.js';
import { unitWorld } from './fixtures.js';
import { runs } from '../support/properties.js';

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
interface Model {
  membranes: RMembrane[];
  views: RView[];
  items: Map<string, RItem & { base: string }>; // in the world, by name
  detached: RItem[];
  nextName: number;
  nextPool: number;
  total: number; // mp of every live allocation
  refused: number;
  accepted: number;
}
interface Real {
  mem: Memory;
  views: View[];
  detached: Detached[];
}

const BASES = ['A', 'B', 'C'];
const STATS = { accepted: 0, refused: 0, runs: 0, commands: 0, closed: 0, closedLater: 0 };

function quotaOf(m: Model, v: RView): RMembrane | null {
  for (let i = v.chain.length - 1; i >= 0; i--) {
    const x = m.membranes[(v.chain[i] as number) - 1] as RMembrane;
    if (x.kind === 'quota') return x;
  }
  return null;
}
const comCount = (m: Model, v: RView) => v.chain.filter((id) => m.membranes[id - 1]?.kind === 'copy_on_mutate').length;
/** A view through a retired membrane takes no allocation (MRG3015). */
const dead = (m: Model, v: RView) => v.chain.some((id) => (m.membranes[id - 1] as RMembrane).retired);

/** A retired membrane with nothing paid, nothing below and nothing open on it closes, and so may its parents. */
function closeIfDone(m: Model, x: RMembrane | undefined): void {
  if (!x || !x.retired || !x.open || x.direct !== 0) return;
  if (below(m, x, (y) => y.direct) !== 0 || m.membranes.some((y) => y.open && y.parent === x.id)) return;
  x.open = false;
  STATS.closed++;
  if (x.quotaParent !== 0) (m.membranes[x.quotaParent - 1] as RMembrane).direct -= x.paidMp;
  m.total -= x.paidMp;
  closeIfDone(m, m.membranes[x.parent - 1]);
  closeIfDone(m, m.membranes[x.quotaParent - 1]);
}

/** After a release: every retired membrane that paid for it may be done now. */
function closeRetired(m: Model, payers: number[]): void {
  for (const by of payers) if (by > 0) closeIfDone(m, m.membranes[by - 1]);
}

function encloses(m: Model, outer: RMembrane, inner: RMembrane): boolean {
  for (let p = inner.quotaParent; p !== 0; p = (m.membranes[p - 1] as RMembrane).quotaParent) if (p === outer.id) return true;
  return false;
}
const below = (m: Model, x: RMembrane, direct: (y: RMembrane) => number) =>
  m.membranes.filter((y) => y.kind === 'quota' && y !== x && encloses(m, x, y)).reduce((a, y) => a + direct(y), 0);

/**
 * Would moving the direct uses by `delta` (membrane id → mp) be accepted? Recomputed from scratch:
 * every quota membrane whose direct or below use grows must still satisfy I1–I3.
 */
function fits(m: Model, delta: Map<number, number>): boolean {
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

function apply(m: Model, delta: Map<number, number>): void {
  for (const [id, x] of delta) (m.membranes[id - 1] as RMembrane).direct += x;
}

function addDelta(delta: Map<number, number>, by: number, mp: number): void {
  if (by > 0) delta.set(by, (delta.get(by) ?? 0) + mp);
}

/** Runs one real operation and compares its outcome with the model's prediction. */
function expectOutcome(r: Real, accept: boolean, fn: () => void): boolean {
  const before = snapshot(r.mem);
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error !== null && !(error instanceof MergeError)) throw error;
  STATS[accept ? 'accepted' : 'refused']++;
  if (accept) {
    if (error) throw new Error(`expected success, got ${(error as MergeError).code}: ${(error as MergeError).message}`);
  } else {
    expect(error, 'expected a refusal').toBeInstanceOf(MergeError);
    expect(snapshot(r.mem)).toEqual(before);
  }
  return error === null;
}

function agree(m: Model, r: Real): void {
  expect(checkInvariants(r.mem)).toEqual([]);
  const ms = r.mem.allMembranes();
  expect(ms.map((y) => y.id)).toEqual(m.membranes.filter((x) => x.open).map((x) => x.id));
  for (const x of m.membranes) {
    const y = ms.find((z) => z.id === x.id);
    if (!x.open) continue;
    if (!y) throw new Error(`membrane ${x.id} is missing`);
    expect(y.retired).toBe(x.retired);
    expect(y.directUsed).toBe(x.direct);
    expect(y.belowUsed).toBe(x.kind === 'quota' ? below(m, x, (z) => z.direct) : 0);
    const kids = m.membranes.filter((z) => z.kind === 'quota' && z.open && z.quotaParent === x.id).reduce((a, z) => a + z.T, 0);
    expect(y.childTotals).toBe(x.kind === 'quota' ? kids : 0);
  }
  expect(r.mem.report().totals.mp).toBe(m.total);
  expect(r.mem.liveDetached().length).toBe(m.detached.length);
}

type Cmd = fc.Command<Model, Real>;
const pick = <T,>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

class NewQuota implements Cmd {
  constructor(readonly v: number, readonly T: number, readonly D: number, readonly O: number) {}
  check = (m: Readonly<Model>) => m.views.length > 0;
  run(m: Model, r: Real): void {
    const vi = this.v % m.views.length;
    const v = m.views[vi] as RView;
    const parent = quotaOf(m, v);
    const c = comCount(m, v);
    const last = v.chain.length > 0 ? m.membranes[(v.chain[v.chain.length - 1] as number) - 1] : undefined;
    const [T, D, O] = [this.T * 1000, this.D * 1000, this.O * 1000];
    const kids = parent ? m.membranes.filter((z) => z.kind === 'quota' && z.open && z.quotaParent === parent.id).reduce((a, z) => a + z.T, 0) : 0;
    const delta = new Map<number, number>();
    addDelta(delta, parent?.id ?? 0, PRICE.quota(c));
    const accept = !dead(m, v) && D <= T && (!parent || kids + T <= parent.T - parent.D + parent.O) && fits(m, delta);
    let view: View | undefined;
    if (expectOutcome(r, accept, () => (view = r.mem.quota(r.views[vi] as View, `q${m.membranes.length + 1}`, this.T, this.D, this.O)))) {
      apply(m, delta);
      const pool = last?.kind === 'quota' ? last.pool : m.nextPool++;
      const within = v.chain[v.chain.length - 1] ?? 0;
      m.membranes.push({ id: m.membranes.length + 1, kind: 'quota', T, D, O, quotaParent: parent?.id ?? 0, parent: within, pool, direct: 0, open: true, retired: false, paidMp: PRICE.quota(c) });
      m.total += PRICE.quota(c);
      m.views.push({ base: v.base, chain: [...v.chain, m.membranes.length] });
      r.views.push(view as View);
    }
    agree(m, r);
  }
  toString = () => `NewQuota(v${this.v}, ${this.T}, ${this.D}, ${this.O})`;
}

class NewCoM implements Cmd {
  constructor(readonly v: number) {}
  check = (m: Readonly<Model>) => m.views.length > 0;
  run(m: Model, r: Real): void {
    const vi = this.v % m.views.length;
    const v = m.views[vi] as RView;
    const parent = quotaOf(m, v);
    const c = comCount(m, v);
    const delta = new Map<number, number>();
    addDelta(delta, parent?.id ?? 0, PRICE.com(c));
    let view: View | undefined;
    if (expectOutcome(r, !dead(m, v) && fits(m, delta), () => (view = r.mem.copyOnMutate(r.views[vi] as View, `c${m.membranes.length + 1}`)))) {
      apply(m, delta);
      const within = v.chain[v.chain.length - 1] ?? 0;
      m.membranes.push({ id: m.membranes.length + 1, kind: 'copy_on_mutate', T: 0, D: 0, O: 0, quotaParent: parent?.id ?? 0, parent: within, pool: 0, direct: 0, open: true, retired: false, paidMp: PRICE.com(c) });
      m.total += PRICE.com(c);
      m.views.push({ base: v.base, chain: [...v.chain, m.membranes.length] });
      r.views.push(view as View);
    }
    agree(m, r);
  }
  toString = () => `NewCoM(v${this.v})`;
}

class Declare implements Cmd {
  constructor(readonly v: number, readonly kind: RItem['kind'], readonly len: number) {}
  check = (m: Readonly<Model>) => m.views.length > 0;
  run(m: Model, r: Real): void {
    const vi = this.v % m.views.length;
    const v = m.views[vi] as RView;
    const q = quotaOf(m, v);
    const c = comCount(m, v);
    const price = { bool: PRICE.bool(c), int32: PRICE.int32(c), string: PRICE.string(this.len, c), dag: PRICE.dag(c), df: PRICE.df(c) }[this.kind];
    const delta = new Map<number, number>();
    addDelta(delta, q?.id ?? 0, price);
    const name = `n${m.nextName}`;
    const rv = r.views[vi] as View;
    const ok = expectOutcome(r, !dead(m, v) && fits(m, delta), () => {
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
const viewsOver = (m: Model, base: string) => m.views.map((v, i) => [v, i] as const).filter(([v]) => v.base === base);

class Append implements Cmd {
  constructor(readonly item: number, readonly v: number, readonly len: number) {}
  check = (m: Readonly<Model>) => [...m.items.values()].some((i) => i.kind === 'df');
  run(m: Model, r: Real): void {
    const dfs = [...m.items.values()].filter((i) => i.kind === 'df');
    const it = pick(dfs, this.item);
    const [v, vi] = pick(viewsOver(m, it.base), this.v);
    const q = quotaOf(m, v);
    const c = comCount(m, v);
    const price = PRICE.row(this.len, c);
    const delta = new Map<number, number>();
    addDelta(delta, q?.id ?? 0, price);
    if (expectOutcome(r, !dead(m, v) && !it.frozen && fits(m, delta), () => r.mem.appendRow(r.views[vi] as View, [it.name], ['s'.repeat(this.len), 1n]))) {
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
  check = (m: Readonly<Model>) => [...m.items.values()].some((i) => i.kind === 'string');
  run(m: Model, r: Real): void {
    const it = pick([...m.items.values()].filter((i) => i.kind === 'string'), this.item);
    const [v, vi] = pick(viewsOver(m, it.base), this.v);
    const q = quotaOf(m, v);
    const price = PRICE.string(this.len, comCount(m, v));
    const delta = new Map<number, number>();
    addDelta(delta, it.pay.by, -it.pay.mp);
    addDelta(delta, q?.id ?? 0, price);
    if (expectOutcome(r, !dead(m, v) && !it.frozen && fits(m, delta), () => r.mem.assign(r.views[vi] as View, [it.name], 's'.repeat(this.len)))) {
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
  check = (m: Readonly<Model>) => m.items.size > 0;
  run(m: Model, r: Real): void {
    const it = pick([...m.items.values()], this.item);
    expectOutcome(r, true, () => r.mem.freeze(r.mem.at(r.mem.root, [it.base]), [it.name]));
    it.frozen = true;
    agree(m, r);
  }
  toString = () => `Freeze(i${this.item})`;
}

class Prune implements Cmd {
  constructor(readonly item: number, readonly v: number) {}
  check = (m: Readonly<Model>) => m.items.size > 0;
  run(m: Model, r: Real): void {
    const it = pick([...m.items.values()], this.item);
    const [, vi] = pick(viewsOver(m, it.base), this.v);
    let d: Detached | undefined;
    expectOutcome(r, true, () => (d = r.mem.prune(r.views[vi] as View, [it.name])));
    m.items.delete(it.name);
    m.detached.push(it);
    r.detached.push(d as Detached);
    agree(m, r);
  }
  toString = () => `Prune(i${this.item}, v${this.v})`;
}

class Ent implements Cmd {
  constructor(readonly d: number, readonly v: number) {}
  check = (m: Readonly<Model>) => m.detached.length > 0 && m.views.length > 0;
  run(m: Model, r: Real): void {
    const di = this.d % m.detached.length;
    const it = m.detached[di] as RItem;
    const vi = this.v % m.views.length;
    const v = m.views[vi] as RView;
    const q = quotaOf(m, v);
    const c = comCount(m, v);
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
    if (expectOutcome(r, !dead(m, v) && fits(m, delta), () => r.mem.ent(r.views[vi] as View, [], r.detached[di] as Detached, name))) {
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
  check = (m: Readonly<Model>) => m.detached.length > 0;
  run(m: Model, r: Real): void {
    const di = this.d % m.detached.length;
    const it = m.detached[di] as RItem;
    expectOutcome(r, true, () => r.mem.release(r.detached[di] as Detached));
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
  check = (m: Readonly<Model>) => m.views.some((v) => v.chain.length > 0);
  run(m: Model, r: Real): void {
    const withChain = m.views.map((v, i) => [v, i] as const).filter(([v]) => v.chain.length > 0);
    const [v, vi] = pick(withChain, this.v);
    const x = m.membranes[(v.chain[v.chain.length - 1] as number) - 1] as RMembrane;
    expectOutcome(r, true, () => r.mem.retireMembrane((r.views[vi] as View).membrane!));
    if (x.open) {
      x.retired = true;
      closeIfDone(m, x);
      if (x.open) STATS.closedLater++; // counts the ones that stay open for now
    }
    agree(m, r);
  }
  toString = () => `Retire(v${this.v})`;
}

const idx = fc.nat({ max: 1000 });
const commands = [
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

function setup(): { model: Model; real: Real } {
  const mem = unitWorld();
  for (const b of BASES) mem.declareDag(mem.root, [b], { inert: false });
  const model: Model = {
    membranes: [],
    views: BASES.map((base) => ({ base, chain: [] })),
    items: new Map(),
    detached: [],
    nextName: 0,
    nextPool: 1,
    total: BASES.length * 1000,
    refused: 0,
    accepted: 0,
  };
  return { model, real: { mem, views: BASES.map((b) => mem.at(mem.root, [b])), detached: [] } };
}

describe('model-based: Memory against a plain reference model', () => {
  it('agrees on every counter and outcome; I1–I4 always hold; refusals change nothing', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 50, size: 'max' }), (cmds) => {
        STATS.runs++;
        fc.modelRun(setup, cmds);
      }),
      { numRuns: runs(1000), verbose: 1 },
    );
    // The generated runs must exercise both outcomes, not just the happy path.
    expect(STATS.accepted).toBeGreaterThan(5000);
    expect(STATS.refused).toBeGreaterThan(500);
    // Retired membranes close at once and also later (after a release, or with the last one on them).
    expect(STATS.closed).toBeGreaterThan(200);
    expect(STATS.closedLater).toBeGreaterThan(50);
    console.log(STATS);
  });
});
