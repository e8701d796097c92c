// Mutation survivors of src/runtime/basket-fit.ts: which files a corpus folder gives, what
// measureCorpus keeps (a program run twice, one that fails, one whose counts move with its prices),
// fitBasket's checks and numbers (current spreads and the five worst programs, floor, fitted basket,
// blend table), blendRow's spreads and drift at the edges, and what writeFittedBasket writes or refuses.
//
// The numbers come from profiles built in memory over a two-entity basket K = 1 dag_node + 1 bool:
//   a: dag_node 60 B, bool 4 B (K: 64 B)   b: dag_node 60 B, bool 36 B (K: 96 B)   c: dag_node 60 B, bool 0 B
// A program's spread under a basket of bytes (A, B) is max(r/R, R/r) with r = B_b(x)/B_a(x), R = B/A:
//   X = 1 dag_node: r = 1;  Y = 1 bool: r = 9;  Z = 1 dag_node + 1 bool: r = 1.5.
// Under K (R = 1.5): X 1.5, Y 6, Z 1. The floor puts R at the geometric middle of 1 and 9: 3.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defaultRuntimesDir, loadProfile, loadProfileByName, type EntityCounts, type RuntimeProfile } from '../../src/model/index.js';
import { loadBasketFile, standardBasket, type Basket, type BasketInUse } from '../../src/runtime/basket.js';
import { blendRow, blendTable, corpusFiles, fitBasket, measureCorpus, programEntities, writeFittedBasket, type FitProgram, type FitReport } from '../../src/runtime/basket-fit.js';
import { EXAMPLES_DIR } from '../examples.js';
import { thrown } from '../support/errors.js';

const jvm = loadProfile(join(defaultRuntimesDir(), 'jvm.json'));

function profile(name: string, bool: number, dagNode = 60): RuntimeProfile {
  const bytes = new Map(jvm.bytes);
  bytes.set('dag_node', dagNode);
  bytes.set('scalar:bool', bool);
  return { ...jvm, name, bytes, file: '' };
}

const A = profile('a', 4);
const B = profile('b', 36);
const C = profile('c', 0);

function counts(dagNodes: number, bools: number): EntityCounts {
  const byKind = new Map<string, number>();
  if (dagNodes > 0) byKind.set('dag_node', dagNodes);
  if (bools > 0) byKind.set('scalar:bool', bools);
  return { byKind, stringBytes: 0 };
}

function prog(name: string, dagNodes: number, bools: number, o: { inCorpus?: boolean; stable?: boolean; path?: string } = {}): FitProgram {
  return { name, path: o.path ?? '', counts: counts(dagNodes, bools), inCorpus: o.inCorpus ?? true, stable: o.stable ?? true };
}

function basket(over: Partial<Basket> = {}): Basket {
  return { name: 't', description: '', dir: tmpdir(), programs: [], warnSpread: 1.5, portability: 0, ...over } as Basket;
}

const K: BasketInUse = { basket: basket(), counts: counts(1, 1) };
const X = prog('X', 1, 0);
const Y = prog('Y', 0, 1);
const Z = prog('Z', 1, 1);

/** Spread of a program of ratio r = B_b/B_a under a basket of ratio R. */
const spreadAt = (r: number, R: number) => Math.max(r / R, R / r);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'merg-e-basket-fit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fitBasket', () => {
  it('the current basket\'s spreads, the floor, a fitted basket near it and the blend table', () => {
    const r = fitBasket([X, Y, Z], K, [A, B]);
    expect([r.programs, r.profiles, r.objective, r.basket, r.warnings]).toEqual([3, ['a', 'b'], 'worst', 't', []]);
    expect(r.current.median).toBeCloseTo(1.5, 9);
    expect(r.current.p90).toBeCloseTo(6, 9);
    expect(r.current.worst).toBeCloseTo(6, 9);
    expect(r.current.worstPrograms.map((p) => p.file)).toEqual(['Y', 'X', 'Z']);
    expect(r.floor.worst).toBeCloseTo(3, 9);
    expect([r.floor.profiles, r.floor.programs]).toEqual([['a', 'b'], ['X', 'Y']]);
    expect(r.pairFloors.map((f) => f.profiles)).toEqual([['a', 'b']]);
    expect(r.pairFloors[0]!.worst).toBeCloseTo(3, 9);

    // The fitted basket's own ratio R gives its spreads: they are what the report says, within 2% of the floor.
    const w = r.fitted.weights;
    const bytesA = 60 * (w.get('X') ?? 0) + 4 * (w.get('Y') ?? 0) + 64 * (w.get('Z') ?? 0);
    const bytesB = 60 * (w.get('X') ?? 0) + 36 * (w.get('Y') ?? 0) + 96 * (w.get('Z') ?? 0);
    const R = bytesB / bytesA;
    const spreads = [spreadAt(1, R), spreadAt(9, R), spreadAt(1.5, R)];
    expect(r.fitted.worst).toBeCloseTo(Math.max(...spreads), 9);
    expect(r.fitted.meanLogSpread).toBeCloseTo(spreads.reduce((s, x) => s + Math.log(x), 0) / 3, 9);
    expect(r.fitted.worst).toBeGreaterThanOrEqual(3 - 1e-9);
    expect(r.fitted.worst).toBeLessThan(3 * 1.02);
    expect(r.chosen.map((c) => [c.program.name, c.weight])).toEqual([...w]);

    // λ = 0 prices by bytes (drift 1, the current spreads); λ = 1 prices a dag_node 5/3 and a bool 1/3
    // point everywhere (spread 1); Y's drift under a is (1/3)·(64/2)/4 = 8/3.
    expect(r.blend.map((x) => x.lambda)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const [l0, , , , l1] = r.blend;
    expect([l0!.median, l0!.p90, l0!.worst, l0!.drift].map((v) => Number(v.toFixed(9)))).toEqual([1.5, 6, 6, 1]);
    expect(l1!.worst).toBeCloseTo(1, 5);
    expect(l1!.drift).toBeCloseTo(8 / 3, 5);
  });

  it('returns the warnings it is given', () => {
    const warnings = [{ code: 'MRG4054' as const, severity: 'warning' as const, message: 'left out' }];
    expect(fitBasket([X, Y, Z], K, [A, B], { warnings }).warnings).toBe(warnings);
  });

  it('the five worst programs of the current basket, largest spread first, ties by name', () => {
    const g = prog('g.merge', 0, 1); // 6
    const f = prog('f.merge', 0, 1); // 6
    const e = prog('e.merge', 1, 0); // 1.5
    const d = prog('d.merge', 1, 1); // 1
    const c = prog('c.merge', 1, 1); // 1
    const b = prog('b.merge', 1, 2); // r = 132/68: (132/96)/(68/64) = 1.294
    const a = prog('a.merge', 1, 1); // 1
    const r = fitBasket([g, c, a, d, f, e, b], K, [A, B]);
    expect(r.current.worstPrograms.map((p) => p.file)).toEqual(['f.merge', 'g.merge', 'e.merge', 'b.merge', 'a.merge']);
    expect(r.current.worstPrograms[3]!.spread).toBeCloseTo(132 / 96 / (68 / 64), 9);
  });

  it('only programs whose counts do not move with their prices are candidates', () => {
    // W (r = 240/80 = 3) alone would reach the floor, but it is not stable; nor is Y: only Z (r = 1.5) can form the basket.
    const W = prog('W', 1, 5, { inCorpus: false, stable: false });
    const r = fitBasket([X, prog('Y', 0, 1, { stable: false }), Z, W], K, [A, B]);
    expect([...r.fitted.weights.keys()]).toEqual(['Z']);
    expect(r.fitted.worst).toBeCloseTo(6, 9);
    expect(r.programs).toBe(3);
  });

  it('MRG4053 when no candidate is stable', () => {
    const e = thrown(() => fitBasket([prog('X', 1, 0, { stable: false }), prog('Y', 0, 1, { stable: false })], K, [A, B]));
    expect([e.code, e.message]).toEqual(['MRG4053', 'no candidate program can form a basket (every one allocates differently under different profiles)']);
  });

  it('MRG4053 when no weights of the candidates give every profile bytes', () => {
    // The only stable candidate allocates a bool, which c holds in 0 bytes.
    const e = thrown(() => fitBasket([prog('X', 1, 0, { stable: false }), prog('Yc', 0, 1, { inCorpus: false })], K, [A, C]));
    expect([e.code, e.message]).toEqual(['MRG4053', 'no candidate program can form a basket: none allocates anything that c gives bytes, so every basket of them would be free there; add a stable program that allocates what it prices']);
    // It names the profile where no candidate has bytes, not one where only some have none (d gives
    // a dag node no bytes, e gives neither a dag node nor a bool any).
    const D = profile('d', 4, 0);
    const E = profile('e', 0, 0);
    const ints: FitProgram = { name: 'I', path: '', counts: { byKind: new Map([['scalar:int8', 1]]), stringBytes: 0 }, inCorpus: true, stable: false };
    const mixed = thrown(() => fitBasket([ints, prog('Yc', 0, 1, { inCorpus: false }), prog('Xd', 1, 0, { inCorpus: false })], K, [A, D, E]));
    expect(mixed.message).toBe('no candidate program can form a basket: none allocates anything that e gives bytes, so every basket of them would be free there; add a stable program that allocates what it prices');
    // The same with the profile that gives nothing first in the list.
    const first = thrown(() => fitBasket([prog('X', 1, 0, { stable: false }), prog('Yc', 0, 1, { inCorpus: false })], K, [C, A]));
    expect(first.message).toBe('no candidate program can form a basket: none allocates anything that c gives bytes, so every basket of them would be free there; add a stable program that allocates what it prices');
  });

  it('MRG4053 for a corpus program that a profile gives no bytes, naming that profile', () => {
    const e = thrown(() => fitBasket([X, Y], K, [A, C]));
    expect([e.code, e.message]).toEqual(['MRG4053', 'Y allocates nothing that c gives bytes: its spread is undefined; leave it out of the corpus']);
  });

  it('two to ten profiles', () => {
    const one = thrown(() => fitBasket([X, Y], K, [A]));
    expect([one.code, one.message]).toEqual(['MRG4053', 'a fit compares profiles: give at least two']);
    const ten = Array.from({ length: 10 }, (_, i) => profile(`p${i}`, 4 + 4 * i, 60 - 2 * i));
    expect(fitBasket([X, Y, Z], K, ten).profiles).toEqual(ten.map((p) => p.name));
    const eleven = thrown(() => fitBasket([X, Y], K, [...ten, profile('p10', 48, 40)]));
    expect([eleven.code, eleven.message]).toEqual(['MRG4053', 'a fit takes at most 10 profiles (got 11); choose them with --profiles']);
  });
});

describe('blendRow at the edges', () => {
  it('a drift below 1 counts as its inverse: 1 dag_node + 2 bools at λ = 1', () => {
    // 5/3 + 2/3 = 7/3 points everywhere; drift under a (7/3)·32/68 = 1.098, under b (7/3)·48/132 = 0.848 -> 132/112.
    const row = blendRow([counts(1, 2)], counts(1, 1), [A, B], 1);
    expect(row.drift).toBeCloseTo(132 / 112, 5);
    expect(row.worst).toBeCloseTo(1, 5);
  });

  it('a program priced 0 under a profile: spread 1, and no drift where it has no bytes or no points', () => {
    // A bool costs 0 under c; at λ = 1 its geometric mean is 0, so it costs 0 under a too (4 bytes, 0 points).
    for (const lambda of [0, 1]) {
      const row = blendRow([counts(0, 1)], counts(1, 1), [A, C], lambda);
      expect([row.worst, row.drift]).toEqual([1, 1]);
    }
  });

  it('blendTable: the five λ of the table', () => {
    expect(blendTable([counts(1, 0)], counts(1, 1), [A, B]).map((r) => r.lambda)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('corpusFiles', () => {
  it('the .merge and .mrg files of each folder, sorted, as full paths; not other files, not folders', () => {
    const cf = join(dir, 'cf');
    mkdirSync(join(cf, 'sub.merge'), { recursive: true });
    for (const f of ['b.merge', 'a.mrg', 'notes.txt', 'c.merge.bak', 'mrg']) writeFileSync(join(cf, f), 'mutable int a = 1;\n');
    expect(corpusFiles(['cf', 'cf'], dir)).toEqual([join(cf, 'a.mrg'), join(cf, 'b.merge')]);
  });

  it('MRG4053 for what is not a folder, and for a folder without programs', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    writeFileSync(join(dir, 'empty', 'readme.txt'), 'no programs here\n');
    const missing = thrown(() => corpusFiles(['nope'], dir));
    expect([missing.code, missing.message]).toEqual(['MRG4053', '--corpus nope: not a folder']);
    const empty = thrown(() => corpusFiles(['empty'], dir));
    expect([empty.code, empty.message]).toEqual(['MRG4053', '--corpus empty: holds no .merge or .mrg program']);
  });
});

describe('measureCorpus', () => {
  const FILLS = 'mutable dag store;\nshared mutable dag box = membrane<quota<24, 24, 0>> store;\nmutable dataframe box.log string msg, int32 n;\nfunction fill()::{ box; }{\n  mutable int32 i = 0;\n  while true {\n    i += 1;\n    box.log("entry number" i);\n  };\n}!!{\n};\nfill();\n';
  const v8 = loadProfileByName('v8-measured');
  const cpython = loadProfileByName('cpython-dev');
  let corpus = '';
  beforeAll(() => {
    corpus = join(dir, 'corpus');
    mkdirSync(corpus, { recursive: true });
    writeFileSync(join(corpus, 'k.merge'), 'mutable dag d;\nmutable bool d.ok = true;\n');
    writeFileSync(join(corpus, 'cand.merge'), 'mutable int32 n = 3;\n');
    writeFileSync(join(corpus, 'fills.merge'), FILLS);
    writeFileSync(join(corpus, 'div.merge'), 'mutable int a = 1;\nmutable int b = 0;\na = a / b;\n');
    writeFileSync(join(corpus, 'deep.merge'), 'function f()::{}{ f(); };\nf();\n');
    writeFileSync(join(corpus, 'ends.merge'), readFileSync(join(EXAMPLES_DIR, 'profile-endings.merge'), 'utf8'));
  });

  it('runs each program once, names corpus programs relative to cwd and basket programs by the basket; the failing are warned of', () => {
    // profile-endings.merge runs to the end under v8-measured (the first profile) but not under cpython-dev (the last);
    // fills.merge keeps more rows under one than under the other: neither is stable.
    const b: BasketInUse = { basket: basket({ dir: corpus, programs: [{ file: 'k.merge', weight: 1 }, { file: 'cand.merge', weight: 1 }] }), counts: standardBasket().counts };
    const files = ['k.merge', 'fills.merge', 'div.merge', 'deep.merge', 'ends.merge'].map((f) => join(corpus, f));
    const m = measureCorpus(files, b, [v8, cpython], dir);
    expect(m.programs.map((p) => [p.name, p.path, p.inCorpus, p.stable])).toEqual([
      ['corpus/k.merge', join(corpus, 'k.merge'), true, true],
      ['corpus/fills.merge', join(corpus, 'fills.merge'), true, false],
      ['corpus/ends.merge', join(corpus, 'ends.merge'), true, false],
      ['t:cand.merge', join(corpus, 'cand.merge'), false, true],
    ]);
    expect(m.warnings.map((w) => [w.code, w.message])).toEqual([
      ['MRG4054', 'corpus/div.merge did not run to the end under v8-measured (MRG3003 range_error at line 3: integer division by zero); it is left out of the fit'],
      ['MRG4054', 'corpus/deep.merge did not run to the end under v8-measured (MRG3012 at line 1: calls nested deeper than 400); it is left out of the fit'],
    ]);
  });

  it('MRG4053 when no corpus program runs to the end', () => {
    const b: BasketInUse = { basket: basket({ dir: corpus, programs: [{ file: 'cand.merge', weight: 1 }] }), counts: standardBasket().counts };
    const e = thrown(() => measureCorpus([join(corpus, 'div.merge')], b, [v8, cpython], dir));
    expect([e.code, e.message]).toEqual(['MRG4053', 'no corpus program ran to the end: nothing to fit']);
  });
});

describe('writeFittedBasket', () => {
  let src = '';
  let chosen: FitReport['chosen'] = [];
  beforeAll(() => {
    src = join(dir, 'src');
    mkdirSync(join(src, 'one'), { recursive: true });
    mkdirSync(join(src, 'two'), { recursive: true });
    writeFileSync(join(src, 'one', 'k.merge'), 'mutable bool a = true;\n');
    writeFileSync(join(src, 'two', 'k.merge'), 'mutable dag d;\n');
    writeFileSync(join(src, 'm.mrg'), 'mutable int32 n = 1;\n');
    chosen = [
      { program: prog('one/k.merge', 0, 1, { path: join(src, 'one', 'k.merge') }), weight: 2 },
      { program: prog('two/k.merge', 1, 0, { path: join(src, 'two', 'k.merge') }), weight: 1 },
      { program: prog('m.mrg', 1, 1, { path: join(src, 'm.mrg') }), weight: 3 },
    ];
  });
  const report = () => ({ objective: 'worst', programs: 4, profiles: ['a', 'b'], fitted: { worst: 3.0004 }, floor: { worst: 3 }, chosen }) as unknown as FitReport;

  it('writes each program (two of one name numbered), counts.json and basket.json, named after the folder', () => {
    const out = join(dir, 'fitted-1');
    const written = writeFittedBasket(out, report(), K);
    expect(written).toEqual(['k-1.merge', 'k-2.merge', 'm.mrg', 'counts.json', 'basket.json'].map((f) => join(out, f)));
    expect(readFileSync(join(out, 'k-2.merge'), 'utf8')).toBe('mutable dag d;\n');
    expect(readFileSync(join(out, 'basket.json'), 'utf8')).toBe(
      `${JSON.stringify(
        {
          name: 'fitted-1',
          description: 'Fitted by merg-e basket fit (objective worst) over 4 programs and the profiles a, b: worst spread 3.000 (floor 3.000).',
          programs: [{ file: 'k-1.merge', weight: 2 }, { file: 'k-2.merge', weight: 1 }, { file: 'm.mrg', weight: 3 }],
        },
        null,
        2,
      )}\n`,
    );
    const counts = JSON.parse(readFileSync(join(out, 'counts.json'), 'utf8'));
    expect(counts.basket).toBe('fitted-1');
    expect(counts.programs.map((p: { file: string; weight: number }) => [p.file, p.weight])).toEqual([['k-1.merge', 2], ['k-2.merge', 1], ['m.mrg', 3]]);
    expect(loadBasketFile(out).programs.map((p) => p.file)).toEqual(['k-1.merge', 'k-2.merge', 'm.mrg']);
  });

  it('keeps the current basket\'s warnSpread and portability when they are not the defaults', () => {
    const out = join(dir, 'fitted-2');
    writeFittedBasket(out, report(), { basket: basket({ warnSpread: 2, portability: 0.5 }), counts: K.counts });
    const json = JSON.parse(readFileSync(join(out, 'basket.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['name', 'description', 'programs', 'warnSpread', 'portability']);
    expect([json.warnSpread, json.portability]).toEqual([2, 0.5]);
  });

  it('one program of a name keeps it', () => {
    const out = join(dir, 'fitted-3');
    const one = { ...report(), chosen: [chosen[0]!, chosen[2]!] } as FitReport;
    expect(writeFittedBasket(out, one, K)).toEqual(['k.merge', 'm.mrg', 'counts.json', 'basket.json'].map((f) => join(out, f)));
  });

  it('a numbered name never takes the name of another program: each copy is its own file', () => {
    // k.merge three times and a k-2.merge: numbering the second k.merge k-2.merge would write it over
    // the other; it takes k-3.merge, so the third takes k-4.merge.
    mkdirSync(join(src, 'three'), { recursive: true });
    writeFileSync(join(src, 'three', 'k.merge'), 'mutable int32 three = 3;\n');
    writeFileSync(join(src, 'k-2.merge'), 'mutable int32 two = 2;\n');
    const third = { program: prog('three/k.merge', 1, 0, { path: join(src, 'three', 'k.merge') }), weight: 5 };
    const own = { program: prog('k-2.merge', 1, 0, { path: join(src, 'k-2.merge') }), weight: 4 };
    const out = join(dir, 'fitted-6');
    const written = writeFittedBasket(out, { ...report(), chosen: [chosen[0]!, chosen[1]!, third, own] } as FitReport, K);
    const names = ['k-1.merge', 'k-3.merge', 'k-4.merge', 'k-2.merge'];
    expect(written).toEqual([...names, 'counts.json', 'basket.json'].map((f) => join(out, f)));
    expect(names.map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(['mutable bool a = true;\n', 'mutable dag d;\n', 'mutable int32 three = 3;\n', 'mutable int32 two = 2;\n']);
    expect(loadBasketFile(out).programs.map((p) => [p.file, p.weight])).toEqual([['k-1.merge', 2], ['k-3.merge', 1], ['k-4.merge', 5], ['k-2.merge', 4]]);
  });

  it('a name two programs share is not kept by either, so it is free for a numbered copy', () => {
    // k.merge twice and k-2.merge twice: both k-2.merge are numbered (k-2-3, k-2-4), so the second
    // k.merge may take k-2.merge by its place.
    mkdirSync(join(src, 'p'), { recursive: true });
    mkdirSync(join(src, 'q'), { recursive: true });
    writeFileSync(join(src, 'p', 'k-2.merge'), 'mutable int32 p = 1;\n');
    writeFileSync(join(src, 'q', 'k-2.merge'), 'mutable int32 q = 2;\n');
    const p = { program: prog('p/k-2.merge', 1, 0, { path: join(src, 'p', 'k-2.merge') }), weight: 6 };
    const q = { program: prog('q/k-2.merge', 1, 0, { path: join(src, 'q', 'k-2.merge') }), weight: 7 };
    const out = join(dir, 'fitted-7');
    const written = writeFittedBasket(out, { ...report(), chosen: [chosen[0]!, chosen[1]!, p, q] } as FitReport, K);
    const names = ['k-1.merge', 'k-2.merge', 'k-2-3.merge', 'k-2-4.merge'];
    expect(written).toEqual([...names, 'counts.json', 'basket.json'].map((f) => join(out, f)));
    expect(names.map((f) => readFileSync(join(out, f), 'utf8'))).toEqual(['mutable bool a = true;\n', 'mutable dag d;\n', 'mutable int32 p = 1;\n', 'mutable int32 q = 2;\n']);
  });

  it('writes into an empty folder or over a basket folder', () => {
    const out = join(dir, 'fitted-4');
    mkdirSync(out);
    expect(writeFittedBasket(out, report(), K)).toHaveLength(5);
    expect(writeFittedBasket(out, report(), K)).toHaveLength(5);
  });

  it('MRG4053 for a name that is not lower-case letters, digits, - and _', () => {
    for (const name of ['Fitted', 'fit.ted']) {
      const e = thrown(() => writeFittedBasket(join(dir, name), report(), K));
      expect([e.code, e.message]).toEqual(['MRG4053', `--write ${name}: a basket name is lower-case letters, digits, '-' and '_'`]);
      expect(existsSync(join(dir, name))).toBe(false);
    }
  });

  it('MRG4025 for a file, or a folder that holds something else, and writes nothing', () => {
    const file = join(dir, 'afile');
    writeFileSync(file, 'mine\n');
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine\n');
    for (const target of [file, full]) {
      const e = thrown(() => writeFittedBasket(target, report(), K));
      expect([e.code, e.message]).toEqual(['MRG4025', `cannot write the basket into ${target}: it exists and is not a basket folder (nothing was written)`]);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect(existsSync(join(full, 'basket.json'))).toBe(false);
  });

  it('MRG4025 with the system\'s code when the folder cannot be made or a file cannot be written', () => {
    const under = join(dir, 'afile2', 'sub');
    writeFileSync(join(dir, 'afile2'), 'mine\n');
    const e = thrown(() => writeFittedBasket(under, report(), K));
    expect([e.code, e.message]).toEqual(['MRG4025', `cannot create ${under}: ENOTDIR`]);
    const out = join(dir, 'fitted-5');
    mkdirSync(join(out, 'counts.json', 'x'), { recursive: true });
    writeFileSync(join(out, 'basket.json'), '{}\n');
    const w = thrown(() => writeFittedBasket(out, report(), K));
    expect([w.code, w.message]).toEqual(['MRG4025', `cannot write ${join(out, 'counts.json')}: EISDIR`]);
  });
});

describe('programEntities', () => {
  it('how many entities a program allocated', () => {
    expect(programEntities(prog('p', 2, 3))).toBe(5);
  });
});
