// The accounting half of the world (ledger.ts) on its own: a bare Ledger over hand-built membranes,
// its protected steps called one at a time, so each counter, tally, record and undo can be checked
// alone. Prices are the unit profile's (1 byte = 1 milli-point): a bool 1, a dag node 1000, a row 50,
// a string 100 + its length, int32 250; through a copy-on-mutate membrane 7 more per entity and 1 per
// string byte; quota membranes add nothing. Every expected amount is worked out by hand.
import { describe, expect, it } from 'vitest';

import { Acct, branch, scalarNode, UNMETERED, UNPAID, withChild, type DagNode } from '../../src/model/dag.js';
import { Dataframe, type Segment } from '../../src/model/dataframe.js';
import { kindId } from '../../src/model/kinds.js';
import { Ledger } from '../../src/model/ledger.js';
import { Membrane } from '../../src/model/membrane.js';
import { Pricing } from '../../src/model/rampoints.js';
import { parseScalarType, type ScalarType, type ScalarValue } from '../../src/model/types.js';
import { View } from '../../src/model/view.js';
import { thrown } from '../support/errors.js';
import { UNIT_BASKET, unitProfile } from '../../src/testing/unit-world.js';

const BOOL = kindId('scalar:bool');
const DAG = kindId('dag_node');
const STRING = kindId('string');
const ROW = kindId('row');
const INT8 = kindId('scalar:int8');
const INT24 = kindId('scalar:int24');

/** A Ledger with its steps made callable, membranes added by hand, and closeIfDone recorded. */
class Books extends Ledger {
  readonly asked: Membrane[] = [];
  constructor() {
    super(Pricing.fromCounts(unitProfile(), UNIT_BASKET));
  }
  add(...ms: Membrane[]): void {
    for (const m of ms) this.membranes.set(m.id, m);
  }
  get open(): boolean {
    return this.journal !== null;
  }
  /** Milli-points of every live allocation of the run. */
  get totalMp(): number {
    return this.tally.totalMp;
  }
  protected closeIfDone(m: Membrane): void {
    this.asked.push(m);
  }
  override tallyOne(m: Membrane | null, kid: number, mp: number, q: number, c: number, sbytes: number, n = 1, lens?: readonly number[]): void {
    super.tallyOne(m, kid, mp, q, c, sbytes, n, lens);
  }
  override checkedOp<T>(fn: () => T): T {
    return super.checkedOp(fn);
  }
  override op<T>(fn: () => T): T {
    return super.op(fn);
  }
  override set<O extends object, K extends keyof O>(obj: O, key: K, value: O[K]): void {
    super.set(obj, key, value);
  }
  override charge(m: Membrane, x: number): void {
    super.charge(m, x);
  }
  override book(m: Membrane | null, kid: number, n: number, mp: number, q: number, c: number, sbytes: number, lens?: readonly number[]): void {
    super.book(m, kid, n, mp, q, c, sbytes, lens);
  }
  override pay(m: Membrane | null, kid: number, acct: Acct, sbytes: number): void {
    super.pay(m, kid, acct, sbytes);
  }
  override unpay(a: Acct, kid: number, sbytes: number): void {
    super.unpay(a, kid, sbytes);
  }
  override setAcct(a: { by: number; mp: number; q: number; c: number }, by: number, mp: number, q: number, c: number): void {
    super.setAcct(a, by, mp, q, c);
  }
  override unpaySegment(df: Dataframe, s: Segment): void {
    super.unpaySegment(df, s);
  }
  override repay(node: DagNode, view: View, what: string): void {
    super.repay(node, view, what);
  }
  override untallyRow(quota: Membrane | null, df: Dataframe, row: readonly ScalarValue[], q: number, c: number): void {
    super.untallyRow(quota, df, row, q, c);
  }
}

/** outer <100, 40, 0> (id 1) with inner <30, 30, 0> (id 2) stacked on it, and a loner (id 5). */
function books() {
  const b = new Books();
  const outer = new Membrane(1, 'outer', 'quota', 100_000, 40_000, 0, null, null, 1);
  const inner = new Membrane(2, 'inner', 'quota', 30_000, 30_000, 0, outer, outer, 1);
  const loner = new Membrane(5, 'loner', 'quota', 10_000, 10_000, 0, null, null, 5);
  outer.children.push(inner);
  b.add(loner, outer, inner);
  return { b, outer, inner, loner };
}

const use = (...ms: Membrane[]) => ms.map((m) => [m.directUsed, m.belowUsed]);
/** The run's tally as plain data. */
function tally(b: Ledger) {
  const c = b.counts();
  return { byKind: [...c.byKind], stringBytes: c.stringBytes, strings: [...(c.strings ?? [])], extrasC: [...(c.extras?.get('copy_on_mutate') ?? [])] };
}
const T = (name: string) => parseScalarType(name) as ScalarType;

describe('Ledger: membranes by id', () => {
  it('finds an open membrane by id and refuses an id that is not open', () => {
    const { b, inner } = books();
    expect(b.membrane(2)).toBe(inner);
    expect(() => b.membrane(3)).toThrow('no open membrane with id 3');
  });

  it('lists the open membranes by id, whatever order they were added in', () => {
    const { b } = books();
    expect(b.allMembranes().map((m) => m.id)).toEqual([1, 2, 5]);
  });
});

describe('Ledger: charges, the watcher and the journal', () => {
  it('moves the payer’s use and tells the watcher of every change, undo included', () => {
    const { b, outer, inner } = books();
    const seen: string[] = [];
    b.watchCharges((m) => seen.push(`${m.name} ${m.directUsed}`));
    expect(() =>
      b.atomically(() => {
        b.charge(inner, 700);
        expect(use(outer, inner)).toEqual([
          [0, 700],
          [700, 0],
        ]);
        throw new Error('refused later');
      }),
    ).toThrow('refused later');
    expect(use(outer, inner)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(seen).toEqual(['inner 700', 'inner 0']);
    b.watchCharges(null);
    b.charge(inner, 5);
    expect(seen).toHaveLength(2);
  });

  it('asks whether a retired payer may close after a release, and only then', () => {
    const { b, inner, loner } = books();
    b.charge(inner, 10);
    inner.retired = true;
    b.charge(inner, 10);
    b.charge(loner, -3);
    b.charge(inner, 0);
    expect(b.asked).toEqual([]);
    b.charge(inner, -20);
    expect(b.asked).toEqual([inner]);
  });

  it('journals what an outer group does after an inner group ended, and undoes it all', () => {
    const { b } = books();
    const before = { v: 1 };
    const after = { v: 1 };
    expect(() =>
      b.atomically(() => {
        b.set(before, 'v', 2);
        b.atomically(() => b.set(before, 'v', 3));
        b.set(after, 'v', 2);
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect([before.v, after.v, b.open]).toEqual([1, 1, false]);
  });

  it('keeps no journal outside atomically(), nests, and undoes only the failed inner group', () => {
    const { b } = books();
    const box = { v: 1 };
    expect(b.open).toBe(false);
    b.set(box, 'v', 2); // no journal: nothing to undo
    b.atomically(() => {
      expect(b.open).toBe(true);
      b.set(box, 'v', 3);
      expect(() =>
        b.atomically(() => {
          b.set(box, 'v', 4);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(box.v).toBe(3);
    });
    expect([box.v, b.open]).toEqual([3, false]);
    expect(() =>
      b.op(() => {
        b.set(box, 'v', 5);
        throw new Error('op');
      }),
    ).toThrow('op');
    expect(box.v).toBe(3);
  });

  it('runs a checked operation without a journal outside atomically(), and inside one as a group', () => {
    const { b } = books();
    const box = { v: 1 };
    expect(() =>
      b.checkedOp(() => {
        expect(b.open).toBe(false);
        b.set(box, 'v', 2);
        throw new Error('after its checks');
      }),
    ).toThrow('after its checks');
    expect(box.v).toBe(2);
    b.atomically(() => {
      expect(() =>
        b.checkedOp(() => {
          b.set(box, 'v', 3);
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(box.v).toBe(2);
    });
    expect(b.checkedOp(() => 42)).toBe(42);
  });
});

describe('Ledger: tallies and payments', () => {
  it('tallies per kind at the payer (direct count and milli-points) and for the whole run', () => {
    const { b, inner } = books();
    b.tallyOne(inner, STRING, 113, 1, 1, 3);
    b.tallyOne(null, BOOL, 16, 0, 1, 0, 2);
    expect([inner.directCount[STRING], inner.directMp[STRING], inner.directCount.length, inner.directMp.length]).toEqual([1, 113, STRING + 1, STRING + 1]);
    expect(tally(b)).toEqual({
      byKind: [
        ['scalar:bool', 2],
        ['string', 1],
      ],
      stringBytes: 3,
      strings: [[3, [1, 1, 1]]],
      extrasC: [
        ['scalar:bool', 2],
        ['string', 1],
      ],
    });
    expect(b.peakMp()).toBe(129);
  });

  it('books a tally with its undo', () => {
    const { b, inner } = books();
    expect(() =>
      b.atomically(() => {
        b.book(inner, STRING, 2, 210, 0, 0, 5, [2, 3]);
        expect([inner.directCount[STRING], inner.directMp[STRING], tally(b).stringBytes]).toEqual([2, 210, 5]);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect([inner.directCount[STRING], inner.directMp[STRING]]).toEqual([0, 0]);
    expect(tally(b)).toEqual({ byKind: [], stringBytes: 0, strings: [], extrasC: [] });
  });

  it('pays: charges the payer and tallies; unmetered only tallies', () => {
    const { b, outer, inner } = books();
    b.pay(inner, DAG, new Acct(2, 1000, 1, 0), 0);
    b.pay(null, BOOL, new Acct(UNMETERED, 8, 0, 1), 0);
    expect(use(outer, inner)).toEqual([
      [0, 1000],
      [1000, 0],
    ]);
    expect(inner.directCount[DAG]).toBe(1);
    expect(tally(b).byKind).toEqual([
      ['dag_node', 1],
      ['scalar:bool', 1],
    ]);
  });

  it('releases a payment: the payer’s use, the tally, and the record, which becomes unpaid', () => {
    const { b, outer, inner } = books();
    const a = new Acct(2, 113, 1, 1);
    b.pay(inner, STRING, a, 3);
    b.unpay(a, STRING, 3);
    expect([a.by, a.mp, a.q, a.c]).toEqual([UNPAID, 0, 0, 0]);
    expect(use(outer, inner)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect([inner.directCount[STRING], inner.directMp[STRING]]).toEqual([0, 0]);
    expect(tally(b)).toEqual({ byKind: [], stringBytes: 0, strings: [], extrasC: [] });
  });

  it('releases an unmetered payment without a membrane, and a non-entity without a tally', () => {
    const { b } = books();
    const a = new Acct(UNMETERED, 8, 0, 1);
    b.pay(null, BOOL, a, 0);
    b.unpay(a, BOOL, 0);
    expect([a.by, tally(b).byKind]).toEqual([UNPAID, []]);
    const opaque = new Acct(2, 40, 1, 0);
    b.charge(b.membrane(2), 40);
    b.unpay(opaque, -1, 0);
    expect([opaque.by, tally(b).byKind, b.totalMp, b.membrane(2).directUsed]).toEqual([UNPAID, [], 0, 0]);
  });

  it('releases a dag node (kind 0) like any other kind', () => {
    const { b, inner } = books();
    const a = new Acct(2, 1000, 1, 0);
    b.pay(inner, DAG, a, 0);
    b.unpay(a, DAG, 0);
    expect([DAG, inner.directCount[DAG], inner.directMp[DAG], b.totalMp, tally(b).byKind]).toEqual([0, 0, 0, 0, []]);
  });

  it('leaves an unpaid record alone', () => {
    const { b } = books();
    const a = new Acct(UNPAID, 0, 0, 0);
    b.atomically(() => b.unpay(a, BOOL, 0));
    expect([a.by, tally(b).byKind, b.peakMp()]).toEqual([UNPAID, [], 0]);
  });

  it('rewrites a payment record with its undo', () => {
    const { b } = books();
    const a = new Acct(2, 1000, 1, 0);
    expect(() =>
      b.atomically(() => {
        b.setAcct(a, 5, 1007, 2, 1);
        expect([a.by, a.mp, a.q, a.c]).toEqual([5, 1007, 2, 1]);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect([a.by, a.mp, a.q, a.c]).toEqual([2, 1000, 1, 0]);
  });
});

describe('Ledger: dataframe rows', () => {
  /** A dataframe (bool flag, string name, int n) with two rows paid by inner in one segment. */
  function frame() {
    const df = new Dataframe([
      { name: 'flag', type: T('bool') },
      { name: 'name', type: T('string') },
      { name: 'n', type: T('int') },
    ]);
    df.pushRow([true, 'ab', 5n]);
    df.pushRow([false, 'xyz', 70000n]);
    return df;
  }

  it('releases a paid segment: the payer’s use, each kind’s tally, strings by length; the segment becomes unpaid', () => {
    const { b, outer, inner } = books();
    const df = frame();
    // Row 1: row 50 + bool 1 + 'ab' 102 + 5 (int8) 10 = 163; row 2: 50 + 1 + 'xyz' 103 + 70000 (int24) 10 = 164.
    const s: Segment = { by: 2, q: 1, c: 0, start: 0, end: 2, mp: 327 };
    df.segments = [s];
    b.charge(inner, 327);
    b.book(inner, ROW, 2, 100, 1, 0, 0);
    b.book(inner, BOOL, 2, 2, 1, 0, 0);
    b.book(inner, STRING, 2, 205, 1, 0, 5, [2, 3]);
    b.book(inner, INT8, 1, 10, 1, 0, 0);
    b.book(inner, INT24, 1, 10, 1, 0, 0);
    b.unpaySegment(df, s);
    expect(s).toEqual({ by: UNPAID, q: 0, c: 0, start: 0, end: 2, mp: 0 });
    expect(use(outer, inner)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(inner.directMp.every((x) => x === 0)).toBe(true);
    expect(tally(b)).toEqual({ byKind: [], stringBytes: 0, strings: [], extrasC: [] });
  });

  it('releases an unmetered segment without a membrane, and leaves an unpaid one alone', () => {
    const { b } = books();
    const df = frame();
    const s: Segment = { by: UNMETERED, q: 0, c: 0, start: 1, end: 2, mp: 164 };
    b.book(null, ROW, 1, 50, 0, 0, 0);
    b.book(null, BOOL, 1, 1, 0, 0, 0);
    b.book(null, STRING, 1, 103, 0, 0, 3);
    b.book(null, INT24, 1, 10, 0, 0, 0);
    b.unpaySegment(df, s);
    expect([s.by, s.mp, tally(b).byKind, b.counts().stringBytes]).toEqual([UNPAID, 0, [], 0]);
    const unpaid: Segment = { by: UNPAID, q: 0, c: 0, start: 0, end: 1, mp: 0 };
    b.unpaySegment(df, unpaid);
    expect(tally(b).byKind).toEqual([]);
  });

  it('takes a row back out of the tallies, fixed-size columns, strings and ints each priced by kind', () => {
    const { b, inner } = books();
    const df = frame();
    // Through one copy-on-mutate membrane: row 57, bool 8, 'xyz' 103 + 7 + 3 = 113, 70000 (int24) 17.
    b.book(inner, ROW, 1, 57, 1, 1, 0);
    b.book(inner, BOOL, 1, 8, 1, 1, 0);
    b.book(inner, STRING, 1, 113, 1, 1, 3);
    b.book(inner, INT24, 1, 17, 1, 1, 0);
    b.untallyRow(inner, df, [false, 'xyz', 70000n], 1, 1);
    expect([inner.directCount[ROW], inner.directCount[BOOL], inner.directCount[STRING], inner.directCount[INT24]]).toEqual([0, 0, 0, 0]);
    expect([inner.directMp[ROW], inner.directMp[BOOL], inner.directMp[STRING], inner.directMp[INT24]]).toEqual([0, 0, 0, 0]);
    expect(tally(b)).toEqual({ byKind: [], stringBytes: 0, strings: [], extrasC: [] });
  });
});

describe('Ledger.repay: a graft re-pays what is not paid in the target’s pool, as one plan', () => {
  /**
   * A sub-DAG paid in pool 1: the dag itself, a bool x and a dataframe (one bool column, one row) by
   * inner (id 2) through one quota membrane, the string 'ab' by outer (id 1), and a bool u nobody
   * paid. Grafted at loner (id 5, pool 5, D = `direct` milli-points) through one quota membrane.
   */
  function graft(direct = 10_000) {
    const { b, outer, inner } = books();
    const loner = new Membrane(5, 'loner', 'quota', direct, direct, 0, null, null, 5);
    b.add(loner);
    const rec = (r: [number, number, number, number]) => new Acct(...r);
    const x = scalarNode(T('bool'), true, BOOL, 0, rec([2, 1, 1, 0]), false);
    const str = scalarNode(T('string'), 'ab', STRING, 2, rec([1, 102, 1, 0]), false);
    const u = scalarNode(T('bool'), false, BOOL, 0, rec([UNPAID, 0, 0, 0]), false);
    const df = new Dataframe([{ name: 'flag', type: T('bool') }]);
    df.pushRow([true]);
    df.segments = [{ by: 2, q: 1, c: 0, start: 0, end: 1, mp: 51 }];
    const frame: DagNode = { kind: 'dataframe', df, acct: rec([2, 2000, 1, 0]), frozen: false };
    let root = branch(rec([2, 1000, 1, 0]));
    for (const [k, v] of [['x', x], ['s', str], ['u', u], ['df', frame]] as const) root = withChild(root, k, v);
    // What they paid, booked as the world would have: inner 1000 + 1 + 2000 + the row (50 + 1); outer 102.
    b.charge(inner, 3052);
    b.book(inner, DAG, 1, 1000, 1, 0, 0);
    b.book(inner, BOOL, 1, 1, 1, 0, 0);
    b.book(inner, kindId('dataframe'), 1, 2000, 1, 0, 0);
    b.book(inner, ROW, 1, 50, 1, 0, 0);
    b.book(inner, BOOL, 1, 1, 1, 0, 0);
    b.charge(outer, 102);
    b.book(outer, STRING, 1, 102, 1, 0, 2);
    const nodes = [root, x, str, u, frame];
    const records = () => [...nodes.map((n) => [n.acct?.by, n.acct?.mp, n.acct?.q, n.acct?.c]), { ...df.segments[0] }];
    const counters = () => [outer, inner, loner].map((m) => [m.directUsed, m.belowUsed, m.directCount.filter((n) => n !== 0).length, m.directMp.reduce((a, n) => a + n, 0)]);
    return { b, loner, root, records, counters, view: new View([], [loner]) };
  }
  const BEFORE_RECORDS = [[2, 1000, 1, 0], [2, 1, 1, 0], [1, 102, 1, 0], [UNPAID, 0, 0, 0], [2, 2000, 1, 0], { by: 2, q: 1, c: 0, start: 0, end: 1, mp: 51 }];
  // [direct, below, kinds with a count, direct milli-points] of outer, inner, loner.
  const BEFORE_COUNTERS = [[102, 3052, 1, 102], [3052, 0, 4, 3052], [0, 0, 0, 0]];

  it('moves every payment to the target: each record, each payer’s use and tallies, the row segment', () => {
    const g = graft();
    expect([g.records(), g.counters()]).toEqual([BEFORE_RECORDS, BEFORE_COUNTERS]);
    g.b.repay(g.root, g.view, 'graft');
    expect(g.records()).toEqual([[5, 1000, 1, 0], [5, 1, 1, 0], [5, 102, 1, 0], [5, 1, 1, 0], [5, 2000, 1, 0], { by: 5, q: 1, c: 0, start: 0, end: 1, mp: 51 }]);
    // loner: 1000 + 1 + 102 + 1 + 2000 + the row 51 = 3155, in dag_node, bool, string, dataframe, row.
    expect(g.counters()).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [3155, 0, 5, 3155]]);
    expect([g.loner.directCount[BOOL], g.loner.directMp[BOOL], g.b.totalMp]).toEqual([3, 3, 3155]);
    expect(tally(g.b)).toEqual({
      byKind: [['dag_node', 1], ['dataframe', 1], ['row', 1], ['scalar:bool', 3], ['string', 1]],
      stringBytes: 2,
      strings: [[2, [1, 1, 0]]],
      extrasC: [],
    });
  });

  it('refuses a graft the target cannot pay, naming it, and leaves every record and counter as it was', () => {
    const g = graft(3000);
    const e = thrown(() => g.b.repay(g.root, g.view, 'graft'));
    expect([e.code, e.message]).toEqual(['MRG3006', "graft refused by quota membrane 'loner': 0 used + 3.155 requested > 3 points (direct allocation limit D)"]);
    expect([g.records(), g.counters(), g.b.totalMp]).toEqual([BEFORE_RECORDS, BEFORE_COUNTERS, 3154]);
  });

  it('refuses a graft whose nodes fit but whose rows do not', () => {
    // The nodes cost loner 3104 of its 3120; the row's 51 more do not fit.
    const g = graft(3120);
    const e = thrown(() => g.b.repay(g.root, g.view, 'graft'));
    expect([e.code, e.message]).toEqual(['MRG3006', "graft refused by quota membrane 'loner': 0 used + 3.155 requested > 3.12 points (direct allocation limit D)"]);
    expect([g.records(), g.counters()]).toEqual([BEFORE_RECORDS, BEFORE_COUNTERS]);
  });

  it('releases the nodes of a payer other than the first, a string among them, by kind', () => {
    // The first payer is inner (the dag); outer paid a dag node and the string 'ab'.
    const { b, outer, inner, loner } = books();
    const a = new Acct(2, 1000, 1, 0);
    const d = new Acct(1, 1000, 1, 0);
    const s = new Acct(1, 102, 1, 0);
    b.pay(inner, DAG, a, 0);
    b.pay(outer, DAG, d, 0);
    b.pay(outer, STRING, s, 2);
    let root = withChild(branch(a), 'd', branch(d));
    root = withChild(root, 's', scalarNode(T('string'), 'ab', STRING, 2, s, false));
    b.repay(root, new View([], [loner]), 'graft');
    expect([use(outer, inner, loner), outer.directMp[DAG], outer.directMp[STRING], loner.directMp[DAG], loner.directMp[STRING]]).toEqual([
      [
        [0, 0],
        [0, 0],
        [2102, 0],
      ],
      0,
      0,
      2000,
      102,
    ]);
    expect(tally(b)).toEqual({ byKind: [['dag_node', 2], ['string', 1]], stringBytes: 2, strings: [[2, [1, 1, 0]]], extrasC: [] });
  });

  it('undoes a graft that a later step of its group refuses', () => {
    const g = graft();
    expect(() =>
      g.b.atomically(() => {
        g.b.repay(g.root, g.view, 'graft');
        throw new Error('a later step');
      }),
    ).toThrow('a later step');
    expect([g.records(), g.counters(), g.b.totalMp]).toEqual([BEFORE_RECORDS, BEFORE_COUNTERS, 3154]);
  });

  it('charges nothing, and tells the watcher nothing, for a graft that is free in its pool', () => {
    const { b, outer, inner } = books();
    const a = new Acct(2, 1000, 1, 0);
    b.pay(inner, DAG, a, 0);
    const seen: Membrane[] = [];
    b.watchCharges((m) => seen.push(m));
    b.repay(branch(a), new View([], [outer]), 'graft');
    expect([seen, [a.by, a.mp], inner.directUsed, outer.directUsed]).toEqual([[], [2, 1000], 1000, 0]);
  });
  /** outer (id 1) and inner (id 2, stacked on it, D = `direct` mp) in pool 1, loner (id 5) in pool 5. */
  function tight(direct: number) {
    const b = new Books();
    const outer = new Membrane(1, 'outer', 'quota', 100_000, 40_000, 0, null, null, 1);
    const inner = new Membrane(2, 'inner', 'quota', 30_000, direct, 0, outer, outer, 1);
    const loner = new Membrane(5, 'loner', 'quota', 10_000, 10_000, 0, null, null, 5);
    b.add(outer, inner, loner);
    return { b, outer, inner, loner };
  }

  it('re-pays nodes of any pool when grafted into an unmetered view', () => {
    const { b, inner } = books();
    const a = new Acct(2, 1000, 1, 0);
    b.pay(inner, DAG, a, 0);
    b.repay(branch(a), new View([], []), 'graft');
    expect([[a.by, a.mp, a.q, a.c], inner.directUsed, b.totalMp, tally(b).byKind]).toEqual([[UNMETERED, 1000, 0, 0], 0, 1000, [['dag_node', 1]]]);
  });

  it('pays for a sub-DAG nobody paid for yet', () => {
    const { b, loner } = books();
    const a = new Acct(UNPAID, 0, 0, 0);
    const x = new Acct(UNPAID, 0, 0, 0);
    b.repay(withChild(branch(a), 'x', scalarNode(T('bool'), true, BOOL, 0, x, false)), new View([], [loner]), 'graft');
    expect([[a.by, a.mp], [x.by, x.mp], loner.directUsed, b.totalMp]).toEqual([[5, 1000], [5, 1], 1001, 1001]);
  });

  it('releases the first payer’s nodes, strings by length, even from a payer at its limit', () => {
    // inner pays 1000 + 'ab' 102 + 'xyz' 103 = 1205, all of its D.
    const { b, inner, loner } = tight(1205);
    const a = new Acct(2, 1000, 1, 0);
    const s1 = new Acct(2, 102, 1, 0);
    const s2 = new Acct(2, 103, 1, 0);
    b.pay(inner, DAG, a, 0);
    b.pay(inner, STRING, s1, 2);
    b.pay(inner, STRING, s2, 3);
    let root = withChild(branch(a), 's1', scalarNode(T('string'), 'ab', STRING, 2, s1, false));
    root = withChild(root, 's2', scalarNode(T('string'), 'xyz', STRING, 3, s2, false));
    b.repay(root, new View([], [loner]), 'graft');
    expect([inner.directUsed, loner.directUsed, loner.directCount[STRING], loner.directMp[STRING], inner.directMp[STRING]]).toEqual([0, 1205, 2, 205, 0]);
    expect(tally(b)).toEqual({ byKind: [['dag_node', 1], ['string', 2]], stringBytes: 5, strings: [[2, [1, 1, 0]], [3, [1, 1, 0]]], extrasC: [] });
  });

  it('moves a row segment on its own, from a payer at its limit, strings and all', () => {
    // The dataframe itself is loner's (free); its one row ('hey': 50 + 103 = 153) is inner's, all of its D.
    const { b, inner, loner } = tight(153);
    const df = new Dataframe([{ name: 'name', type: T('string') }]);
    df.pushRow(['hey']);
    const s: Segment = { by: 2, q: 1, c: 0, start: 0, end: 1, mp: 153 };
    df.segments = [s];
    const acct = new Acct(5, 2000, 1, 0);
    b.pay(loner, kindId('dataframe'), acct, 0);
    b.charge(inner, 153);
    b.book(inner, ROW, 1, 50, 1, 0, 0);
    b.book(inner, STRING, 1, 103, 1, 0, 3);
    b.repay({ kind: 'dataframe', df, acct, frozen: false }, new View([], [loner]), 'graft');
    expect([s, inner.directUsed, loner.directUsed, loner.directMp[STRING]]).toEqual([{ by: 5, q: 1, c: 0, start: 0, end: 1, mp: 153 }, 0, 2153, 103]);
    expect(tally(b)).toEqual({ byKind: [['dataframe', 1], ['row', 1], ['string', 1]], stringBytes: 3, strings: [[3, [1, 1, 0]]], extrasC: [] });
  });
});
