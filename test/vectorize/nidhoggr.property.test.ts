// Níðhöggr's promise (runtime.md §1.4–1.5, §2) as properties: for every schedule seed, worker count
// 1..8 and batch size, with a row whose f raises and/or a quota that runs out at a random row, the
// error is raised at await_all, outDf holds exactly the longest prefix that computed and fit (the
// oracle appends the same rows one by one in a plain program), the counts add up, I1–I4 hold, a seed
// replays the same interleaving, and the real mode (worker threads) agrees with the deterministic one.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import type { RunResult } from '../../src/runtime/run.js';
import { shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { dfRows, runVec } from './helpers.js';
import { runs } from '../support/properties.js';

interface Case {
  lens: number[];
  /** Index of the row whose f raises, or -1. */
  bad: number;
  /** The quota membrane's total (and direct) points over outDf. */
  total: number;
  seed: number;
  batch: number;
}

const SETUP = (c: Case) => `mutable dag store;
mutable dag q = membrane<quota<${c.total}, ${c.total}, 0>> store;
mutable dataframe q.outDf int32 x, string label;
function f(x int32, len int32)::{}{
  lang.assert x != ${c.bad};
  mutable string s = "";
  mutable int k = 0;
  while k < len { s = s + "ab"; k += 1; };
  return x s;
};
`;

/** Line of `lang.assert` in SETUP (an f failure is raised there) and of the vectorize in PROGRAM. */
const ASSERT_LINE = 5;
const VECTORIZE_LINE = 14;

function program(c: Case): string {
  const rows = c.lens.map((len, i) => `inDf(${i} ${len});`).join(' ');
  return `${SETUP(c)}mutable dataframe inDf int32 x, int32 len;
${rows}
mutable blocker b;
b += vectorize f inDf q.outDf;
cout "registered" endl;
await_all b;
cout "after" endl;
`;
}

/** The same rows appended one by one, stopping before the row whose f raises. */
function oracle(c: Case): { rows: unknown[][]; code: string | null } {
  const upto = c.bad >= 0 ? Math.min(c.bad, c.lens.length) : c.lens.length;
  const appends = c.lens
    .slice(0, upto)
    .map((len, i) => `q.outDf(${i} "${'ab'.repeat(len)}");`)
    .join('\n');
  const { r } = runVec(`${SETUP(c)}${appends}\n`);
  const rows = dfRows(r, 'outDf');
  const code = r.error ? r.error.code : upto < c.lens.length ? 'MRG3009' : null;
  return { rows, code };
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    lens: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 24 }),
    badAt: fc.option(fc.nat(), { nil: undefined }),
    extra: fc.integer({ min: 0, max: 120 }),
    seed: fc.nat(),
    batch: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ lens, badAt, extra, seed, batch }) => ({
    lens,
    bad: badAt === undefined ? -1 : badAt % (lens.length + 2),
    // The dataframe's declaration takes about 9 points, a row 3 to 5: totals from 12 up break anywhere.
    total: 12 + extra,
    seed,
    batch,
  }));

function check(c: Case, r: RunResult, expected: ReturnType<typeof oracle>, kept: number | undefined): void {
  expect(dfRows(r, 'outDf')).toEqual(expected.rows);
  expect(kept).toBe(expected.rows.length);
  expect(checkInvariants(r.memory!)).toEqual([]);
  if (expected.code === null) {
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('registered\nafter\n');
    return;
  }
  // Raised by await_all: after "registered", before "after".
  expect(r.stdout).toBe('registered\n');
  expect(r.error?.code).toBe(expected.code);
  expect(r.error?.line).toBe(expected.code === 'MRG3009' ? ASSERT_LINE : VECTORIZE_LINE);
  expect(r.error?.message).toMatch(new RegExp(`kept ${expected.rows.length} of ${c.lens.length} rows?\\)$`));
}

afterAll(async () => {
  await shutdownWorkers();
});

describe('Níðhöggr and the sorting actorcito', () => {
  it('deterministic mode: the longest fitting prefix for every seed and worker count 1..8', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const expected = oracle(c);
        const src = program(c);
        for (let workers = 1; workers <= 8; workers++) {
          const { r, engine } = runVec(src, { seed: c.seed, workers, batchSize: c.batch });
          const rep = engine.reports[0];
          check(c, r, expected, rep?.kept);
          expect(rep!.kept + rep!.discarded + rep!.abandoned).toBe(c.lens.length);
          expect(rep!.mode).toBe('deterministic');
        }
        // The seed fixes the interleaving: the same counts again.
        const a = runVec(src, { seed: c.seed, workers: 3, batchSize: c.batch }).engine.reports[0];
        const b = runVec(src, { seed: c.seed, workers: 3, batchSize: c.batch }).engine.reports[0];
        expect([b?.kept, b?.discarded, b?.abandoned]).toEqual([a?.kept, a?.discarded, a?.abandoned]);
      }),
      { numRuns: runs(200) },
    );
  });

  it('real mode on worker threads agrees with the deterministic mode', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 2, max: 4 }), (c, workers) => {
        const src = program(c);
        const sim = runVec(src, { seed: c.seed, workers, batchSize: c.batch });
        const real = runVec(src, { threads: 'always', workers, batchSize: c.batch });
        // A failure among the first rows (evaluated on this thread to size the pool) stops the work
        // before any thread is asked: then the run stayed inline.
        if (real.r.error === null) expect(real.engine.reports[0]?.mode).toBe('threads');
        check(c, real.r, oracle(c), real.engine.reports[0]?.kept);
        expect(dfRows(real.r, 'outDf')).toEqual(dfRows(sim.r, 'outDf'));
        expect(real.r.error?.code ?? null).toBe(sim.r.error?.code ?? null);
        expect(real.r.steps).toBe(sim.r.steps);
      }),
      { numRuns: runs(25) },
    );
  });
});
