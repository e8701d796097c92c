import { describe, expect, it } from 'vitest';

import {
  canonicalBytes,
  coerceScalar,
  entityKindOf,
  entityKindOfType,
  intRange,
  minimalIntBytes,
  parseScalarType,
  roundFloat16,
  scalarType,
} from '../../src/model/index.js';
import { codeOf } from '../support/errors.js';

describe('scalar type names', () => {
  it('accepts int, intN/uintN for N in 1..16384, the five floats, string and bool', () => {
    for (const n of ['int', 'int1', 'int32', 'uint7', 'int16384', 'uint16384', 'float16', 'float256', 'string', 'bool']) {
      expect(parseScalarType(n)?.name).toBe(n);
    }
    expect(parseScalarType('int2048')).toEqual({ name: 'int2048', family: 'int', bits: 2048 });
    expect(parseScalarType('uint8')).toEqual({ name: 'uint8', family: 'uint', bits: 8 });
  });

  it('rejects everything else', () => {
    for (const n of ['int0', 'int16385', 'int032', 'uint', 'float8', 'float', 'float512', 'dag', 'Int32', '__proto__', '']) {
      expect(parseScalarType(n)).toBeUndefined();
    }
    expect(codeOf(() => scalarType('int0'))).toBe('MRG3002');
  });
});

describe('integer ranges', () => {
  it('gives two\'s-complement bounds for intN and 0..2^N-1 for uintN', () => {
    expect(intRange(scalarType('int8'))).toEqual({ min: -128n, max: 127n });
    expect(intRange(scalarType('int1'))).toEqual({ min: -1n, max: 0n });
    expect(intRange(scalarType('uint16'))).toEqual({ min: 0n, max: 65535n });
    expect(intRange(scalarType('int'))).toBeUndefined();
  });

  it('range-checks at the exact bounds and never wraps', () => {
    const i8 = scalarType('int8');
    expect(coerceScalar(i8, 127n)).toBe(127n);
    expect(coerceScalar(i8, -128n)).toBe(-128n);
    expect(codeOf(() => coerceScalar(i8, 128n))).toBe('MRG3003');
    expect(codeOf(() => coerceScalar(i8, -129n))).toBe('MRG3003');
    expect(codeOf(() => coerceScalar(scalarType('uint64'), -1n))).toBe('MRG3003');
    expect(coerceScalar(scalarType('int'), 1n << 1000n)).toBe(1n << 1000n);
    expect(codeOf(() => coerceScalar(scalarType('int'), 1n << 16384n))).toBe('MRG3013');
  });

  it('refuses the wrong family with a type_error', () => {
    expect(codeOf(() => coerceScalar(scalarType('int32'), 'x'))).toBe('MRG3002');
    expect(codeOf(() => coerceScalar(scalarType('int32'), 1.5))).toBe('MRG3002');
    expect(codeOf(() => coerceScalar(scalarType('string'), 1n))).toBe('MRG3002');
    expect(codeOf(() => coerceScalar(scalarType('bool'), 0n))).toBe('MRG3002');
  });
});

describe('floats', () => {
  it('rounds float16 half to even like IEEE binary16', () => {
    expect(roundFloat16(1)).toBe(1);
    expect(roundFloat16(65504)).toBe(65504);
    expect(roundFloat16(65519)).toBe(65504);
    expect(roundFloat16(65520)).toBe(Infinity);
    expect(roundFloat16(1 + 2 ** -11)).toBe(1); // tie → even
    expect(roundFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // tie → even (up)
    expect(roundFloat16(2 ** -24)).toBe(2 ** -24); // smallest subnormal
    expect(roundFloat16(2 ** -26)).toBe(0);
    expect(roundFloat16(-3.14159)).toBe(-3.140625);
  });

  it('stores float32 as Math.fround and refuses overflow into a narrower float', () => {
    expect(coerceScalar(scalarType('float32'), 0.1)).toBe(Math.fround(0.1));
    expect(coerceScalar(scalarType('float256'), 0.1)).toBe(0.1);
    expect(codeOf(() => coerceScalar(scalarType('float16'), 1e6))).toBe('MRG3003');
    expect(coerceScalar(scalarType('float64'), 3n)).toBe(3);
  });
});

describe('entity kinds and canonical sizes', () => {
  it('names the entity kind of sized scalars by type, strings as string', () => {
    expect(entityKindOf(scalarType('int32'), 5n)).toBe('scalar:int32');
    expect(entityKindOf(scalarType('float256'), 1)).toBe('scalar:float256');
    expect(entityKindOf(scalarType('string'), 'abc')).toBe('string');
    expect(entityKindOf(scalarType('bool'), true)).toBe('scalar:bool');
  });

  it('counts an unbounded int as the intN of its minimal bytes', () => {
    expect(entityKindOf(scalarType('int'), 5n)).toBe('scalar:int8');
    expect(entityKindOf(scalarType('int'), 128n)).toBe('scalar:int16');
    expect(entityKindOf(scalarType('int'), -128n)).toBe('scalar:int8');
    expect(entityKindOf(scalarType('int'), 1n << 100n)).toBe('scalar:int104');
    expect(entityKindOfType(scalarType('int'))).toBe('scalar:int64');
  });

  it('gives runtime.md canonical bytes', () => {
    expect(canonicalBytes(scalarType('int32'), 1n)).toBe(4);
    expect(canonicalBytes(scalarType('int2048'), 1n)).toBe(256);
    expect(canonicalBytes(scalarType('uint1'), 1n)).toBe(1);
    expect(canonicalBytes(scalarType('float64'), 1)).toBe(8);
    expect(canonicalBytes(scalarType('float16'), 1)).toBe(2);
    expect(canonicalBytes(scalarType('bool'), true)).toBe(1);
    expect(canonicalBytes(scalarType('string'), 'héllo')).toBe(6);
    expect(canonicalBytes(scalarType('int'), 0n)).toBe(1);
    expect(canonicalBytes(scalarType('int'), 255n)).toBe(2);
    expect(minimalIntBytes(-1n)).toBe(1);
    expect(minimalIntBytes(1n << 63n)).toBe(9);
  });
});
