// vectorize rules from the README (runtime.md §1), each pinned by a fixed case with hand-worked
// expectations: the memo key covers the pricing, no task starts after a failure, and the run's steps
// count the failing row's operations. A planted bug that breaks a rule fails the test that names it.
import { afterAll, describe, expect, it } from 'vitest';

import { Pricing } from '../../src/model/index.js';
import { shutdownWorkers, type VectorizeOptions } from '../../src/runtime/vectorize/index.js';
import { BASKET, profile } from '../model/fixtures.js';
import { dfRows, folderMemo, runVec, tempDir } from './helpers.js';

afterAll(() => shutdownWorkers());

/** Six rows; f answers with the price of an int32 under the run's pricing, and raises on row `bad` (1-based). */
const PRICED = (bad: number) => `mutable dataframe inDf int32 x;
mutable int i = 1;
while i <= 6 { inDf(i); i += 1; };
mutable dataframe outDf int32 x, float16 p;
function f(x int32)::{}{
  lang.assert x != ${bad};
  return x lang.memory.int.rampoints(lang.types.int32);
};
mutable blocker b;
b += vectorize f inDf outDf;
await_all b;
`;

describe('the memo key includes the pricing: profile and basket (README, memo store)', () => {
  it('a result stored under one profile or basket is not found under another', () => {
    const memo = folderMemo(tempDir());
    const cpython = Pricing.fromCounts(profile('cpython-dev'), BASKET);
    const jvm = Pricing.fromCounts(profile('jvm'), BASKET);
    // The same profile over another basket: every count doubled but the int32s, so prices change.
    const other = Pricing.fromCounts(profile('cpython-dev'), { ...BASKET, byKind: new Map([...BASKET.byKind].map(([k, n]) => [k, k === 'scalar:int32' ? n : 2 * n])) });
    const run = (pricing: Pricing) => {
      const { r, engine } = runVec(PRICED(0), { memo }, { pricing });
      expect(r.error).toBeNull();
      return { rows: dfRows(r, 'outDf'), report: engine.reports[0]! };
    };
    const first = run(cpython);
    expect([first.report.reason, first.report.memo?.stored]).toEqual(['no entry', true]);
    // The same pricing again finds the entry (the verdict then decides); the others do not.
    expect(run(cpython).report.reason).toBe('verdict');
    const j = run(jvm);
    const o = run(other);
    expect([j.report.reason, o.report.reason]).toEqual(['no entry', 'no entry']);
    expect(new Set([first.report.key, j.report.key, o.report.key]).size).toBe(3);
    // Why it matters: f's answers differ under the three pricings.
    const prices = [first, j, o].map((x) => x.rows[0]?.[1]);
    expect(new Set(prices).size).toBe(3);
  });
});

describe('after a failure no task starts any more (README: Níðhöggr)', () => {
  // Rows are 1..6 and f raises on row 3. One worker runs one task at a time, so rows 4-6 are never
  // evaluated: kept 2, discarded 1 (the failing row), abandoned 3.
  const oneWorker: [string, VectorizeOptions][] = [
    ['inline', { workers: 1, threads: 'never' }],
    ['deterministic', { workers: 1, seed: 11, batchSize: 1 }],
  ];
  for (const [mode, opts] of oneWorker) {
    it(`one ${mode} worker abandons every row after the failing one`, () => {
      const { r, engine } = runVec(PRICED(3), opts);
      expect(r.error?.name).toBe('range_error');
      expect(r.error?.message).toMatch(/\(vectorize f: f raised on row 3 of 6; kept 2 of 6 rows\)$/);
      const rep = engine.reports[0]!;
      expect([rep.kept, rep.discarded, rep.abandoned, rep.failedRow]).toEqual([2, 1, 3, 2]);
      expect(dfRows(r, 'outDf').map((row) => row[0])).toEqual([1n, 2n]);
    });
  }
});

describe("the run's steps include the operations of the rows kept and of the failing row (README: cost)", () => {
  // f loops x times, then asserts x < 500. Rows 1, 2 and N: the third row fails after N iterations.
  // Two programs that differ only in N (1000 or 600) differ in steps by the 400 extra iterations of
  // the failing row: each evaluates the condition `j < x` (3 expression nodes) and the statement
  // `j += 1` (1 statement, 1 expression node), 5 operations, so 400 · 5 = 2000.
  const LOOP = (n: number) => `mutable dataframe inDf int32 x;
inDf(1);
inDf(2);
inDf(${n});
mutable dataframe outDf int32 x;
function f(x int32)::{}{
  mutable int j = 0;
  while j < x { j += 1; };
  lang.assert x < 500;
  return x;
};
mutable blocker b;
b += vectorize f inDf outDf;
await_all b;
`;
  const modes: [string, VectorizeOptions][] = [
    ['inline', { workers: 1, threads: 'never' }],
    ['deterministic', { workers: 2, seed: 5, batchSize: 1 }],
    ['threads', { workers: 2, threads: 'always', batchSize: 1 }],
  ];
  for (const [mode, opts] of modes) {
    it(`${mode}: 400 more iterations on the failing row are 2000 more steps`, () => {
      const long = runVec(LOOP(1000), opts).r;
      const short = runVec(LOOP(600), opts).r;
      for (const r of [long, short]) {
        expect(r.error?.name).toBe('range_error');
        expect(r.error?.message).toMatch(/f raised on row 3 of 3; kept 2 of 3 rows\)$/);
      }
      expect(long.steps - short.steps).toBe(2000);
    });
  }
});
