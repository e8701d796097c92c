// Operators and fitting called directly (arith.ts): exact results and error texts worked out by hand
// from language.md §4 (integers never wrap, range_error; floats in float64, rounded to the width).
import { afterEach, describe, expect, it } from 'vitest';
import type { BinaryOp, Span } from '../../src/ast/types.js';
import { MergeError } from '../../src/diagnostics.js';
import { binary, fit, formatFloat, negate, not, roundFloat, truthy } from '../../src/runtime/arith.js';
import { watchClock } from '../../src/runtime/limits.js';
import { BOOL, DAG, INT, STRING, typeByName, type FloatType, type TypeDesc } from '../../src/runtime/types.js';
import { ENDL, NOTHING, type Value } from '../../src/runtime/values.js';
import { thrown } from '../support/errors.js';

const at: Span = { file: 't.merge', line: 1, column: 1, endLine: 1, endColumn: 2 };
const LIMIT = 1n << 16383n;
const t = (name: string): TypeDesc => typeByName(name) as TypeDesc;

function failure(f: () => unknown): { code: string; message: string } {
  const e = thrown(f);
  return { code: e.code, message: e.message };
}

describe('binary: results', () => {
  it.each<[BinaryOp, Value, Value, Value]>([
    ['+', 2n, 3n, 5n],
    ['-', 2n, 3n, -1n],
    ['*', -4n, 3n, -12n],
    ['/', 7n, 2n, 3n],
    ['%', 7n, 3n, 1n],
    ['%', 8n, 4n, 0n],
    ['+', LIMIT - 2n, 1n, LIMIT - 1n],
    ['-', -LIMIT + 1n, 1n, -LIMIT],
    ['+', 1n, 0.5, 1.5],
    ['+', 0.5, 1n, 1.5],
    ['-', 1.5, 0, 1.5],
    ['-', 1.5, 0.25, 1.25],
    ['*', 1.5, 2, 3],
    ['*', 1.5, 0, 0],
    ['*', 3n, 0.5, 1.5],
    ['/', 3, 2, 1.5],
    ['/', 3n, 2.0, 1.5],
    ['%', 7.5, 2, 1.5],
    ['%', 7n, 2.5, 2],
    ['+', 'ab', 'cd', 'abcd'],
    ['<', 1n, 2n, true],
    ['<', 2n, 2n, false],
    ['<', 3n, 2n, false],
    ['<=', 1n, 2n, true],
    ['<=', 2n, 2n, true],
    ['<=', 3n, 2n, false],
    ['>', 1n, 2n, false],
    ['>', 2n, 2n, false],
    ['>', 3n, 2n, true],
    ['>=', 1n, 2n, false],
    ['>=', 2n, 2n, true],
    ['>=', 3n, 2n, true],
    ['<', 1n, 1.5, true],
    ['>=', 2.5, 2n, true],
    ['<', 'ab', 'b', true],
    ['>', 'ab', 'b', false],
    ['==', 1n, 1.0, true],
    ['==', 1.0, 1n, true],
    ['==', 1n, 2n, false],
    ['==', 2n, 2n, true],
    ['==', 1n, 1.5, false],
    ['==', 2n ** 60n + 1n, 2n ** 60n, false],
    ['!=', 1n, 1.0, false],
    ['!=', 'a', 'b', true],
    ['==', true, true, true],
    ['&&', true, true, true],
    ['&&', true, false, false],
    ['&&', false, true, false],
    ['||', false, false, false],
    ['||', false, true, true],
    ['||', true, false, true],
  ])('%s of %s and %s is %s', (op, a, b, expected) => {
    expect(binary(op, a, b, at)).toBe(expected);
  });

  it('negative integer remainder takes the sign of the dividend', () => {
    expect(binary('%', -7n, 3n, at)).toBe(-1n);
  });
});

describe('binary: errors', () => {
  it.each<[BinaryOp, Value, Value, string, string]>([
    ['+', LIMIT - 1n, 1n, 'MRG3013', 'integer result needs more than 16384 bits'],
    ['-', -LIMIT, 1n, 'MRG3013', 'integer result needs more than 16384 bits'],
    ['*', LIMIT, 2n, 'MRG3013', 'integer result needs more than 16384 bits'],
    ['/', -LIMIT, -1n, 'MRG3013', 'integer result needs more than 16384 bits'],
    ['/', 1n, 0n, 'MRG3003', 'integer division by zero'],
    ['%', 1n, 0n, 'MRG3003', 'integer remainder by zero'],
    ['/', 1.5, 0, 'MRG3003', 'float division by zero'],
    ['/', 1n, 0.0, 'MRG3003', 'float division by zero'],
    ['%', 1.5, 0, 'MRG3003', 'float remainder by zero'],
    ['*', 1e308, 10, 'MRG3003', "float result of '*' is infinite"],
    ['+', 1e308, 1e308, 'MRG3003', "float result of '+' is infinite"],
    ['-', Infinity, Infinity, 'MRG3003', "float result of '-' is not a number"],
    ['+', 1n, 'a', 'MRG3002', "'+' cannot combine an integer and a string"],
    ['+', 1.5, 'x', 'MRG3002', "'+' cannot combine a float and a string"],
    ['-', 'a', 'b', 'MRG3002', "'-' cannot combine a string and a string"],
    ['+', 'a', true, 'MRG3002', "'+' cannot combine a string and a bool"],
    ['+', true, 'a', 'MRG3002', "'+' cannot combine a bool and a string"],
    ['<', true, false, 'MRG3002', "'<' cannot combine a bool and a bool"],
    ['<', 1n, 'a', 'MRG3002', "'<' cannot combine an integer and a string"],
    ['<', 'a', 1n, 'MRG3002', "'<' cannot combine a string and an integer"],
    ['==', 1n, 'a', 'MRG3002', "'==' cannot combine an integer and a string"],
    ['!=', 'a', 1n, 'MRG3002', "'==' cannot combine a string and an integer"],
    ['==', true, 1n, 'MRG3002', "'==' cannot combine a bool and an integer"],
    ['==', ENDL, NOTHING, 'MRG3002', "'==' cannot combine endl and nothing (the call returned no value)"],
    ['&&', true, 1n, 'MRG3002', "'&&' cannot combine a bool and an integer"],
    ['&&', 1n, true, 'MRG3002', "'&&' cannot combine an integer and a bool"],
    ['||', false, 'a', 'MRG3002', "'||' cannot combine a bool and a string"],
    ['||', 'a', false, 'MRG3002', "'||' cannot combine a string and a bool"],
  ])('%s of %s and %s: %s %s', (op, a, b, code, message) => {
    expect(failure(() => binary(op, a, b, at))).toEqual({ code, message });
  });

  it('a string may reach 2^24 characters, not more', () => {
    const big = 'x'.repeat((1 << 24) - 1);
    expect((binary('+', big, 'y', at) as string).length).toBe(1 << 24);
    expect(failure(() => binary('+', big, 'yz', at))).toEqual({ code: 'MRG3003', message: 'string result longer than 16777216 characters' });
  });
});

describe('equality of reference values', () => {
  const err = (name: string) => ({ tag: 'error', name, error: new MergeError({ code: 'MRG3003', severity: 'error', message: name }) }) as unknown as Value;
  const type = (name: string) => ({ tag: 'type', type: t(name) }) as Value;

  it.each<[string, Value, Value, boolean]>([
    ['errors of one name', err('range_error'), err('range_error'), true],
    ['errors of two names', err('range_error'), err('type_error'), false],
    ['one type twice', type('int32'), type('int32'), true],
    ['two types', type('int32'), type('int64'), false],
    ['endl and endl', ENDL, ENDL, true],
    ['two distinct lists', { tag: 'list', items: [] }, { tag: 'list', items: [] }, false],
  ])('%s', (_, a, b, expected) => {
    expect(binary('==', a, b, at)).toBe(expected);
    expect(binary('!=', a, b, at)).toBe(!expected);
  });

  it('an error and a type cannot be compared', () => {
    expect(failure(() => binary('==', err('range_error'), type('int32'), at))).toEqual({
      code: 'MRG3002',
      message: "'==' cannot combine an error and a type",
    });
  });
});

describe('long strings look at the clock', () => {
  afterEach(() => watchClock(null));
  it.each<[number, number, number]>([
    [65535, 1, 1],
    [65534, 1, 0],
    [3, 2, 0],
  ])('%i + %i characters: %i look(s)', (la, lb, looks) => {
    let n = 0;
    watchClock(() => n++);
    binary('+', 'a'.repeat(la), 'b'.repeat(lb), at);
    expect(n).toBe(looks);
  });
});

describe('unary operators and conditions', () => {
  it('negate', () => {
    expect(negate(3n, at)).toBe(-3n);
    expect(negate(1.5, at)).toBe(-1.5);
    expect(failure(() => negate(-LIMIT, at))).toEqual({ code: 'MRG3013', message: 'integer result needs more than 16384 bits' });
    expect(failure(() => negate('a', at))).toEqual({ code: 'MRG3002', message: "'-' needs a number, not a string" });
    expect(failure(() => negate(true, at))).toEqual({ code: 'MRG3002', message: "'-' needs a number, not a bool" });
  });
  it('not', () => {
    expect(not(true, at)).toBe(false);
    expect(not(false, at)).toBe(true);
    expect(failure(() => not(1n, at))).toEqual({ code: 'MRG3002', message: "'!' needs a bool, not an integer" });
  });
  it('truthy', () => {
    expect(truthy(true, 'if', at)).toBe(true);
    expect(failure(() => truthy(1n, 'if', at))).toEqual({ code: 'MRG3002', message: 'the condition of if must be a bool, not an integer' });
  });
});

describe('fit and roundFloat', () => {
  it('rounds to the declared width', () => {
    expect(roundFloat(1.1, t('float32') as FloatType)).toBe(1.100000023841858);
    expect(roundFloat(1.1, t('float64') as FloatType)).toBe(1.1);
    expect(roundFloat(1.0001, t('float16') as FloatType)).toBe(1);
    expect(fit(1.1, t('float32'), 'x', at)).toBe(1.100000023841858);
    expect(fit(3n, t('float64'), 'x', at)).toBe(3);
  });

  it.each<[Value, TypeDesc, string, string]>([
    ['a', t('int32'), 'MRG3002', 'x is declared int32 but gets a string'],
    [1.5, INT, 'MRG3002', 'x is declared int but gets a float'],
    [128n, t('int8'), 'MRG3003', '128 does not fit x, declared int8 (-128..127)'],
    [-129n, t('int8'), 'MRG3003', '-129 does not fit x, declared int8 (-128..127)'],
    ['a', t('float64'), 'MRG3002', 'x is declared float64 but gets a string'],
    [1e39, t('float32'), 'MRG3003', '1e+39 does not fit x, declared float32'],
    [10n ** 39n, t('float32'), 'MRG3003', '1000000000000000000000000000000000000000 does not fit x, declared float32'],
    [1n, STRING, 'MRG3002', 'x is declared string but gets an integer'],
    ['a', BOOL, 'MRG3002', 'x is declared bool but gets a string'],
  ])('%s into %o', (v, type, code, message) => {
    expect(failure(() => fit(v, type, 'x', at))).toEqual({ code, message });
  });

  it('accepts values of the declared kind unchanged', () => {
    expect(fit(127n, t('int8'), 'x', at)).toBe(127n);
    expect(fit(-128n, t('int8'), 'x', at)).toBe(-128n);
    expect(fit(LIMIT - 1n, INT, 'x', at)).toBe(LIMIT - 1n);
    expect(fit('s', STRING, 'x', at)).toBe('s');
    expect(fit(false, BOOL, 'x', at)).toBe(false);
    expect(fit(1n, DAG, 'x', at)).toBe(1n);
  });
});

describe('formatFloat', () => {
  it.each<[number, number, string]>([
    [2, 64, '2.0'],
    [-3, 32, '-3.0'],
    [1e20, 64, '100000000000000000000.0'],
    [1e21, 64, '1e+21'],
    [1e22, 64, '1e+22'],
    [0.1, 64, '0.1'],
    [1.0009765625, 64, '1.0009765625'],
    [1.0009765625, 16, '1.001'],
    [1.100000023841858, 32, '1.1'],
    [1.100000023841858, 64, '1.100000023841858'],
    [0.1, 32, '0.1'],
  ])('%s at %i bits is %s', (v, bits, expected) => {
    expect(formatFloat(v, bits)).toBe(expected);
  });
});
