// QA: with --json, stdout is one JSON document even when a command fails before it could print its
// own (a missing file, an unknown profile, bad usage); every failure is a coded diagnostic.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { captureIo } from '../../src/cli/io.js';
import { corenMain } from '../../src/cli/coren-main.js';
import { folder, mergE } from './helpers.js';

function jsonError(stdout: string): { ok: boolean; error: { code: string; message: string; hint: string; file: string | null } } {
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout);
}

describe('--json on errors', () => {
  const dir = folder({ 'p.merge': 'cout 1 endl;\n' });
  const cases: [string[], string, number, string | null][] = [
    [['run', '--json', 'missing.merge'], 'MRG4001', 2, 'missing.merge'],
    [['run', '--json', '.'], 'MRG4001', 2, '.'],
    [['missing.merge', '--json'], 'MRG4001', 2, 'missing.merge'],
    [['run', '--json', '--profile', 'nope', 'p.merge'], 'MRG4011', 2, null],
    [['run', '--json', '--profile', 'nope.json', 'p.merge'], 'MRG4001', 2, join(dir, 'nope.json')],
    [['run', '--json', '--bogus', 'p.merge'], 'MRG4002', 2, null],
    [['run', '--json', '--timeout', '0x10', 'p.merge'], 'MRG4002', 2, null],
    [['compare', '--json', '--profiles', 'nope', 'p.merge'], 'MRG4011', 2, null],
    [['compare', '--json', 'missing.merge'], 'MRG4001', 2, 'missing.merge'],
    [['basket', '--json', '--basket', 'nope'], 'MRG4021', 2, null],
    [['check', '--json'], 'MRG4002', 2, null],
  ];
  for (const [args, code, status, file] of cases) {
    it(`merg-e ${args.join(' ')}: ${code} as JSON on stdout, the text on stderr, exit ${status}`, async () => {
      const { code: exit, io } = await mergE(args, dir);
      expect(exit).toBe(status);
      const doc = jsonError(io.stdout);
      expect(doc.ok).toBe(false);
      expect(Object.keys(doc.error)).toEqual(['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint']);
      expect(doc.error.code).toBe(code);
      if (file !== null) expect(doc.error.file).toBe(file);
      expect(doc.error.hint.length).toBeGreaterThan(0);
      expect(io.stderr).toContain(`${code} error:`);
    });
  }

  it('coren --json with a bad option value: the same document, exit 2', async () => {
    const io = captureIo(dir);
    expect(await corenMain(['--json', '--net-mbps', '-1'], io)).toBe(2);
    expect(jsonError(io.stdout).error.code).toBe('MRG4002');
  });

  it('without --json stdout stays empty; after -- it is a file name, not an option', async () => {
    const { io } = await mergE(['run', 'missing.merge'], dir);
    expect(io.stdout).toBe('');
    const after = await mergE(['run', '--', '--json'], dir);
    expect(after.io.stdout).toBe('');
    expect(after.io.stderr).toContain('MRG4001');
  });

  it('an unknown command is a coded usage error (MRG4002, exit 2)', async () => {
    const { code, io } = await mergE(['bogus'], dir);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/^MRG4002 error: merg-e: unknown command 'bogus' \(the commands are check, run, /);
    expect(io.stderr).toContain('to run a program, name its file');
    expect(io.stderr).toContain("help: Run 'merg-e --help'");
  });
});
