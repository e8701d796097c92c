// vectorize end to end through runProgram: results in input order, the cost, purity rules, errors.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import { formatRunError } from '../../src/cli/run-report.js';
import { shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { dfRows, runVec } from './helpers.js';

afterAll(async () => {
  await shutdownWorkers();
});

const SEED = `mutable dataframe inDf string id, int32 startval, int32 endval;
inDf( "foo" 17 99 );
inDf( "bar" 42 1999 );
inDf( "baz" 377 1483 );
freeze inDf;
mutable dataframe outDf string id, int32 span;
function myFunction(id string, startval int32, endval int32)::{}{
  return id endval - startval;
};
mutable blocker dfReady;
dfReady += vectorize myFunction inDf outDf;
await_all dfReady;
cout lang.dataframe.rows(outDf) endl;
`;

describe('vectorize', () => {
  it('applies f to every row and appends the results in input order', () => {
    const { r, engine } = runVec(SEED);
    expect(formatRunError(r)).toBe('');
    expect(r.stdout).toBe('3\n');
    expect(dfRows(r, 'outDf')).toEqual([
      ['foo', 82n],
      ['bar', 1957n],
      ['baz', 1106n],
    ]);
    const rep = engine.reports[0];
    expect(rep?.result).toBe('computed');
    // 5 operations a row: return, id, the subtraction and its two operands.
    expect(rep?.cost).toEqual({ ops: '15', memBytes: '54', peakMem: '54', resultBytes: '21' });
    expect(checkInvariants(r.memory!)).toEqual([]);
  });

  it('runs the whole seed example file (its vectorize included)', () => {
    const src = readFileSync('examples/seed-part17.merge', 'utf8');
    const { r } = runVec(src, {}, { moduleDir: 'examples' });
    expect(formatRunError(r)).toBe('');
    expect(dfRows(r, 'outDf')).toHaveLength(3);
  });

  it('is the default engine of runProgram', async () => {
    const { runProgram } = await import('../../src/runtime/run.js');
    const { PRICING } = await import('./helpers.js');
    const r = runProgram({ file: 't.merge', source: SEED }, { pricing: PRICING });
    expect(r.stdout).toBe('3\n');
  });
});

describe('progress', () => {
  const LONG = `mutable dataframe inDf int32 x;
mutable int i = 0;
while i < 600 { inDf(i); i += 1; };
mutable dataframe outDf int32 x;
function f(x int32)::{}{ mutable int j = 0; while j < 200 { j += 1; }; return x; };
mutable blocker b;
b += vectorize f inDf outDf;
await_all b;
`;

  for (const threads of ['never', 'always'] as const) {
    it(`shows rows done once a vectorize runs longer than the threshold, then clears the line (${threads})`, () => {
      const lines: (string | null)[] = [];
      const { r } = runVec(LONG, { threads, workers: threads === 'never' ? 1 : 2, batchSize: 50, progressAfterMs: 0, progress: (l) => lines.push(l) });
      expect(r.error).toBeNull();
      expect(lines.length).toBeGreaterThan(1);
      expect(lines[0]).toMatch(/^vectorize f: \d+\/600 rows \(\d+%\), \d+\.\d s$/);
      expect(lines[lines.length - 1]).toBeNull();
    });
  }

  it('shows nothing for a vectorize shorter than the threshold', () => {
    const lines: (string | null)[] = [];
    runVec(SEED, { progress: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });
});
