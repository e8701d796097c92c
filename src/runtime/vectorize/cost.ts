// The FnCost of a vectorize (runtime.md §1.1), the same on every machine and run: W is the
// interpreter's operation count of f over the rows (a deterministic count, not a time); Q, M and R
// come from canonical byte sizes, which depend only on types (int32 is 4 bytes, a string its UTF-8
// length). Q: the input rows read plus the result rows written; M: both live at once; R: the result
// rows (what the memo store keeps and a fetch transfers), sized by outDf's column types.
import { FnCost } from '../../coren/index.js';
import { canonicalBytes, minimalIntBytes, utf8Length, type ColumnSpec, type ScalarValue } from '../../model/index.js';

/** A value's canonical size as its own type: int as its minimal bytes, float64, UTF-8 string, bool. */
function ownBytes(v: ScalarValue): number {
  switch (typeof v) {
    case 'bigint':
      return minimalIntBytes(v);
    case 'number':
      return 8;
    case 'string':
      return utf8Length(v);
    default:
      return 1;
  }
}

function fits(col: ColumnSpec, v: ScalarValue): boolean {
  switch (col.type.family) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'float':
      return typeof v === 'number';
    default:
      return typeof v === 'bigint';
  }
}

/** Canonical bytes of one row under the given columns (a value that does not match its column: its own size). */
export function rowBytes(cols: readonly ColumnSpec[], row: readonly ScalarValue[]): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as ScalarValue;
    const c = cols[i];
    n += c && fits(c, v) ? canonicalBytes(c.type, v) : ownBytes(v);
  }
  return n;
}

export function rowsBytes(cols: readonly ColumnSpec[], rows: readonly (readonly ScalarValue[])[]): bigint {
  let n = 0n;
  let acc = 0;
  for (const r of rows) {
    acc += rowBytes(cols, r);
    // Keep the float accumulator exact: flush long before 2^53.
    if (acc > 1e15) {
      n += BigInt(acc);
      acc = 0;
    }
  }
  return n + BigInt(acc);
}

/** The work's cost from its operation count and the bytes read and written. */
export function vectorizeCost(ops: bigint, inputBytes: bigint, resultBytes: bigint): FnCost {
  const traffic = inputBytes + resultBytes;
  return FnCost.new(ops, traffic, traffic, resultBytes);
}
