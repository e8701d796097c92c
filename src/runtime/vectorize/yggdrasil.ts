// Yggdrasil, the scheduler (runtime.md §1.3, §2): the rows are split into tasks (batches of
// consecutive rows) that start in input order on a pool of workers; finished batches go to the
// sorting actorcito. Once Níðhöggr is told of a failure no task starts; running ones finish.
// Pools: `SimPool` (deterministic: a seed fixes the interleaving of simulated workers), `InlinePool`
// (the calling thread) and `ThreadPool` (worker threads, in ./threads.ts).
import type { Nidhoggr } from './nidhoggr.js';
import type { RowOutcome } from './sandbox.js';

/** Rows [start, end) of the input. */
export interface Task {
  readonly start: number;
  readonly end: number;
}

/** A finished task: outcomes of rows start, start+1, …; it stops after the first row that failed. */
export interface BatchDone {
  readonly start: number;
  readonly outcomes: readonly RowOutcome[];
}

export interface Pool {
  readonly size: number;
  running(): number;
  start(task: Task): void;
  /** Blocks until at least one running task has finished; returns every finished batch. */
  next(): BatchDone[];
}

/** Evaluates one input row on the calling thread. */
export type RowEval = (index: number) => RowOutcome;

/** Consecutive batches of `batchSize` rows covering [from, n). */
export function splitTasks(from: number, n: number, batchSize: number): Task[] {
  const size = Math.max(1, Math.floor(batchSize));
  const tasks: Task[] = [];
  for (let s = from; s < n; s += size) tasks.push({ start: s, end: Math.min(n, s + size) });
  return tasks;
}

/**
 * Runs the tasks: starts them in order while workers are free and Níðhöggr has not stopped the work,
 * hands every row of a finished batch to `deliver` (the sorting actorcito), and returns the number of
 * tasks that never started. `tick` is called after every finished batch (progress, time limit).
 */
export function schedule(tasks: readonly Task[], pool: Pool, deliver: (index: number, o: RowOutcome) => void, nid: Nidhoggr, tick: () => void): number {
  let next = 0;
  for (;;) {
    while (!nid.stopped && next < tasks.length && pool.running() < pool.size) pool.start(tasks[next++] as Task);
    if (pool.running() === 0) break;
    for (const b of pool.next()) b.outcomes.forEach((o, k) => deliver(b.start + k, o));
    tick();
  }
  return tasks.length - next;
}

/** Runs a task's rows until the end or the first failure. */
export function runTask(task: Task, evalRow: RowEval): BatchDone {
  const outcomes: RowOutcome[] = [];
  for (let i = task.start; i < task.end; i++) {
    const o = evalRow(i);
    outcomes.push(o);
    if (!o.ok) break;
  }
  return { start: task.start, outcomes };
}

/** One worker: the calling thread runs each task when asked for the next result. */
export class InlinePool implements Pool {
  readonly size = 1;
  private task: Task | null = null;

  constructor(private readonly evalRow: RowEval) {}

  running(): number {
    return this.task ? 1 : 0;
  }

  start(task: Task): void {
    this.task = task;
  }

  next(): BatchDone[] {
    const t = this.task;
    this.task = null;
    return t ? [runTask(t, this.evalRow)] : [];
  }
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; the whole interleaving follows from the seed. */
export function prng(seed: number): () => number {
  let a = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimWorker {
  readonly task: Task;
  cursor: number;
  readonly outcomes: RowOutcome[];
}

/**
 * Deterministic mode: `size` simulated workers. Each step the seeded PRNG picks a busy worker, which
 * evaluates its next row (on the calling thread); a worker's batch is handed over when it ends or
 * fails. So batches finish out of order, and rows keep being computed past a failure, exactly as on
 * real threads — but every interleaving is reproducible from the seed.
 */
export class SimPool implements Pool {
  private readonly busy: SimWorker[] = [];
  private readonly rand: () => number;

  constructor(
    readonly size: number,
    private readonly evalRow: RowEval,
    seed: number,
  ) {
    this.rand = prng(seed);
  }

  running(): number {
    return this.busy.length;
  }

  start(task: Task): void {
    this.busy.push({ task, cursor: task.start, outcomes: [] });
  }

  next(): BatchDone[] {
    for (;;) {
      if (this.busy.length === 0) return [];
      const k = Math.floor(this.rand() * this.busy.length);
      const w = this.busy[k] as SimWorker;
      const o = this.evalRow(w.cursor++);
      w.outcomes.push(o);
      if (!o.ok || w.cursor >= w.task.end) {
        this.busy.splice(k, 1);
        return [{ start: w.task.start, outcomes: w.outcomes }];
      }
    }
  }
}
