// Scalar types (language.md §2, runtime.md §1) at their edges: names next to valid ones, bit limits,
// the full text of every refusal, float16 special values and UTF-8 lengths, each worked out by hand.
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  coerceScalar,
  entityKindOfType,
  intRange,
  isIntegerType,
  parseScalarType,
  roundFloat16,
  scalarType,
  signedBits,
  utf8Length,
  type ScalarValue,
} from '../../src/model/types.js';
import { thrown } from '../support/errors.js';

/** Letters a–f that no earlier test used: parsed types are kept for the whole test process, so
 *  only a name never seen before is parsed again (a mutation run shares one process). */
function unseen(): string {
  return `x${randomUUID().replace(/[^a-f]/g, '')}`;
}

/** Code, message and hint of the refusal `fn` throws. */
function refusal(fn: () => unknown): [string, string, string | undefined] {
  const e = thrown(fn);
  return [e.code, e.message, e.diagnostic.hint];
}

describe('type names', () => {
  it('accepts a sized name only when it is the whole name', () => {
    const tail = unseen();
    expect(parseScalarType(`${tail}int8`)).toBeUndefined();
    expect(parseScalarType(`int8${tail}`)).toBeUndefined();
    expect(parseScalarType(`${tail}float32`)).toBeUndefined();
    expect(parseScalarType(`uint16${tail}`)).toBeUndefined();
  });

  it('knows the three keywords and parses a sized name once', () => {
    expect(parseScalarType('string')).toEqual({ name: 'string', family: 'string', bits: 0 });
    expect(parseScalarType('bool')).toEqual({ name: 'bool', family: 'bool', bits: 0 });
    expect(parseScalarType('int')).toEqual({ name: 'int', family: 'bigint', bits: 0 });
    const first = parseScalarType('uint77');
    expect(first).toEqual({ name: 'uint77', family: 'uint', bits: 77 });
    expect(parseScalarType('uint77')).toBe(first);
    expect(intRange(first!)).toBe(intRange(first!));
  });

  it('names what it accepts when a name is not a type', () => {
    expect(refusal(() => scalarType('int0'))).toEqual([
      'MRG3002',
      "'int0' is not a scalar type",
      'Use int, intN/uintN (N in 1..16384), float16..float256, string or bool.',
    ]);
  });

  it('tells integer types from the others', () => {
    const names = ['int', 'int8', 'uint1', 'int16384', 'float64', 'float16', 'string', 'bool'];
    expect(names.map((n) => isIntegerType(scalarType(n)))).toEqual([true, true, true, true, false, false, false, false]);
  });

  it('gives the entity kind of a type without a value', () => {
    expect(['string', 'int32', 'uint8', 'float16', 'bool', 'int'].map((n) => entityKindOfType(scalarType(n)))).toEqual([
      'string',
      'scalar:int32',
      'scalar:uint8',
      'scalar:float16',
      'scalar:bool',
      'scalar:int64',
    ]);
  });
});

describe('integer values', () => {
  it('takes a whole JS number as an integer', () => {
    expect(coerceScalar(scalarType('int32'), 7)).toBe(7n);
    expect(coerceScalar(scalarType('uint8'), 255)).toBe(255n);
    expect(coerceScalar(scalarType('int'), -3)).toBe(-3n);
  });

  it('counts the sign bit: 2^31 takes 33 bits, 2^31 − 1 takes 32, 2^32 takes 34', () => {
    expect([2n ** 31n, 2n ** 31n - 1n, -(2n ** 31n), -(2n ** 31n) - 1n, 0n, -1n].map(signedBits)).toEqual([33, 32, 32, 33, 1, 1]);
    expect([2n ** 32n, 2n ** 32n - 1n, -(2n ** 32n), -(2n ** 32n) - 1n, 2n ** 40n].map(signedBits)).toEqual([34, 33, 33, 34, 42]);
  });

  it('allows an int of exactly 16384 bits and refuses one more', () => {
    // 2^16382 is 1 followed by 16382 zeros: 16383 bits plus the sign bit.
    expect(coerceScalar(scalarType('int'), 1n << 16382n)).toBe(1n << 16382n);
    expect(coerceScalar(scalarType('int'), -(1n << 16383n))).toBe(-(1n << 16383n));
    expect(refusal(() => coerceScalar(scalarType('int'), 1n << 16383n))).toEqual([
      'MRG3013',
      'an int value of 16385 bits exceeds the 16384-bit limit',
      undefined,
    ]);
    expect(thrown(() => coerceScalar(scalarType('int'), -(1n << 16383n) - 1n)).message).toBe('an int value of 16385 bits exceeds the 16384-bit limit');
  });

  it('says which range a value missed', () => {
    expect(refusal(() => coerceScalar(scalarType('int8'), 128n))).toEqual(['MRG3003', '128 does not fit int8 (-128..127)', undefined]);
    expect(thrown(() => coerceScalar(scalarType('uint4'), -1)).message).toBe('-1 does not fit uint4 (0..15)');
  });
});

describe('wrong family', () => {
  const cases: [string, ScalarValue, string][] = [
    ['int32', 1.5, 'an int32 cannot hold a decimal (1.5)'],
    ['int32', 'x', 'an int32 cannot hold a string (x)'],
    ['int8', true, 'an int8 cannot hold a boolean (true)'],
    ['bool', 0n, 'a bool cannot hold an integer (0)'],
    ['string', 2.25, 'a string cannot hold a decimal (2.25)'],
    ['string', false, 'a string cannot hold a boolean (false)'],
    ['float64', 'x', 'a float64 cannot hold a string (x)'],
    ['float16', true, 'a float16 cannot hold a boolean (true)'],
  ];
  it.each(cases)('a %s given %s', (type, value, message) => {
    expect(refusal(() => coerceScalar(scalarType(type), value))).toEqual(['MRG3002', message, undefined]);
  });
});

describe('float values', () => {
  it('refuses a finite value that overflows its width, naming it', () => {
    expect(refusal(() => coerceScalar(scalarType('float16'), 1e6))).toEqual(['MRG3003', '1000000 does not fit float16', undefined]);
    expect(thrown(() => coerceScalar(scalarType('float32'), -1e39)).message).toBe('-1e+39 does not fit float32');
    expect(coerceScalar(scalarType('float16'), -Infinity)).toBe(-Infinity);
  });

  it('rounds float16 overflow to an infinity of the same sign', () => {
    expect([-65520, -65519, 70000, -70000].map(roundFloat16)).toEqual([-Infinity, -65504, Infinity, -Infinity]);
  });

  it('keeps NaN, the infinities and signed zeros', () => {
    expect(roundFloat16(NaN)).toBeNaN();
    expect(roundFloat16(Infinity)).toBe(Infinity);
    expect(roundFloat16(-Infinity)).toBe(-Infinity);
    expect(Object.is(roundFloat16(0), 0)).toBe(true);
    expect(Object.is(roundFloat16(-0), -0)).toBe(true);
  });
});

describe('UTF-8 lengths', () => {
  it('counts bytes, not UTF-16 units', () => {
    // é is 2 bytes, € 3, 😀 4 (two UTF-16 units).
    expect(['', 'a', 'abc', 'é', 'éé', '€', '😀', 'aé'].map(utf8Length)).toEqual([0, 1, 3, 2, 4, 3, 4, 3]);
  });
});
