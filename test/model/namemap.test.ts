import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { NameMap } from '../../src/model/index.js';
import { runs } from '../support/properties.js';

describe('NameMap (persistent hash trie)', () => {
  it('is persistent: old versions never change', () => {
    const a = NameMap.empty<number>().set('x', 1);
    const b = a.set('y', 2);
    const c = b.set('x', 3).delete('y');
    expect(a.entries()).toEqual([['x', 1]]);
    expect(b.entries()).toEqual([['x', 1], ['y', 2]]);
    expect(c.entries()).toEqual([['x', 3]]);
    expect(c.delete('nope')).toBe(c);
  });

  it('keeps names like __proto__ and constructor as plain keys', () => {
    const m = NameMap.of([['__proto__', 1], ['constructor', 2], ['toString', 3]]);
    expect(m.get('__proto__')).toBe(1);
    expect(m.get('constructor')).toBe(2);
    expect(m.get('hasOwnProperty')).toBeUndefined();
    expect(m.size).toBe(3);
  });

  it('keeps insertion order past the bucket size, through splits and deletes', () => {
    let m = NameMap.empty<number>();
    const names = Array.from({ length: 5000 }, (_, i) => `n${(i * 7919) % 5000}`);
    names.forEach((n, i) => (m = m.set(n, i)));
    expect(m.size).toBe(5000);
    expect(m.keys()).toEqual(names);
    for (let i = 0; i < 5000; i += 2) m = m.delete(names[i] as string);
    expect(m.keys()).toEqual(names.filter((_, i) => i % 2 === 1));
    expect(m.get(names[1] as string)).toBe(1);
    expect(m.get(names[0] as string)).toBeUndefined();
  });

  it('agrees with a Map under random operations', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 300 }), (ops) => {
        let m = NameMap.empty<number>();
        const ref = new Map<string, number>();
        for (const [del, k, v] of ops) {
          if (del) {
            m = m.delete(k);
            ref.delete(k);
          } else {
            m = m.set(k, v);
            ref.set(k, v);
          }
        }
        expect(m.size).toBe(ref.size);
        expect(m.entries()).toEqual([...ref.entries()]);
      }),
      { numRuns: runs(300) },
    );
  });
});
