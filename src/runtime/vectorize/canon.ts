// Canonical forms for content addressing. The memo key is the sha256 of f's canonical closure (its AST
// without spans or documentation, and every constant and callable it reads), the input rows with
// their column types, outDf's column types, the pricing and the spec version — so moving code around
// or editing a doc block keeps the key, while any change to what f computes changes it.
import { createHash, type Hash } from 'node:crypto';

import { SPEC_VERSION, type ColumnSpec, type Pricing, type ScalarValue } from '../../model/index.js';
import type { ShippedClosure } from './closure.js';

/** Bumped when the key material or the entry format changes. */
export const MEMO_FORMAT = 'merg-e-memo/2';

/** JSON of any AST/closure value with keys sorted, spans and doc statements dropped, bigint tagged. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canon(value));
}

function canon(v: unknown): unknown {
  if (typeof v === 'bigint') return { $int: v.toString() };
  if (typeof v === 'number') return Object.is(v, -0) ? { $float: '-0' } : v;
  if (Array.isArray(v)) return v.filter((x) => !(isNode(x) && x['kind'] === 'Doc')).map(canon);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      // Spans say where, not what; a decimal literal's text is its value's spelling.
      if (k === 'span' || (k === 'text' && o['kind'] === 'DecimalLit')) continue;
      out[k] = canon(o[k]);
    }
    return out;
  }
  return v;
}

function isNode(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** One scalar as a tagged string: exact, and unambiguous across types (`i5` is not `s5`). */
export function encodeScalar(v: ScalarValue): string {
  switch (typeof v) {
    case 'bigint':
      return `i${v}`;
    case 'number':
      return Object.is(v, -0) ? 'f-0' : `f${v}`;
    case 'string':
      return `s${v}`;
    default:
      return v ? 'b1' : 'b0';
  }
}

/** The inverse of encodeScalar; null for anything it could not have produced. */
export function decodeScalar(s: unknown): ScalarValue | null {
  if (typeof s !== 'string' || s.length === 0) return null;
  const body = s.slice(1);
  switch (s[0]) {
    case 'i':
      return /^-?(0|[1-9][0-9]*)$/.test(body) ? BigInt(body) : null;
    case 'f': {
      const n = Number(body);
      // The round trip refuses every other spelling, the empty body too (Number('') is 0, which is `f0`).
      return Number.isFinite(n) && encodeScalar(n) === s ? n : null;
    }
    case 's':
      return body;
    case 'b':
      return body === '1' ? true : body === '0' ? false : null;
    default:
      return null;
  }
}

function columnsText(cols: readonly ColumnSpec[]): string {
  return cols.map((c) => c.type.name).join(',');
}

function updateRows(h: Hash, rows: readonly (readonly ScalarValue[])[]): void {
  // Length-prefixed fields: no separator inside a string can make two inputs collide.
  for (const row of rows) {
    let line = `${row.length}`;
    for (const v of row) {
      const e = encodeScalar(v);
      line += `:${e.length}:${e}`;
    }
    h.update(line + '\n');
  }
}

export interface KeyMaterial {
  readonly closure: ShippedClosure;
  readonly pricing: Pricing;
  readonly inColumns: readonly ColumnSpec[];
  readonly rows: readonly (readonly ScalarValue[])[];
  readonly outColumns: readonly ColumnSpec[];
}

/** The memo key (64 hex digits). */
export function memoKey(k: KeyMaterial): string {
  const h = createHash('sha256');
  h.update(`${MEMO_FORMAT}\nspec ${SPEC_VERSION.major}.${SPEC_VERSION.minor}\n`);
  // lang.memory.* answers depend on the pricing, so a result is only valid under the same one.
  h.update(`pricing ${k.pricing.signature()}\n`);
  const fn = canonicalJson({ root: k.closure.root, fns: k.closure.fns.map((f) => ({ decl: f.decl, membrane: f.membrane, env: f.env })) });
  h.update(`fn ${fn.length}\n${fn}\n`);
  h.update(`in ${columnsText(k.inColumns)} ${k.rows.length}\n`);
  updateRows(h, k.rows);
  h.update(`out ${columnsText(k.outColumns)}\n`);
  return h.digest('hex');
}
