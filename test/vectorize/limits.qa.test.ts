// QA: hostile vectorize settings end in a bounded run or a coded diagnostic — never a thread bomb,
// an internal error or a read that never ends.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { machineFromFile, shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { FnCost } from '../../src/coren/index.js';
import { thrown } from '../support/errors.js';
import { runIsolated } from '../support/isolated.js';
import { fixedMachine, folderMemo, runVec, SQUARES, tempDir } from './helpers.js';

afterAll(() => shutdownWorkers());

describe('vectorize limits', () => {
  it('--workers 1000 starts at most four threads per core, and no more threads than rows', () => {
    const { r: result, engine } = runVec(SQUARES(40), { workers: 1000, threads: 'always', machine: fixedMachine() });
    expect(result.stdout).toBe('40\n');
    const size = engine.reports[0]?.workers ?? 0;
    expect(size).toBeGreaterThan(0);
    expect(size).toBe(Math.min(40, 4 * availableParallelism())); // four per core (README), at most one per row
  });

  it('a memo "folder" that is a file gives the MRG4032 warning, not an internal error', () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const memo = folderMemo(file);
    const put = memo.put('a'.repeat(64), { fn: 'f', cost: FnCost.new(1n, 1n, 1n, 1n), rows: [] });
    expect(put.kind === 'refused' && put.diagnostic.code).toBe('MRG4032');
  });

  it('a machine spec that never ends (/dev/zero) is refused with MRG4033', () => {
    let caught: unknown;
    try {
      machineFromFile('/dev/zero');
    } catch (e) {
      caught = e;
    }
    expect((caught as MergeError).code).toBe('MRG4033');
    expect((caught as MergeError).message).toMatch(/it is a device, not a regular file/);
  });

  it('a machine spec with opsPerSec 1e300 is MRG4033 at its key, not an internal FnCost error at every vectorize', () => {
    const file = join(tempDir(), 'm.json');
    writeFileSync(file, '{\n  "opsPerSec": 1e300,\n  "memBytesPerSec": 1e9,\n  "netBytesPerSec": 1e8\n}\n');
    const e = thrown(() => machineFromFile(file));
    expect(e.code).toBe('MRG4033');
    expect(e.message).toBe(`the machine spec ${file}: 'opsPerSec' is 1e+300; it must be from 1 to 1e+15`);
    expect(e.diagnostic.span).toMatchObject({ file, line: 2, column: 3 });
  });

  it.each([
    ['cores', '0.5', "'cores' is 0.5; it must be a whole number from 1 to 1048576"],
    ['latencySec', '-1', "'latencySec' is -1; it must be from 0 to 3600"],
    ['ramTotal', '"16G"', "'ramTotal' must be a number"],
    ['kernels', '{"sort": 0}', "'kernels.sort' is 0; it must be from 0.000001 to 1000000"],
  ])('a machine spec field %s = %s is MRG4033 saying the range', (key, value, why) => {
    const file = join(tempDir(), 'm.json');
    writeFileSync(file, `{"opsPerSec": 1e9, "memBytesPerSec": 1e9, "netBytesPerSec": 1e8, "${key}": ${value}}`);
    const e = thrown(() => machineFromFile(file));
    expect(e.message).toBe(`the machine spec ${file}: ${why}`);
  });

  it('a MachCap given to the library with opsPerSec 1e300 still vectorizes (the probe cost is clamped)', () => {
    const { r, engine } = runVec(SQUARES(40), { threads: 'never', machine: fixedMachine({ opsPerSec: 1e300 }) });
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('40\n');
    expect(engine.reports[0]?.mode).toBe('inline');
  });

  it('--machine errors never repeat the content of the file named (here /proc/self/environ)', () => {
    process.env['MERG_E_SECRET_FOR_TEST'] = 'hunter2';
    try {
      const e = thrown(() => machineFromFile('/proc/self/environ'));
      expect(e.code).toBe('MRG4033');
      expect(e.message).toMatch(/^the machine spec \/proc\/self\/environ is not valid JSON: unexpected character$/);
    } finally {
      delete process.env['MERG_E_SECRET_FOR_TEST'];
    }
    const file = join(tempDir(), 'secret.json');
    writeFileSync(file, '{"password": "hunter2"}');
    const e = thrown(() => machineFromFile(file));
    expect(e.message).not.toContain('hunter2');
    expect(e.message).toBe(`the machine spec ${file} has an unknown field "password"`);
    writeFileSync(file, 'hunter2 is not JSON');
    expect(thrown(() => machineFromFile(file)).message).not.toContain('hunter2');
  });

  it('registering a vectorize over 100k rows in a loop copies nothing: --timeout 1 ends it (it filled the heap and crashed)', () => {
    // In a child with a small heap: before, every `+=` copied all rows and V8 died of heap exhaustion.
    const source = `mutable dataframe big int32 x, int32 y;
mutable int i = 0;
while i < 100000 { big(i, i); i += 1; };
freeze big;
mutable dataframe out int32 z;
function f(x int32, y int32)::{}{ return x + y; };
mutable blocker b;
while true { b += vectorize f big out; };
`;
    const r = runIsolated(
      `import { runProgram } from './src/runtime/run.ts';
       const r = runProgram({ file: 'loop.merge', source: ${JSON.stringify(source)} }, { timeoutMs: 1000 });
       console.log(r.error?.code + ' ' + r.error?.line);`,
      { nodeArgs: ['--max-old-space-size=256'], timeoutMs: 60_000 },
    );
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.stdout.trim(), r.stderr.slice(0, 500)).toBe('MRG3011 8');
  });
});
