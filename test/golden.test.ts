// Golden runs: every example with an ```expect block runs as the block says (stdout line by line, and
// the uncaught error's name and line, or success), and ends in the state its ```expect-state block
// states (membranes' use, dataframes' rows, --json fragments). Examples without a block are skipped.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { checkInvariants } from '../src/model/index.js';
import { runResultJson } from '../src/cli/json-documents.js';
import { formatRunError } from '../src/cli/run-report.js';
import { runProgram, type RunResult } from '../src/runtime/run.js';
import { EXAMPLES_DIR, expectBlock, outputLines, readExample, runnableExamples, stateBlock, type StateExpectation } from './examples.js';

/** The run's end state against an expect-state block; names a missing or ambiguous membrane or dataframe. */
function expectState(r: RunResult, want: StateExpectation): void {
  const doc = runResultJson(r);
  if (want.membraneList) expect(doc.membranes.map((m) => m.name), 'membranes').toEqual(want.membraneList);
  for (const [name, use] of want.membranes) {
    const found = doc.membranes.filter((m) => m.name === name);
    expect(found.length, `quota membranes named ${name}`).toBe(1);
    const m = found[0] as (typeof found)[number];
    const got = { ...(use.direct !== undefined ? { direct: m.directUsed } : {}), ...(use.below !== undefined ? { below: m.belowUsed } : {}) };
    expect(got, `membrane ${name}`).toEqual(use);
  }
  for (const [name, df] of want.dataframes) {
    const found = doc.dataframes.filter((d) => d.name === name);
    expect(found.length, `dataframes named ${name}`).toBe(1);
    const d = found[0] as (typeof found)[number];
    expect({ rows: d.rows, ...(df.frozen !== undefined ? { frozen: d.frozen } : {}) }, `dataframe ${name}`).toEqual(df);
  }
  for (const fragment of want.json) expect(doc).toMatchObject(fragment);
}

describe('golden runs of the examples', () => {
  it('the examples of issue 4 are there, each with an expect block', () => {
    const withBlock = runnableExamples().filter((f) => expectBlock(readExample(f)) !== null);
    expect(withBlock).toEqual(
      expect.arrayContaining(['primes.mrg', 'quota-stack.merge', 'grafts.merge', 'dataframe-growth.merge', 'scoped-merge.merge', 'compare-profiles.merge']),
    );
  });

  for (const f of runnableExamples()) {
    const want = expectBlock(readExample(f));
    if (want === null) {
      it.skip(`${f} (no expect block)`, () => {});
      continue;
    }
    it(f, () => {
      const file = join(EXAMPLES_DIR, f);
      const r = runProgram({ file });
      const why = r.error ? formatRunError(r) : '';
      expect(outputLines(r.stdout), why).toEqual(want.lines);
      if (want.error) {
        expect(r.error, 'the run should end with an error').not.toBeNull();
        expect({ name: r.error?.name, line: r.error?.line, file: r.error?.file }).toEqual({ name: want.error.name, line: want.error.line, file });
        expect(r.exitCode).toBe(1);
      } else {
        expect(r.error, why).toBeNull();
        expect(r.exitCode).toBe(0);
      }
      const state = stateBlock(readExample(f));
      if (state) expectState(r, state);
      if (r.memory) expect(checkInvariants(r.memory)).toEqual([]);
    });
  }
});

describe('expect blocks', () => {
  it('read an expect-state block: membranes, the membrane list, dataframes and --json fragments', () => {
    const src = [
      '```expect-state',
      'membrane dag4: direct 6.286, below 0',
      'membrane inner: below 1.5',
      'membranes: newdag, dag4',
      'dataframe capped.outDf: 2 rows',
      'dataframe box.log: 1 row, frozen',
      'json {"ramPoints": {"total": 54.108}}',
      '```',
    ].join('\n');
    const s = stateBlock(src);
    expect(s && [...s.membranes]).toEqual([
      ['dag4', { direct: 6.286, below: 0 }],
      ['inner', { below: 1.5 }],
    ]);
    expect(s?.membraneList).toEqual(['newdag', 'dag4']);
    expect(s && [...s.dataframes]).toEqual([
      ['capped.outDf', { rows: 2 }],
      ['box.log', { rows: 1, frozen: true }],
    ]);
    expect(s?.json).toEqual([{ ramPoints: { total: 54.108 } }]);
    expect(stateBlock('```expect\na\n```\n')).toBeNull();
  });

  it('refuse an expect-state line they cannot read, and a block that is never closed', () => {
    expect(() => stateBlock('```expect-state\nmembrane dag4: drect 1\n```')).toThrow(/cannot read 'membrane dag4: drect 1'/);
    expect(() => stateBlock('```expect-state\ndataframe d: two rows\n```')).toThrow(/cannot read/);
    expect(() => stateBlock('```expect-state\njson [1]\n```')).toThrow(/cannot read/);
    expect(() => stateBlock('```expect-state\nmembranes: a\n')).toThrow(/never closed/);
  });

  it('read lines, and a last "error: NAME at line N" as the error', () => {
    const src = 'cout "a" endl;\n```expect\na\n  b\nerror: quota_error at line 12\n```\n';
    expect(expectBlock(src)).toEqual({ lines: ['a', '  b'], error: { name: 'quota_error', line: 12 } });
    expect(expectBlock('  ```expect\n  x\n  ```\n')).toEqual({ lines: ['x'], error: null });
    expect(expectBlock('```userdoc\nhi\n```\n')).toBeNull();
  });

  it('an output without a last line break still gives its last line', () => {
    expect(outputLines('a\nb')).toEqual(['a', 'b']);
    expect(outputLines('a\n')).toEqual(['a']);
    expect(outputLines('')).toEqual([]);
  });
});
