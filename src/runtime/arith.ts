// Operators and the fit of a value into a declared type. Integers never wrap: arithmetic is exact
// (bigint) and a result that does not fit its destination raises range_error. Floats are computed in
// float64 and rounded to the destination's width when that is narrower (language.md §4).
import type { BinaryOp, Span } from '../ast/types.js';
import { raise, rangeError, typeError } from './errors.js';
import { LONG_STRING, longStringWork } from './limits.js';
import { roundFloat16 } from '../model/types.js';
import { INT_MAGNITUDE_LIMIT, MAX_INT_BITS, type FloatType, type TypeDesc } from './types.js';
import { describe, type Value } from './values.js';

/** Longest string a program may build (UTF-16 units), so a doubling loop ends in a diagnostic. */
export const MAX_STRING_LENGTH = 1 << 24;

export function checkIntSize(v: bigint, span: Span): bigint {
  if (v >= INT_MAGNITUDE_LIMIT || v < -INT_MAGNITUDE_LIMIT) {
    raise('MRG3013', `integer result needs more than ${MAX_INT_BITS} bits`, span);
  }
  return v;
}

function checkFloat(v: number, op: string, span: Span): number {
  if (!Number.isFinite(v)) rangeError(`float result of '${op}' is ${Number.isNaN(v) ? 'not a number' : 'infinite'}`, span);
  return v;
}

function mismatch(op: string, a: Value, b: Value, span: Span): never {
  return typeError(`'${op}' cannot combine ${describe(a)} and ${describe(b)}`, span);
}

function arithmetic(op: '+' | '-' | '*' | '/' | '%', a: Value, b: Value, span: Span): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return checkIntSize(a + b, span);
      case '-':
        return checkIntSize(a - b, span);
      case '*':
        return checkIntSize(a * b, span);
      case '/':
        if (b === 0n) rangeError('integer division by zero', span);
        // −2^16383 / −1 is one past the limit.
        return checkIntSize(a / b, span);
      case '%':
        if (b === 0n) rangeError('integer remainder by zero', span);
        return a % b;
    }
  }
  const an = typeof a === 'bigint' ? Number(a) : a;
  const bn = typeof b === 'bigint' ? Number(b) : b;
  if (typeof an === 'number' && typeof bn === 'number') {
    if ((op === '/' || op === '%') && bn === 0) rangeError(`float ${op === '/' ? 'division' : 'remainder'} by zero`, span);
    switch (op) {
      case '+':
        return checkFloat(an + bn, op, span);
      case '-':
        return checkFloat(an - bn, op, span);
      case '*':
        return checkFloat(an * bn, op, span);
      case '/':
        return checkFloat(an / bn, op, span);
      case '%':
        return checkFloat(an % bn, op, span);
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > MAX_STRING_LENGTH) raise('MRG3003', `string result longer than ${MAX_STRING_LENGTH} characters`, span, 'Strings are limited to 16777216 characters; build the text in parts (rows of a dataframe).');
    return a + b;
  }
  return mismatch(op, a, b, span);
}

function isNumeric(v: Value): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

function compare(op: '<' | '<=' | '>' | '>=', a: Value, b: Value, span: Span): boolean {
  const ok = (isNumeric(a) && isNumeric(b)) || (typeof a === 'string' && typeof b === 'string');
  if (!ok) mismatch(op, a, b, span);
  // JS compares bigint with number exactly, and strings by UTF-16 code units.
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

export function equals(a: Value, b: Value, span: Span): boolean {
  if (isNumeric(a) && isNumeric(b)) return typeof a === typeof b ? a === b : Number(a) === Number(b);
  if (typeof a !== typeof b) mismatch('==', a, b, span);
  if (typeof a !== 'object') return a === b;
  const bo = b as Exclude<Value, bigint | number | string | boolean>;
  if (a.tag !== bo.tag) mismatch('==', a, b, span);
  if (a.tag === 'error' && bo.tag === 'error') return a.name === bo.name;
  if (a.tag === 'type' && bo.tag === 'type') return a.type === bo.type;
  return a === b;
}

export function binary(op: BinaryOp, a: Value, b: Value, span: Span): Value {
  // One step, but linear in the strings' length: long ones also look at the clock and the heap.
  if (typeof a === 'string' && typeof b === 'string' && a.length + b.length >= LONG_STRING) longStringWork(a.length + b.length, span);
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op, a, b, span);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b, span);
    case '==':
      return equals(a, b, span);
    case '!=':
      return !equals(a, b, span);
    case '&&':
    case '||':
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return mismatch(op, a, b, span);
      return op === '&&' ? a && b : a || b;
  }
}

export function negate(v: Value, span: Span): Value {
  // −(−2^16383) is one past the limit.
  if (typeof v === 'bigint') return checkIntSize(-v, span);
  if (typeof v === 'number') return -v;
  return typeError(`'-' needs a number, not ${describe(v)}`, span);
}

export function not(v: Value, span: Span): boolean {
  if (typeof v !== 'boolean') typeError(`'!' needs a bool, not ${describe(v)}`, span);
  return !v;
}

export function truthy(v: Value, what: string, span: Span): boolean {
  if (typeof v !== 'boolean') typeError(`the condition of ${what} must be a bool, not ${describe(v)}`, span);
  return v;
}

// ------------------------------------------------------------------ fitting into a declared type

export function roundFloat(v: number, t: FloatType): number {
  if (t.bits === 16) return roundFloat16(v);
  if (t.bits === 32) return Math.fround(v);
  return v;
}

/**
 * `v` as a value of declared type `t`, or range_error / type_error. `what` names the destination in
 * messages ("x", "parameter x").
 */
export function fit(v: Value, t: TypeDesc, what: string, span: Span): Value {
  switch (t.k) {
    case 'int':
      if (typeof v !== 'bigint') return typeError(`${what} is declared ${t.name} but gets ${describe(v)}`, span);
      if (t.min !== null && (v < t.min || v > (t.max as bigint))) {
        return rangeError(`${v} does not fit ${what}, declared ${t.name} (${t.min}..${t.max})`, span);
      }
      return v;
    case 'float': {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'bigint') n = Number(v);
      else return typeError(`${what} is declared ${t.name} but gets ${describe(v)}`, span);
      const r = roundFloat(n, t);
      if (!Number.isFinite(r)) rangeError(`${typeof v === 'bigint' ? v : n} does not fit ${what}, declared ${t.name}`, span);
      return r;
    }
    case 'string':
      if (typeof v !== 'string') typeError(`${what} is declared string but gets ${describe(v)}`, span);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') typeError(`${what} is declared bool but gets ${describe(v)}`, span);
      return v;
    default:
      // dag, dataframe and blocker destinations are checked where those values are made.
      return v;
  }
}

/** Shortest decimal that reads back as the same value at the type's width. */
export function formatFloat(v: number, bits = 64): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return `${v}.0`;
  if (bits === 16 || bits === 32) {
    const round = bits === 32 ? Math.fround : roundFloat16;
    for (let p = 1; p < 17; p++) {
      const s = v.toPrecision(p);
      if (round(Number(s)) === v) return String(Number(s));
    }
  }
  return String(v);
}
