// The ledger under Memory: atomic groups and their undo, the charge watcher, the open-membrane table,
// released dataframes and the run's peak, with amounts by hand under the unit profile (fixtures.ts:
// 1 byte = 1 mp; dag_node 1000, int32 250, a string 100 + its bytes, a dataframe 2000, a row 50, a
// quota membrane 500, a copy_on_mutate membrane 300).
import { describe, expect, it } from 'vitest';

import { snapshot, type Membrane, type View } from '../../src/model/index.js';
import { codeOf } from '../support/errors.js';
import { unitWorld } from './fixtures.js';

const q = (v: View) => v.quota as Membrane;

function base() {
  const mem = unitWorld();
  mem.declareDag(mem.root, ['d'], { inert: false });
  const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 5, 5);
  return { mem, p };
}

describe('atomic groups', () => {
  it('nest: a failed inner group is undone alone, the outer one goes on', () => {
    const { mem, p } = base();
    mem.atomically(() => {
      mem.declareScalar(p, ['a'], 'int32', 1n);
      expect(codeOf(() => mem.atomically(() => {
        mem.declareScalar(p, ['b'], 'int32', 2n);
        mem.declareScalar(p, ['a'], 'int32', 3n); // a exists
      }))).toBe('MRG3001');
      mem.declareScalar(p, ['c'], 'int32', 4n);
    });
    expect([mem.has(p, ['a']), mem.has(p, ['b']), mem.has(p, ['c'])]).toEqual([true, false, true]);
    expect(q(p).directUsed).toBe(500);
  });

  it('an outer group that fails after an inner one succeeded undoes both, and what came after', () => {
    const { mem, p } = base();
    const before = snapshot(mem);
    expect(codeOf(() => mem.atomically(() => {
      mem.atomically(() => mem.declareScalar(p, ['a'], 'int32', 1n));
      mem.declareScalar(p, ['b'], 'int32', 2n);
      mem.declareScalar(p, ['a'], 'int32', 3n); // a exists
    }))).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
  });

  it('an undone append of an int column gives its entity back', () => {
    const { mem, p } = base();
    mem.declareDataframe(p, ['df'], [{ name: 'n', type: 'int' }, { name: 'm', type: 'int32' }]);
    const before = snapshot(mem);
    expect(codeOf(() => mem.atomically(() => {
      mem.appendRow(p, ['df'], [5n, 6n]);
      mem.declareDag(mem.root, ['d'], {});
    }))).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
  });

  it('the run’s peak keeps what was released or undone', () => {
    const { mem, p } = base();
    // d 1000 + P 500.
    expect([mem.report().totals.mp, mem.peakMp()]).toEqual([1500, 1500]);
    mem.declareScalar(p, ['a'], 'int32', 1n);
    mem.release(mem.prune(p, ['a']));
    expect([mem.report().totals.mp, mem.peakMp()]).toEqual([1500, 1750]);
    expect(codeOf(() => mem.atomically(() => {
      mem.declareScalar(p, ['s'], 'string', 'x'.repeat(900)); // 1000
      mem.declareDag(mem.root, ['d'], {});
    }))).toBe('MRG3001');
    expect([mem.report().totals.mp, mem.peakMp()]).toEqual([1500, 2500]);
  });

  it('a released dataframe gives back its rows at the membrane that paid them, kind by kind', () => {
    const { mem, p } = base();
    mem.declareDataframe(p, ['df'], [{ name: 's', type: 'string' }, { name: 'm', type: 'int32' }]);
    mem.appendRow(p, ['df'], ['ab', 1n]); // 50 + 102 + 250
    mem.appendRow(p, ['df'], ['abcd', 2n]); // 50 + 104 + 250
    expect(q(p).directUsed).toBe(2000 + 402 + 404);
    mem.release(mem.prune(p, ['df']));
    expect(q(p).directUsed).toBe(0);
    // d 1000 and P's entity 500 are all that is left.
    expect(mem.report().totals.mp).toBe(1500);
    expect(mem.counts().byKind).toEqual(new Map([['dag_node', 1], ['membrane:quota', 1]]));
    expect([mem.counts().stringBytes, [...(mem.counts().strings ?? [])]]).toEqual([0, []]);
  });
});

describe('the charge watcher and the open membranes', () => {
  it('is told of every change of direct use, undone ones included, until it is taken away', () => {
    const { mem, p } = base();
    const r = mem.quota(p, 'R', 5, 5, 0); // 500 at P
    const seen: string[] = [];
    mem.watchCharges((m) => seen.push(`${m.name} ${m.directUsed}`));
    mem.declareScalar(r, ['a'], 'int32', 1n);
    mem.release(mem.prune(r, ['a']));
    expect(codeOf(() => mem.atomically(() => {
      mem.declareScalar(r, ['b'], 'string', 'xyz');
      mem.declareDag(mem.root, ['d'], {});
    }))).toBe('MRG3001');
    mem.watchCharges(null);
    mem.declareScalar(r, ['c'], 'int32', 1n);
    expect(seen).toEqual(['R 250', 'R 0', 'R 103', 'R 0']);
  });

  it('an open membrane by id, in id order after an undone close; a closed one is not found', () => {
    const { mem, p } = base();
    const cm = mem.copyOnMutate(p, 'cm');
    mem.quota(mem.at(mem.root, ['d']), 'S', 1, 1, 0);
    expect(codeOf(() => mem.atomically(() => {
      mem.closeMembrane(cm);
      mem.declareDag(mem.root, ['d'], {});
    }))).toBe('MRG3001');
    expect(mem.allMembranes().map((m) => m.name)).toEqual(['P', 'cm', 'S']);
    expect(mem.membrane(2).name).toBe('cm');
    mem.closeMembrane(cm);
    expect(() => mem.membrane(2)).toThrow('no open membrane with id 2');
  });
});

describe('a graft across pools moves every tally with the payment (quota.md §5)', () => {
  /**
   * P <20,20,0> over d and T <20,20,0> over e are two pools; cm is a copy_on_mutate membrane over P.
   * s under P holds a 'abc' (103), b 'hello' through [P, cm] (105 + 7 + 5 = 117), i an int32 (250) and
   * df, a dataframe (2000) with one row ('xy': 50 + 102). P pays 1000 + 300 (cm) + 103 + 117 + 250 +
   * 2000 + 152 = 3922.
   */
  function pools() {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    mem.declareDag(mem.root, ['e'], { inert: false });
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 20, 20, 0);
    const t = mem.quota(mem.at(mem.root, ['e']), 'T', 20, 20, 0);
    mem.declareDag(p, ['s']);
    mem.declareScalar(p, ['s', 'a'], 'string', 'abc');
    mem.declareScalar(mem.copyOnMutate(mem.at(p, ['s']), 'cm'), ['b'], 'string', 'hello');
    mem.declareScalar(p, ['s', 'i'], 'int32', 1n);
    mem.declareDataframe(p, ['s', 'df'], [{ name: 't', type: 'string' }]);
    mem.appendRow(p, ['s', 'df'], ['xy']);
    expect(q(p).directUsed).toBe(3922);
    return { mem, p, t };
  }

  it('the payment, each kind at each membrane, strings by length and the copy_on_mutate extras', () => {
    const { mem, p, t } = pools();
    const strings = () => [...(mem.counts().strings ?? [])];
    // Lengths 2 ('xy'), 3 ('abc') through one quota membrane, 5 ('hello') through P and cm.
    expect(strings()).toEqual([
      [2, [1, 1, 0]],
      [3, [1, 1, 0]],
      [5, [1, 1, 1]],
    ]);
    expect(mem.report().totals.mp).toBe(1000 + 1000 + 500 + 500 + 3922);
    mem.ent(t, [], mem.prune(p, ['s']), 's');
    // At T every node pays full price without cm's extras: 1000 + 103 + 105 + 250 + 2000 + 152 = 3610.
    expect([q(p).directUsed, q(t).directUsed]).toEqual([300, 3610]);
    expect(mem.report(p).membranes[0]?.byKind).toEqual([{ kind: 'membrane:copy_on_mutate', count: 1, mp: 300 }]);
    expect(mem.report(t).membranes[0]?.byKind).toEqual([
      { kind: 'dag_node', count: 1, mp: 1000 },
      { kind: 'dataframe', count: 1, mp: 2000 },
      { kind: 'row', count: 1, mp: 50 },
      { kind: 'scalar:int32', count: 1, mp: 250 },
      { kind: 'string', count: 3, mp: 103 + 105 + 102 },
    ]);
    expect(strings()).toEqual([
      [2, [1, 1, 0]],
      [3, [1, 1, 0]],
      [5, [1, 1, 0]],
    ]);
    const counts = mem.counts();
    expect([counts.stringBytes, counts.extras?.get('copy_on_mutate'), counts.extraStringBytes?.get('copy_on_mutate')]).toEqual([10, new Map(), 0]);
    // 'hello' lost its extra 7 + 5.
    expect(mem.report().totals.mp).toBe(1000 + 1000 + 500 + 500 + 300 + 3610);
  });

  it('undone, every payment, tally and string goes back', () => {
    const { mem, p, t } = pools();
    const x = mem.prune(p, ['s']);
    const before = snapshot(mem);
    expect(codeOf(() => mem.atomically(() => {
      mem.ent(t, [], x, 's');
      mem.declareDag(mem.root, ['d'], {});
    }))).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
  });

  it('released after the graft, the rows and strings leave from T', () => {
    const { mem, p, t } = pools();
    mem.ent(t, [], mem.prune(p, ['s']), 's');
    mem.release(mem.prune(t, ['s']));
    expect(q(t).directUsed).toBe(0);
    expect([mem.counts().stringBytes, [...(mem.counts().strings ?? [])]]).toEqual([0, []]);
    expect(mem.report().totals.mp).toBe(1000 + 1000 + 500 + 500 + 300);
  });
});

describe('a graft between two pools under one quota membrane is checked as one net change', () => {
  /**
   * P <10,5,5> over d: the membranes below it may use T − D = 5000. R1 and R2 <5,5,0> are quota
   * membranes over copy_on_mutate membranes over P (two pools of their own, both inside P). Through
   * [P, cm, R] an entity costs its price + 7, a string byte 2.
   */
  function siblings() {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 5, 5);
    const r1 = mem.quota(mem.copyOnMutate(p, 'cm1'), 'R1', 5, 5, 0);
    const r2 = mem.quota(mem.copyOnMutate(p, 'cm2'), 'R2', 5, 5, 0);
    return { mem, p, r1, r2 };
  }

  it('a value that fills most of P’s T − D moves from R1 to R2: P releases it in the same step', () => {
    const { mem, p, r1, r2 } = siblings();
    mem.declareScalar(r1, ['v'], 'string', 'x'.repeat(2000)); // 100 + 2000 + 7 + 2000 = 4107
    expect(q(p).belowUsed).toBe(4107);
    mem.ent(r2, [], mem.prune(r1, ['v']), 'v'); // 4107 + 4107 would pass 5000; net it is 4107
    expect([q(r1).directUsed, q(r2).directUsed, q(p).belowUsed]).toEqual([0, 4107, 4107]);
  });

  it('and so do dataframe rows, each string row with its own length', () => {
    const { mem, p, r1, r2 } = siblings();
    mem.declareDataframe(r1, ['df'], [{ name: 't', type: 'string' }]); // 2000 + 7
    mem.appendRow(r1, ['df'], ['y'.repeat(600)]); // row 57 + string 100 + 600 + 7 + 600 = 1364
    mem.appendRow(r1, ['df'], ['y'.repeat(400)]); // 57 + 500 + 407 = 964
    expect(q(p).belowUsed).toBe(2007 + 1364 + 964);
    mem.ent(r2, [], mem.prune(r1, ['df']), 'df');
    expect([q(r1).directUsed, q(r2).directUsed, q(p).belowUsed]).toEqual([0, 4335, 4335]);
    expect([...(mem.counts().strings ?? [])]).toEqual([
      [400, [1, 2, 1]],
      [600, [1, 2, 1]],
    ]);
  });
});
