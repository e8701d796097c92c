// The run's tally and the usage report shapes, tested on their own: every counter moved by hand-made
// additions and releases, and reports of hand-built membranes. Prices and bytes are the unit profile's
// (1 byte = 1 milli-point): a bool is 1 byte, a string 100 + its length, a copy-on-mutate membrane adds
// 7 per entity and 1 per string byte, a quota membrane adds nothing. Expected values worked out by hand.
import { describe, expect, it } from 'vitest';

import { kindId } from '../../src/model/kinds.js';
import { Membrane } from '../../src/model/membrane.js';
import { flatten, membraneUsage, runTotals, Tally } from '../../src/model/usage.js';
import { unitProfile } from '../../src/testing/unit-world.js';

const BOOL = kindId('scalar:bool');
const STRING = kindId('string');
const DAG = kindId('dag_node');

/** Everything a tally holds, as plain data. */
function state(t: Tally) {
  const c = t.counts();
  return {
    byKind: [...c.byKind],
    stringBytes: c.stringBytes,
    strings: [...(c.strings ?? [])],
    extrasQ: [...(c.extras?.get('quota') ?? [])],
    extrasC: [...(c.extras?.get('copy_on_mutate') ?? [])],
    extraStringBytes: [...(c.extraStringBytes ?? [])],
    totalMp: t.totalMp,
    peakMp: t.peakMp,
  };
}

describe('Tally.add', () => {
  it('counts entities, milli-points and one extra per membrane on the chain, per kind', () => {
    const t = new Tally();
    t.add(BOOL, 2, 16, 1, 1, 0); // two bools through a quota and a copy-on-mutate membrane: 2 · (1 + 7)
    t.add(DAG, 1, 1000, 0, 0, 0);
    t.add(BOOL, 1, 15, 2, 2, 0); // one through two of each: 1 + 2 · 7
    expect(state(t)).toEqual({
      byKind: [
        ['dag_node', 1],
        ['scalar:bool', 3],
      ],
      stringBytes: 0,
      strings: [],
      extrasQ: [['scalar:bool', 4]],
      extrasC: [['scalar:bool', 4]],
      extraStringBytes: [
        ['quota', 0],
        ['copy_on_mutate', 0],
      ],
      totalMp: 1031,
      peakMp: 1031,
    });
    expect([t.count[BOOL], t.mp[BOOL], t.mp[DAG]]).toEqual([3, 31, 1000]);
  });

  it('counts a string’s bytes, and its bytes once more per membrane on the chain', () => {
    const t = new Tally();
    t.add(STRING, 1, 113, 2, 1, 3); // 'abc' through two quota and one copy-on-mutate membrane: 103 + 7 + 3
    expect(state(t)).toEqual({
      byKind: [['string', 1]],
      stringBytes: 3,
      strings: [[3, [1, 2, 1]]],
      extrasQ: [['string', 2]],
      extrasC: [['string', 1]],
      extraStringBytes: [
        ['quota', 6],
        ['copy_on_mutate', 3],
      ],
      totalMp: 113,
      peakMp: 113,
    });
  });

  it('takes back a release exactly and keeps the peak', () => {
    const t = new Tally();
    t.add(STRING, 1, 113, 2, 1, 3);
    t.add(BOOL, 1, 8, 0, 1, 0);
    t.add(STRING, -1, -113, 2, 1, -3);
    expect(state(t)).toEqual({
      byKind: [['scalar:bool', 1]],
      stringBytes: 0,
      strings: [],
      extrasQ: [],
      extrasC: [['scalar:bool', 1]],
      extraStringBytes: [
        ['quota', 0],
        ['copy_on_mutate', 0],
      ],
      totalMp: 8,
      peakMp: 121,
    });
  });

  it('keeps strings by length, sorted by length, with each length’s count and membranes', () => {
    const t = new Tally();
    t.add(STRING, 1, 107, 0, 0, 7);
    t.add(STRING, 3, 309, 1, 0, 9, [2, 5, 2]);
    t.add(STRING, 1, 107, 0, 1, 7);
    expect(state(t).strings).toEqual([
      [2, [2, 2, 0]],
      [5, [1, 1, 0]],
      [7, [2, 0, 1]],
    ]);
    t.add(STRING, -2, -204, 1, 0, -4, [2, 2]);
    expect(state(t).strings).toEqual([
      [5, [1, 1, 0]],
      [7, [2, 0, 1]],
    ]);
    expect([state(t).stringBytes, state(t).byKind]).toEqual([19, [['string', 3]]]);
  });

  it('takes no string apart when a price changes without a string coming or going', () => {
    const t = new Tally();
    t.add(STRING, 1, 103, 0, 0, 3);
    t.add(STRING, 0, 10, 0, 0, 0);
    expect([state(t).strings, t.totalMp]).toEqual([[[3, [1, 0, 0]]], 113]);
  });

  it('refuses strings in bulk without their lengths, or with a wrong number of them', () => {
    const t = new Tally();
    expect(() => t.add(STRING, 2, 206, 0, 0, 6)).toThrow('Tally: strings tallied in bulk without their lengths');
    expect(() => t.add(STRING, -2, -206, 0, 0, -6)).toThrow('Tally: strings tallied in bulk without their lengths');
    expect(() => t.add(STRING, 2, 206, 0, 0, 6, [3])).toThrow('Tally: 2 strings tallied with 1 lengths');
    expect(() => t.add(STRING, -2, -206, 0, 0, -6, [3, 3, 3])).toThrow('Tally: 2 strings tallied with 3 lengths');
    t.add(STRING, -1, -103, 0, 0, -3);
    expect(state(t).strings).toEqual([[3, [-1, 0, 0]]]);
  });
});

describe('usage report shapes', () => {
  /** outer <100, 40, 10> with a copy-on-mutate membrane and an inner quota membrane over it, and a closed one. */
  function membranes() {
    const outer = new Membrane(1, 'outer', 'quota', 100_000, 40_000, 10_000, null, null, 1);
    const com = new Membrane(2, 'com', 'copy_on_mutate', 0, 0, 0, outer, outer, 0);
    const inner = new Membrane(3, 'inner', 'quota', 30_000, 30_000, 0, com, outer, 2);
    const gone = new Membrane(4, 'gone', 'quota', 5000, 5000, 0, outer, outer, 1);
    gone.closed = true;
    outer.children.push(com, gone);
    com.children.push(inner);
    outer.directUsed = 2008;
    outer.belowUsed = 1007;
    outer.childTotals = 35_000;
    outer.directCount[BOOL] = 1;
    outer.directMp[BOOL] = 8;
    outer.directCount[DAG] = 2;
    outer.directMp[DAG] = 2000;
    inner.directUsed = 1007;
    inner.directCount[DAG] = 1;
    inner.directMp[DAG] = 1007;
    return { outer, com, inner };
  }

  it('describes a membrane with its direct allocations by kind and its open children, nested', () => {
    const u = membraneUsage(membranes().outer, 0);
    const inner = {
      id: 3,
      name: 'inner',
      kind: 'quota',
      parent: 'com',
      depth: 2,
      pool: 2,
      total: 30_000,
      direct: 30_000,
      overcommit: 0,
      directUsed: 1007,
      belowUsed: 0,
      childTotals: 0,
      closed: false,
      byKind: [{ kind: 'dag_node', count: 1, mp: 1007 }],
      children: [],
    };
    const com = { id: 2, name: 'com', kind: 'copy_on_mutate', parent: 'outer', depth: 1, pool: 0, total: 0, direct: 0, overcommit: 0, directUsed: 0, belowUsed: 0, childTotals: 0, closed: false, byKind: [], children: [inner] };
    expect(u).toEqual({
      id: 1,
      name: 'outer',
      kind: 'quota',
      parent: null,
      depth: 0,
      pool: 1,
      total: 100_000,
      direct: 40_000,
      overcommit: 10_000,
      directUsed: 2008,
      belowUsed: 1007,
      childTotals: 35_000,
      closed: false,
      byKind: [
        { kind: 'dag_node', count: 2, mp: 2000 },
        { kind: 'scalar:bool', count: 1, mp: 8 },
      ],
      children: [com],
    });
  });

  it('lists a kind that has milli-points but no count left, and one with a count but no milli-points', () => {
    const m = new Membrane(1, 'm', 'quota', 1000, 1000, 0, null, null, 1);
    m.directCount[BOOL] = 1;
    m.directMp[BOOL] = 0;
    m.directCount[DAG] = 0;
    m.directMp[DAG] = 5;
    // Sorted by kind name, though the kind with only milli-points is found second.
    expect(membraneUsage(m, 4).byKind).toEqual([
      { kind: 'dag_node', count: 0, mp: 5 },
      { kind: 'scalar:bool', count: 1, mp: 0 },
    ]);
    expect(membraneUsage(m, 4).depth).toBe(4);
  });

  it('flattens the tree parents first', () => {
    const { outer } = membranes();
    const second = new Membrane(5, 'second', 'quota', 1000, 1000, 0, null, null, 5);
    expect(flatten([membraneUsage(outer, 0), membraneUsage(second, 0)]).map((u) => u.name)).toEqual(['outer', 'com', 'inner', 'second']);
  });

  it('totals the run: milli-points, entities, kinds, string bytes, and bytes under the profile with extras', () => {
    const t = new Tally();
    t.add(BOOL, 2, 16, 0, 1, 0);
    t.add(STRING, 1, 113, 0, 1, 3);
    t.add(DAG, 1, 1000, 1, 0, 0);
    t.add(DAG, -1, -1000, 1, 0, 0);
    // bytes: bools 2 · 1 + their extras 2 · 7; 'abc' 100 + 3 + its extras 7 + 3 · 1; the dag node is gone.
    expect(runTotals(t, unitProfile())).toEqual({
      profile: 'unit',
      mp: 129,
      entities: 3,
      byKind: [
        { kind: 'scalar:bool', count: 2, mp: 16 },
        { kind: 'string', count: 1, mp: 113 },
      ],
      stringBytes: 3,
      bytes: 129n,
    });
  });
});
