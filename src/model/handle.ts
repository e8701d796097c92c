// A dataframe handle: repeated appends and reads without looking the path up each time.
import { fail } from '../diagnostics.js';
import type { ColumnSpec, Dataframe } from './dataframe.js';
import type { Memory, ResolvedDataframe } from './memory.js';
import type { ScalarValue } from './types.js';
import type { View } from './view.js';

/** Appends through a view to the dataframe at a path; cheap to call in a loop. */
export class DataframeHandle {
  /** The last lookup (null before the first): the dataframe, its path as shown, the structure version seen. */
  private found: ResolvedDataframe | null = null;

  constructor(
    private readonly memory: Memory,
    readonly view: View,
    readonly path: readonly string[],
  ) {}

  /** The dataframe, looked up again only after the world's structure changed (any edit, freeze or retired membrane). */
  private current(): ResolvedDataframe {
    let r = this.found;
    if (r === null || r.version !== this.memory.structureVersion) {
      r = this.memory.resolveDataframe(this.view, this.path);
      if (r.frozen && !r.df.frozen) fail('MRG3005', `dataframe ${r.where} is inside a frozen dag: rows cannot be added`);
      this.found = r;
    }
    return r;
  }

  /** One row, values in column order. quota_error / freeze_error / type_error leave everything as before. */
  append(values: readonly ScalarValue[]): void {
    const r = this.current();
    this.memory.appendChecked(this.view, r.df, r.where, values);
  }

  get rows(): number {
    return this.current().df.rows;
  }

  get frozen(): boolean {
    return this.current().df.frozen;
  }

  get columns(): readonly ColumnSpec[] {
    return this.current().df.columns;
  }

  row(i: number): ScalarValue[] {
    return this.current().df.row(i);
  }

  /**
   * The rows there are now, read later and in O(1) now: rows are only ever appended (an append undone
   * by its own atomic group aside), so the first `rows` keep their values. Taking one copies nothing,
   * so snapshots of the same data share it.
   */
  snapshot(): RowsSnapshot {
    const df = this.current().df;
    const rows = df.rows;
    return { rows, row: (i) => df.row(i) };
  }
}

/** The first `rows` rows of a dataframe, as they were when it was taken. */
export interface RowsSnapshot {
  readonly rows: number;
  row(i: number): ScalarValue[];
}
