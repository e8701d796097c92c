// merg-e basket: counts, the size of a RAM-point and every kind's price per profile; --write, --check.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { listProfiles } from '../../src/model/index.js';
import { standardBasketCounts } from '../../src/runtime/basket.js';
import { folder, mergE } from './helpers.js';

function myBasket(programs: Record<string, string>): string {
  const root = folder({});
  mkdirSync(join(root, 'mine'));
  const list = Object.keys(programs).map((file) => ({ file, weight: 2 }));
  writeFileSync(join(root, 'mine', 'basket.json'), JSON.stringify({ name: 'mine', description: 'test basket', programs: list }));
  for (const [f, text] of Object.entries(programs)) writeFileSync(join(root, 'mine', f), text);
  return root;
}

describe('merg-e basket', () => {
  it('--json: the standard basket\'s committed counts, a RAM-point\'s size and the prices under every profile', async () => {
    const { code, io } = await mergE(['basket', '--json']);
    expect(code).toBe(0);
    expect(io.stderr).toBe('');
    const doc = JSON.parse(io.stdout);
    expect(Object.keys(doc)).toEqual(['basket', 'description', 'programs', 'counts', 'committed', 'stale', 'portability', 'warnSpread', 'blend', 'profiles']);
    expect(doc).toMatchObject({ basket: 'standard', committed: true, stale: false });
    expect(doc.counts.byKind).toEqual(Object.fromEntries(standardBasketCounts().byKind));
    expect(Object.keys(doc.counts.extras)).toEqual(['membrane:quota', 'membrane:copy_on_mutate']);
    const n = Object.values(doc.counts.byKind as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(doc.counts.entities).toBe(n);
    expect(doc.profiles.map((p: { name: string }) => p.name)).toEqual(listProfiles());
    for (const p of doc.profiles) {
      expect(p.pointBytes).toBeCloseTo(p.basketBytes / n, 3);
      expect(p.prices['dag_node']).toBeGreaterThan(0);
      expect(p.prices['scalar:int2048']).toBeGreaterThan(p.prices['scalar:int8']);
      expect(Object.keys(p.extras)).toEqual(['membrane:quota', 'membrane:copy_on_mutate']);
    }
    const native = doc.profiles.find((p: { name: string }) => p.name === 'native-compact');
    const v8 = doc.profiles.find((p: { name: string }) => p.name === 'v8-measured');
    expect(v8.pointBytes).toBeGreaterThan(native.pointBytes);
  });

  it('prints the counts, the point sizes and the price table', async () => {
    const { code, io } = await mergE(['basket']);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/^basket standard: /);
    expect(io.stdout).toMatch(/\n {4}entities \(N\)\s+\d+\n/);
    expect(io.stdout).toMatch(/one RAM-point:\n {4}profile\s+bytes per point\s+basket bytes\n {4}cpython-dev\s+\d+\.\d{3}\s+\d+\n/);
    expect(io.stdout).toMatch(/\n {4}scalar:int128(\s+\d+\.\d{3}){4}\n/);
    expect(io.stdout).toMatch(/\n {4}quota: scalar:\*(\s+\d+\.\d{3}){4}\n/);
  });

  it('--write measures a basket and writes counts.json; a changed program makes it stale (warning, --check exits 1)', async () => {
    const dir = myBasket({ 'a.merge': 'mutable int32 x = 1;\n' });
    let r = await mergE(['basket', '--dir', dir, '--basket', 'mine', '--check']);
    expect(r.code).toBe(1); // no counts.json yet
    expect(JSON.parse((await mergE(['basket', '--dir', dir, '--basket', 'mine', '--json'])).io.stdout).committed).toBe(false);
    r = await mergE(['basket', '--dir', dir, '--basket', 'mine', '--write']);
    expect(r.code).toBe(0);
    expect(r.io.stderr).toContain(`wrote ${join(dir, 'mine', 'counts.json')}`);
    const counts = JSON.parse(readFileSync(join(dir, 'mine', 'counts.json'), 'utf8'));
    expect(counts.total.byKind).toEqual({ scope: 2, 'scalar:int32': 2 });
    expect((await mergE(['basket', '--dir', dir, '--basket', 'mine', '--check'])).code).toBe(0);

    writeFileSync(join(dir, 'mine', 'a.merge'), 'mutable int32 x = 1;\nmutable int32 y = 2;\n');
    r = await mergE(['basket', '--dir', dir, '--basket', 'mine']);
    expect(r.code).toBe(0);
    expect(r.io.stderr).toMatch(/MRG4023 warning: basket 'mine': counts\.json no longer matches .*a\.merge: scalar:int32 committed 1, measured 2/);
    expect(r.io.stdout).toMatch(/scalar:int32\s+2\n/); // what runs still normalize by
    expect((await mergE(['basket', '--dir', dir, '--basket', 'mine', '--check'])).code).toBe(1);
  });

  it('a hand-edited counts.json whose total disagrees with its programs is MRG4050; --write replaces it', async () => {
    const dir = myBasket({ 'a.merge': 'mutable int32 x = 1;\n' });
    expect((await mergE(['basket', '--dir', dir, '--basket', 'mine', '--write'])).code).toBe(0);
    const path = join(dir, 'mine', 'counts.json');
    const good = readFileSync(path, 'utf8');
    const edited = JSON.parse(good);
    edited.total.byKind['scalar:int32'] = 20;
    writeFileSync(path, JSON.stringify(edited));
    let r = await mergE(['basket', '--dir', dir, '--basket', 'mine']);
    expect(r.code).toBe(1);
    expect(r.io.stderr).toContain(`MRG4050 error: ${path}: the total does not match its programs (Σ weight × program): scalar:int32 is 20, the programs add up to 2`);
    r = await mergE(['basket', '--dir', dir, '--basket', 'mine', '--write']);
    expect(r.code).toBe(0);
    expect(r.io.stderr).toContain('MRG4050 warning:');
    expect(readFileSync(path, 'utf8')).toBe(good);
  });

  it('a basket program that fails is MRG4022 naming it', async () => {
    const dir = myBasket({ 'bad.merge': 'mutable uint8 x = 300;\n' });
    const r = await mergE(['basket', '--dir', dir, '--basket', 'mine']);
    expect(r.code).toBe(1);
    expect(r.io.stderr).toMatch(/MRG4022 error: basket 'mine': program bad\.merge did not run to the end: .*range_error/);
  });

  it('refuses an unknown basket (MRG4021) and bad usage (MRG4002), both exit 2', async () => {
    let r = await mergE(['basket', '--basket', 'nope']);
    expect([r.code, r.io.stderr]).toEqual([2, expect.stringMatching(/MRG4021 error: no basket named 'nope' \(have: standard\)/)]);
    for (const args of [['basket', 'file.merge'], ['basket', '--write', '--check'], ['basket', '--basket'], ['basket', '-x']]) {
      r = await mergE(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.io.stderr).toContain('MRG4002');
    }
  });

  it('--help shows the usage with examples', async () => {
    const { code, io } = await mergE(['basket', '-h']);
    expect(code).toBe(0);
    expect(io.stdout).toContain('examples:\n  merg-e basket\n');
  });
});
