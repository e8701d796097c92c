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
    expect(Object.keys(doc)).toEqual(['profiles', 'spread', 'breakdown', 'breakdownProfiles', 'outcomesDiffer', 'differences', 'unlikeBasket', 'warnSpread']);
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

/** Text-heavy: string bytes are 1 byte under every profile but priced at each profile's point size. */
const TEXTS = `mutable dag docs;\n${Array.from({ length: 12 }, (_, i) => `mutable string docs.p${i} = "${'lorem ipsum dolor sit amet '.repeat(8)}";`).join('\n')}\n`;
/** A quota membrane whose dataframe fills up: how many rows fit depends on the profile's prices. */
const FILLS = 'mutable dag store;\nshared mutable dag box = membrane<quota<24, 24, 0>> store;\nmutable dataframe box.log string msg, int32 n;\nfunction fill()::{ box; }{\n  mutable int32 i = 0;\n  while true {\n    i += 1;\n    box.log("entry number" i);\n  };\n}!!{\n};\nfill();\n';

describe('merg-e compare explains a spread', () => {
  it('--json: the breakdown (largest share first, summing to 1), unlikeBasket and outcomesDiffer', async () => {
    const { code, io } = await mergE(['compare', '--json', 't.merge'], folder({ 't.merge': TEXTS }));
    expect(code).toBe(0);
    expect(io.stderr).toBe('');
    const doc = JSON.parse(io.stdout);
    expect(doc.breakdown[0].kind).toBe('string_byte');
    expect(doc.breakdown[0].share).toBeGreaterThan(0.8);
    expect(Math.abs(doc.breakdown.reduce((s: number, p: { share: number }) => s + p.share, 0) - 1)).toBeLessThan(1e-9);
    const pts = doc.profiles.map((p: { name: string; ramPoints: number }) => p.ramPoints);
    const byName = new Map(doc.profiles.map((p: { name: string; ramPoints: number }) => [p.name, p.ramPoints]));
    expect(byName.get(doc.breakdownProfiles.hi)).toBe(Math.max(...pts));
    expect(byName.get(doc.breakdownProfiles.lo)).toBe(Math.min(...pts));
    expect(doc).toMatchObject({ outcomesDiffer: false, differences: [], unlikeBasket: true, warnSpread: 1.5 });
    expect(doc.spread.ramPoints).toBeGreaterThan(1.5);
  });

  it('text: the gap by part and the MRG4052 warning naming the top two kinds', async () => {
    const { code, io } = await mergE(['compare', 't.merge'], folder({ 't.merge': TEXTS }));
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/\nthe gap between the dearest and the cheapest profile, by part \(points; shares of the gap sum to 100%\):\n {2}part\s+native-compact\s+v8-measured\s+gap\s+share\n {2}string_byte\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d%\n/);
    expect(io.stderr).toMatch(/^MRG4052 warning: t\.merge is unlike the basket: its RAM-points spread \d+\.\d{3}x across the profiles \(native-compact [\d.]+, v8-measured [\d.]+; each profile running it\), more than the basket's warnSpread 1\.5; most of the gap is string_byte \(\d+%\) and \S+ \([\d.]+%\)\n/);
  });

  it('a basket-like program gets no warning', async () => {
    const { io } = await mergE(['compare', 'examples/compare-profiles.merge']);
    expect(io.stderr).toBe('');
    expect(JSON.parse((await mergE(['compare', '--json', 'examples/compare-profiles.merge'])).io.stdout).unlikeBasket).toBe(false);
  });

  it('says plainly, per profile, when the runs ended differently', async () => {
    const dir = folder({ 'f.merge': FILLS });
    const doc = JSON.parse((await mergE(['compare', '--json', 'f.merge'], dir)).io.stdout);
    expect(doc.outcomesDiffer).toBe(true);
    expect(doc.differences).toHaveLength(4);
    for (const [i, name] of listProfiles().entries()) expect(doc.differences[i]).toMatch(new RegExp(`^${name}: ran to the end; box\\.log kept \\d+ rows$`));
    expect(new Set(doc.differences.map((d: string) => /kept (\d+)/.exec(d)?.[1])).size).toBeGreaterThan(1);
    const text = (await mergE(['compare', 'f.merge'], dir)).io.stdout;
    expect(text).toContain('the runs ended differently, so the spread compares different work:\n  cpython-dev: ran to the end; box.log kept ');
  });

  it('names a refusal under one profile and success under another', async () => {
    const src = 'mutable dag d;\nmutable dag q = membrane<quota<2,2,0>> d;\nmutable string q.s = "' + 'x'.repeat(120) + '";\n';
    const doc = JSON.parse((await mergE(['compare', '--json', 'q.merge'], folder({ 'q.merge': src }))).io.stdout);
    expect(doc.outcomesDiffer).toBe(true);
    expect(doc.differences.some((d: string) => /^\S+: stopped at line 3: quota_error \(membrane 'q' refused [\d.]+ points\)$/.test(d))).toBe(true);
    expect(doc.differences.some((d: string) => /^\S+: ran to the end$/.test(d))).toBe(true);
  });
});
