// Níðhöggr and the sorting actorcito (runtime.md §1.3–1.5). Results arrive in any order; the
// actorcito appends them to outDf in input order through outDf's membranes. The first failure in
// input order — f raising on a row, or an append the membranes refuse — is reported to Níðhöggr,
// which stops new tasks from starting; running tasks finish and their results past the failure are
// discarded. outDf then holds exactly the longest prefix that computed and fit.
import { MergeError } from '../../diagnostics.js';
import type { ScalarValue } from '../../model/index.js';
import type { RowOutcome } from './sandbox.js';

export type Failure =
  /** `f`: the function raised on that row; `append`: outDf's membranes (or types) refused its result. */
  | { readonly index: number; readonly kind: 'f' | 'append'; readonly error: MergeError }
  /** A limit or an internal failure while evaluating that row (MRG3010–3012, MRG3014, a bug): the run stops. */
  | { readonly index: number; readonly kind: 'fatal'; readonly error: unknown }
  /** Evaluating the rows up to this one, in input order, would overrun the run's step budget (MRG3010). */
  | { readonly index: number; readonly kind: 'steps' };

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
  /** Operations of the rows appended, in input order (what a sequential evaluation spent). */
  private spent = 0;

  /**
   * `budget`: the steps the run has left. Rows are charged in input order, so whether and where the
   * budget runs out does not depend on which worker evaluated which row, or when.
   */
  constructor(
    private readonly n: number,
    private readonly append: (values: readonly ScalarValue[], index: number) => void,
    private readonly nid: Nidhoggr,
    private readonly budget = Infinity,
  ) {}

  /** A row's outcome arrived. Appends whatever is now contiguous with the kept prefix. */
  deliver(index: number, o: RowOutcome): void {
    this.delivered++;
    this.totalOps += o.ops;
    this.ops[index] = o.ops;
    if (this.failure && index > this.failure.index) return;
    if (!o.ok) {
      this.fail(o.fatal ? { index, kind: 'fatal', error: o.error } : { index, kind: 'f', error: o.error });
      this.drain();
      return;
    }
    this.held.set(index, o);
    this.drain();
  }

  private fail(f: Failure): void {
    this.nid.notify();
    this.failure = f;
    // Rows past the failure are discarded; those before it still go in as they arrive.
    for (const k of this.held.keys()) if (k >= f.index) this.held.delete(k);
  }

  /** Charges row `i`'s operations; false (and a `steps` failure) when they overrun the budget. */
  private charge(i: number): boolean {
    // Only delivered rows are charged: the kept prefix and the failing row.
    const cost = this.ops[i] as number;
    if (this.spent + cost > this.budget) {
      this.fail({ index: i, kind: 'steps' });
      return false;
    }
    this.spent += cost;
    return true;
  }

  private drain(): void {
    while (this.kept < (this.failure ? this.failure.index : this.n)) {
      const o = this.held.get(this.kept);
      if (o === undefined) return;
      this.held.delete(this.kept);
      if (!this.charge(this.kept)) return;
      try {
        this.append((o as Extract<RowOutcome, { ok: true }>).values, this.kept);
      } catch (e) {
        // Only a language error is a refused row; limits and bugs stop the run as they are.
        if (!(e instanceof MergeError) || e.errorName === undefined) throw e;
        this.fail({ index: this.kept, kind: 'append', error: e });
        return;
      }
      this.kept++;
    }
    // Every row before the failing one is in (the loop stops only there), and this point is reached
    // once per failure: rows past it are never drained. Had the rows run one by one, the failing
    // row's own operations would have been spent too, and the step budget may run out there first.
    if (this.failure?.kind === 'f') this.charge(this.failure.index);
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
