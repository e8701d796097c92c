// vectorize end to end through runProgram: results in input order, the cost, purity rules, errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import { formatRunError } from '../../src/runtime/run.js';
import { dfRows, runVec } from './helpers.js';

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
