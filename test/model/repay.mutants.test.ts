// The re-payment walk of a graft (quota.md §5), tested on hand-built sub-DAGs with hand-set payment
// records, so each rule is reached on its own: free in the target's pool, already paid exactly as the
// target would pay, the first payer's runs, the rare rest (unpaid, another payer, the same payer
// through another chain), strings by length, dataframe row segments, and the restore of a refused
// graft. Prices are the unit profile's (1 byte = 1 milli-point), worked out by hand: through a chain
// with c copy-on-mutate membranes an entity costs its bytes + 7·c (a string of L bytes:
// 100 + L + c·(7 + L)); quota membranes add nothing.
import { describe, expect, it } from 'vitest';

import { Acct, branch, scalarNode, UNMETERED, UNPAID, withChild, type AliasNode, type BranchNode, type DagNode, type DataframeNode } from '../../src/model/dag.js';
import { Dataframe, type Segment } from '../../src/model/dataframe.js';
import { kindId, kindName } from '../../src/model/kinds.js';
import { Membrane } from '../../src/model/membrane.js';
import { Pricing } from '../../src/model/rampoints.js';
import { repayWalk, restoreRepaid, type RepayTarget } from '../../src/model/repay.js';
import { parseScalarType, type ScalarType } from '../../src/model/types.js';
import { work } from '../../src/model/work.js';
import { UNIT_BASKET, unitProfile } from '../../src/testing/unit-world.js';

const pricing = Pricing.fromCounts(unitProfile(), UNIT_BASKET);
const BOOL = parseScalarType('bool') as ScalarType;
const STRING = parseScalarType('string') as ScalarType;

/** Membranes 1 and 2 share pool 1 (2 is stacked on 1); 3 and 4 are each in a pool of their own. */
function membranes(): Map<number, Membrane> {
  const m1 = new Membrane(1, 'target', 'quota', 100_000, 50_000, 0, null, null, 1);
  const m2 = new Membrane(2, 'stacked', 'quota', 10_000, 10_000, 0, m1, m1, 1);
  const m3 = new Membrane(3, 'away', 'quota', 100_000, 100_000, 0, null, null, 3);
  const m4 = new Membrane(4, 'further', 'quota', 100_000, 100_000, 0, null, null, 4);
  return new Map([
    [1, m1],
    [2, m2],
    [3, m3],
    [4, m4],
  ]);
}

type Rec = [by: number, mp: number, q: number, c: number];
const acct = (r: Rec) => new Acct(...r);
const bool = (r: Rec) => scalarNode(BOOL, true, kindId('scalar:bool'), 0, acct(r), false);
const str = (s: string, r: Rec) => scalarNode(STRING, s, kindId('string'), Buffer.byteLength(s), acct(r), false);
const dag = (r: Rec, kids: [string, DagNode][] = []) => kids.reduce<BranchNode>((b, [k, v]) => withChild(b, k, v), branch(acct(r)));
const alias = (): AliasNode => ({ kind: 'alias', target: ['a'], acct: null, frozen: false });
function frame(r: Rec, segments: Segment[]): DataframeNode {
  const df = new Dataframe([]);
  df.segments = segments;
  return { kind: 'dataframe', df, acct: acct(r), frozen: false };
}
const rec = (n: DagNode): Rec | null => (n.acct ? [n.acct.by, n.acct.mp, n.acct.q, n.acct.c] : null);
/** Non-zero per-kind counts by kind name. */
function counts(arr: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  arr.forEach((n, id) => {
    if (n !== 0) out[kindName(id)] = n;
  });
  return out;
}

/**
 * The main case, grafted at membrane 1 through a chain of one quota and one copy-on-mutate membrane.
 * Walk positions (pre-order, children in insertion order) in brackets.
 */
function tree() {
  const n = {
    a: bool([2, 1, 1, 0]), //     [1]  paid in the target's pool: free
    b: bool([3, 1, 1, 0]), //     [2]  the first payer again: a new run
    s: str('abc', [3, 103, 1, 0]), // [3]  the run goes on; a string of 3 bytes
    u: bool([UNPAID, 0, 0, 0]), // [4]  unpaid
    o: bool([4, 1, 1, 0]), //     [5]  another payer
    d: dag([3, 1000, 2, 0]), //   [6]  the first payer through another chain (q)
    e: bool([3, 8, 1, 1]), //     [7]  the first payer through another chain (c)
    t: str('xy', [4, 102, 0, 0]), // [8]  another payer's string
    k: alias(), //                [9]  not an entity
    f: bool([1, 8, 1, 1]), //     [10] paid at the target: free
    g: bool([3, 1, 1, 0]), //     [11] the first payer: a third run
    h: bool([2, 1, 0, 0]), //     [12] free, after the last run
  };
  const root = dag([3, 1000, 1, 0], Object.entries(n)); // [0] the first payer: the first run
  return { root, ...n };
}
const TARGET: RepayTarget = { by: 1, pool: 1, q: 1, c: 1 };

describe('repayWalk rewrites every record not paid in the target’s pool', () => {
  it('gives each re-paid node the target’s price through its chain and leaves free nodes and aliases alone', () => {
    const x = tree();
    repayWalk(x.root, TARGET, membranes(), pricing);
    expect([x.root, x.a, x.b, x.s, x.u, x.o, x.d, x.e, x.t, x.k, x.f, x.g, x.h].map(rec)).toEqual([
      [1, 1007, 1, 1],
      [2, 1, 1, 0],
      [1, 8, 1, 1],
      [1, 113, 1, 1],
      [1, 8, 1, 1],
      [1, 8, 1, 1],
      [1, 1007, 1, 1],
      [1, 8, 1, 1],
      [1, 111, 1, 1],
      null,
      [1, 8, 1, 1],
      [1, 8, 1, 1],
      [2, 1, 0, 0],
    ]);
  });

  it('remembers the first payer’s nodes as runs of walk positions and the rest with their old records', () => {
    const x = tree();
    const w = repayWalk(x.root, TARGET, membranes(), pricing);
    expect([w.firstBy, w.firstQ, w.firstC]).toEqual([3, 1, 0]);
    expect(w.runs).toEqual([0, 1, 2, 4, 11, 12]);
    expect(w.unpaid).toEqual([x.u]);
    expect(w.others).toEqual([x.o, x.d, x.e, x.t]);
    expect(w.otherOld).toEqual([4, 1, 1, 0, 3, 1000, 2, 0, 3, 8, 1, 1, 4, 102, 0, 0]);
    expect(w.segs).toEqual([]);
  });

  it('counts per kind what the first payer releases and what the target pays, strings by length', () => {
    const w = repayWalk(tree().root, TARGET, membranes(), pricing);
    expect(counts(w.relCount)).toEqual({ dag_node: 1, 'scalar:bool': 2, string: 1 });
    expect(counts(w.paidCount)).toEqual({ dag_node: 2, 'scalar:bool': 5, string: 2 });
    expect([w.relStringMp, w.relStringBytes, w.relStringLens]).toEqual([103, 3, [3]]);
    expect([w.paidStringMp, w.paidStringBytes, w.paidStringLens]).toEqual([224, 5, [3, 2]]);
  });

  it('counts one unit of work per node walked, aliases included', () => {
    const before = work.units;
    repayWalk(tree().root, TARGET, membranes(), pricing);
    expect(work.units - before).toBe(13);
  });

  it('looks a payer’s membrane up once per change of payer, not once per node', () => {
    const ms = membranes();
    const asked: number[] = [];
    const spy = { get: (id: number) => (asked.push(id), ms.get(id)) } as unknown as ReadonlyMap<number, Membrane>;
    repayWalk(tree().root, TARGET, spy, pricing);
    // Payers in walk order: 3 2 3 3 −1 4 3 3 4 (alias) 1 3 2; only ids > 0 are membranes.
    expect(asked).toEqual([3, 2, 3, 4, 3, 4, 1, 3, 2]);
  });

  it('starts the first run at the first re-paid node even when it is at position 1', () => {
    // Membrane 2 pays the root in the target's pool: a cached "no payer yet" must not look like it.
    const c1 = bool([3, 1, 1, 0]);
    const c2 = bool([3, 1, 1, 0]);
    const root = dag([2, 1000, 1, 0], [
      ['c1', c1],
      ['c2', c2],
    ]);
    const w = repayWalk(root, TARGET, membranes(), pricing);
    expect(w.runs).toEqual([1, 3]);
    expect(rec(root)).toEqual([2, 1000, 1, 0]);
    expect([rec(c1), rec(c2)]).toEqual([
      [1, 8, 1, 1],
      [1, 8, 1, 1],
    ]);
  });

  it('moves nothing when everything is free, and names no first payer', () => {
    const root = dag([1, 1000, 1, 0], [['a', bool([2, 1, 1, 0])]]);
    const w = repayWalk(root, TARGET, membranes(), pricing);
    expect([w.runs, w.unpaid, w.others, w.segs]).toEqual([[], [], [], []]);
    expect([w.firstBy, w.firstQ, w.firstC]).toEqual([UNPAID, 0, 0]);
    expect(counts(w.paidCount)).toEqual({});
  });

  it('names no first payer when only unpaid nodes are re-paid', () => {
    const root = dag([UNPAID, 0, 0, 0], [['a', bool([UNPAID, 0, 0, 0])]]);
    const w = repayWalk(root, TARGET, membranes(), pricing);
    expect([w.firstBy, w.runs, w.unpaid.length]).toEqual([UNPAID, [], 2]);
    expect(counts(w.relCount)).toEqual({});
    expect(counts(w.paidCount)).toEqual({ dag_node: 1, 'scalar:bool': 1 });
  });
});

describe('repayWalk into an unmetered view: a record paid exactly as the target would pay stays', () => {
  // No quota membrane (pool −1), one copy-on-mutate membrane: a bool costs 1 + 7 = 8, a dataframe
  // 2000 + 7 = 2007, a dag node 1000 + 7 = 1007.
  const UNMET: RepayTarget = { by: UNMETERED, pool: -1, q: 0, c: 1 };
  function unmetered() {
    const segs: Segment[] = [
      { by: UNMETERED, q: 0, c: 1, start: 0, end: 2, mp: 0 }, // exactly as the target pays
      { by: UNMETERED, q: 1, c: 1, start: 2, end: 3, mp: 0 }, // another q
      { by: UNMETERED, q: 0, c: 0, start: 3, end: 4, mp: 0 }, // another c
      { by: 3, q: 0, c: 1, start: 4, end: 5, mp: 0 }, // another payer
      { by: 2, q: 0, c: 1, start: 5, end: 6, mp: 0 }, // a quota membrane is not free here
    ];
    const n = {
      x: bool([UNMETERED, 8, 0, 1]), // [1] exact
      y: bool([UNMETERED, 9, 0, 1]), // [2] a stale price: the first payer
      z: bool([UNMETERED, 8, 1, 1]), // [3] another q, same price
      v: bool([UNMETERED, 8, 0, 2]), // [4] another c, same price
      df: frame([UNMETERED, 2007, 0, 1], segs), // [5] exact
    };
    return { root: dag([UNMETERED, 1007, 0, 1], Object.entries(n)), segs, ...n };
  }

  it('re-pays a record that differs from the target’s in price, q or c only', () => {
    const x = unmetered();
    const w = repayWalk(x.root, UNMET, membranes(), pricing);
    expect([x.root, x.x, x.y, x.z, x.v, x.df].map(rec)).toEqual([
      [0, 1007, 0, 1],
      [0, 8, 0, 1],
      [0, 8, 0, 1],
      [0, 8, 0, 1],
      [0, 8, 0, 1],
      [0, 2007, 0, 1],
    ]);
    expect([w.firstBy, w.firstQ, w.firstC, w.runs]).toEqual([UNMETERED, 0, 1, [2, 3]]);
    expect(w.others).toEqual([x.z, x.v]);
    expect(w.otherOld).toEqual([0, 8, 1, 1, 0, 8, 0, 2]);
  });

  it('re-pays every row segment not paid exactly as the target pays', () => {
    const x = unmetered();
    const w = repayWalk(x.root, UNMET, membranes(), pricing);
    expect(w.segs.map((g) => g.s)).toEqual(x.segs.slice(1));
    expect(w.segs.every((g) => g.df === x.df.df)).toBe(true);
  });

  it('leaves row segments paid in the target’s pool to their payer', () => {
    const segs: Segment[] = [
      { by: 2, q: 0, c: 0, start: 0, end: 1, mp: 0 },
      { by: 1, q: 1, c: 1, start: 1, end: 2, mp: 0 },
      { by: 3, q: 1, c: 1, start: 2, end: 3, mp: 0 },
    ];
    const w = repayWalk(frame([1, 2007, 1, 1], segs), TARGET, membranes(), pricing);
    expect(w.segs.map((g) => g.s)).toEqual([segs[2]]);
  });
});

describe('restoreRepaid puts back what a refused graft rewrote', () => {
  it('gives every node its old record back: runs re-priced at the first payer’s chain, the rest from what was kept', () => {
    const x = tree();
    const nodes = [x.root, x.a, x.b, x.s, x.u, x.o, x.d, x.e, x.t, x.k, x.f, x.g, x.h];
    const w = repayWalk(x.root, TARGET, membranes(), pricing);
    restoreRepaid(x.root, w, pricing);
    expect(nodes.map(rec)).toEqual([
      [3, 1000, 1, 0],
      [2, 1, 1, 0],
      [3, 1, 1, 0],
      [3, 103, 1, 0],
      [UNPAID, 0, 0, 0],
      [4, 1, 1, 0],
      [3, 1000, 2, 0],
      [3, 8, 1, 1],
      [4, 102, 0, 0],
      null,
      [1, 8, 1, 1],
      [3, 1, 1, 0],
      [2, 1, 0, 0],
    ]);
  });

  it('stops walking after the last run', () => {
    const x = tree();
    const w = repayWalk(x.root, TARGET, membranes(), pricing);
    const before = work.units;
    restoreRepaid(x.root, w, pricing);
    // Positions 0 … 11: the last run ends at 12, before the trailing free node.
    expect(work.units - before).toBe(12);
  });

  it('re-prices a string of the first payer by its length at the first payer’s chain', () => {
    // The first payer's chain has one copy-on-mutate membrane: 'hello' (5 bytes) cost 100 + 5 + 7 + 5.
    const s = str('hello', [4, 117, 0, 1]);
    const root = dag([4, 1007, 0, 1], [['s', s]]);
    const w = repayWalk(root, TARGET, membranes(), pricing);
    expect(rec(s)).toEqual([1, 117, 1, 1]);
    restoreRepaid(root, w, pricing);
    expect([rec(root), rec(s)]).toEqual([
      [4, 1007, 0, 1],
      [4, 117, 0, 1],
    ]);
  });
});
