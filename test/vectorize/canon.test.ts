// The memo key's canonical forms, each expected value written out by hand: what canonicalJson keeps
// and drops, the tagged scalar encoding and its strict inverse, and the exact text memoKey hashes
// (so a change to the key material cannot pass unseen: stored results would silently stop matching,
// or worse, match what they should not).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { Pricing, scalarType, SPEC_VERSION } from '../../src/model/index.js';
import { canonicalJson, decodeScalar, encodeScalar, MEMO_FORMAT, memoKey, type KeyMaterial } from '../../src/runtime/vectorize/canon.js';
import type { ShippedClosure } from '../../src/runtime/vectorize/closure.js';
import { BASKET, profile } from '../model/fixtures.js';

describe('canonicalJson', () => {
  it('sorts keys, tags bigints and negative zero, keeps other values as they are', () => {
    expect(canonicalJson({ b: 1, a: [2n, -0, 0, 'x', null, true] })).toBe('{"a":[{"$int":"2"},{"$float":"-0"},0,"x",null,true],"b":1}');
  });

  it('drops spans everywhere and a decimal literal’s spelling, but no other text', () => {
    const span = { line: 1, column: 1 };
    expect(canonicalJson({ kind: 'DecimalLit', text: '1.50', value: 1.5, span })).toBe('{"kind":"DecimalLit","value":1.5}');
    expect(canonicalJson({ kind: 'StringLit', text: 'abc', span })).toBe('{"kind":"StringLit","text":"abc"}');
    expect(canonicalJson({ body: { span, x: 1 } })).toBe('{"body":{"x":1}}');
  });

  it('drops documentation statements from lists, and only those', () => {
    expect(canonicalJson([{ kind: 'Doc', text: 'about f' }, { kind: 'Return' }, [{ kind: 'Doc' }], 3])).toBe('[{"kind":"Return"},[],3]');
  });
});

describe('scalar encoding', () => {
  const cases: [Parameters<typeof encodeScalar>[0], string][] = [
    [5n, 'i5'],
    [-12n, 'i-12'],
    [1.5, 'f1.5'],
    [-0, 'f-0'],
    [0, 'f0'],
    ['ab', 'sab'],
    ['', 's'],
    [true, 'b1'],
    [false, 'b0'],
  ];

  it('tags each type and decodes back to the same value', () => {
    for (const [v, text] of cases) {
      expect(encodeScalar(v)).toBe(text);
      expect(Object.is(decodeScalar(text), v)).toBe(true);
    }
  });

  it('decodes nothing it could not have produced', () => {
    for (const bad of ['', 'i', 'i01', 'i-', 'i1.5', 'i 1', 'f', 'fNaN', 'fInfinity', 'f1e0', 'f0x10', 'f 1', 'b', 'b2', 'b10', 'x1', 5, null]) {
      expect(decodeScalar(bad), String(bad)).toBeNull();
    }
  });
});

describe('memoKey', () => {
  const closure = {
    root: 0,
    fns: [{ id: 7, decl: { kind: 'FunctionDecl', name: 'f', span: { line: 3 } }, membrane: null, env: [] }],
  } as unknown as ShippedClosure;
  const pricing = Pricing.fromCounts(profile('cpython-dev'), BASKET);
  const material: KeyMaterial = {
    closure,
    pricing,
    inColumns: [{ name: 'x', type: scalarType('int32') }, { name: 's', type: scalarType('string') }],
    rows: [[1n, 'ab'], [-2n, '']],
    outColumns: [{ name: 'y', type: scalarType('int32') }],
  };

  it('is the sha256 of the format, spec, pricing, canonical closure, typed rows and output types', () => {
    // The closure without its spans and without the fns' ids (where a callable sits is not what it computes).
    const fn = '{"fns":[{"decl":{"kind":"FunctionDecl","name":"f"},"env":[],"membrane":null}],"root":0}';
    const text =
      `${MEMO_FORMAT}\nspec ${SPEC_VERSION.major}.${SPEC_VERSION.minor}\n` +
      `pricing ${pricing.signature()}\n` +
      `fn ${fn.length}\n${fn}\n` +
      'in int32,string 2\n' +
      // each row: its field count, then each encoded field as :length:text
      '2:2:i1:3:sab\n' +
      '2:3:i-2:1:s\n' +
      'out int32\n';
    expect(memoKey(material)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('no string in a row can make two different inputs hash the same', () => {
    const key = (rows: KeyMaterial['rows']) => memoKey({ ...material, inColumns: [{ name: 's', type: scalarType('string') }], rows });
    const keys = [key([['a:1:sb']]), key([['a', 'b']]), key([['a\n1:1:sb']]), key([['a'], ['b']]), key([])];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('changes with the pricing, the output types and the closure, not with spans', () => {
    const base = memoKey(material);
    expect(memoKey({ ...material, pricing: Pricing.fromCounts(profile('jvm'), BASKET) })).not.toBe(base);
    expect(memoKey({ ...material, outColumns: [{ name: 'y', type: scalarType('int64') }] })).not.toBe(base);
    const moved = { root: 0, fns: [{ ...closure.fns[0]!, decl: { kind: 'FunctionDecl', name: 'f', span: { line: 9 } } }] } as unknown as ShippedClosure;
    expect(memoKey({ ...material, closure: moved })).toBe(base);
    const renamed = { root: 0, fns: [{ ...closure.fns[0]!, decl: { kind: 'FunctionDecl', name: 'g' } }] } as unknown as ShippedClosure;
    expect(memoKey({ ...material, closure: renamed })).not.toBe(base);
  });
});
