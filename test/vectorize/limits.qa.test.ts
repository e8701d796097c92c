// QA: hostile vectorize settings end in a bounded run or a coded diagnostic — never a thread bomb,
// an internal error or a read that never ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { FolderMemo, machineFromFile, shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { maxThreads } from '../../src/runtime/vectorize/engine.js';
import { FnCost } from '../../src/coren/index.js';
import { fixedMachine, runVec, tempDir } from './helpers.js';

const SQUARES = `mutable dataframe inDf int32 x;
mutable int i = 0;
while i < 40 { inDf(i); i += 1; };
mutable dataframe outDf int64 y;
function sq(x int32)::{}{ return x * x; };
mutable blocker b;
b += vectorize sq inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;

afterAll(() => shutdownWorkers());

describe('vectorize limits', () => {
  it('--workers 1000 starts at most four threads per core, and no more threads than rows', () => {
    const { r: result, engine } = runVec(SQUARES, { workers: 1000, threads: 'always', machine: fixedMachine() });
    expect(result.stdout).toBe('40\n');
    const size = engine.reports[0]?.workers ?? 0;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(Math.min(40, maxThreads()));
  });

  it('a memo "folder" that is a file gives the MRG4032 warning, not an internal error', () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const memo = new FolderMemo(file);
    let caught: unknown;
    try {
      memo.put('a'.repeat(64), { fn: 'f', cost: FnCost.new(1n, 1n, 1n, 1n), rows: [] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MergeError);
    expect((caught as MergeError).code).toBe('MRG4032');
  });

  it('a machine spec that never ends (/dev/zero) is refused with MRG4033', () => {
    let caught: unknown;
    try {
      machineFromFile('/dev/zero');
    } catch (e) {
      caught = e;
    }
    expect((caught as MergeError).code).toBe('MRG4033');
    expect((caught as MergeError).message).toMatch(/larger than 1 MiB/);
  });
});
