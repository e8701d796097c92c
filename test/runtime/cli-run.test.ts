import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { mergeMain } from '../../src/cli/merge-main.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'merg-e-run-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('merg-e run', () => {
  it('prints the program\'s output and exits 0', async () => {
    const io = captureIo(process.cwd());
    expect(await mergeMain(['run', 'examples/primes.mrg'], io)).toBe(0);
    expect(io.stdout).toBe('counted 25 prime numbers\n');
    expect(io.stderr).toBe('');
  });

  it('an uncaught error: name, code, message, place and frame on stderr, exit 1, no stack trace', async () => {
    const dir = folder({ 'bad.merge': 'cout "before" endl;\nmutable int8 x = 1;\nx = x * 1000;\ncout "after" endl;\n' });
    const io = captureIo(dir);
    expect(await mergeMain(['run', 'bad.merge'], io)).toBe(1);
    expect(io.stdout).toBe('before\n');
    expect(io.stderr).toMatch(/^bad\.merge:3:1 MRG3003 error: range_error: 1000 does not fit 'x'/);
    expect(io.stderr).toContain('> 3 | x = x * 1000;');
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });

  it('a quota error names the membrane, limit, use and amount in --json', async () => {
    const dir = folder({ 'q.merge': 'mutable dag d;\nmutable dag q = membrane<quota<3,3,0>> d;\nmutable int64 q.a = 1;\nmutable int64 q.b = 1;\nmutable int64 q.c = 1;\nmutable int64 q.d = 1;\n' });
    const io = captureIo(dir);
    expect(await mergeMain(['run', '--json', 'q.merge'], io)).toBe(1);
    const doc = JSON.parse(io.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error).toMatchObject({ name: 'quota_error', code: 'MRG3006', membrane: 'q', limitKind: 'direct', limit: 3, file: 'q.merge' });
    expect(doc.error.used + doc.error.requested).toBeGreaterThan(3);
    expect(doc.membranes[0]).toMatchObject({ name: 'q', total: 3, direct: 3, overcommit: 0 });
    expect(Object.keys(doc)).toEqual(['ok', 'profile', 'stdout', 'error', 'membranes', 'dataframes', 'ramPoints', 'bytes', 'vectorize', 'memo']);
    expect(doc.ramPoints.total).toBeGreaterThan(0);
  });

  it('honours --max-steps and --timeout, and refuses bad usage with exit 2', async () => {
    const dir = folder({ 'loop.merge': 'while true { };\n' });
    let io = captureIo(dir);
    expect(await mergeMain(['run', '--max-steps', '1000', 'loop.merge'], io)).toBe(1);
    expect(io.stderr).toContain('MRG3010');
    io = captureIo(dir);
    expect(await mergeMain(['run', '--timeout', '0.05', 'loop.merge'], io)).toBe(1);
    expect(io.stderr).toContain('MRG3011');
    io = captureIo(dir);
    expect(await mergeMain(['run', '--max-steps', 'many', 'loop.merge'], io)).toBe(2);
    io = captureIo(dir);
    expect(await mergeMain(['run', 'missing.merge'], io)).toBe(2);
    expect(io.stderr).toContain('MRG4001');
  });
});
