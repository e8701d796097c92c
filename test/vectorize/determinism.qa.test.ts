// QA: what a program can read of a vectorize is the same on every schedule (runtime.md §2). The error
// text used to say "discarded N, abandoned M", which with --workers 4 read 1, 1, 1, 1, 3, 34 over six
// runs; a step budget running out inside a vectorize stopped at a row that depended on which worker
// ran what. Now the error names the failing row and the rows kept, the timing-dependent counts are in
// the report only, and the step budget is charged row by row in input order.
import { afterAll, describe, expect, it } from 'vitest';

import { shutdownWorkers, type VectorizeOptions } from '../../src/runtime/vectorize/index.js';
import { dfRows, runVec } from './helpers.js';

afterAll(() => shutdownWorkers());

const MODES: [string, VectorizeOptions][] = [
  ['inline', { threads: 'never' }],
  ['seed 1 x3', { seed: 1, workers: 3, batchSize: 2 }],
  ['seed 7 x4', { seed: 7, workers: 4, batchSize: 1 }],
  ['seed 9 x2', { seed: 9, workers: 2, batchSize: 5 }],
  ['threads x2', { threads: 'always', workers: 2, batchSize: 1 }],
  ['threads x4', { threads: 'always', workers: 4, batchSize: 3 }],
];

/** 60 rows; f raises on row `bad` (1-based, 0: never); outDf under a quota of `quota` points. */
function program(opts: { bad: number; quota: number; work?: number }): string {
  return `function f(x int32)::{}{
  lang.assert x != ${opts.bad};
  mutable int k = 0;
  while k < ${opts.work ?? 3} { k += 1; };
  return x;
};
function go()::{ cout; endl; }{
  mutable dataframe inDf int32 x;
  mutable int i = 1;
  while i <= 60 { inDf(i); i += 1; };
  mutable dag results;
  mutable dag capped = membrane<quota<${opts.quota}, ${opts.quota}, 0>> results;
  mutable dataframe capped.outDf int32 y;
  mutable blocker b;
  b += vectorize f inDf capped.outDf;
  await_all b;
}!!{
  cout scope.exceptions[-1].name ": " scope.exceptions[-1].message endl;
};
go();
`;
}

/** The same work at the top level, so outDf outlives a limit (a function's locals end with it). */
function topLevel(work: number): string {
  return `function f(x int32)::{}{
  mutable int k = 0;
  while k < ${work} { k += 1; };
  return x;
};
mutable dataframe inDf int32 x;
mutable int i = 1;
while i <= 60 { inDf(i); i += 1; };
mutable dataframe outDf int32 y;
mutable blocker b;
b += vectorize f inDf outDf;
await_all b;
`;
}

function everyMode(source: string, maxSteps?: number) {
  return MODES.map(([mode, vec]) => {
    const { r, engine } = runVec(source, vec, maxSteps === undefined ? {} : { maxSteps });
    return { mode, r, report: engine.reports[0] };
  });
}

describe('vectorize: the same result and error text on every schedule', () => {
  it('an append the quota refuses: the handler reads one text everywhere, naming capped.outDf as written', () => {
    const runs = everyMode(program({ bad: 0, quota: 60 }));
    const texts = new Set(runs.map((x) => x.r.stdout));
    expect(texts.size, [...texts].join('\n')).toBe(1);
    const text = [...texts][0] as string;
    expect(text).toMatch(/^quota_error: allocation refused by quota membrane 'capped': .* \(vectorize f: row (\d+) of 60 did not fit capped\.outDf; kept \d+ of 60 rows\)\n$/);
    expect(text).not.toMatch(/discarded|abandoned|results\.outDf/);
    for (const x of runs) expect(x.report?.output, x.mode).toBe('capped.outDf');
  });

  it('f raising on row 17: "kept 16 of 60 rows" everywhere; the timing-dependent counts only in the report', () => {
    const runs = everyMode(program({ bad: 17, quota: 100_000 }));
    for (const x of runs) {
      expect(x.r.stdout, x.mode).toMatch(/^range_error: lang\.assert failed: the condition is false \(vectorize f: f raised on row 17 of 60; kept 16 of 60 rows\)\n$/);
      const rep = x.report!;
      expect([rep.kept, rep.failedRow], x.mode).toEqual([16, 16]);
      expect(rep.kept + rep.discarded + rep.abandoned, x.mode).toBe(60);
    }
  });

  it('inline mode: tasks of one row, so a failure stops the rest at once (discarded 1, abandoned the rest)', () => {
    // The rows probed before the pool is sized are delivered one by one as well (it was "discarded 2").
    const { r, engine } = runVec(program({ bad: 0, quota: 60 }), { threads: 'never' });
    const rep = engine.reports[0]!;
    expect(rep.mode).toBe('inline');
    expect(rep.discarded).toBe(1);
    expect(rep.abandoned).toBe(60 - rep.kept - 1);
    expect(r.stdout).toContain(`kept ${rep.kept} of 60 rows`);
  });

  it('a step budget that runs out inside the vectorize stops at the same row in every mode (MRG3010)', () => {
    // Each row costs the same operations; the budget runs out partway through the 60 rows.
    const source = topLevel(40);
    const full = runVec(source, { threads: 'never' });
    expect(full.r.error).toBeNull();
    const runs = everyMode(source, Math.floor(full.r.steps * 0.6));
    const kept = new Set<number>();
    for (const x of runs) {
      expect(x.r.error?.code, x.mode).toBe('MRG3010');
      expect(x.r.error?.message, x.mode).toBe(`the program ran ${Math.floor(full.r.steps * 0.6)} steps without finishing`);
      expect(x.r.error?.line, x.mode).toBe(11);
      kept.add(dfRows(x.r, 'outDf').length);
    }
    expect(kept.size, [...kept].join(', ')).toBe(1);
    expect([...kept][0]).toBeGreaterThan(0);
    expect([...kept][0]).toBeLessThan(60);
  });
});
