// Entity kinds (quota.md §2): which kinds are sized scalars, the kind of an `int` value at each byte
// boundary (the fast paths must agree with runtime.md §1's minimal two's-complement bytes), kind ids
// and kind-indexed counters as maps sorted by name.
import { describe, expect, it, vi } from 'vitest';

import { bump, intKindId, isScalarKind, K_BLOCKER, K_DAG_NODE, K_SCOPE, kindMap, kindName } from '../../src/model/kinds.js';

describe('isScalarKind', () => {
  it('is true for scalar:<T> of a sized type only', () => {
    const kinds = ['scalar:int8', 'scalar:uint7', 'scalar:float64', 'scalar:bool', 'scalar:int', 'scalar:string', 'scalar:nope', 'scalar:', 'widget:int8', 'int8', 'dag_node'];
    expect(kinds.filter(isScalarKind)).toEqual(['scalar:int8', 'scalar:uint7', 'scalar:float64', 'scalar:bool']);
  });
});

describe('intKindId: the kind of an int value', () => {
  // An int of B bytes holds −2^(8B−1) … 2^(8B−1) − 1: int8 up to 127, int32 from −2^31 to 2^31 − 1,
  // int40 from −2^39 to 2^39 − 1, int64 up to 2^63 − 1; beyond, int72.
  const cases: [bigint, string][] = [
    [0n, 'scalar:int8'],
    [127n, 'scalar:int8'],
    [-128n, 'scalar:int8'],
    [128n, 'scalar:int16'],
    [-129n, 'scalar:int16'],
    [2n ** 31n - 1n, 'scalar:int32'],
    [-(2n ** 31n), 'scalar:int32'],
    [2n ** 31n, 'scalar:int40'],
    [-(2n ** 31n) - 1n, 'scalar:int40'],
    [2n ** 39n - 1n, 'scalar:int40'],
    [-(2n ** 39n), 'scalar:int40'],
    [2n ** 39n, 'scalar:int48'],
    [-(2n ** 39n) - 1n, 'scalar:int48'],
    [-(2n ** 40n), 'scalar:int48'],
    [2n ** 55n, 'scalar:int64'],
    [2n ** 63n - 1n, 'scalar:int64'],
    [-(2n ** 63n), 'scalar:int64'],
    [2n ** 63n, 'scalar:int72'],
    [-(2n ** 63n) - 1n, 'scalar:int72'],
  ];
  it('finds the kind of any value up to int64 without printing it in binary (the general path does)', () => {
    const toText = vi.spyOn(BigInt.prototype, 'toString');
    try {
      const kinds = cases.slice(0, -2).map(([v]) => kindName(intKindId(v)));
      expect(toText).not.toHaveBeenCalled();
      expect(kinds.at(-1)).toBe('scalar:int64');
      expect(kindName(intKindId(2n ** 63n))).toBe('scalar:int72');
      expect(toText).toHaveBeenCalled();
    } finally {
      toText.mockRestore();
    }
  });

  it.each(cases)('%s is %s', (v, kind) => {
    expect(kindName(intKindId(v))).toBe(kind);
    // Asked again (the tiers are built on first use).
    expect(kindName(intKindId(v))).toBe(kind);
  });
});

describe('kind ids', () => {
  it('refuses an id no kind has', () => {
    expect(() => kindName(1_000_000)).toThrow(new Error('unknown kind id 1000000'));
  });

  it('lists the non-zero counters of a kind-indexed array sorted by kind name', () => {
    // Ids in the order the kinds were made: dag_node, …, scope, blocker; names sort blocker, dag_node, scope.
    const arr: number[] = [];
    bump(arr, K_SCOPE, 2);
    bump(arr, K_DAG_NODE, 3);
    bump(arr, K_BLOCKER, 1);
    bump(arr, K_BLOCKER, 4);
    expect([...kindMap(arr)]).toEqual([
      ['blocker', 5],
      ['dag_node', 3],
      ['scope', 2],
    ]);
  });
});
