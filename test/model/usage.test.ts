// The usage report and the run's counts of one small world, every field written out by hand under
// the unit profile (fixtures.ts: 1 byte = 1 mp; dag_node 1000, int32 250, a string 100 + its bytes, a
// quota membrane 500, a copy_on_mutate membrane 300; copy_on_mutate adds 7 per entity and 1 per
// string byte, quota membranes add nothing).
import { describe, expect, it } from 'vitest';

import { snapshot, type Memory } from '../../src/model/index.js';
import { unitWorld, unitWorldWith } from './fixtures.js';

/**
 * d (unmetered dag 1000); P <10,5,5> over d (its entity unmetered, 500); R <3,3,0> stacked on P and
 * cm (copy_on_mutate) over P, both entities paid by P (500, 300); in R an int32 (250) and 'abc'
 * (103); through cm an int32 (250 + 7) and 'hi' (102 + 7 + 2), paid by P.
 */
function world(): Memory {
  const mem = unitWorld();
  mem.declareDag(mem.root, ['d'], { inert: false });
  const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 5, 5);
  const r = mem.quota(p, 'R', 3, 3, 0);
  const cm = mem.copyOnMutate(p, 'cm');
  mem.declareScalar(r, ['i'], 'int32', 1n);
  mem.declareScalar(r, ['s'], 'string', 'abc');
  mem.declareScalar(cm, ['j'], 'int32', 2n);
  mem.declareScalar(cm, ['t'], 'string', 'hi');
  return mem;
}

const R = {
  id: 2,
  name: 'R',
  kind: 'quota',
  parent: 'P',
  depth: 1,
  pool: 1,
  total: 3000,
  direct: 3000,
  overcommit: 0,
  directUsed: 353,
  belowUsed: 0,
  childTotals: 0,
  closed: false,
  byKind: [
    { kind: 'scalar:int32', count: 1, mp: 250 },
    { kind: 'string', count: 1, mp: 103 },
  ],
  children: [],
};
const CM = {
  id: 3,
  name: 'cm',
  kind: 'copy_on_mutate',
  parent: 'P',
  depth: 1,
  pool: 0,
  total: 0,
  direct: 0,
  overcommit: 0,
  directUsed: 0,
  belowUsed: 0,
  childTotals: 0,
  closed: false,
  byKind: [],
  children: [],
};
const P = {
  id: 1,
  name: 'P',
  kind: 'quota',
  parent: null,
  depth: 0,
  pool: 1,
  total: 10_000,
  direct: 5000,
  overcommit: 5000,
  // R 500 + cm 300 + 257 + 111; below it, R's 250 + 103.
  directUsed: 1168,
  belowUsed: 353,
  childTotals: 3000,
  closed: false,
  byKind: [
    { kind: 'membrane:copy_on_mutate', count: 1, mp: 300 },
    { kind: 'membrane:quota', count: 1, mp: 500 },
    { kind: 'scalar:int32', count: 1, mp: 257 },
    { kind: 'string', count: 1, mp: 111 },
  ],
  children: [R, CM],
};

describe('the usage report (every field by hand)', () => {
  it('the membrane tree, its pre-order flattening and the run totals', () => {
    const report = world().report();
    expect(report.membranes).toEqual([P]);
    expect(report.flat.map((m) => m.name)).toEqual(['P', 'R', 'cm']);
    expect(report.totals).toEqual({
      profile: 'unit',
      // d 1000 + P 500 + R 500 + cm 300 + 250 + 103 + 257 + 111.
      mp: 3021,
      entities: 8,
      byKind: [
        { kind: 'dag_node', count: 1, mp: 1000 },
        { kind: 'membrane:copy_on_mutate', count: 1, mp: 300 },
        { kind: 'membrane:quota', count: 2, mp: 1000 },
        { kind: 'scalar:int32', count: 2, mp: 507 },
        { kind: 'string', count: 2, mp: 214 },
      ],
      stringBytes: 5,
      // Bytes: 1000 + 2 · 500 + 300 + 2 · 250 + 2 · 100 + 5 string bytes, and through cm 7 + 7 + 2 · 1.
      bytes: 3021n,
    });
  });

  it('a closed membrane leaves the tree', () => {
    const mem = world();
    mem.closeMembrane(mem.copyOnMutate(mem.quota(mem.at(mem.root, ['d']), 'X', 1, 1, 0), 'gone'));
    const x = mem.report().membranes.find((m) => m.name === 'X');
    expect(x?.children).toEqual([]);
  });

  it('the run’s counts: kinds, strings by length with their membranes, extras per membrane kind', () => {
    const mem = world();
    const counts = mem.counts();
    expect(counts.byKind).toEqual(
      new Map([
        ['dag_node', 1],
        ['membrane:quota', 2],
        ['membrane:copy_on_mutate', 1],
        ['scalar:int32', 2],
        ['string', 2],
      ]),
    );
    expect(counts.stringBytes).toBe(5);
    // 'hi' through [P, cm]: one quota and one copy_on_mutate membrane; 'abc' through [P, R]: two quota.
    expect([...(counts.strings ?? [])]).toEqual([
      [2, [1, 1, 1]],
      [3, [1, 2, 0]],
    ]);
    // One per quota membrane on the chain: R and cm through [P], the R values through [P, R], the cm values through [P, cm].
    expect(counts.extras).toEqual(
      new Map([
        [
          'quota',
          new Map([
            ['membrane:quota', 1],
            ['membrane:copy_on_mutate', 1],
            ['scalar:int32', 3],
            ['string', 3],
          ]),
        ],
        [
          'copy_on_mutate',
          new Map([
            ['scalar:int32', 1],
            ['string', 1],
          ]),
        ],
      ]),
    );
    // String bytes once per membrane: 'abc' 2 · 3 + 'hi' 1 · 2 through quota membranes, 'hi' 2 through cm.
    expect(counts.extraStringBytes).toEqual(
      new Map([
        ['quota', 8],
        ['copy_on_mutate', 2],
      ]),
    );
  });

  it('releasing the strings takes them out of the counts by length again', () => {
    const mem = world();
    mem.release(mem.prune(mem.root, ['d', 's']));
    mem.release(mem.prune(mem.root, ['d', 't']));
    const counts = mem.counts();
    expect([...(counts.strings ?? [])]).toEqual([]);
    expect([counts.stringBytes, counts.extraStringBytes]).toEqual([
      0,
      new Map([
        ['quota', 0],
        ['copy_on_mutate', 0],
      ]),
    ]);
    expect(counts.byKind.get('string')).toBeUndefined();
    expect((snapshot(mem) as { totals: { mp: number } }).totals.mp).toBe(3021 - 103 - 111);
  });
});

describe('counts in bulk and kinds priced 0', () => {
  it('two dag nodes made on the way count two extras per membrane kind, not one', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 10, 0);
    mem.declareScalar(p, ['a', 'b', 'c'], 'int32', 1n); // a and b made on the way, through [P]
    mem.declareScalar(mem.copyOnMutate(p, 'cm'), ['x', 'y', 'z'], 'int32', 2n); // x and y through [P, cm]
    const extras = mem.counts().extras;
    expect(extras?.get('quota')?.get('dag_node')).toBe(4);
    expect(extras?.get('copy_on_mutate')?.get('dag_node')).toBe(2);
  });

  it('a kind that costs 0 is listed with 0 mp', () => {
    const mem = unitWorldWith({ 'scalar:bool': 0 });
    mem.declareDag(mem.root, ['d'], { inert: false });
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 10, 0);
    mem.declareScalar(p, ['b'], 'bool', true);
    expect(mem.report().membranes[0]?.byKind).toEqual([{ kind: 'scalar:bool', count: 1, mp: 0 }]);
    expect(mem.report().totals.byKind).toContainEqual({ kind: 'scalar:bool', count: 1, mp: 0 });
  });
});
