// Mutation survivors of src/runtime/compile.ts (TESTING.md › Survivors): int literals and the integer
// fast paths of binary operators (language.md §4: ints are at most 16384 bits, so a result's magnitude
// stays below 2^16383; mixed int/float arithmetic promotes to float), members and error fields.
import { describe, expect, it } from 'vitest';

import type { Expr } from '../../src/ast/types.js';
import { smallIntLiteral } from '../../src/runtime/compile.js';
import { err, out } from './helpers.js';

// 16384-bit ints (language.md §4): two's complement range -2^16383 .. 2^16383 - 1.
const LIM = 1n << 16383n;
const H = 1n << 16382n;
const at = { file: 't', line: 1, column: 1 } as never;
const lit = (value: bigint): Expr => ({ kind: 'IntLit', value, span: at }) as Expr;
const tooBig = (src: string) => {
  const e = err(src);
  return [e.code, e.message, e.line];
};
const TOO_BIG = ['MRG3013', 'integer result needs more than 16384 bits'];

describe('smallIntLiteral: an int literal inside the 16384-bit range, else null', () => {
  it('takes both ends of the range and nothing past them', () => {
    expect(smallIntLiteral(lit(7n))).toBe(7n);
    expect(smallIntLiteral(lit(LIM - 1n))).toBe(LIM - 1n);
    expect(smallIntLiteral(lit(-LIM))).toBe(-LIM);
    expect(smallIntLiteral(lit(LIM))).toBeNull();
    expect(smallIntLiteral(lit(-LIM - 1n))).toBeNull();
    expect(smallIntLiteral({ kind: 'StringLit', value: '7', span: at } as Expr)).toBeNull();
  });
});

describe('int literals', () => {
  it('one of 2^16383 does not fit; one less does', () => {
    expect(tooBig(`cout ${LIM} endl;\n`)).toEqual([...TOO_BIG, 1]);
    expect(out(`int x = ${LIM - 1n};\ncout x == ${LIM - 1n} endl;\n`)).toBe('true\n');
  });
});

describe('integer results at the edge of the range', () => {
  const h = `int h = ${H};\nint two = 2;\nint one = 1;\n`;
  it('+ of two names', () => {
    expect(tooBig(`${h}cout h + h endl;\n`)).toEqual([...TOO_BIG, 4]);
    expect(tooBig(`${h}int m = 0 - h;\nint n = m - one;\ncout m + n endl;\n`)).toEqual([...TOO_BIG, 6]);
    expect(out(`${h}int m = 0 - h;\nint k = h - one;\ncout h + k == ${LIM - 1n} " " m + m == 0 - ${H} - ${H} endl;\n`)).toBe('true true\n');
  });

  it('- of two names', () => {
    expect(tooBig(`${h}int m = 0 - h;\ncout h - m endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(tooBig(`${h}int m = 0 - h;\ncout m - (h + one) endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(out(`${h}int m = 0 - h;\ncout m - h == 0 - ${H} - ${H} " " 5 - two endl;\n`)).toBe('true 3\n');
  });

  it('* of two names', () => {
    expect(tooBig(`${h}cout h * two endl;\n`)).toEqual([...TOO_BIG, 4]);
    expect(tooBig(`${h}int m = 0 - h - one;\ncout m * two endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(out(`${h}int m = 0 - h;\ncout m * two == 0 - ${H} - ${H} " " 3 * two endl;\n`)).toBe('true 6\n');
  });

  it('+ and * of a name and a literal', () => {
    expect(tooBig(`int x = ${LIM - 1n};\ncout x + 1 endl;\n`)).toEqual([...TOO_BIG, 2]);
    expect(tooBig(`${h}cout h * 2 endl;\n`)).toEqual([...TOO_BIG, 4]);
    expect(tooBig(`${h}int m = 0 - h - one;\ncout m * 2 endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(out(`int x = ${LIM - 2n};\ncout x + 1 == ${LIM - 1n} " " 4 + 1 " " 4 * 3 endl;\n`)).toBe('true 5 12\n');
    expect(out(`${h}int m = 0 - h;\ncout m * 2 == 0 - ${H} - ${H} endl;\n`)).toBe('true\n');
  });
});

describe('mixed int and float operands promote to float', () => {
  it('with two names', () => {
    const src = 'int x = 3;\nfloat64 y = 1.5;\nint z = 2;\n';
    expect(out(`${src}cout x + y " " y + x " " x - y " " y - x " " x * y " " y * x endl;\n`)).toBe('4.5 4.5 1.5 -1.5 4.5 4.5\n');
    expect(out(`${src}cout x < y " " y < x " " x <= y " " x > y " " y >= x endl;\n`)).toBe('false true false true false\n');
    expect(out(`${src}float64 w = 3.0;\ncout x == w " " w == x " " x == z " " x == x endl;\n`)).toBe('true true false true\n');
    expect(out(`${src}cout x % y " " y % x " " x % z endl;\n`)).toBe('0.0 1.5 1\n');
  });

  it('with a literal on the right', () => {
    const src = 'float64 y = 1.5;\nint x = 7;\n';
    expect(out('float64 w = 1.0;\ncout w == 1 " " w < 1 endl;\n')).toBe('true false\n');
    expect(out(`${src}cout y + 1 " " y * 2 " " y % 1 " " y < 2 " " y == 1 " " x % 4 " " x < 8 " " x == 7 " " x == 8 endl;\n`)).toBe('2.5 3.0 0.5 true false 3 true true false\n');
  });
});

describe('remainder by zero is a range_error, not a crash', () => {
  it('by a literal and by a name', () => {
    const e = err('int x = 1;\ncout x % 0 endl;\n');
    expect([e.name, e.code, e.message, e.line, e.column]).toEqual(['range_error', 'MRG3003', 'integer remainder by zero', 2, 6]);
    const f = err('int x = 1;\nint z = 0;\ncout x % z endl;\n');
    expect([f.name, f.code, f.message, f.line, f.column]).toEqual(['range_error', 'MRG3003', 'integer remainder by zero', 3, 6]);
  });
});
