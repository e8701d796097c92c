// FnCost: what a function needs, as four unsigned 64-bit integers. Deterministic: only integer
// arithmetic, so every machine computes the same figures for the same function and inputs.
import { fail } from '../diagnostics.js';
import { jsonSyntaxMessage } from '../json-syntax.js';

/** 2^64 − 1: every field saturates here instead of wrapping. */
export const U64_MAX = (1n << 64n) - 1n;

/** What the constructors accept: a bigint or a safe non-negative integer number. */
export type U64Input = bigint | number;

export interface FnCostJson {
  ops: string;
  memBytes: string;
  peakMem: string;
  resultBytes: string;
}

const FIELDS = ['ops', 'memBytes', 'peakMem', 'resultBytes'] as const;

function sat(x: bigint): bigint {
  return x > U64_MAX ? U64_MAX : x;
}

/** Validates one u64 argument; `what` names it in the diagnostic. */
export function toU64(value: U64Input, what: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail('MRG4041', `${what} must be a whole number, got ${value}`);
    if (!Number.isSafeInteger(value)) fail('MRG4041', `${what} = ${value} is beyond 2^53 and has lost precision; pass it as a bigint or a decimal string`);
    value = BigInt(value);
  }
  if (typeof value !== 'bigint') fail('MRG4041', `${what} must be an integer, got ${typeof value}`);
  if (value < 0n) fail('MRG4041', `${what} must not be negative, got ${value}`);
  if (value > U64_MAX) fail('MRG4041', `${what} = ${value} exceeds 2^64 − 1`);
  return value;
}

/** ⌈log2 n⌉ on integers, 0 for n ≤ 1. */
export function ceilLog2(n: bigint): bigint {
  return n <= 1n ? 0n : BigInt((n - 1n).toString(2).length);
}

export class FnCost {
  /** W: total arithmetic operations. */
  readonly ops: bigint;
  /** Q: memory traffic in bytes, cold-cache model. */
  readonly memBytes: bigint;
  /** M: peak live bytes. */
  readonly peakMem: bigint;
  /** R: result bytes, what is cached and transferred. */
  readonly resultBytes: bigint;

  private constructor(w: bigint, q: bigint, m: bigint, r: bigint) {
    this.ops = sat(w);
    this.memBytes = sat(q);
    this.peakMem = sat(m);
    this.resultBytes = sat(r);
    Object.freeze(this);
  }

  static readonly ZERO = new FnCost(0n, 0n, 0n, 0n);

  /** Raw values W, Q, M, R. */
  static new(w: U64Input, q: U64Input, m: U64Input, r: U64Input): FnCost {
    return new FnCost(toU64(w, 'W (ops)'), toU64(q, 'Q (memBytes)'), toU64(m, 'M (peakMem)'), toU64(r, 'R (resultBytes)'));
  }

  /** Linear scan over nBytes. */
  static scan(nBytes: U64Input, r: U64Input): FnCost {
    const n = toU64(nBytes, 'scan nBytes');
    const res = toU64(r, 'scan R');
    return new FnCost(n, n, res, res);
  }

  /** Merge sort of n items of itemBytes each. */
  static sort(n: U64Input, itemBytes: U64Input, r: U64Input): FnCost {
    const count = toU64(n, 'sort n');
    const item = toU64(itemBytes, 'sort itemBytes');
    const l = ceilLog2(count);
    return new FnCost(10n * count * l, count * item * l, 2n * count * item, toU64(r, 'sort R'));
  }

  /** Cryptographic hash of nBytes (a 32-byte digest). */
  static hash(nBytes: U64Input): FnCost {
    const n = toU64(nBytes, 'hash nBytes');
    return new FnCost(16n * n, n, 0n, 32n);
  }

  /** Dense GEMM of an m×k by a k×n matrix of 8-byte floats. */
  static matmul(m: U64Input, n: U64Input, k: U64Input, r: U64Input): FnCost {
    const mm = toU64(m, 'matmul m');
    const nn = toU64(n, 'matmul n');
    const kk = toU64(k, 'matmul k');
    const bytes = 8n * (mm * kk + kk * nn + mm * nn);
    return new FnCost(2n * mm * nn * kk, bytes, bytes, toU64(r, 'matmul R'));
  }

  /** Row processing: `fpr` operations per row of rowBytes. */
  static etl(rows: U64Input, rowBytes: U64Input, fpr: U64Input, r: U64Input): FnCost {
    const n = toU64(rows, 'etl rows');
    const rb = toU64(rowBytes, 'etl rowBytes');
    return new FnCost(n * toU64(fpr, 'etl fpr'), n * rb, rb, toU64(r, 'etl R'));
  }

  /** File copy of size bytes: no arithmetic, read and write. */
  static copy(size: U64Input): FnCost {
    const s = toU64(size, 'copy size');
    return new FnCost(0n, 2n * s, 0n, s);
  }

  /** Sequential: W and Q add, M is the larger peak, R is the second step's result. */
  then(next: FnCost): FnCost {
    const m = this.peakMem > next.peakMem ? this.peakMem : next.peakMem;
    return new FnCost(this.ops + next.ops, this.memBytes + next.memBytes, m, next.resultBytes);
  }

  /** Same as `then` (coren's `a + b`). */
  add(next: FnCost): FnCost {
    return this.then(next);
  }

  /** Parallel: W is the longer branch, Q, M and R add. */
  par(other: FnCost): FnCost {
    const w = this.ops > other.ops ? this.ops : other.ops;
    return new FnCost(w, this.memBytes + other.memBytes, this.peakMem + other.peakMem, this.resultBytes + other.resultBytes);
  }

  /** k times in sequence: W and Q times k; M and R unchanged. */
  repeat(k: U64Input): FnCost {
    const times = toU64(k, 'repeat k');
    return new FnCost(this.ops * times, this.memBytes * times, this.peakMem, this.resultBytes);
  }

  equals(other: FnCost): boolean {
    return FIELDS.every((f) => this[f] === other[f]);
  }

  toJSON(): FnCostJson {
    return { ops: this.ops.toString(), memBytes: this.memBytes.toString(), peakMem: this.peakMem.toString(), resultBytes: this.resultBytes.toString() };
  }

  toString(): string {
    return `FnCost(W=${this.ops}, Q=${this.memBytes}, M=${this.peakMem}, R=${this.resultBytes})`;
  }

  /**
   * Reads the JSON form strictly: exactly the four fields (`flops` may stand for `ops`), each a
   * decimal string of digits (or a safe non-negative integer number) no larger than 2^64 − 1.
   */
  static fromJSON(value: unknown, where = 'FnCost'): FnCost {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('MRG4041', `${where} must be a JSON object with ops, memBytes, peakMem and resultBytes, got ${describe(value)}`);
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const allowed = new Set<string>([...FIELDS, 'flops']);
    const unknown = keys.filter((k) => !allowed.has(k));
    if (unknown.length > 0) fail('MRG4041', `${where} has unknown field ${JSON.stringify(unknown[0])}; the fields are ops (alias flops), memBytes, peakMem, resultBytes`);
    if (Object.hasOwn(obj, 'ops') && Object.hasOwn(obj, 'flops')) fail('MRG4041', `${where} gives both "ops" and its alias "flops"; keep one`);
    const get = (f: (typeof FIELDS)[number]): bigint => {
      const key = f === 'ops' && !Object.hasOwn(obj, 'ops') ? 'flops' : f;
      if (!Object.hasOwn(obj, key)) fail('MRG4041', `${where} is missing the field "${f}"`);
      return parseU64(obj[key], `${where}.${key}`);
    };
    return new FnCost(get('ops'), get('memBytes'), get('peakMem'), get('resultBytes'));
  }

  /** Parses JSON text, then `fromJSON`. */
  static parse(text: string, where = 'FnCost'): FnCost {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      fail('MRG4041', `${where} is ${jsonSyntaxMessage(text, e)}`);
    }
    return FnCost.fromJSON(value, where);
  }
}

function parseU64(v: unknown, where: string): bigint {
  if (typeof v === 'string') {
    if (/^-\d+$/.test(v)) fail('MRG4041', `${where} is negative ("${v}")`);
    if (!/^\d+$/.test(v)) fail('MRG4041', `${where} must be a decimal string of digits, got ${JSON.stringify(v)}`);
    const n = BigInt(v);
    if (n > U64_MAX) fail('MRG4041', `${where} = ${v} exceeds 2^64 − 1`);
    return n;
  }
  if (typeof v === 'number') return toU64(v, where);
  return fail('MRG4041', `${where} must be a decimal string, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
