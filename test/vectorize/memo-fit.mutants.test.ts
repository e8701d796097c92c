// Rows from a store checked against outDf's columns (memo/fit.ts): the first row that does not fit,
// and why, in full.
import { describe, expect, it } from 'vitest';

import { scalarType, type ColumnSpec } from '../../src/model/index.js';
import { firstMisfit } from '../../src/runtime/vectorize/memo/fit.js';

const col = (name: string, type: string): ColumnSpec => ({ name, type: scalarType(type) });
const AS = [col('a', 'int8'), col('s', 'string')];

describe('firstMisfit', () => {
  it('is null when every row fits, and for no rows', () => {
    expect(firstMisfit(AS, [[1n, 'x'], [-128n, '']])).toBeNull();
    expect(firstMisfit(AS, [])).toBeNull();
    expect(firstMisfit([], [[]])).toBeNull();
  });

  it('names the first row with the wrong number of values', () => {
    expect(firstMisfit(AS, [[1n, 'x'], [1n], [999n, 'z']])).toBe('its row 2 has 1 value for 2 columns');
    expect(firstMisfit([col('s', 'string')], [['a', 'b']])).toBe('its row 1 has 2 values for 1 column');
    expect(firstMisfit([col('s', 'string')], [[]])).toBe('its row 1 has 0 values for 1 column');
  });

  it('names the first value its column refuses, with the column’s reason', () => {
    expect(firstMisfit(AS, [[1n, 'x'], [300n, 'y']])).toBe('its row 2 does not fit column a (300 does not fit int8 (-128..127))');
    expect(firstMisfit(AS, [[1n, 5n]])).toBe('its row 1 does not fit column s (a string cannot hold an integer (5))');
    expect(firstMisfit([col('b', 'bool')], [[true], [1n]])).toBe('its row 2 does not fit column b (a bool cannot hold an integer (1))');
    expect(firstMisfit([col('f', 'float32')], [[1e39]])).toBe('its row 1 does not fit column f (1e+39 does not fit float32)');
  });

  it('a failure that is not a language error is not a misfit: it propagates', () => {
    // A column type no parser makes (0.5 bits): checking it fails inside BigInt, a bug, not a refusal.
    const broken: ColumnSpec = { name: 'x', type: { name: 'int0.5', family: 'int', bits: 0.5 } };
    expect(() => firstMisfit([broken], [[1n]])).toThrow(RangeError);
  });
});
