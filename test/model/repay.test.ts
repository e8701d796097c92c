// The re-payment walk of a graft (quota.md §5) and its undo, on one sub-DAG whose nodes are paid
// every way a node can be: by the first payer, by the same payer through another chain, unmetered as
// the target would pay them, unmetered through another chain, and not at all. Prices are the unit
// profile's (fixtures.ts: 1 byte = 1 mp; dag_node 1000, int32 250, a string 100 + its bytes, a quota
// membrane 500, a copy_on_mutate membrane 300 and 7 extra per entity through one), added by hand.
import { describe, expect, it } from 'vitest';

import { checkInvariants, kindId, Membrane, nodeSnapshot, snapshot, UNMETERED, UNPAID, work, type Memory } from '../../src/model/index.js';
import { repayWalk, restoreRepaid } from '../../src/model/repay.js';
import { thrown } from '../support/errors.js';
import { unitWorld, unitWorldWith } from './fixtures.js';

/**
 * d.s under quota membrane P (id 1, pool 1) holds, in this order:
 *   s  the dag itself, paid by P through [P]:           [1, 1000, 1, 0]
 *   a  int32 through [P]:                               [1, 250, 1, 0]
 *   u1 int32 through no membrane (unmetered):           [0, 250, 0, 0]
 *   b  int32 through [P, cm] (cm: copy_on_mutate, id 2): [1, 257, 1, 1]
 *   bs the string 'hi' through [P, cm]: 102 + 7 + 2     [1, 111, 1, 1]
 *   c  the string 'hey' through [P]: 100 + 3            [1, 103, 1, 0]
 *   o  an opaque value that is no entity:               no payment record
 *   u3 int32 through [cm0] (copy_on_mutate, id 3):      [0, 257, 0, 1]
 *   u2 int32 through no membrane:                       [0, 250, 0, 0]
 * P pays 1000 + 250 + 300 (cm) + 257 + 111 + 103 = 2021.
 */
function world(): { mem: Memory; P: Membrane } {
  const mem = unitWorld();
  mem.declareDag(mem.root, ['d'], { inert: false });
  const pv = mem.quota(mem.at(mem.root, ['d']), 'P', 20, 20, 0);
  mem.declareDag(pv, ['s']);
  mem.declareScalar(pv, ['s', 'a'], 'int32', 1n);
  mem.declareScalar(mem.root, ['d', 's', 'u1'], 'int32', 2n);
  const cm = mem.copyOnMutate(mem.at(pv, ['s']), 'cm');
  mem.declareScalar(cm, ['b'], 'int32', 3n);
  mem.declareScalar(cm, ['bs'], 'string', 'hi');
  mem.declareScalar(pv, ['s', 'c'], 'string', 'hey');
  mem.declareOpaque(pv, ['s', 'o'], null, { any: 'thing' });
  const cm0 = mem.copyOnMutate(mem.at(mem.root, ['d', 's']), 'cm0');
  mem.declareScalar(cm0, ['u3'], 'int32', 5n);
  mem.declareScalar(mem.root, ['d', 's', 'u2'], 'int32', 6n);
  const P = pv.quota as Membrane;
  expect(P.directUsed).toBe(2021);
  return { mem, P };
}

/** Each child of d.s (or of a grafted copy of it) with its payment record [by, mp, q, c]. */
function records(mem: Memory, path: string[]): unknown {
  const s = nodeSnapshot(mem.lookup(mem.root, path).node) as { acct: unknown; children: [string, { acct: unknown }][] };
  return [['s', s.acct], ...s.children.map(([k, v]) => [k, v.acct])];
}

const BEFORE = [
  ['s', [1, 1000, 1, 0]],
  ['a', [1, 250, 1, 0]],
  ['u1', [0, 250, 0, 0]],
  ['b', [1, 257, 1, 1]],
  ['bs', [1, 111, 1, 1]],
  ['c', [1, 103, 1, 0]],
  ['o', null],
  ['u3', [0, 257, 0, 1]],
  ['u2', [0, 250, 0, 0]],
];

/** The same nodes paid as a graft into an unmetered place pays them: no membrane, no extras. */
const UNMETERED_AFTER = [
  ['s', [0, 1000, 0, 0]],
  ['a', [0, 250, 0, 0]],
  ['u1', [0, 250, 0, 0]],
  ['b', [0, 250, 0, 0]],
  ['bs', [0, 102, 0, 0]],
  ['c', [0, 103, 0, 0]],
  ['o', null],
  ['u3', [0, 250, 0, 0]],
  ['u2', [0, 250, 0, 0]],
];

describe('repayWalk rewrites exactly the records that differ from how the target pays, and restoreRepaid puts them back', () => {
  it('walking d.s for an unmetered target: what moved, from whom, in which runs of walk positions', () => {
    const { mem, P } = world();
    const s = mem.lookup(mem.root, ['d', 's']).node;
    const open = new Map(mem.allMembranes().map((m) => [m.id, m]));
    const units = work.units;
    const w = repayWalk(s, { by: UNMETERED, pool: -1, q: 0, c: 0 }, open, mem.pricing);
    // One unit of work per node walked: s and its eight children.
    expect(work.units - units).toBe(9);
    expect(records(mem, ['d', 's'])).toEqual(UNMETERED_AFTER);
    // Positions s 0, a 1, u1 2, b 3, bs 4, c 5, o 6, u3 7, u2 8. P through [P] (q 1, c 0) is the first
    // payer: s and a are one run, c another; u1, o and u2 are already paid as the target pays (or not at all).
    expect([w.firstBy, w.firstQ, w.firstC]).toEqual([P.id, 1, 0]);
    expect(w.runs).toEqual([0, 2, 5, 6]);
    // b and bs (P through another chain) and u3 (unmetered through cm0) are the others, with their old records.
    expect(w.others.map((n) => (nodeSnapshot(n) as { value: unknown }).value)).toEqual(['3n', 'hi', '5n']);
    expect(w.otherOld).toEqual([1, 257, 1, 1, 1, 111, 1, 1, 0, 257, 0, 1]);
    expect(w.unpaid).toEqual([]);
    expect(w.segs).toEqual([]);
    // Per kind: of the first payer s (dag_node), a (int32), c (string); re-paid in all, b, bs and u3 too.
    const counts = (a: number[]) => ({ dag: a[kindId('dag_node')], int32: a[kindId('scalar:int32')], string: a[kindId('string')] });
    expect(counts(w.relCount)).toEqual({ dag: 1, int32: 1, string: 1 });
    expect(counts(w.paidCount)).toEqual({ dag: 1, int32: 3, string: 2 });
    // Strings: the first payer's c (its old 103 mp, 3 bytes); re-paid, bs then c at 102 + 103.
    expect([w.relStringMp, w.relStringBytes, w.relStringLens]).toEqual([103, 3, [3]]);
    expect([w.paidStringMp, w.paidStringBytes, w.paidStringLens]).toEqual([205, 5, [2, 3]]);

    // Walked again for the same target, nothing differs any more: no runs, no first payer.
    const none = repayWalk(s, { by: UNMETERED, pool: -1, q: 0, c: 0 }, open, mem.pricing);
    expect([none.runs, none.others, none.firstBy]).toEqual([[], [], UNPAID]);
    expect(records(mem, ['d', 's'])).toEqual(UNMETERED_AFTER);

    const again = work.units;
    restoreRepaid(s, w, mem.pricing);
    // The walk stops after the last run (c at position 5): six nodes.
    expect(work.units - again).toBe(6);
    expect(records(mem, ['d', 's'])).toEqual(BEFORE);
  });

  it('a graft into an unmetered place releases what P paid, and its undo restores every record and counter', () => {
    const { mem, P } = world();
    const x = mem.prune(mem.root, ['d', 's']);
    const before = snapshot(mem);
    const e = thrown(() =>
      mem.atomically(() => {
        mem.ent(mem.root, [], x, 'g');
        expect(records(mem, ['g'])).toEqual(UNMETERED_AFTER);
        // P keeps only the cm membrane entity it paid for: 2021 − 1000 − 250 − 257 − 111 − 103 = 300.
        expect(P.directUsed).toBe(300);
        mem.declareScalar(mem.root, ['g'], 'int32', 0n); // g exists: the group fails and is undone
      }),
    );
    expect(e.code).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
    expect(P.directUsed).toBe(2021);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a graft refused by the target restores every record and counter', () => {
    const { mem, P } = world();
    mem.declareDag(mem.root, ['e'], { inert: false });
    // T <2, 2, 0> in a pool of its own (its entity unmetered): s, a, b, c and the int32 u1, u3, u2
    // and the string bs all pay full price there, 1000 + 250 + 250 + 103 + 3 · 250 + 102 = 2455.
    const t = mem.quota(mem.at(mem.root, ['e']), 'T', 2, 2, 0);
    const x = mem.prune(mem.root, ['d', 's']);
    const before = snapshot(mem);
    const e = thrown(() => mem.ent(t, [], x, 'g'));
    expect(e.errorName).toBe('quota_error');
    // 2455 > D = 2000, asked all at once.
    expect(e.details?.get('requested')).toBe(2455);
    expect(snapshot(mem)).toEqual(before);
    expect(P.directUsed).toBe(2021);
    expect(checkInvariants(mem)).toEqual([]);
  });
});

describe('which nodes a graft re-pays (quota.md §5)', () => {
  it('nodes paid by any membrane of the target’s pool stay free, the second membrane (id 2) included', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 10, 5, 5); // id 1, pool 1; its entity unmetered
    const b = mem.quota(a, 'B', 5, 5, 0); // id 2, stacked on A: pool 1; its entity 500 paid by A
    mem.declareScalar(b, ['v'], 'int32', 1n); // paid by B: [2, 250, 2, 0]
    const x = mem.prune(b, ['v']);
    mem.ent(a, [], x, 'w');
    expect((nodeSnapshot(mem.lookup(mem.root, ['d', 'w']).node) as { acct: unknown }).acct).toEqual([2, 250, 2, 0]);
    expect([a.quota?.directUsed, a.quota?.belowUsed, b.quota?.directUsed]).toEqual([500, 250, 250]);
  });

  it('a node paid through a copy_on_mutate membrane is re-paid without it even when that membrane’s extra is 0', () => {
    // The unit profile with no copy_on_mutate extras: the price stays 250, only the chain changes.
    const mem = unitWorldWith({}, { membrane: 'copy_on_mutate', bytes: { 'scalar:*': 0 } });
    mem.declareDag(mem.root, ['d'], { inert: false });
    mem.declareScalar(mem.copyOnMutate(mem.at(mem.root, ['d']), 'cm'), ['v'], 'int32', 1n);
    const extraC = () => mem.counts().extras?.get('copy_on_mutate')?.get('scalar:int32') ?? 0;
    expect(extraC()).toBe(1);
    mem.ent(mem.root, [], mem.prune(mem.root, ['d', 'v']), 'v');
    expect((nodeSnapshot(mem.lookup(mem.root, ['v']).node) as { acct: unknown }).acct).toEqual([0, 250, 0, 0]);
    expect(extraC()).toBe(0);
  });

  it('dataframe rows grafted into another pool are paid there and released where they were', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    mem.declareDag(mem.root, ['e'], { inert: false });
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 10, 0);
    const t = mem.quota(mem.at(mem.root, ['e']), 'T', 5, 5, 0);
    mem.declareDataframe(p, ['df'], [{ name: 'n', type: 'int32' }]);
    mem.appendRow(p, ['df'], [1n]);
    mem.appendRow(p, ['df'], [2n]);
    // The dataframe 2000 and two rows of 50 + 250.
    expect(p.quota?.directUsed).toBe(2600);
    mem.ent(t, [], mem.prune(p, ['df']), 'df');
    expect([p.quota?.directUsed, t.quota?.directUsed]).toEqual([0, 2600]);
    const segs = (nodeSnapshot(mem.lookup(mem.root, ['e', 'df']).node) as { df: { segments: { by: number; mp: number }[] } }).df.segments;
    expect(segs.map((s) => [s.by, s.mp])).toEqual([[t.quota?.id, 600]]);
    expect(checkInvariants(mem)).toEqual([]);
  });
});
