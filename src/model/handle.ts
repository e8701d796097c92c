// A dataframe handle: repeated appends and reads without looking the path up each time.
import { fail } from '../diagnostics.js';
import type { ColumnSpec, Dataframe } from './dataframe.js';
import type { Memory } from './memory.js';
import type { ScalarValue } from './types.js';
import type { View } from './view.js';

/** Appends through a view to the dataframe at a path; cheap to call in a loop. */
export class DataframeHandle {
  private df: Dataframe | null = null;
  private where = '';
  private seen = -1;

  constructor(
    private readonly memory: Memory,
    readonly view: View,
    readonly path: readonly string[],
  ) {}

  /** The dataframe, looked up again only after the world's structure changed (any edit, freeze or retired membrane). */
  private current(): Dataframe {
    if (this.df === null || this.seen !== this.memory.structureVersion) {
      const r = this.memory.resolveDataframe(this.view, this.path);
      if (r.frozen && !r.df.frozen) fail('MRG3005', `dataframe ${r.where} is inside a frozen dag: rows cannot be added`);
      this.df = r.df;
      this.where = r.where;
      this.seen = r.version;
    }
    return this.df;
  }

  /** One row, values in column order. quota_error / freeze_error / type_error leave everything as before. */
  append(values: readonly ScalarValue[]): void {
    const df = this.current();
    this.memory.appendChecked(this.view, df, this.where, values);
  }

  get rows(): number {
    return this.current().rows;
  }

  get frozen(): boolean {
    return this.current().frozen;
  }

  get columns(): readonly ColumnSpec[] {
    return this.current().columns;
  }

  row(i: number): ScalarValue[] {
    return this.current().row(i);
  }

  /**
   * The rows there are now, read later and in O(1) now: rows are only ever appended (an append undone
   * by its own atomic group aside), so the first `rows` keep their values. Taking one copies nothing,
   * so snapshots of the same data share it.
   */
  snapshot(): RowsSnapshot {
    const df = this.current();
    const rows = df.rows;
    return { rows, row: (i) => df.row(i) };
  }
}

/** The first `rows` rows of a dataframe, as they were when it was taken. */
export interface RowsSnapshot {
  readonly rows: number;
  row(i: number): ScalarValue[];
}
