// NameMap at the edges its hash trie has: names whose hashes collide (one hash for 40 names, deeper
// than the trie has hash bits), emptying a branch, no-op updates that must return the same map, and
// the value walks.
import { describe, expect, it } from 'vitest';

import { NameMap } from '../../src/model/namemap.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const step = (h: number, c: number) => Math.imul(h ^ c, FNV_PRIME);

/**
 * `count` three-character names with one and the same 30-bit FNV-1a hash (FNV-1a over UTF-16 code
 * units, as the map hashes names): the last character is chosen so that the state before the last
 * multiplication is the same `y` for each; low four bits of `y` zero, so the hash's first trie slot
 * is slot 0 (FNV's prime is 3 mod 16).
 */
function sameHash(count: number): string[] {
  const y = 0x2a5c0000;
  const out: string[] = [];
  for (let a = 0x100; out.length < count; a++) {
    const ha = step(FNV_OFFSET, a);
    for (let b = 0x100; b < 0x10000 && out.length < count; b++) {
      const x = (step(ha, b) ^ y) & 0x3fffffff;
      if (x < 0x10000) out.push(String.fromCharCode(a, b, x));
    }
  }
  return out;
}

function fnv30(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i));
  return h & 0x3fffffff;
}

const COLLIDING = sameHash(40);
/** 100 names: more than a bucket holds, so the root is a branch. */
const MANY = Array.from({ length: 100 }, (_, i) => `v${i}`);

function build(names: readonly string[]): NameMap<number> {
  return NameMap.of(names.map((n, i) => [n, i] as const));
}

describe('names with one hash', () => {
  it('are 40 different names with one hash (checked with FNV-1a written out here)', () => {
    expect(new Set(COLLIDING).size).toBe(40);
    expect(new Set(COLLIDING.map(fnv30))).toEqual(new Set([fnv30(COLLIDING[0] as string)]));
    expect(fnv30(COLLIDING[0] as string) & 15).toBe(0);
  });

  it('stay apart: two names with one hash are two entries', () => {
    const [a, b] = COLLIDING as [string, string];
    const m = NameMap.empty<string>().set(a, 'A').set(b, 'B');
    expect(m.size).toBe(2);
    expect([m.get(a), m.get(b)]).toEqual(['A', 'B']);
    expect(m.delete(b).get(a)).toBe('A');
    expect(m.delete(b).get(b)).toBeUndefined();
  });

  it('fill a bucket past 32 entries below the last hash bit, and empty it again', () => {
    let m = build(COLLIDING);
    expect(m.size).toBe(40);
    expect(m.keys()).toEqual(COLLIDING);
    expect(COLLIDING.map((n) => m.get(n))).toEqual(COLLIDING.map((_, i) => i));
    // `v1` hashes to another first slot (its low four bits are not 0): a name the branch has no slot for.
    expect(fnv30('v1') & 15).not.toBe(0);
    expect(m.delete('v1')).toBe(m);
    expect(m.get('v1')).toBeUndefined();
    for (const n of COLLIDING.slice(0, 39)) m = m.delete(n);
    expect(m.entries()).toEqual([[COLLIDING[39], 39]]);
    m = m.delete(COLLIDING[39] as string);
    expect(m.size).toBe(0);
    expect(m.entries()).toEqual([]);
    expect(m.set('x', 1).entries()).toEqual([['x', 1]]);
  });
});

describe('branches', () => {
  it('drop a slot whose last entry is deleted and keep the others', () => {
    const full = build(MANY);
    let m = full;
    for (const n of MANY.slice(0, 99)) {
      m = m.delete(n);
      expect(m.get(n)).toBeUndefined();
    }
    expect(m.size).toBe(1);
    expect(m.entries()).toEqual([['v99', 99]]);
    // Every name again, into the emptied branch: each lands and reads back.
    for (const n of MANY) m = m.set(n, 1000);
    expect(m.size).toBe(100);
    expect(MANY.every((n) => m.get(n) === 1000)).toBe(true);
    expect(full.get('v5')).toBe(5);
    expect(full.size).toBe(100);
  });

  it('are copied, never changed, by a delete', () => {
    const full = build(MANY);
    const less = full.delete('v42');
    expect(full.get('v42')).toBe(42);
    expect(full.keys()).toEqual(MANY);
    expect(less.get('v42')).toBeUndefined();
    expect(less.size).toBe(99);
  });

  it('delete everything: the map is empty again', () => {
    let m = build(MANY);
    for (const n of [...MANY].reverse()) m = m.delete(n);
    expect(m.size).toBe(0);
    expect(m.entries()).toEqual([]);
    expect(m.get('v0')).toBeUndefined();
  });
});

describe('no-op updates return the same map', () => {
  it('setting a name to the value it holds, in a bucket and in a branch', () => {
    const small = build(['a', 'b']);
    expect(small.set('b', 1)).toBe(small);
    const big = build(MANY);
    expect(big.set('v7', 7)).toBe(big);
    expect(big.set('v7', 8)).not.toBe(big);
    expect(big.set('v7', 8).get('v7')).toBe(8);
    expect(big.get('v7')).toBe(7);
  });

  it('deleting a name the map does not have, in a bucket and in a branch', () => {
    const big = build(MANY);
    for (const n of ['v100', 'w1', 'x', '']) {
      expect(big.delete(n)).toBe(big);
    }
    expect(big.size).toBe(100);
    const small = build(['a']);
    expect(small.delete('b')).toBe(small);
  });
});

describe('value walks', () => {
  it('values() lists the values in insertion order', () => {
    expect(build(['c', 'a', 'b']).values()).toEqual([0, 1, 2]);
    expect(build(MANY).values()).toEqual(MANY.map((_, i) => i));
    expect(NameMap.empty().values()).toEqual([]);
  });

  it('forEachValue visits every value once, in a bucket and through branches', () => {
    const seen = (m: NameMap<number>) => {
      const out: number[] = [];
      m.forEachValue((v) => out.push(v));
      return out.sort((a, b) => a - b);
    };
    expect(seen(build(['c', 'a', 'b']))).toEqual([0, 1, 2]);
    expect(seen(build(MANY))).toEqual(MANY.map((_, i) => i));
    expect(seen(build(COLLIDING))).toEqual(COLLIDING.map((_, i) => i));
    expect(seen(NameMap.empty())).toEqual([]);
  });

  it('pushValuesReversed pushes the values so that popping them walks forEachValue’s order', () => {
    for (const names of [['c', 'a', 'b'], MANY, COLLIDING]) {
      const m = build(names);
      const order: number[] = [];
      m.forEachValue((v) => order.push(v));
      const stack: number[] = [-1];
      m.pushValuesReversed(stack);
      expect(stack[0]).toBe(-1);
      expect(stack.slice(1).reverse()).toEqual(order);
    }
  });
});
