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
