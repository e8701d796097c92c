// merg-e run: --report (membrane usage table), --json (the document), usage errors.
import { describe, expect, it } from 'vitest';

import { folder, mergE } from './helpers.js';

const STACK = [
  'mutable dag olddag;',
  'mutable dag newdag = membrane<quota<80, 40, 30>> olddag;',
  'mutable dag dag3 = membrane<quota<60, 30, 10>> newdag;',
  'mutable dag com = membrane<copy_on_mutate> olddag;',
  'mutable int64 dag3.a = 1;',
  'mutable string dag3.s = "hello";',
  'mutable dataframe newdag.df int32 v;',
  'newdag.df(1);',
  'newdag.df(2);',
  'cout "done" endl;',
].join('\n');

describe('merg-e run --report', () => {
  it('prints the output, then the membrane table (T, D, O, direct, below, points by kind) on stderr', async () => {
    const { code, io } = await mergE(['run', '--report', 'p.merge'], folder({ 'p.merge': STACK }));
    expect(code).toBe(0);
    expect(io.stdout).toBe('done\n');
    const lines = io.stderr.split('\n');
    expect(lines[0]).toBe('report (profile cpython-dev; RAM-points; the state at the end of the run)');
    expect(lines[1]).toMatch(/^ {2}membrane\s+kind\s+T\s+D\s+O\s+direct\s+below\s+points by entity kind \(direct\)$/);
    expect(lines[2]).toMatch(/^ {2}newdag\s+quota\s+80\s+40\s+30\s+\d+\.\d{3}\s+\d+\.\d{3}\s+.*dataframe 1 \(/);
    expect(lines[3]).toMatch(/^ {4}dag3\s+quota\s+60\s+30\s+10\s+\d+\.\d{3}\s+0\.000\s+scalar:int64 1 \(\d+\.\d+\), string 1 \(/);
    expect(lines[4]).toMatch(/^ {2}com\s+copy_on_mutate\s+-/);
    expect(io.stderr).toMatch(/all allocations: [\d.]+ RAM-points, \d+ bytes, \d+ entities \(5 string bytes\)/);
    expect(io.stderr).toMatch(/\n {4}row\s+2\s+\d+\.\d{3}\n/);
  });

  it('the use it shows adds up: direct of a child is below of its parent', async () => {
    const { io } = await mergE(['run', '--json', 'p.merge'], folder({ 'p.merge': STACK }));
    const doc = JSON.parse(io.stdout);
    const [newdag, dag3] = doc.membranes;
    expect(newdag.belowUsed).toBe(dag3.directUsed + dag3.belowUsed);
    const report = await mergE(['run', '--report', 'p.merge'], folder({ 'p.merge': STACK }));
    expect(report.io.stderr).toContain(newdag.belowUsed.toFixed(3));
  });

  it('shows the state at the error when the run fails', async () => {
    const src = 'mutable dag d;\nmutable dag q = membrane<quota<2, 2, 0>> d;\nmutable int64 q.a = 1;\nmutable int64 q.b = 2;\nmutable int64 q.c = 3;\nmutable int64 q.e = 4;\n';
    const { code, io } = await mergE(['run', '--report', 'q.merge'], folder({ 'q.merge': src }));
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/MRG3006 error: quota_error/);
    expect(io.stderr).toContain('the state at the error');
    expect(io.stderr).toMatch(/ q\s+quota\s+2\s+2\s+0\s+1\.\d{3}/);
  });
});

describe('merg-e run --json', () => {
  it('prints exactly the issue\'s document (limitKind next to limit), membranes being the quota membranes', async () => {
    const ints = Array.from({ length: 12 }, (_, i) => `mutable int64 q.i${i} = ${i};`).join('\n');
    const src = `mutable dag d;\nmutable dag c = membrane<copy_on_mutate> d;\nmutable dag q = membrane<quota<12,12,0>> c;\nmutable dataframe q.df int8 v;\nq.df(1);\nfreeze q.df;\n${ints}\n`;
    const { code, io } = await mergE(['run', '--json', 'q.merge'], folder({ 'q.merge': src }));
    expect(code).toBe(1);
    const doc = JSON.parse(io.stdout);
    expect(Object.keys(doc).slice(0, 8)).toEqual(['ok', 'profile', 'stdout', 'error', 'membranes', 'dataframes', 'ramPoints', 'bytes']);
    // The one diagnostic shape of every JSON error, then the Merg-E name and the quota figures.
    const shape = ['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint'];
    expect(Object.keys(doc.error)).toEqual([...shape, 'name', 'membrane', 'limitKind', 'limit', 'used', 'requested']);
    expect(doc.error.file).toBe('q.merge');
    expect(doc.error).toMatchObject({ name: 'quota_error', membrane: 'q', limitKind: 'direct', limit: 12, line: expect.any(Number) });
    expect(doc.membranes).toEqual([{ name: 'q', total: 12, direct: 12, overcommit: 0, directUsed: expect.any(Number), belowUsed: 0 }]);
    expect(doc.dataframes).toEqual([{ name: 'q.df', rows: 1, frozen: true }]);
    expect(Object.keys(doc.ramPoints)).toEqual(['total', 'byKind']);
    for (const v of [doc.ramPoints.total, ...Object.values(doc.ramPoints.byKind), doc.error.used, doc.error.requested]) {
      expect(Math.round((v as number) * 1000) / 1000).toBe(v); // at most three decimals
    }
    expect(Number.isInteger(doc.bytes)).toBe(true);
    expect(io.stderr).toBe('');
  });

  it('--profile changes bytes and points but not the outcome', async () => {
    const dir = folder({ 'p.merge': STACK });
    const a = JSON.parse((await mergE(['run', '--json', 'p.merge'], dir)).io.stdout);
    const b = JSON.parse((await mergE(['run', '--json', '--profile', 'native-compact', 'p.merge'], dir)).io.stdout);
    expect(b.profile).toBe('native-compact');
    expect(b.bytes).toBeLessThan(a.bytes);
    expect(b.ok).toBe(a.ok);
  });
});

describe('merg-e run usage', () => {
  it('--json with --report is bad usage (MRG4002, exit 2)', async () => {
    const { code, io } = await mergE(['run', '--json', '--report', 'p.merge'], folder({ 'p.merge': STACK }));
    expect(code).toBe(2);
    expect(io.stderr).toContain('MRG4002');
  });

  it('an unknown profile is MRG4011 naming it and the profiles there are (exit 2)', async () => {
    const { code, io } = await mergE(['run', '--profile', 'pypy', 'p.merge'], folder({ 'p.merge': STACK }));
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/MRG4011 error: no runtime profile named 'pypy'.*v8-measured/);
  });

  it('--help shows the options and examples', async () => {
    const { code, io } = await mergE(['run', '--help']);
    expect(code).toBe(0);
    expect(io.stdout).toContain('--report');
    expect(io.stdout).toContain('examples:\n  merg-e run examples/primes.mrg');
  });
});
