// QA: source files are read with a size limit — a huge or endless file is MRG4001 at once, not a
// fatal out-of-memory crash of the parser — and a module is not run as a program.
import { closeSync, openSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { MAX_SOURCE_BYTES, readSourceText } from '../src/source-file.js';
import { folder, mergE } from './cli/helpers.js';

describe('source size limit', () => {
  const dir = folder({ 'ok.merge': 'cout "ok" endl;\n', 'm.mrm': 'function f(x int)::{}{ return x; };\n' });
  const big = join(dir, 'big.merge');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, MAX_SOURCE_BYTES + 1); // sparse: no 16 MiB written
  closeSync(fd);

  it('reads a small file as readFileSync does', () => {
    expect(readSourceText(join(dir, 'ok.merge'))).toBe('cout "ok" endl;\n');
  });

  it.each([['run', big], ['check', big]])('merg-e %s %s: MRG4001, too large', async (cmd, file) => {
    const { code, io } = await mergE([cmd, file], dir);
    expect(code).toBe(2); // unreadable input, in every command
    expect(cmd === 'check' ? io.stdout : io.stderr).toContain('MRG4001 error: cannot read');
    expect(cmd === 'check' ? io.stdout : io.stderr).toContain('it is larger than 16 MiB, the most a source file may hold');
  });

  it.each([['run'], ['check']])('merg-e %s /dev/zero: MRG4001, not a regular file (nothing is read)', async (cmd) => {
    const { code, io } = await mergE([cmd, '/dev/zero'], dir);
    expect(code).toBe(2); // unreadable input, in every command
    expect(cmd === 'check' ? io.stdout : io.stderr).toContain("MRG4001 error: cannot read '/dev/zero': it is a device, not a regular file");
  });

  it('merg-e run of a module is a usage error that says what to run', async () => {
    const { code, io } = await mergE(['run', 'm.mrm'], dir);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/^MRG4002 error: merg-e run: m\.mrm is a module/);
  });
});
