// Golden runs: every example with an ```expect block runs as the block says (stdout line by line, and
// the uncaught error's name and line, or success). Examples without a block are listed as skipped.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { checkInvariants } from '../src/model/index.js';
import { formatRunError, runProgram } from '../src/runtime/run.js';
import { EXAMPLES_DIR, expectBlock, outputLines, readExample, runnableExamples } from './examples.js';

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
      if (r.memory) expect(checkInvariants(r.memory)).toEqual([]);
    });
  }
});

describe('expect blocks', () => {
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
