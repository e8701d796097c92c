// Dataframes (language.md §5, quota.md §7): typed columns in a columnar store. While unfrozen the
// store is a transient builder (typed arrays with doubling capacity: amortized O(1) append); freezing
// makes it refuse change. Rows are paid for in segments: consecutive rows paid by the same membrane
// through the same chain share one record, so a million appends keep one payment record.
import { fail } from '../diagnostics.js';
import { plural } from '../words.js';
import { K_ROW, K_STRING, kindId } from './kinds.js';
import type { Pricing } from './rampoints.js';
import { work } from './work.js';
import { coerceScalar, entityKindOf, utf8Length, type ScalarType, type ScalarValue } from './types.js';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ScalarType;
}

/** Rows [start, end) paid by `by` (a membrane id, 0 unmetered, -1 unpaid) through q quota / c CoM membranes. */
export interface Segment {
  by: number;
  q: number;
  c: number;
  start: number;
  end: number;
  mp: number;
}

type Typed = Int32Array | Uint32Array | Float64Array | Uint8Array;

/** One column's storage. Integers up to 32 bits and all floats/bools live in typed arrays. */
class Column {
  private typed: Typed | null;
  private list: (bigint | string)[] | null;
  /** UTF-8 lengths of a string column (priced by length). */
  lens: Int32Array | null;
  constructor(
    readonly type: ScalarType,
    capacity = 8,
  ) {
    const t = type;
    this.typed =
      t.family === 'float' ? new Float64Array(capacity)
      : t.family === 'bool' ? new Uint8Array(capacity)
      : t.family === 'int' && t.bits <= 32 ? new Int32Array(capacity)
      : t.family === 'uint' && t.bits <= 32 ? new Uint32Array(capacity)
      : t.family === 'int' || t.family === 'uint' ? new Float64Array(capacity) // exact below 2^53
      : null;
    if (this.typed && (t.family === 'int' || t.family === 'uint') && t.bits > 53) this.typed = null;
    this.list = this.typed ? null : [];
    this.lens = t.family === 'string' ? new Int32Array(capacity) : null;
  }

  push(i: number, v: ScalarValue): void {
    if (this.typed) {
      if (i >= this.typed.length) this.typed = grow(this.typed, i);
      this.typed[i] = Number(v); // true → 1, false → 0
    } else {
      (this.list as (bigint | string)[])[i] = v as bigint | string;
    }
    if (this.lens) {
      if (i >= this.lens.length) this.lens = grow(this.lens, i) as Int32Array;
      this.lens[i] = utf8Length(v as string);
    }
  }

  get(i: number): ScalarValue {
    if (this.typed) {
      const x = this.typed[i] as number;
      const f = this.type.family;
      return f === 'float' ? x : f === 'bool' ? x !== 0 : BigInt(x);
    }
    return (this.list as (bigint | string)[])[i] as ScalarValue;
  }

  truncate(n: number): void {
    if (this.list) this.list.length = n;
  }

  copy(rows: number): Column {
    const c = new Column(this.type, Math.max(8, rows));
    if (this.typed) (c.typed as Typed).set(this.typed.subarray(0, rows));
    else c.list = (this.list as (bigint | string)[]).slice(0, rows);
    if (this.lens) (c.lens as Int32Array).set(this.lens.subarray(0, rows));
    return c;
  }
}

function grow<T extends Typed>(a: T, need: number): T {
  const Ctor = a.constructor as new (n: number) => T;
  const b = new Ctor(Math.max(need + 1, a.length * 2));
  b.set(a as never);
  return b;
}

/** Per-kind tallies of some rows: counts, milli-points, string bytes. */
export interface RowTally {
  readonly count: Map<number, number>;
  readonly mp: Map<number, number>;
  stringBytes: number;
  /** Each string's UTF-8 length (the tally prices strings per length). */
  readonly stringLens: number[];
  total: number;
}

export interface DataframeMark {
  readonly rows: number;
  readonly segments: number;
  readonly lastEnd: number;
  readonly lastMp: number;
}

export class Dataframe {
  rows = 0;
  frozen = false;
  /** Payment records of the rows, in row order, covering [0, rows). */
  segments: Segment[] = [];
  private readonly cols: Column[];
  /** Kind id per column for fixed-size columns; -1 where the kind depends on the value (string, int). */
  readonly colKinds: readonly number[];
  private readonly fixedCache = new Map<number, { total: number; each: number[] }>();

  constructor(readonly columns: readonly ColumnSpec[]) {
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.name)) fail('MRG3001', `dataframe column '${c.name}' is declared twice`);
      seen.add(c.name);
    }
    this.cols = columns.map((c) => new Column(c.type));
    this.colKinds = columns.map((c) => (c.type.family === 'string' || c.type.family === 'bigint' ? -1 : kindId(`scalar:${c.type.name}`)));
  }

  /** Scratch row reused by appends outside a journal (no allocation per row). */
  private readonly scratch: ScalarValue[] = [];

  /**
   * Checks a row against the column types; returns the values as stored, or throws type/range
   * errors. With `reuse` the result is a scratch array overwritten by the next call.
   */
  coerceRow(values: readonly ScalarValue[], reuse = false): ScalarValue[] {
    if (values.length !== this.columns.length) {
      fail('MRG3002', `a row of this dataframe has ${plural(this.columns.length, 'value')} (${this.columns.map((c) => `${c.type.name} ${c.name}`).join(', ')}), got ${values.length}`);
    }
    const out = reuse ? this.scratch : new Array<ScalarValue>(values.length);
    for (let i = 0; i < values.length; i++) out[i] = coerceScalar((this.columns[i] as ColumnSpec).type, values[i] as ScalarValue);
    return out;
  }

  /** Price of the fixed part of a row (row entity + fixed-size columns) through q/c membranes. */
  fixedPrice(pricing: Pricing, q: number, c: number): { total: number; each: number[] } {
    const key = q * 65536 + c;
    let f = this.fixedCache.get(key);
    if (!f) {
      const each = this.colKinds.map((k) => (k < 0 ? 0 : pricing.price(k, q, c)));
      f = { total: pricing.price(K_ROW, q, c) + each.reduce((a, b) => a + b, 0), each };
      this.fixedCache.set(key, f);
    }
    return f;
  }

  /** Milli-points of one coerced row through q/c membranes. */
  rowPrice(pricing: Pricing, values: readonly ScalarValue[], q: number, c: number): number {
    let total = this.fixedPrice(pricing, q, c).total;
    for (let i = 0; i < values.length; i++) {
      if ((this.colKinds[i] as number) >= 0) continue;
      const v = values[i] as ScalarValue;
      total += typeof v === 'string' ? pricing.stringPrice(utf8Length(v), q, c) : pricing.price(kindId(entityKindOf((this.columns[i] as ColumnSpec).type, v)), q, c);
    }
    return total;
  }

  /** Appends a coerced row (no checks, no accounting: the caller has done both). */
  pushRow(values: readonly ScalarValue[]): void {
    const i = this.rows;
    for (let j = 0; j < values.length; j++) {
      (this.cols[j] as Column).push(i, values[j] as ScalarValue);
    }
    this.rows = i + 1;
  }

  /** Records that the last row was paid `mp` by `by` through q/c membranes. */
  payLastRow(by: number, q: number, c: number, mp: number): void {
    const last = this.segments[this.segments.length - 1];
    if (last && last.by === by && last.q === q && last.c === c && last.end === this.rows - 1) {
      last.end = this.rows;
      last.mp += mp;
    } else {
      this.segments.push({ by, q, c, start: this.rows - 1, end: this.rows, mp });
    }
  }

  /** Where the rows and their payment records stand, to undo appends exactly (see restore). */
  mark(): DataframeMark {
    const last = this.segments[this.segments.length - 1];
    return { rows: this.rows, segments: this.segments.length, lastEnd: last?.end ?? 0, lastMp: last?.mp ?? 0 };
  }

  /** Drops rows appended since `m` and their payment records. */
  restore(m: DataframeMark): void {
    for (const c of this.cols) c.truncate(m.rows);
    this.rows = m.rows;
    this.segments.length = m.segments;
    const last = this.segments[m.segments - 1];
    if (last) {
      last.end = m.lastEnd;
      last.mp = m.lastMp;
    }
  }

  value(row: number, col: number): ScalarValue {
    if (row < 0 || row >= this.rows || col < 0 || col >= this.columns.length) fail('MRG3003', `no cell at row ${row}, column ${col} (the dataframe has ${this.rows} rows, ${this.columns.length} columns)`);
    return (this.cols[col] as Column).get(row);
  }

  row(i: number): ScalarValue[] {
    return this.columns.map((_, j) => this.value(i, j));
  }

  /** Entities of rows [start, end) and their prices through q/c membranes. */
  tally(pricing: Pricing, start: number, end: number, q: number, c: number): RowTally {
    const t: RowTally = { count: new Map(), mp: new Map(), stringBytes: 0, stringLens: [], total: 0 };
    const add = (k: number, n: number, mp: number) => {
      t.count.set(k, (t.count.get(k) ?? 0) + n);
      t.mp.set(k, (t.mp.get(k) ?? 0) + mp);
      t.total += mp;
    };
    const n = end - start;
    if (n <= 0) return t;
    work.units += n;
    add(K_ROW, n, n * pricing.price(K_ROW, q, c));
    this.columns.forEach((spec, j) => {
      const k = this.colKinds[j] as number;
      if (k >= 0) return add(k, n, n * pricing.price(k, q, c));
      const col = this.cols[j] as Column;
      for (let i = start; i < end; i++) {
        if (spec.type.family === 'string') {
          const len = (col.lens as Int32Array)[i] as number;
          t.stringBytes += len;
          t.stringLens.push(len);
          add(K_STRING, 1, pricing.stringPrice(len, q, c));
        } else {
          add(kindId(entityKindOf(spec.type, col.get(i))), 1, pricing.price(kindId(entityKindOf(spec.type, col.get(i))), q, c));
        }
      }
    });
    return t;
  }

  /** A deep copy with every row unpaid (a pruned copy is a new allocation). */
  copy(): Dataframe {
    const d = new Dataframe(this.columns);
    (d as unknown as { cols: Column[] }).cols = this.cols.map((c) => c.copy(this.rows));
    d.rows = this.rows;
    d.segments = this.rows > 0 ? [{ by: -1, q: 0, c: 0, start: 0, end: this.rows, mp: 0 }] : [];
    return d;
  }
}
