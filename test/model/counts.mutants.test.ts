// Entity counts as values (quota.md §4 step 1): the canonical shape, weighted sums and differences,
// on small hand-made counts whose sums are worked out by hand.
import { describe, expect, it } from 'vitest';

import { countDifferences, entityTotal, fullCounts, weightedCounts, type FullCounts } from '../../src/model/counts.js';
import type { MembraneKind } from '../../src/model/kinds.js';
import type { EntityCounts } from '../../src/model/rampoints.js';

type Table = Record<string, number>;

function counts(byKind: Table, stringBytes: number, extras?: Partial<Record<MembraneKind, Table>>, extraStringBytes?: Partial<Record<MembraneKind, number>>): EntityCounts {
  const c: { -readonly [K in keyof EntityCounts]: EntityCounts[K] } = { byKind: new Map(Object.entries(byKind)), stringBytes };
  if (extras) c.extras = new Map(Object.entries(extras).map(([m, t]) => [m as MembraneKind, new Map(Object.entries(t))]));
  if (extraStringBytes) c.extraStringBytes = new Map(Object.entries(extraStringBytes) as [MembraneKind, number][]);
  return c;
}

/** Every map of a FullCounts as entry lists, so that the order is compared too. */
function plain(f: FullCounts) {
  return {
    byKind: [...f.byKind],
    stringBytes: f.stringBytes,
    extras: [...f.extras].map(([m, t]) => [m, [...t]]),
    extraStringBytes: [...f.extraStringBytes],
  };
}

describe('fullCounts', () => {
  it('sorts the kinds, drops zeros and adds both membrane kinds when the counts have no extras', () => {
    const f = fullCounts(counts({ string: 2, 'scalar:int8': 0, dataframe: 1, dag_node: 3, 'scalar:bool': 4 }, 7));
    expect(plain(f)).toEqual({
      byKind: [['dag_node', 3], ['dataframe', 1], ['scalar:bool', 4], ['string', 2]],
      stringBytes: 7,
      extras: [['quota', []], ['copy_on_mutate', []]],
      extraStringBytes: [['quota', 0], ['copy_on_mutate', 0]],
    });
  });

  it('sorts and cleans the extras tables too', () => {
    const f = fullCounts(counts({ dag_node: 1 }, 0, { quota: { string: 1, dag_node: 2, 'scalar:bool': 0 } }, { copy_on_mutate: 9 }));
    expect(plain(f)).toEqual({
      byKind: [['dag_node', 1]],
      stringBytes: 0,
      extras: [['quota', [['dag_node', 2], ['string', 1]]], ['copy_on_mutate', []]],
      extraStringBytes: [['quota', 0], ['copy_on_mutate', 9]],
    });
  });
});

describe('weightedCounts', () => {
  it('adds weight × each count, extras and their string bytes included', () => {
    const a = counts({ dag_node: 1, string: 2 }, 5, { quota: { dag_node: 1 } }, { quota: 4 });
    const b = counts({ dag_node: 2, 'scalar:bool': 1 }, 1, { quota: { dag_node: 2, string: 1 }, copy_on_mutate: { 'scalar:bool': 1 } }, { copy_on_mutate: 2 });
    // byKind: dag_node 2·1 + 3·2 = 8, scalar:bool 3·1 = 3, string 2·2 = 4; string bytes 2·5 + 3·1 = 13;
    // quota extras: dag_node 2·1 + 3·2 = 8, string 3·1 = 3; copy-on-mutate: scalar:bool 3;
    // extra string bytes: quota 2·4 = 8, copy-on-mutate 3·2 = 6.
    expect(plain(weightedCounts([{ weight: 2, counts: a }, { weight: 3, counts: b }]))).toEqual({
      byKind: [['dag_node', 8], ['scalar:bool', 3], ['string', 4]],
      stringBytes: 13,
      extras: [['quota', [['dag_node', 8], ['string', 3]]], ['copy_on_mutate', [['scalar:bool', 3]]]],
      extraStringBytes: [['quota', 8], ['copy_on_mutate', 6]],
    });
  });

  it('drops a kind whose weighted sum is zero', () => {
    const a = counts({ dag_node: 1, string: 2 }, 4);
    const b = counts({ string: -1 }, -2);
    expect(plain(weightedCounts([{ weight: 1, counts: a }, { weight: 2, counts: b }]))).toEqual({
      byKind: [['dag_node', 1]],
      stringBytes: 0,
      extras: [['quota', []], ['copy_on_mutate', []]],
      extraStringBytes: [['quota', 0], ['copy_on_mutate', 0]],
    });
  });
});

describe('countDifferences', () => {
  it('lists every difference in a fixed order: kinds sorted, string bytes, then each membrane kind', () => {
    const a = counts({ dag_node: 1, string: 2 }, 5, { quota: { dag_node: 1, string: 1 } }, { quota: 3, copy_on_mutate: 1 });
    const b = counts({ 'scalar:bool': 1, string: 3 }, 6, { quota: { string: 1 }, copy_on_mutate: { dag_node: 2 } }, { quota: 3 });
    expect(countDifferences(a, b)).toEqual([
      { what: 'dag_node', a: 1, b: 0 },
      { what: 'scalar:bool', a: 0, b: 1 },
      { what: 'string', a: 2, b: 3 },
      { what: 'string bytes', a: 5, b: 6 },
      { what: 'extras through membrane:quota: dag_node', a: 1, b: 0 },
      { what: 'extras through membrane:copy_on_mutate: dag_node', a: 0, b: 2 },
      { what: 'extras through membrane:copy_on_mutate: string bytes', a: 1, b: 0 },
    ]);
  });

  it('reports quota string bytes and treats a zero like a missing entry', () => {
    const a = counts({ dag_node: 2, string: 0 }, 0, undefined, { quota: 7 });
    const b = counts({ dag_node: 2 }, 0, { quota: { string: 0 } }, { quota: 5, copy_on_mutate: 0 });
    expect(countDifferences(a, b)).toEqual([{ what: 'extras through membrane:quota: string bytes', a: 7, b: 5 }]);
    expect(countDifferences(a, a)).toEqual([]);
    expect(countDifferences(counts({ string: 0 }, 0), counts({}, 0))).toEqual([]);
  });
});

describe('entityTotal', () => {
  it('adds the entities of every kind', () => {
    expect(entityTotal(counts({ dag_node: 2, string: 3, 'scalar:bool': 0 }, 99))).toBe(5);
    expect(entityTotal(counts({}, 0))).toBe(0);
  });
});
