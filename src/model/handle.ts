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

  private current(): { df: Dataframe; where: string } {
    if (this.df === null || this.seen !== this.memory.structureVersion) {
      const r = this.memory.resolveDataframe(this.view, this.path);
      if (r.frozen && !r.df.frozen) fail('MRG3005', `dataframe ${r.where} is inside a frozen dag: rows cannot be added`);
      this.df = r.df;
      this.where = r.where;
      this.seen = r.version;
    }
    return { df: this.df, where: this.where };
  }

  /** One row, values in column order. quota_error / freeze_error / type_error leave everything as before. */
  append(values: readonly ScalarValue[]): void {
    const { df, where } = this.current();
    this.memory.appendChecked(this.view, df, where, values);
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
}
