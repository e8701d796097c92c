// merg-e basket fit on the project's corpus (the targets: the fitted basket within 2% of the
// floor), --write and --basket, --basket DIR with a portability blend, and bad input.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { bytesOf, corpusFloor, listProfiles, loadProfileByName, Pricing } from '../../src/model/index.js';
import { runProgram } from '../../src/runtime/run.js';
import { basketAt, defaultBasketsDir, standardBasket } from '../../src/runtime/basket.js';
import { userBasketsDir } from '../../src/user-folders.js';
import { folder, mergE } from './helpers.js';

const ROOT = join(defaultBasketsDir(), '..');
const CORPUS = join(defaultBasketsDir(), 'corpus');
const PROGRAM = 'mutable dag d;\nmutable string d.name = "a name of some length";\nmutable int32 d.n = 7;\nmutable bool d.ok = true;\n';

interface FitDoc {
  programs: number;
  profiles: string[];
  current: { median: number; p90: number; worst: number; worstPrograms: { file: string; spread: number }[] };
  floor: { worst: number; profiles: string[]; programs: string[] };
  pairFloors: { profiles: [string, string]; worst: number }[];
  fitted: { median: number; p90: number; worst: number; weights: Record<string, number> };
  blend: { lambda: number; worst: number; p90: number; median: number; drift: number }[];
}

describe('merg-e basket fit on baskets/corpus', () => {
  let doc: FitDoc;
  beforeAll(async () => {
    const { code, io } = await mergE(['basket', 'fit', '--corpus', CORPUS, '--json'], ROOT);
    expect([code, io.stderr]).toEqual([0, '']);
    doc = JSON.parse(io.stdout) as FitDoc;
  }, 120_000);

  it('holds at least 25 programs, each with a one-line comment saying what it models', () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.merge'));
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const f of files) expect(readFileSync(join(CORPUS, f), 'utf8')).toMatch(/^```userdoc\n[^\n]+\n```\n/);
    expect(doc.programs).toBe(files.length);
  });

  it('prints the JSON the issue names, with the floor at most the current worst and the fitted basket within 2% of the floor', () => {
    expect(Object.keys(doc)).toEqual(['programs', 'profiles', 'objective', 'basket', 'current', 'floor', 'pairFloors', 'fitted', 'blend']);
    expect(doc.profiles).toEqual(listProfiles());
    expect(doc.current.worstPrograms).toHaveLength(5);
    expect(doc.current.worst).toBe(doc.current.worstPrograms[0]?.spread);
    expect(doc.floor.worst).toBeLessThanOrEqual(doc.current.worst);
    expect(doc.fitted.worst).toBeGreaterThanOrEqual(doc.floor.worst * (1 - 1e-9));
    expect(doc.fitted.worst).toBeLessThanOrEqual(doc.floor.worst * 1.02);
    for (const w of Object.values(doc.fitted.weights)) expect(Number.isSafeInteger(w) && w > 0).toBe(true);
    expect(doc.pairFloors).toHaveLength(6);
    expect(Math.max(...doc.pairFloors.map((p) => p.worst))).toBeLessThanOrEqual(doc.floor.worst * (1 + 1e-9));
    expect(doc.blend.map((b) => b.lambda)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // λ = 0 is the seed's normalization: its worst is the current basket's, and points track bytes exactly.
    expect(doc.blend[0]?.worst).toBeCloseTo(doc.current.worst, 9);
    expect(doc.blend[0]?.drift).toBeCloseTo(1, 9);
    // λ = 1 prices every kind alike: spread 1, at the cost of the largest drift.
    expect(doc.blend[4]?.worst).toBeCloseTo(1, 4); // blended weights are whole 1/BLEND_UNIT bytes
    expect(doc.blend[4]?.drift).toBeGreaterThan(doc.blend[2]?.drift as number);
  });

  it('its floor is the floor of the programs it names alone, from their bytes', () => {
    const profiles = doc.profiles.map((n) => loadProfileByName(n));
    const bytes = [...new Set(doc.floor.programs)].map((f) => {
      const r = runProgram({ file: join(ROOT, f) }, {});
      return profiles.map((p) => Number(bytesOf(p, r.counts)));
    });
    expect(corpusFloor(bytes, profiles.length).worst).toBeCloseTo(doc.floor.worst, 9);
    // And the current basket's spread of the worst program, from its bytes and the basket's.
    const worst = doc.current.worstPrograms[0] as { file: string; spread: number };
    const r = runProgram({ file: join(ROOT, worst.file) }, {});
    const ratio = profiles.map((p) => Number(bytesOf(p, r.counts)) / Number(bytesOf(p, standardBasket().counts)));
    expect(Math.max(...ratio) / Math.min(...ratio)).toBeCloseTo(worst.spread, 9);
  });
});

describe('merg-e basket fit --write and --basket', () => {
  it('writes a basket that --basket NAME uses, whose counts are fresh, and whose prices differ from the standard ones', async () => {
    const dir = folder({});
    mkdirSync(join(dir, 'c'));
    writeFileSync(join(dir, 'c', 'text.merge'), '```userdoc\ntext\n```\nmutable string a = "' + 'x'.repeat(400) + '";\nmutable string b = "' + 'y'.repeat(300) + '";\n');
    writeFileSync(join(dir, 'c', 'bools.merge'), '```userdoc\nbools\n```\nmutable dag f;\nmutable bool f.a = true;\nmutable bool f.b = false;\nmutable bool f.c = true;\nmutable int8 f.n = 1;\n');
    writeFileSync(join(dir, 'c', 'ints.merge'), '```userdoc\nints\n```\nmutable dataframe t int64 a, int64 b;\nt(1 2);\nt(3 4);\nt(5 6);\n');
    const fit = await mergE(['basket', 'fit', '--corpus', 'c', '--write', 'mine', '--json'], dir);
    expect(fit.code).toBe(0);
    expect(fit.io.stderr).toContain(`wrote the fitted basket to ${join(userBasketsDir(), 'mine')}`);
    const b = basketAt(join(userBasketsDir(), 'mine'));
    expect(b.basket.name).toBe('mine');
    expect(Object.keys(JSON.parse(fit.io.stdout).fitted.weights).length).toBe(b.basket.programs.length);
    const check = await mergE(['basket', '--basket', 'mine', '--check'], dir);
    expect([check.code, check.io.stderr]).toEqual([0, '']);
    writeFileSync(join(dir, 'p.merge'), PROGRAM);
    const mine = JSON.parse((await mergE(['compare', '--json', '--basket', 'mine', 'p.merge'], dir)).io.stdout);
    const std = JSON.parse((await mergE(['compare', '--json', 'p.merge'], dir)).io.stdout);
    expect(mine.profiles.map((p: { bytes: number }) => p.bytes)).toEqual(std.profiles.map((p: { bytes: number }) => p.bytes));
    expect(mine.profiles.map((p: { ramPoints: number }) => p.ramPoints)).not.toEqual(std.profiles.map((p: { ramPoints: number }) => p.ramPoints));
    // run --basket gives the same points as compare --basket.
    const run = JSON.parse((await mergE(['run', '--json', '--basket', 'mine', '--profile', 'jvm', 'p.merge'], dir)).io.stdout);
    expect(run.ramPoints.total).toBe(mine.profiles.find((p: { name: string }) => p.name === 'jvm').ramPoints);
  });

  it('refuses to write into a folder that is not a basket, leaving it as it was', async () => {
    const dir = folder({ 'a.merge': PROGRAM });
    mkdirSync(join(dir, 'keep'));
    writeFileSync(join(dir, 'keep', 'notes.txt'), 'mine');
    const r = await mergE(['basket', 'fit', '--corpus', '.', '--write', './keep'], dir);
    expect(r.code).not.toBe(0);
    expect(r.io.stderr).toContain('MRG4025');
    expect(readdirSync(join(dir, 'keep'))).toEqual(['notes.txt']);
  });

  it('says clearly what is wrong with its input', async () => {
    const dir = folder({ 'broken.merge': 'mutable dag d;\nmutable dag q = membrane<quota<1,1,0>> d;\nmutable int64 q.a = 1;\nmutable int64 q.b = 2;\n', 'ok.merge': PROGRAM });
    mkdirSync(join(dir, 'empty'));
    const none = await mergE(['basket', 'fit'], dir);
    expect([none.code, none.io.stderr]).toEqual([2, expect.stringContaining('MRG4002')]);
    const notDir = await mergE(['basket', 'fit', '--corpus', 'nope'], dir);
    expect(notDir.io.stderr).toContain('MRG4053');
    const empty = await mergE(['basket', 'fit', '--corpus', 'empty'], dir);
    expect(empty.io.stderr).toMatch(/MRG4053.*holds no \.merge/);
    const obj = await mergE(['basket', 'fit', '--corpus', '.', '--objective', 'best'], dir);
    expect(obj.io.stderr).toContain('--objective is worst or mean');
    const one = await mergE(['basket', 'fit', '--corpus', '.', '--profiles', 'jvm'], dir);
    expect(one.io.stderr).toContain('at least two');
    // A program that does not run to the end is left out, with a warning naming it and why.
    const r = await mergE(['basket', 'fit', '--corpus', '.', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.io.stderr).toMatch(/MRG4054 warning: broken\.merge did not run to the end under cpython-dev \(MRG3006 quota_error at line 3: allocation refused/);
    expect(JSON.parse(r.io.stdout).programs).toBe(1);
    const unknown = await mergE(['compare', '--basket', 'nope', 'ok.merge'], dir);
    expect([unknown.code, unknown.io.stderr]).toEqual([2, expect.stringContaining("MRG4021 error: no basket named 'nope'")]);
  });
});

describe('merg-e basket fit --objective mean', () => {
  it('fits a basket with a mean log-spread no larger than the worst objective\'s, and never below the floor', async () => {
    const dir = folder({});
    mkdirSync(join(dir, 'c'));
    const programs = readdirSync(CORPUS).filter((f) => /^(app|doc|flags|num)-/.test(f));
    for (const f of programs) writeFileSync(join(dir, 'c', f), readFileSync(join(CORPUS, f)));
    const worst = JSON.parse((await mergE(['basket', 'fit', '--corpus', 'c', '--json'], dir)).io.stdout);
    const mean = JSON.parse((await mergE(['basket', 'fit', '--corpus', 'c', '--objective', 'mean', '--json'], dir)).io.stdout);
    expect(mean.objective).toBe('mean');
    expect(mean.programs).toBe(programs.length);
    expect(mean.floor).toEqual(worst.floor);
    expect(mean.fitted.meanLogSpread).toBeLessThanOrEqual(worst.fitted.meanLogSpread + 1e-9);
    expect(mean.fitted.worst).toBeGreaterThanOrEqual(mean.floor.worst * (1 - 1e-9));
    expect(worst.fitted.worst).toBeLessThanOrEqual(worst.floor.worst * 1.02);
  });
});

describe('warnSpread from the basket in use', () => {
  it('a basket whose warnSpread is 10 does not warn where the standard one does', async () => {
    const dir = folder({ 'p.merge': readFileSync(join(CORPUS, 'doc-article.merge'), 'utf8') });
    const std = standardBasket().basket;
    mkdirSync(join(dir, 'loose'));
    for (const p of std.programs) writeFileSync(join(dir, 'loose', p.file), readFileSync(join(std.dir, p.file)));
    const json = JSON.parse(readFileSync(join(std.dir, 'basket.json'), 'utf8'));
    delete json.$schema;
    writeFileSync(join(dir, 'loose', 'basket.json'), JSON.stringify({ ...json, name: 'loose', warnSpread: 10 }));
    writeFileSync(join(dir, 'loose', 'counts.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(std.dir, 'counts.json'), 'utf8')), basket: 'loose' }));
    expect((await mergE(['run', '--report', 'p.merge'], dir)).io.stderr).toContain('MRG4052');
    expect((await mergE(['compare', 'p.merge'], dir)).io.stderr).toContain('MRG4052');
    expect((await mergE(['run', '--report', '--basket', './loose', 'p.merge'], dir)).io.stderr).not.toContain('MRG4052');
    const cmp = JSON.parse((await mergE(['compare', '--json', '--basket', './loose', 'p.merge'], dir)).io.stdout);
    expect([cmp.warnSpread, cmp.unlikeBasket]).toEqual([10, false]);
  });
});

describe('the portability blend from basket.json', () => {
  /** A copy of the standard basket with "portability": λ, in a folder of its own. */
  function blendedBasket(lambda: number): string {
    const dir = folder({});
    const to = join(dir, 'blend');
    mkdirSync(to);
    const std = standardBasket().basket;
    for (const p of std.programs) writeFileSync(join(to, p.file), readFileSync(join(std.dir, p.file)));
    const json = JSON.parse(readFileSync(join(std.dir, 'basket.json'), 'utf8'));
    delete json.$schema;
    writeFileSync(join(to, 'basket.json'), JSON.stringify({ ...json, name: 'blend', portability: lambda }));
    const counts = JSON.parse(readFileSync(join(std.dir, 'counts.json'), 'utf8'));
    writeFileSync(join(to, 'counts.json'), JSON.stringify({ ...counts, basket: 'blend' }));
    return dir;
  }

  it('λ = 0 reproduces the standard prices exactly; λ = 0.5 narrows a spread, and merg-e basket shows its byte drift', async () => {
    const zero = blendedBasket(0);
    writeFileSync(join(zero, 'p.merge'), PROGRAM);
    const a = JSON.parse((await mergE(['compare', '--json', '--basket', './blend', 'p.merge'], zero)).io.stdout);
    const std = JSON.parse((await mergE(['compare', '--json', 'p.merge'], zero)).io.stdout);
    expect(a.profiles).toEqual(std.profiles);
    for (const name of listProfiles()) {
      const p = loadProfileByName(name);
      const blended = Pricing.blended(p, standardBasket().counts, { lambda: 0, reference: listProfiles().map((n) => loadProfileByName(n)) });
      const plain = Pricing.fromCounts(p, standardBasket().counts);
      for (const k of ['dag_node', 'scalar:bool', 'scalar:int64', 'row', 'string_byte']) expect(blended.mpOf(k)).toBe(plain.mpOf(k));
    }
    const half = blendedBasket(0.5);
    writeFileSync(join(half, 'p.merge'), PROGRAM);
    const h = JSON.parse((await mergE(['compare', '--json', '--basket', './blend', 'p.merge'], half)).io.stdout);
    expect(h.spread.ramPoints).toBeLessThan(std.spread.ramPoints);
    const shown = await mergE(['basket', '--basket', './blend', '--json'], half);
    const b = JSON.parse(shown.io.stdout);
    expect(b.portability).toBe(0.5);
    expect(b.blend.lambda).toBe(0.5);
    expect(b.blend.drift).toBeGreaterThan(1);
    expect((await mergE(['basket', '--basket', './blend'], half)).io.stdout).toMatch(/portability blend 0\.5 .* worst byte drift is \d\.\d{3}/);
  });
});
