// The worker-thread pool with hand-worked expectations: threads are started once and reused (a
// larger pool starts only the missing ones), each vectorize's function is sent to a thread before
// its rows (a thread that ran another function must not use it again), a failure of the worker
// machinery is fatal with the worker's own words, a reply from a job that already stopped only frees
// its thread, and a pool is never empty.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { FatalRowError } from '../../src/runtime/vectorize/sandbox.js';
import { shutdownWorkers, workerCount } from '../../src/runtime/vectorize/index.js';
import { ThreadPool } from '../../src/runtime/vectorize/threads.js';
import type { JobSpec } from '../../src/runtime/vectorize/wire.js';
import { dfRows, PRICING, runVec, SQUARES } from './helpers.js';

// The engine evaluates up to 64 rows on the calling thread before it sizes a pool (fewer when they
// take over 2 ms): with 80 rows at least 16 always go to the threads.
const N = 80;
/** x² for x = 0 … n−1, worked out here, not by the interpreter. */
const squares = (n: number) => Array.from({ length: n }, (_, x) => [BigInt(x * x)]);
const cubes = (n: number) => Array.from({ length: n }, (_, x) => [BigInt(x * x * x)]);

beforeAll(() => shutdownWorkers());
afterAll(() => shutdownWorkers());

const SPAN = { file: 't.merge', line: 1, column: 1, endLine: 1, endColumn: 2 };
/** A job whose closure names a callable it does not ship: every thread fails to build its sandbox. */
const BROKEN: JobSpec = { closure: { root: 7, fns: [] }, pricing: PRICING.spec(), limits: { maxSteps: 1000, timeoutMs: 10_000, maxCallDepth: 10 }, span: SPAN, fnName: 'f' };

/** sq into outDf, then cube over the same rows into outDf2, both on threads. */
const SQ_THEN_CUBE = `${SQUARES(N)}mutable dataframe outDf2 int64 y;
function cube(x int32)::{}{ return x * x * x; };
mutable blocker c;
c += vectorize cube inDf outDf2;
await_all c;
cout lang.dataframe.rows(outDf2) endl;
`;

describe('the thread pool', () => {
  it('starts threads once and reuses them: 3, then a pool of 2 starts none, a pool of 4 one more; shutdown ends them all', async () => {
    await shutdownWorkers();
    expect(workerCount()).toBe(0);
    const a = runVec(SQUARES(N), { threads: 'always', workers: 3, batchSize: 1 });
    expect(a.engine.reports[0]).toMatchObject({ mode: 'threads', workers: 3 });
    expect(dfRows(a.r, 'outDf')).toEqual(squares(N));
    expect(workerCount()).toBe(3);
    const two = runVec(SQUARES(N), { threads: 'always', workers: 2, batchSize: 3 });
    expect(dfRows(two.r, 'outDf')).toEqual(squares(N));
    expect(workerCount()).toBe(3);
    const b = runVec(SQUARES(N), { threads: 'always', workers: 4, batchSize: 2 });
    expect(b.engine.reports[0]).toMatchObject({ mode: 'threads', workers: 4, kept: N, discarded: 0, abandoned: 0 });
    expect(dfRows(b.r, 'outDf')).toEqual(squares(N));
    expect(workerCount()).toBe(4);
    await shutdownWorkers();
    expect(workerCount()).toBe(0);
  });

  it('a thread that ran another function is sent the new one before its rows', () => {
    const { r, engine } = runVec(SQ_THEN_CUBE, { threads: 'always', workers: 2, batchSize: 1 });
    expect(r.error).toBeNull();
    expect(r.stdout).toBe(`${N}\n${N}\n`);
    expect(engine.reports.map((x) => [x.fn, x.mode])).toEqual([
      ['sq', 'threads'],
      ['cube', 'threads'],
    ]);
    expect(dfRows(r, 'outDf')).toEqual(squares(N));
    expect(dfRows(r, 'outDf2')).toEqual(cubes(N));
  });

  it('a pool is never empty: size 0 is one thread', () => {
    const pool = new ThreadPool(0, BROKEN, [[1n]], () => {});
    expect(pool.size).toBe(1);
    expect(pool.running()).toBe(0);
    expect(workerCount()).toBeGreaterThanOrEqual(1);
  });

  it("a worker that cannot build the job's sandbox is fatal, in the worker's own words; the pool counts the task as ended", () => {
    const pool = new ThreadPool(1, BROKEN, [[1n], [2n]], () => {});
    pool.start({ start: 0, end: 2 });
    expect(pool.running()).toBe(1);
    let caught: unknown;
    try {
      pool.next();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FatalRowError);
    expect((caught as FatalRowError).message).toBe('in a vectorize worker thread: Error: vectorize closure has no callable #7');
    expect((caught as FatalRowError).error).toBeInstanceOf(Error);
    expect(pool.running()).toBe(0);
    // The thread is free again: the next vectorize runs on it.
    const { r } = runVec(SQUARES(N), { threads: 'always', workers: 1 });
    expect(dfRows(r, 'outDf')).toEqual(squares(N));
  });

  it('after a fatal stop, the reply a thread still owed the stopped job only frees that thread', () => {
    // Two threads each run a task of the broken job: the first fatal reply stops it, the second is
    // left unread. The next vectorize needs both threads: it reads that reply and must ignore it.
    const pool = new ThreadPool(2, BROKEN, [[1n], [2n]], () => {});
    pool.start({ start: 0, end: 1 });
    pool.start({ start: 1, end: 2 });
    expect(pool.running()).toBe(2);
    expect(() => pool.next()).toThrow(FatalRowError);
    const { r, engine } = runVec(SQUARES(N), { threads: 'always', workers: 2, batchSize: 1 });
    expect(r.error).toBeNull();
    expect(engine.reports[0]).toMatchObject({ mode: 'threads', workers: 2, kept: N });
    expect(dfRows(r, 'outDf')).toEqual(squares(N));
  });

  it("a thread's sandbox names the function as the program does (a row that returns nothing)", () => {
    // Row 71 (x = 70) is past the rows the calling thread may take: a thread runs it.
    const src = SQUARES(N).replace('return x * x;', 'if x != 70 { return x * x; };');
    const { r, engine } = runVec(src, { threads: 'always', workers: 2, batchSize: 4 });
    expect(r.error?.message).toBe('sq returned nothing (it has no `return a b …;`) for row 71; a vectorized function returns the output row\'s scalars (vectorize sq: sq raised on row 71 of 80; kept 70 of 80 rows)');
    expect(engine.reports[0]).toMatchObject({ mode: 'threads', kept: 70, failedRow: 70 });
    expect(dfRows(r, 'outDf')).toEqual(squares(70));
  });

  it('threads that started long ago are not taken for threads that never started (the 30 s start limit is for threads not ready)', () => {
    // Both threads reply in the first run, so both are ready; then the clock moves an hour on.
    expect(dfRows(runVec(SQUARES(N), { threads: 'always', workers: 2, batchSize: 1 }).r, 'outDf')).toEqual(squares(N));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3_600_000);
      // Rows of a 3000-step loop: the calling thread surely waits for a thread (and then looks at the threads' ages).
      const slow = SQUARES(N).replace('return x * x;', 'mutable int j = 0; while j < 3000 { j += 1; }; return x * x;');
      const { r } = runVec(slow, { threads: 'always', workers: 2, batchSize: 1 });
      expect(r.error).toBeNull();
      expect(dfRows(r, 'outDf')).toEqual(squares(N));
    } finally {
      vi.useRealTimers();
    }
  });
});
