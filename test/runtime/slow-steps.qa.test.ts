// QA: a step whose cost grows with the data (copying a frozen sub-DAG on prune, the walk that refunds
// it when its name dies, re-paying it on ent) counts its work, so the clock and the heap are looked
// at during such steps. `prune` of a frozen 2,000-leaf sub-DAG in a loop ran 26 s under --timeout 1
// (62 s at 5,000 leaves): 65,536 slow steps ran between two checkpoints.
import { describe, expect, it } from 'vitest';

import { work } from '../../src/model/index.js';
import { modelWorkDone, watchClock } from '../../src/runtime/limits.js';
import { runProgram } from '../../src/runtime/run.js';
import { runIsolated } from '../support/isolated.js';

/** A frozen binary tree of 2^levels leaves under h<levels>.t, built by grafting copies. */
function tree(levels: number): string {
  const lines = ['mutable dag h0;', 'mutable int32 h0.t = 1;', 'freeze h0;'];
  for (let k = 1; k <= levels; k++) {
    lines.push(`mutable dag h${k};`, `mutable dag h${k}.t;`, `ent h${k}.t prune h${k - 1}.t as l;`, `ent h${k}.t prune h${k - 1}.t as r;`, `freeze h${k};`);
  }
  return lines.join('\n') + '\n';
}

describe('slow model steps read the clock', () => {
  it('a prune copying a frozen sub-DAG counts one unit of work per node copied', () => {
    const source = `${tree(11)}mutable dag p = prune h11.t;\n`;
    const before = work.units;
    const r = runProgram({ file: 't.merge', source });
    expect(r.error).toBeNull();
    // Building copies 2^k - 1 nodes per level twice; the last prune alone copies 4,095.
    expect(work.units - before).toBeGreaterThan(4095);
  });

  it('model work past the threshold reads the running program\'s clock', () => {
    let reads = 0;
    const outer = watchClock(() => void reads++);
    try {
      // The last look is module state other files move: two looks set it to a known count first
      // (after the first, it is within 16384 of `at`; the second is 3 × 16384 further on).
      const at = work.units + 100_000;
      modelWorkDone(at, undefined);
      modelWorkDone(at + 3 * 16_384, undefined);
      reads = 0;
      const base = at + 3 * 16_384;
      modelWorkDone(base + 16_383, undefined);
      expect(reads).toBe(0);
      modelWorkDone(base + 16_384, undefined);
      expect(reads).toBe(1);
      modelWorkDone(base + 16_385, undefined);
      expect(reads).toBe(1);
    } finally {
      watchClock(outer);
    }
  });

  it.each([
    ['prune of a frozen 4,095-node sub-DAG', 'while true { mutable dag p = prune h11.t; };'],
    ['prune and ent of a copy', 'mutable dag into;\nmutable int n = 0;\nwhile true { ent into prune h11.t as x; mutable dag gone = prune into.x; n += 1; };'],
  ])('%s in a loop ends with MRG3011 under a 1 s timeout (it ran for minutes)', (_what, loop) => {
    const source = `${tree(11)}${loop}\n`;
    // In a child with a deadline: before, the loop outlived any test timeout.
    const r = runIsolated(
      `import { runProgram } from './src/runtime/run.ts';
       const r = runProgram({ file: 'loop.merge', source: ${JSON.stringify(source)} }, { timeoutMs: 1000 });
       console.log(r.error?.code);`,
      { timeoutMs: 60_000 },
    );
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.stdout.trim(), r.stderr.slice(0, 400)).toBe('MRG3011');
  });
});
