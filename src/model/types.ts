// Merg-E scalar types: names, value checks, entity kinds and canonical byte sizes.
// Canonical sizes depend only on the type (and, for `int` and `string`, on the value); they feed
// coren's FnCost (runtime.md §1) and never depend on a runtime profile.
import { Buffer } from 'node:buffer';

import { fail } from '../diagnostics.js';
import { withArticle } from '../words.js';

export type ScalarFamily = 'int' | 'uint' | 'float' | 'bigint' | 'string' | 'bool';

/** A parsed scalar type. `bits` is the declared width (0 for unbounded `int`, `string`, `bool`). */
export interface ScalarType {
  readonly name: string;
  readonly family: ScalarFamily;
  readonly bits: number;
}

/** A scalar's value: integers are bigint, floats number, strings string, bools boolean. */
export type ScalarValue = bigint | number | string | boolean;

/** Integers wider than this are refused (MRG3013), also for unbounded `int`. */
export const MAX_INT_BITS = 16384;
export const FLOAT_WIDTHS: readonly number[] = [16, 32, 64, 128, 256];

const INT: ScalarType = { name: 'int', family: 'bigint', bits: 0 };
const STRING: ScalarType = { name: 'string', family: 'string', bits: 0 };
const BOOL: ScalarType = { name: 'bool', family: 'bool', bits: 0 };

/** Sized types parsed so far. Only valid ones are kept, so it holds at most 32 773 entries
 *  (int1..int16384, uint1..uint16384, five floats) whatever names a program tries. */
const sized = new Map<string, ScalarType>();

/** Parses `int`, `intN`/`uintN` (N in 1..16384), `float16..float256`, `string`, `bool`; else undefined. */
export function parseScalarType(name: string): ScalarType | undefined {
  if (name === 'int') return INT;
  if (name === 'string') return STRING;
  if (name === 'bool') return BOOL;
  const hit = sized.get(name);
  if (hit !== undefined) return hit;
  const t = parseSized(name);
  if (t === null) return undefined;
  sized.set(name, t);
  return t;
}

function parseSized(name: string): ScalarType | null {
  const m = /^(u?int|float)([1-9][0-9]{0,4})$/.exec(name);
  if (!m) return null;
  const bits = Number(m[2]);
  if (m[1] === 'float') return FLOAT_WIDTHS.includes(bits) ? { name, family: 'float', bits } : null;
  if (bits > MAX_INT_BITS) return null;
  return { name, family: m[1] === 'uint' ? 'uint' : 'int', bits };
}

/** Like parseScalarType, but an unknown name is a `type_error` (MRG3002). */
export function scalarType(name: string): ScalarType {
  const t = parseScalarType(name);
  if (!t) fail('MRG3002', `'${name}' is not a scalar type`, undefined, 'Use int, intN/uintN (N in 1..16384), float16..float256, string or bool.');
  return t;
}

export function isIntegerType(t: ScalarType): boolean {
  return t.family === 'int' || t.family === 'uint' || t.family === 'bigint';
}

const ranges = new Map<string, { min: bigint; max: bigint }>();

/** Inclusive range of a sized integer type; undefined for `int` (unbounded) and non-integers. */
export function intRange(t: ScalarType): { min: bigint; max: bigint } | undefined {
  if (t.family !== 'int' && t.family !== 'uint') return undefined;
  // Made once per type: every integer assignment checks it.
  let r = ranges.get(t.name);
  if (r === undefined) {
    const half = 1n << BigInt(t.bits - 1);
    r = Object.freeze(t.family === 'int' ? { min: -half, max: half - 1n } : { min: 0n, max: (1n << BigInt(t.bits)) - 1n });
    ranges.set(t.name, r);
  }
  return r;
}

/** Magnitudes below this fit the 32 bits Math.clz32 reads. */
const SMALL = 1n << 32n;

/** Bits of the two's-complement representation of v, sign bit included (0 and -1 take 1). */
export function signedBits(v: bigint): number {
  const mag = v < 0n ? -v - 1n : v;
  // Most integers are small: count their bits without printing them in binary.
  if (mag < SMALL) return 33 - Math.clz32(Number(mag));
  return mag.toString(2).length + 1;
}

/** Minimal bytes of v in two's complement (at least 1): the canonical size of an `int` value. */
export function minimalIntBytes(v: bigint): number {
  return Math.ceil(signedBits(v) / 8);
}

/**
 * Checks `value` against `t` and returns it as stored: floats rounded to their declared width
 * (float16/float32; wider floats are computed and stored as float64), integers range-checked.
 * Wrong family: type_error (MRG3002). Out of range: range_error (MRG3003/MRG3013).
 */
export function coerceScalar(t: ScalarType, value: ScalarValue): ScalarValue {
  switch (t.family) {
    case 'bool':
      if (typeof value !== 'boolean') typeMismatch(t, value);
      return value;
    case 'string':
      if (typeof value !== 'string') typeMismatch(t, value);
      return value;
    case 'float':
      return coerceFloat(t, value);
    default:
      return coerceInt(t, value);
  }
}

function coerceInt(t: ScalarType, value: ScalarValue): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isInteger(value)) v = BigInt(value);
  else typeMismatch(t, value);
  const r = intRange(t);
  if (r) {
    if (v < r.min || v > r.max) fail('MRG3003', `${v} does not fit ${t.name} (${r.min}..${r.max})`);
  } else if (signedBits(v) > MAX_INT_BITS) {
    fail('MRG3013', `an int value of ${signedBits(v)} bits exceeds the ${MAX_INT_BITS}-bit limit`);
  }
  return v;
}

function coerceFloat(t: ScalarType, value: ScalarValue): number {
  let v: number;
  if (typeof value === 'number') v = value;
  else if (typeof value === 'bigint') v = Number(value);
  else typeMismatch(t, value);
  const stored = t.bits === 16 ? roundFloat16(v) : t.bits === 32 ? Math.fround(v) : v;
  if (Number.isFinite(v) && !Number.isFinite(stored)) fail('MRG3003', `${v} does not fit ${t.name}`);
  return stored;
}

function typeMismatch(t: ScalarType, value: ScalarValue): never {
  const got = typeof value === 'bigint' ? 'an integer' : typeof value === 'number' ? 'a decimal' : `a ${typeof value}`;
  fail('MRG3002', `${withArticle(t.name)} cannot hold ${got} (${String(value)})`);
}

/** Rounds a float64 to the nearest IEEE binary16 value, ties to even (Math.f16round is not in Node 20). */
export function roundFloat16(x: number): number {
  // NaN, ±Infinity and ±0 need no case of their own: NaN stays NaN through the arithmetic, an
  // infinity is caught by the overflow test, and a zero keeps its sign through Math.sign(x) * 0.
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity; // above max (65504) plus half an ulp
  // Quantum: 2^(e-10) for normals (e >= -14), 2^-24 for subnormals.
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const quantum = 2 ** (e - 10);
  const q = a / quantum; // exact: dividing by a power of two
  let n = Math.floor(q);
  const frac = q - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n += 1;
  return Math.sign(x) * n * quantum;
}

/** The entity kind (quota.md §2) of a scalar value: `scalar:int32`, `string`, …; `int` values count as
 *  `scalar:int<8·minimal bytes>` (a 5 is `scalar:int8`, 2^100 is `scalar:int104`). */
export function entityKindOf(t: ScalarType, value: ScalarValue): string {
  if (t.family === 'string') return 'string';
  if (t.family === 'bigint') return `scalar:int${8 * minimalIntBytes(value as bigint)}`;
  return `scalar:${t.name}`;
}

/** The entity kind of a type without a value (for `lang.memory.*.rampoints(TYPE)`): `int` counts as int64. */
export function entityKindOfType(t: ScalarType): string {
  if (t.family === 'string') return 'string';
  if (t.family === 'bigint') return 'scalar:int64';
  return `scalar:${t.name}`;
}

/** UTF-8 length of a string (its canonical size and its priced length). */
export function utf8Length(s: string): number {
  // Pure ASCII is the common case and needs no encoder (UTF-8 is byteLength's default).
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : Buffer.byteLength(s);
}

/**
 * Canonical bytes (runtime.md §1): intN/uintN ceil(N/8) (int32 4, int2048 256), floatN N/8, bool 1,
 * string its UTF-8 length, `int` the minimal two's-complement bytes of its value (at least 1).
 */
export function canonicalBytes(t: ScalarType, value: ScalarValue): number {
  switch (t.family) {
    case 'int':
    case 'uint':
    case 'float':
      return Math.ceil(t.bits / 8);
    case 'bool':
      return 1;
    case 'string':
      return utf8Length(value as string);
    case 'bigint':
      return minimalIntBytes(value as bigint);
  }
}
