// Níðhöggr and the sorting actorcito (runtime.md §1.3–1.5). Results arrive in any order; the
// actorcito appends them to outDf in input order through outDf's membranes. The first failure in
// input order — f raising on a row, or an append the membranes refuse — is reported to Níðhöggr,
// which stops new tasks from starting; running tasks finish and their results past the failure are
// discarded. outDf then holds exactly the longest prefix that computed and fit.
import { MergeError } from '../../diagnostics.js';
import type { ScalarValue } from '../../model/index.js';
import type { RowOutcome } from './sandbox.js';

export interface Failure {
  /** Input row index (0-based). */
  readonly index: number;
  /** `f`: the function raised on that row; `append`: outDf's membranes (or types) refused its result. */
  readonly kind: 'f' | 'append';
  readonly error: MergeError;
}

/** Told of every failure; once told, no task may start (unstarted tasks are abandoned). */
export class Nidhoggr {
  stopped = false;

  notify(): void {
    this.stopped = true;
  }
}

export class SortingActorcito {
  /** Rows appended so far: always the prefix 0..kept-1. */
  kept = 0;
  /** Rows whose outcome arrived (computed or fetched), kept or not. */
  delivered = 0;
  /** Operations of every delivered row, including those discarded. */
  totalOps = 0;
  failure: Failure | null = null;
  private readonly held = new Map<number, RowOutcome>();
  private readonly ops: number[] = [];

  constructor(
    private readonly n: number,
    private readonly append: (values: readonly ScalarValue[], index: number) => void,
    private readonly nid: Nidhoggr,
  ) {}

  /** A row's outcome arrived. Appends whatever is now contiguous with the kept prefix. */
  deliver(index: number, o: RowOutcome): void {
    this.delivered++;
    this.totalOps += o.ops;
    this.ops[index] = o.ops;
    if (this.failure && index > this.failure.index) return;
    if (!o.ok) {
      this.nid.notify();
      this.failure = { index, kind: 'f', error: o.error };
      this.drain();
      return;
    }
    this.held.set(index, o);
    this.drain();
  }

  private drain(): void {
    const limit = this.failure ? this.failure.index : this.n;
    while (this.kept < limit) {
      const o = this.held.get(this.kept);
      if (o === undefined) return;
      this.held.delete(this.kept);
      try {
        this.append((o as Extract<RowOutcome, { ok: true }>).values, this.kept);
      } catch (e) {
        // Only a language error is a refused row; limits and bugs stop the run as they are.
        if (!(e instanceof MergeError) || e.errorName === undefined) throw e;
        this.nid.notify();
        this.failure = { index: this.kept, kind: 'append', error: e };
        this.held.clear();
        return;
      }
      this.kept++;
    }
    if (this.failure) this.held.clear();
  }

  /** Rows computed (or fetched) but not appended: the failing row and everything finished past it. */
  get discarded(): number {
    return this.delivered - this.kept;
  }

  /** Rows never evaluated: tasks abandoned before they started, and the rest of a batch that failed. */
  get abandoned(): number {
    return this.n - this.delivered;
  }

  /** Operations a sequential evaluation up to the outcome counts: rows kept plus the failing row. */
  countedOps(): number {
    const end = this.failure ? this.failure.index : this.kept - 1;
    let sum = 0;
    for (let i = 0; i <= end; i++) sum += this.ops[i] ?? 0;
    return sum;
  }
}
