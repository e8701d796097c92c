// Rows from a store are checked against the output's column types before they are used: an entry
// that is authentic but holds rows `outDf` would refuse (a bug, or a store written by another
// version) is ignored and recomputed, never turned into a type_error of a correct program.
import { MergeError } from '../../../diagnostics.js';
import { coerceScalar, type ColumnSpec, type ScalarValue } from '../../../model/index.js';

/** Why the first row that does not fit the columns does not, or null when all fit. */
export function firstMisfit(cols: readonly ColumnSpec[], rows: readonly (readonly ScalarValue[])[]): string | null {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as readonly ScalarValue[];
    if (row.length !== cols.length) return `its row ${i + 1} has ${row.length} value${row.length === 1 ? '' : 's'} for ${cols.length} column${cols.length === 1 ? '' : 's'}`;
    for (let j = 0; j < row.length; j++) {
      const col = cols[j] as ColumnSpec;
      try {
        coerceScalar(col.type, row[j] as ScalarValue);
      } catch (e) {
        if (!(e instanceof MergeError)) throw e;
        return `its row ${i + 1} does not fit column ${col.name} (${e.message})`;
      }
    }
  }
  return null;
}
