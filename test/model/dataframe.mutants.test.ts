// The columnar store on its own (src/model/dataframe.ts): the storage each column type gets, values
// read back at the edges of every width and past the first growth of the arrays, the fixed-price cache,
// payment segments, marks, tallies, bounds and copies. Prices are the unit profile's (1 byte = 1
// milli-point): a row 50, an int32 250, a bool 1, any other int up to 64 bits 10, a string 100 + its
// UTF-8 length; a copy-on-mutate membrane adds 7 per entity and 1 per string byte, a quota membrane
// nothing. Every expected value below is worked out by hand.
import { describe, expect, it } from 'vitest';

import { Dataframe, type ColumnSpec } from '../../src/model/dataframe.js';
import { kindId } from '../../src/model/kinds.js';
import { Pricing } from '../../src/model/rampoints.js';
import { scalarType, type ScalarValue } from '../../src/model/types.js';
import { work } from '../../src/model/work.js';
import { unitProfile, UNIT_BASKET, unitWorld } from '../../src/testing/unit-world.js';
import { refusedUnchanged, thrown } from '../support/errors.js';

const pricing = Pricing.fromCounts(unitProfile(), UNIT_BASKET);

/** Columns from `'type name'` strings. */
function cols(...decls: string[]): ColumnSpec[] {
  return decls.map((d) => {
    const [type, name] = d.split(' ') as [string, string];
    return { name, type: scalarType(type) };
  });
}

/** A dataframe holding `rows` (coerced and pushed, no accounting). */
function frame(columns: ColumnSpec[], rows: ScalarValue[][]): Dataframe {
  const df = new Dataframe(columns);
  for (const r of rows) df.pushRow(df.coerceRow(r));
  return df;
}

function allRows(df: Dataframe): ScalarValue[][] {
  return Array.from({ length: df.rows }, (_, i) => df.row(i));
}

/**
 * What a column is stored in: the typed array's class, the list of boxed values, the string lengths.
 * White-box on purpose: the layout is the point of the class (a million int32 cells are 4 MB in an
 * Int32Array, not a million boxed bigints) and no value read back can tell the layouts apart.
 */
function storage(df: Dataframe, j: number): { typed: string | null; list: unknown[] | null; lens: string | null } {
  const c = (df as unknown as { cols: { typed: object | null; list: unknown[] | null; lens: object | null }[] }).cols[j];
  if (c === undefined) throw new Error(`no column ${j}`);
  return { typed: c.typed?.constructor.name ?? null, list: c.list, lens: c.lens?.constructor.name ?? null };
}

describe('column storage', () => {
  it('puts bools, floats and integers that fit a double exactly into typed arrays, the rest into a list', () => {
    // [type, typed array, list?]: ints of ≤ 32 bits in (U)Int32Array, 33…53 bits in Float64Array (exact
    // below 2^53), wider ones and `int` as bigints in a list; strings in a list beside their lengths.
    const table: [string, string | null][] = [
      ['bool', 'Uint8Array'],
      ['float16', 'Float64Array'],
      ['float64', 'Float64Array'],
      ['float256', 'Float64Array'],
      ['int8', 'Int32Array'],
      ['int32', 'Int32Array'],
      ['int33', 'Float64Array'],
      ['int53', 'Float64Array'],
      ['int54', null],
      ['int64', null],
      ['uint8', 'Uint32Array'],
      ['uint32', 'Uint32Array'],
      ['uint33', 'Float64Array'],
      ['uint53', 'Float64Array'],
      ['uint54', null],
      ['uint64', null],
      ['int', null],
      ['string', null],
    ];
    const df = new Dataframe(cols(...table.map(([t], i) => `${t} c${i}`)));
    const got = table.map((_, j) => storage(df, j));
    expect(got).toEqual(table.map(([t, typed]) => ({ typed, list: typed === null ? [] : null, lens: t === 'string' ? 'Int32Array' : null })));
  });

  it('reads back the extremes of every integer width, both bools and rounded floats', () => {
    const types = ['bool', 'int8', 'int32', 'int33', 'int53', 'int54', 'int64', 'uint8', 'uint32', 'uint33', 'uint53', 'uint54', 'uint64', 'int', 'float16', 'float32', 'float64'];
    const lo: ScalarValue[] = [false, -128n, -2147483648n, -4294967296n, -4503599627370496n, -9007199254740992n, -9223372036854775808n, 0n, 0n, 0n, 0n, 0n, 0n, -(1n << 300n), -0.1, -0.1, -0.1];
    const hi: ScalarValue[] = [true, 127n, 2147483647n, 4294967295n, 4503599627370495n, 9007199254740991n, 9223372036854775807n, 255n, 4294967295n, 8589934591n, 9007199254740991n, 18014398509481983n, 18446744073709551615n, 1n << 300n, 0.1, 0.1, 0.1];
    const df = frame(cols(...types.map((t, i) => `${t} c${i}`)), [lo, hi, hi.map((v) => (typeof v === 'boolean' ? false : v))]);
    // float16(0.1) = 1638/16384 = 0.0999755859375; float32(0.1) = 13421773/2^27 = 0.100000001490116119384765625
    const f16 = 0.0999755859375;
    const f32 = 0.100000001490116119384765625;
    expect(allRows(df)).toEqual([
      [...lo.slice(0, 14), -f16, -f32, -0.1],
      [...hi.slice(0, 14), f16, f32, 0.1],
      [false, ...hi.slice(1, 14), f16, f32, 0.1],
    ]);
    expect(df.value(0, 0)).toBe(false);
    expect(df.value(1, 0)).toBe(true);
  });

  it('keeps every value when the arrays grow past their first 8 cells', () => {
    const rows = Array.from({ length: 20 }, (_, i): ScalarValue[] => [BigInt(i * 1000 - 7), i % 3 === 0, `r${i}`, BigInt(i) << 40n]);
    const df = frame(cols('int32 n', 'bool b', 'string s', 'int64 w'), rows);
    expect(df.rows).toBe(20);
    expect(allRows(df)).toEqual(rows);
    // The string lengths grow too: r0…r9 are 2 bytes, r10…r19 are 3.
    const t = df.tally(pricing, 0, 20, 0, 0);
    expect(t.stringLens).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(t.stringBytes).toBe(50);
  });

  it('lets go of the values of rows undone by restore', () => {
    const df = frame(cols('string s', 'int n'), [['a', 1n]]);
    const m = df.mark();
    df.pushRow(df.coerceRow(['b', 2n]));
    df.pushRow(df.coerceRow(['c', 3n]));
    df.restore(m);
    expect(df.rows).toBe(1);
    expect(storage(df, 0).list).toEqual(['a']);
    expect(storage(df, 1).list).toEqual([1n]);
    df.pushRow(df.coerceRow(['d', 4n]));
    expect(allRows(df)).toEqual([
      ['a', 1n],
      ['d', 4n],
    ]);
  });
});

describe('Dataframe', () => {
  it('starts unfrozen, empty, with a kind per fixed-size column and -1 where the value decides', () => {
    const df = new Dataframe(cols('string s', 'int32 n', 'int k', 'bool b', 'float64 f'));
    expect(df.frozen).toBe(false);
    expect(df.rows).toBe(0);
    expect(df.segments).toEqual([]);
    expect(df.colKinds).toEqual([-1, kindId('scalar:int32'), -1, kindId('scalar:bool'), kindId('scalar:float64')]);
  });

  it('refuses a column name declared twice, with the name, and changes nothing', () => {
    expect(thrown(() => new Dataframe(cols('int32 a', 'string b', 'bool a'))).diagnostic).toMatchObject({ code: 'MRG3001', message: "dataframe column 'a' is declared twice" });
    const mem = unitWorld();
    refusedUnchanged(mem, 'MRG3001', () => mem.declareDataframe(mem.root, ['df'], [
      { name: 'x', type: 'int32' },
      { name: 'x', type: 'int32' },
    ]));
    expect(mem.has(mem.root, ['df'])).toBe(false);
  });

  it('names every column when a row has the wrong number of values', () => {
    const df = new Dataframe(cols('string id', 'int32 startval', 'int32 endval'));
    expect(thrown(() => df.coerceRow(['a', 1n])).diagnostic).toMatchObject({
      code: 'MRG3002',
      message: 'a row of this dataframe has 3 values (string id, int32 startval, int32 endval), got 2',
    });
    expect(thrown(() => new Dataframe(cols('bool b')).coerceRow([true, false])).message).toBe('a row of this dataframe has 1 value (bool b), got 2');
  });

  it('returns a new array per coerced row, or one reused scratch array when asked', () => {
    const df = new Dataframe(cols('string s', 'float16 f'));
    const a = df.coerceRow(['x', 0.1]);
    const b = df.coerceRow(['y', 1]);
    expect(a).toEqual(['x', 0.0999755859375]);
    expect(b).toEqual(['y', 1]);
    const s1 = df.coerceRow(['p', 2], true);
    const s2 = df.coerceRow(['q', 3], true);
    expect(s2).toBe(s1);
    expect(s2).toEqual(['q', 3]);
    // a dataframe without columns: the scratch row is empty
    expect(new Dataframe([]).coerceRow([], true)).toEqual([]);
  });

  it('prices the fixed part of a row once per membrane chain', () => {
    const df = new Dataframe(cols('string s', 'int32 n', 'int k', 'bool b'));
    const plain = df.fixedPrice(pricing, 0, 0);
    expect(plain).toEqual({ total: 50 + 250 + 1, each: [0, 250, 0, 1] });
    // through one copy-on-mutate membrane: every entity + 7
    expect(df.fixedPrice(pricing, 0, 1)).toEqual({ total: 57 + 257 + 8, each: [0, 257, 0, 8] });
    // through one quota membrane: no extras
    expect(df.fixedPrice(pricing, 1, 0)).toEqual({ total: 301, each: [0, 250, 0, 1] });
    expect(df.fixedPrice(pricing, 0, 0)).toBe(plain);
  });

  it('prices a whole row: the fixed part plus each string by length and each int by its value', () => {
    const df = new Dataframe(cols('string s', 'int32 n', 'int k'));
    // 50 + 250 + (100 + 6) for 'héllo' (é is 2 bytes) + 10 for an int of 6 bytes
    expect(df.rowPrice(pricing, df.coerceRow(['héllo', 1n, 1n << 40n]), 0, 0)).toBe(416);
    // an int of 2^64 needs 66 signed bits: 9 bytes, scalar:int72, 20 + ⌈72/64⌉·8 = 36
    expect(df.rowPrice(pricing, df.coerceRow(['', 1n, 1n << 64n]), 0, 0)).toBe(50 + 250 + 100 + 36);
  });

  it('merges a row into the last payment record only for the same payer, chain and the very next row', () => {
    const df = new Dataframe(cols('int32 n'));
    const add = (by: number, q: number, c: number, mp: number) => {
      df.pushRow([1n]);
      df.payLastRow(by, q, c, mp);
    };
    add(5, 1, 0, 300);
    add(5, 1, 0, 300); // same: merged
    add(6, 1, 0, 300); // another payer
    add(6, 2, 0, 300); // another quota count
    add(6, 2, 1, 307); // another copy-on-mutate count
    df.pushRow([1n]); // row 5 is not paid here
    df.pushRow([1n]);
    df.payLastRow(6, 2, 1, 307); // row 6: same chain, but not next to row 4
    expect(df.segments).toEqual([
      { by: 5, q: 1, c: 0, start: 0, end: 2, mp: 600 },
      { by: 6, q: 1, c: 0, start: 2, end: 3, mp: 300 },
      { by: 6, q: 2, c: 0, start: 3, end: 4, mp: 300 },
      { by: 6, q: 2, c: 1, start: 4, end: 5, mp: 307 },
      { by: 6, q: 2, c: 1, start: 6, end: 7, mp: 307 },
    ]);
  });

  it('refuses a cell outside the rows or the columns, with the sizes', () => {
    const df = frame(cols('int32 a', 'bool b'), [
      [1n, true],
      [2n, false],
    ]);
    expect(df.value(1, 1)).toBe(false);
    expect(df.value(0, 0)).toBe(1n);
    const err = (row: number, col: number) => thrown(() => df.value(row, col)).diagnostic;
    for (const [row, col] of [
      [-1, 0],
      [2, 0],
      [0, -1],
      [0, 2],
    ] as const) {
      expect(err(row, col)).toMatchObject({ code: 'MRG3003', message: `no cell at row ${row}, column ${col} (the dataframe has 2 rows, 2 columns)` });
    }
  });

  it('tallies rows by kind: the row entity, fixed columns at once, strings by length and ints by value', () => {
    const df = frame(cols('string s', 'int32 n', 'int k', 'bool b'), [
      ['ab', 1n, 1n, true],
      ['héllo', 2n, 1n << 40n, false],
    ]);
    const [ROW, STR, I32, I8, I48, BOOL] = ['row', 'string', 'scalar:int32', 'scalar:int8', 'scalar:int48', 'scalar:bool'].map(kindId) as number[];
    const before = work.units;
    const t = df.tally(pricing, 0, 2, 0, 0);
    expect(work.units - before).toBe(2);
    expect(t.count).toEqual(new Map([[ROW, 2], [STR, 2], [I32, 2], [I8, 1], [I48, 1], [BOOL, 2]]));
    expect(t.mp).toEqual(new Map([[ROW, 100], [STR, 102 + 106], [I32, 500], [I8, 10], [I48, 10], [BOOL, 2]]));
    expect([t.total, t.stringBytes, t.stringLens]).toEqual([830, 8, [2, 6]]);
    // through a copy-on-mutate membrane: + 7 per entity and + 1 per string byte
    const c = df.tally(pricing, 0, 2, 0, 1);
    expect(c.mp).toEqual(new Map([[ROW, 114], [STR, 111 + 119], [I32, 514], [I8, 17], [I48, 17], [BOOL, 16]]));
    expect([c.total, c.stringBytes]).toEqual([908, 8]);
    // the second row alone
    const one = df.tally(pricing, 1, 2, 0, 0);
    expect(one.count).toEqual(new Map([[ROW, 1], [STR, 1], [I32, 1], [I48, 1], [BOOL, 1]]));
    expect([one.total, one.stringLens]).toEqual([50 + 106 + 250 + 10 + 1, [6]]);
  });

  it('tallies nothing, and counts no work, for an empty or reversed range', () => {
    const df = frame(cols('int32 n'), [[1n], [2n]]);
    const before = work.units;
    for (const [s, e] of [
      [1, 1],
      [2, 1],
    ] as const) {
      expect(df.tally(pricing, s, e, 0, 0)).toEqual({ count: new Map(), mp: new Map(), stringBytes: 0, stringLens: [], total: 0 });
    }
    expect(work.units).toBe(before);
  });
});

describe('Dataframe.copy', () => {
  const COLS = cols('string s', 'int32 n', 'int64 w', 'bool b');
  const rows = Array.from({ length: 12 }, (_, i): ScalarValue[] => [`é${i}`, BigInt(i), BigInt(i) << 50n, i % 2 === 1]);

  it('copies every row (past the first 8) into a new, unfrozen dataframe with every row unpaid', () => {
    const src = frame(COLS, rows);
    src.pushRow(src.coerceRow(['x', 0n, 0n, false]));
    src.payLastRow(3, 1, 0, 411);
    src.frozen = true;
    const d = src.copy();
    expect(d).not.toBe(src);
    expect(d.frozen).toBe(false);
    expect(d.rows).toBe(13);
    expect(allRows(d)).toEqual([...rows, ['x', 0n, 0n, false]]);
    expect(d.segments).toEqual([{ by: -1, q: 0, c: 0, start: 0, end: 13, mp: 0 }]);
    expect(d.columns).toEqual(COLS);
    // the string lengths come along: é0…é9 are 3 bytes, é10, é11 are 4, 'x' is 1
    expect(d.tally(pricing, 0, 13, 0, 0).stringLens).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 1]);
  });

  it('shares no storage with the original: rows appended to either stay their own', () => {
    const src = frame(COLS, rows);
    const d = src.copy();
    src.pushRow(src.coerceRow(['original', 100n, 1n, true]));
    d.pushRow(d.coerceRow(['copy', 200n, 2n, false]));
    expect(src.row(12)).toEqual(['original', 100n, 1n, true]);
    expect(d.row(12)).toEqual(['copy', 200n, 2n, false]);
    expect(d.tally(pricing, 12, 13, 0, 0).stringLens).toEqual([4]);
    expect(src.tally(pricing, 12, 13, 0, 0).stringLens).toEqual([8]);
  });

  it('copies an empty dataframe with no payment record at all', () => {
    const d = new Dataframe(COLS).copy();
    expect([d.rows, d.segments]).toEqual([0, []]);
    d.pushRow(d.coerceRow(['a', 1n, 2n, true]));
    expect(d.row(0)).toEqual(['a', 1n, 2n, true]);
  });
});
