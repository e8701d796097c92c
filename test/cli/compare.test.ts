// merg-e compare: one program under several profiles, the table and the JSON document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { defaultRuntimesDir, listProfiles } from '../../src/model/index.js';
import { folder, mergE } from './helpers.js';

const PROGRAM = 'mutable dag d;\nmutable string d.name = "a name";\nmutable int32 d.n = 7;\nmutable int2048 big = 3;\nmutable dataframe df string s, int64 v;\ndf("x" 1);\ncout "printed by the program" endl;\n';

describe('merg-e compare', () => {
  it('--json: one entry per shipped profile and the spread (max/min) of points and of bytes', async () => {
    const { code, io } = await mergE(['compare', '--json', 'p.merge'], folder({ 'p.merge': PROGRAM }));
    expect(code).toBe(0);
    const doc = JSON.parse(io.stdout);
    expect(Object.keys(doc)).toEqual(['profiles', 'spread']);
    expect(doc.profiles.map((p: { name: string }) => p.name)).toEqual(listProfiles());
    for (const p of doc.profiles) {
      expect(Object.keys(p)).toEqual(['name', 'ramPoints', 'bytes', 'ok', 'error']);
      expect(p).toMatchObject({ ok: true, error: null });
    }
    const pts = doc.profiles.map((p: { ramPoints: number }) => p.ramPoints);
    const bytes = doc.profiles.map((p: { bytes: number }) => p.bytes);
    expect(doc.spread.ramPoints).toBeCloseTo(Math.max(...pts) / Math.min(...pts), 3);
    expect(doc.spread.bytes).toBeCloseTo(Math.max(...bytes) / Math.min(...bytes), 3);
    // Bytes differ the way runtimes do; points much less.
    expect(doc.spread.bytes).toBeGreaterThan(doc.spread.ramPoints);
  });

  it('each profile\'s numbers are what merg-e run --profile reports', async () => {
    const dir = folder({ 'p.merge': PROGRAM });
    const cmp = JSON.parse((await mergE(['compare', '--json', '--profiles', 'jvm,native-compact', 'p.merge'], dir)).io.stdout);
    for (const p of cmp.profiles) {
      const run = JSON.parse((await mergE(['run', '--json', '--profile', p.name, 'p.merge'], dir)).io.stdout);
      expect([p.ramPoints, p.bytes]).toEqual([run.ramPoints.total, run.bytes]);
    }
  });

  it('prints a table with the outcome of each run; a failed run exits 1', async () => {
    const src = 'mutable dag d;\nmutable dag q = membrane<quota<1,1,0>> d;\nmutable int64 q.a = 1;\nmutable int64 q.b = 2;\n';
    const { code, io } = await mergE(['compare', '--profiles', 'cpython-dev,v8-measured', 'q.merge'], folder({ 'q.merge': src }));
    expect(code).toBe(1);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('q.merge under 2 profiles');
    expect(lines[1]).toMatch(/^ {2}profile\s+RAM-points\s+bytes\s+outcome$/);
    expect(lines[2]).toMatch(/^ {2}cpython-dev\s+\d+\.\d{3}\s+\d+\s+quota_error at line \d$/);
    expect(lines[3]).toMatch(/^ {2}v8-measured\s+\d+\.\d{3}\s+\d+\s+quota_error at line \d$/);
    expect(lines[4]).toMatch(/^ {2}spread \(max\/min\)\s+\d+\.\d{3}\s+\d+\.\d{3}$/);
    expect(io.stderr).toBe('');
  });

  it('the program\'s output is not shown', async () => {
    const { io } = await mergE(['compare', 'p.merge'], folder({ 'p.merge': PROGRAM }));
    expect(io.stdout).not.toContain('printed by the program');
  });

  it('refuses unknown profiles (MRG4011), bad usage (MRG4002) and a missing file (MRG4001), all exit 2', async () => {
    const dir = folder({ 'p.merge': PROGRAM });
    let r = await mergE(['compare', '--profiles', 'jvm,pypy', 'p.merge'], dir);
    expect([r.code, r.io.stderr]).toEqual([2, expect.stringMatching(/MRG4011 error: no runtime profile named 'pypy'/)]);
    expect(r.io.stdout).toBe('');
    for (const args of [['compare'], ['compare', 'a.merge', 'b.merge'], ['compare', '--profiles', 'jvm,,native-compact', 'p.merge'], ['compare', '--profiles', 'jvm,jvm', 'p.merge'], ['compare', '--bogus', 'p.merge']]) {
      r = await mergE(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.io.stderr).toContain('MRG4002');
    }
    r = await mergE(['compare', 'missing.merge'], dir);
    expect([r.code, r.io.stderr]).toEqual([2, expect.stringContaining('MRG4001')]);
  });

  it('--help shows the usage with examples', async () => {
    const { code, io } = await mergE(['compare', '--help']);
    expect(code).toBe(0);
    expect(io.stdout).toContain('--profiles A,B,C');
    expect(io.stdout).toContain('examples:\n  merg-e compare examples/compare-profiles.merge');
  });
});

/** A profile (file name `zero.json`) that gives every kind 0 bytes. */
function zeroProfile(): string {
  const json = JSON.parse(readFileSync(join(defaultRuntimesDir(), 'cpython-dev.json'), 'utf8'));
  const zero = (t: Record<string, number>) => Object.fromEntries(Object.keys(t).map((k) => [k, 0]));
  json.name = 'zero';
  json.bytes = zero(json.bytes);
  json.extras = { 'membrane:quota': zero(json.extras['membrane:quota']), 'membrane:copy_on_mutate': zero(json.extras['membrane:copy_on_mutate']) };
  json.int_rule = { tiers: [{ max_bits: 16384, bytes: 0 }], ref: 0, header: 0, unit_bits: 64, unit_bytes: 1, align: 1 };
  return JSON.stringify(json);
}

describe('merg-e compare with a profile that cannot be used', () => {
  it('a profile giving the basket 0 bytes fails only its own row (MRG4051 naming its file)', async () => {
    const dir = folder({ 'p.merge': PROGRAM, 'zero.json': zeroProfile() });
    const { code, io } = await mergE(['compare', '--profiles', 'cpython-dev,zero.json,jvm', 'p.merge'], dir);
    expect(code).toBe(1);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[2]).toMatch(/^ {2}cpython-dev\s+\d+\.\d{3}\s+\d+\s+ok$/);
    expect(lines[3]).toMatch(/^ {2}zero\s+n\/a\s+n\/a\s+MRG4051: the profile cannot be used \(below\)$/);
    expect(lines[4]).toMatch(/^ {2}jvm\s+\d+\.\d{3}\s+\d+\s+ok$/);
    expect(lines[5]).toMatch(/^ {2}spread \(max\/min\)\s+\d+\.\d{3}\s+\d+\.\d{3}$/);
    expect(io.stderr).toContain(`MRG4051 error: runtime profile 'zero' (${join(dir, 'zero.json')}) gives every kind the basket holds 0 bytes`);
    expect(io.stderr).not.toContain('basket.json');

    const doc = JSON.parse((await mergE(['compare', '--json', '--profiles', 'zero.json,native-compact', 'p.merge'], dir)).io.stdout);
    expect(doc.profiles[0]).toMatchObject({ name: 'zero', ramPoints: null, bytes: null, ok: false, error: { code: 'MRG4051', file: join(dir, 'zero.json') } });
    expect(doc.profiles[1]).toMatchObject({ name: 'native-compact', ok: true, error: null });
  });

  it('an invalid profile file fails only its row (MRG4010); a missing one is refused before anything runs (MRG4001)', async () => {
    const dir = folder({ 'p.merge': PROGRAM, 'broken.json': '{"name": "broken"}' });
    let r = await mergE(['compare', '--profiles', 'broken.json,jvm', 'p.merge'], dir);
    expect(r.code).toBe(1);
    expect(r.io.stdout).toMatch(/\n {2}broken\s+n\/a\s+n\/a\s+MRG4010: the profile cannot be used \(below\)\n {2}jvm\s+\d+\.\d{3}\s+\d+\s+ok\n/);
    expect(r.io.stderr).toContain('MRG4010 error:');
    r = await mergE(['compare', '--profiles', 'jvm,gone.json', 'p.merge'], dir);
    expect([r.code, r.io.stdout]).toEqual([2, '']);
    expect(r.io.stderr).toContain(`MRG4001 error: cannot read runtime profile ${join(dir, 'gone.json')}: no such file`);
  });
});
