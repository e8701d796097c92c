// A vectorize's FnCost from canonical byte sizes, each worked out by hand: int32 is 4 bytes, float64
// 8, a bool 1, a string its UTF-8 length, an `int` its minimal two's-complement bytes; a value that
// does not match its column (or has none) is sized as its own type.
import { describe, expect, it } from 'vitest';

import { scalarType, type ColumnSpec, type ScalarType } from '../../src/model/index.js';
import { rowBytes, rowsBytes, vectorizeCost } from '../../src/runtime/vectorize/cost.js';

const col = (type: string): ColumnSpec => ({ name: type, type: scalarType(type) });

describe('rowBytes', () => {
  it('sizes each value by its column type', () => {
    // 4 (int32) + 6 ("héllo": é is 2 bytes) + 1 (bool) + 8 (float64) + 2 (300 needs 10 bits) + 1 (int8) + 2 (uint16) + 2 (float16)
    const cols = ['int32', 'string', 'bool', 'float64', 'int', 'int8', 'uint16', 'float16'].map(col);
    expect(rowBytes(cols, [5n, 'héllo', true, 1.5, 300n, 5n, 7n, 0.5])).toBe(26);
  });

  it('sizes a value that does not fit its column, or has no column, as its own type', () => {
    // 'ab' in int32: 2; 7n in a string column: 1 (4 bits); 2.5 in a bool column: 8; true in float64: 1;
    // 2^70 beyond the columns: 72 bits, 9 bytes.
    expect(rowBytes(['int32', 'string', 'bool', 'float64'].map(col), ['ab', 7n, 2.5, true, 2n ** 70n])).toBe(21);
    // A bigint fits every integer family: uint8 is 1 byte, not the value's own 2 (200 needs 9 bits).
    expect(rowBytes([col('uint8')], [200n])).toBe(1);
    expect(rowBytes([col('string')], ['€'])).toBe(3);
    expect(rowBytes([col('bool')], [false])).toBe(1);
    // Its own size is the UTF-8 length for a string too; an int is no bool (9 bytes, not 1).
    expect(rowBytes([col('int32')], ['é'])).toBe(2);
    expect(rowBytes([col('bool')], [2n ** 70n])).toBe(9);
    expect(rowBytes([col('float32')], [1])).toBe(4);
    // A bool in a string column is a bool (1 byte): a string column takes only strings.
    expect(rowBytes([col('string')], [true])).toBe(1);
    expect(rowBytes([col('string'), col('bool')], [false, 'xyz'])).toBe(4);
    expect(rowBytes([], [])).toBe(0);
  });
});

describe('rowsBytes', () => {
  it('adds the rows up as a bigint', () => {
    expect(rowsBytes([col('int32'), col('string')], [[1n, 'a'], [2n, 'bcd'], [3n, '']])).toBe(4n + 1n + 4n + 3n + 4n);
    expect(rowsBytes([col('int32')], [])).toBe(0n);
  });

  it('stays exact past 2^53 bytes', () => {
    // A column of 8·(10^15 + 1) bits: every row is 10^15 + 1 bytes. Eleven rows are 11,000,000,000,000,011
    // bytes, an odd number above 2^53 that no float64 holds.
    const huge: ScalarType = { name: 'huge', family: 'int', bits: 8 * (1e15 + 1) };
    const rows = Array.from({ length: 11 }, () => [1n]);
    expect(rowsBytes([{ name: 'h', type: huge }], rows)).toBe(11_000_000_000_000_011n);
  });
});

describe('vectorizeCost', () => {
  it('W is the operation count, Q and M the bytes read plus written, R the bytes written', () => {
    expect(vectorizeCost(7n, 100n, 24n).toJSON()).toEqual({ ops: '7', memBytes: '124', peakMem: '124', resultBytes: '24' });
  });
});
