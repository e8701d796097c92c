// The claims of spec part 17 (shared/seeds/merge-spec-part17.txt), each run as a Merg-E program.
import { describe, expect, it } from 'vitest';
import { entityKindOfType, loadProfileByName, Pricing, roundFloat16, scalarType } from '../../src/model/index.js';
import { standardBasketCounts } from '../../src/runtime/basket.js';
import type { RunResult } from '../../src/runtime/run.js';
import { err, invariants, out, run } from './helpers.js';

const STACK = [
  'mutable dag olddag;',
  'mutable dag newdag = membrane<quota<80, 40, 30>> olddag;',
  'inert float256 newdag.coolfloat256.pi = 3.14159;',
  'mutable dag dag3 = membrane<quota<60,30, 10>> newdag;',
  'mutable dag dag4 = membrane<quota<40,40, 0>> dag3;',
].join('\n');

function membrane(r: RunResult, name: string) {
  const m = r.membranes.find((x) => x.name === name);
  if (!m) throw new Error(`no membrane ${name}`);
  return m;
}

describe('spec part 17: the quota membrane', () => {
  it('the example stack newdag <80,40,30>, dag3 <60,30,10>, dag4 <40,40,0> is valid', () => {
    const r = run(STACK);
    expect(r.error).toBeNull();
    expect(r.membranes.map((m) => [m.name, m.total, m.direct, m.overcommit, m.parent])).toEqual([
      ['newdag', 80, 40, 30, null],
      ['dag3', 60, 30, 10, 'newdag'],
      ['dag4', 40, 40, 0, 'dag3'],
    ]);
    expect(invariants(r)).toEqual([]);
  });

  it('a fourth membrane stacked on dag4 with any total above 0 is refused; with 0 it is not', () => {
    const e = err(`${STACK}\nmutable dag dag5 = membrane<quota<1,0,0>> dag4;`);
    expect(e.name).toBe('quota_error');
    expect(e.membrane).toBe('dag4');
    expect(e.limitKind).toBe('pool');
    expect(e.line).toBe(6);
    expect(run(`${STACK}\nmutable dag dag5 = membrane<quota<0,0,0>> dag4;`).error).toBeNull();
  });

  it('grafting the version pruned from scope.imported.lang.Version into dag4 uses up RAM-points', () => {
    const before = run(STACK);
    const after = run(`${STACK}\nmutable dag version = prune scope.imported.lang.Version\nent dag4 version as Version;`);
    expect(after.error).toBeNull();
    expect(membrane(after, 'dag4').directUsed).toBeGreaterThan(membrane(before, 'dag4').directUsed);
    expect(out(`${STACK}\nmutable dag version = prune scope.imported.lang.Version\nent dag4 version as Version;\ncout olddag.Version.minor endl;`)).toBe('3\n');
    // The lang DAG itself is inert: pruning copied it.
    expect(out('mutable dag v = prune scope.imported.lang.Version;\ncout lang.version.minor " " scope.imported.lang.Version.major endl;')).toBe('3 0\n');
  });

  it('grafting mypi pruned from newdag.coolfloat256.pi into dag4 is free (same pool)', () => {
    const before = run(`${STACK}\nmutable dag mypi = prune newdag.coolfloat256.pi`);
    const after = run(`${STACK}\nmutable dag mypi = prune newdag.coolfloat256.pi\nent dag4 mypi as Pi;\ncout olddag.Pi endl;`);
    expect(after.stdout).toBe('3.14159\n');
    expect(after.membranes).toEqual(before.membranes);
    expect(invariants(after)).toEqual([]);
  });

  it('the same graft across a copy_on_mutate membrane pays full price', () => {
    const com = STACK.replace('mutable dag dag4 = membrane<quota<40,40, 0>> dag3;', 'mutable dag com = membrane<copy_on_mutate> dag3;\nmutable dag dag4 = membrane<quota<40,40, 0>> com;');
    const before = run(`${com}\nmutable dag mypi = prune newdag.coolfloat256.pi`);
    const after = run(`${com}\nmutable dag mypi = prune newdag.coolfloat256.pi\nent dag4 mypi as Pi;`);
    expect(after.error).toBeNull();
    expect(membrane(after, 'dag4').directUsed).toBeGreaterThan(membrane(before, 'dag4').directUsed);
    expect(membrane(after, 'newdag').directUsed).toBeLessThan(membrane(before, 'newdag').directUsed);
  });

  it('a refused graft leaves source, target and counters as they were, and the value unmoved', () => {
    const tight = STACK.replace('quota<40,40, 0>', 'quota<1,1, 0>');
    const src = `${tight}\nmutable dag version = prune scope.imported.lang.Version;\nmutable function g()::{ version; dag4; cout; endl; }{ ent dag4 version as Version; }!!{ cout "refused; still have " version.minor endl; };\ng();`;
    const r = run(src);
    expect(r.stdout).toBe('refused; still have 3\n');
    expect(membrane(r, 'dag4').directUsed).toBe(0);
    expect(invariants(r)).toEqual([]);
  });
});

describe('spec part 17: RAM-points built-ins', () => {
  const profile = loadProfileByName('cpython-dev');
  const pricing = Pricing.fromCounts(profile, standardBasketCounts());
  const pts = (mp: number) => roundFloat16(mp / 1000);

  it('lang.memory.int.rampoints, string.dynamic_rampoints and dag.dag_rampoints price under the active profile', () => {
    const src = [
      'mutable dag mydag;',
      'inert int128 mydag.some.spot = 1;',
      'inert float16 points1 = lang.memory.int.rampoints(lang.types.int2048)',
      'inert float16 points2 = lang.memory.string.dynamic_rampoints(800)',
      'inert float16 points3 = lang.memory.dag.dag_rampoints(mydag.some.spot, lang.type.int128)',
      'cout points1 " " points2 " " points3 endl;',
    ].join('\n');
    const p1 = pts(pricing.priceOfKind(entityKindOfType(scalarType('int2048'))));
    const p2 = pts(pricing.stringPrice(800, 0, 0));
    const p3 = pts(pricing.priceOfKind('scalar:int128'));
    // cout prints a float16 in its shortest form that reads back as the same float16.
    const shown = out(src).trim().split(' ').map((x) => roundFloat16(Number(x)));
    expect(shown).toEqual([p1, p2, p3]);
    expect(p1).toBeGreaterThan(p3);
  });

  it('dag_rampoints includes the extras of the membranes on the way to the spot', () => {
    const src = 'mutable dag d;\nmutable dag q = membrane<quota<100,50,0>> d;\ncout lang.memory.dag.dag_rampoints(d.x, lang.type.int128) " " lang.memory.dag.dag_rampoints(q.x, lang.type.int128) endl;';
    const [plain, through] = out(src).trim().split(' ').map((x) => roundFloat16(Number(x))) as [number, number];
    expect(through).toBeGreaterThanOrEqual(plain);
    expect(through).toBe(pts(pricing.priceOfKind('scalar:int128', 1, 0)));
  });

  it('the same program costs points under every shipped profile', () => {
    for (const p of ['cpython-dev', 'jvm', 'native-compact']) {
      const r = run(STACK, { profile: p });
      expect(r.profile).toBe(p);
      expect(r.ramPoints.total).toBeGreaterThan(0);
    }
  });
});

describe('spec part 17: scope construction under a membrane (quota.md §8)', () => {
  const utils = 'function is_prime(x int)::{ ok_count; }{\n  lang.assert x <= max_prime;\n  if x > 1 { ok_count += 1; };\n  return x > 1;\n};';
  const head = 'shared mutable int ok_count = 0;\ninert int max_prime = 1000;\n';

  it('<membrane<quota<15,0,0>>> refuses the construction at the call (D = 0 leaves no room for x)', () => {
    const e = err(`${head}mutable merge utils.is_prime as is_prime(x int)<membrane<quota<15,0,0>>>::{\nok_count: ok_count;\n}{\nmax_prime;\n};\ncout is_prime(7) endl;`, { mods: { utils } });
    expect(e.name).toBe('quota_error');
    expect(e.membrane).toBe('is_prime');
    expect(e.limitKind).toBe('direct');
    expect(e.line).toBe(8);
    expect(e.file).toBe('test.merge');
  });

  it('a refused construction leaves the caller exactly as it was', () => {
    const decl = `${head}mutable merge utils.is_prime as is_prime(x int)<membrane<quota<15,0,0>>>::{ ok_count; }{ max_prime; };\n`;
    const declared = run(decl, { mods: { utils } });
    const refused = run(`${decl}cout is_prime(7) endl;`, { mods: { utils } });
    expect(refused.error?.name).toBe('quota_error');
    expect(refused.membranes).toEqual(declared.membranes);
    expect(refused.ramPoints).toEqual(declared.ramPoints);
    expect(refused.counts).toEqual(declared.counts);
    expect(invariants(refused)).toEqual([]);
  });

  it('one that fits runs, and its per-call locals are released when it returns', () => {
    const r = run(`${head}mutable merge utils.is_prime as is_prime(x int)<membrane<quota<15,5,0>>>::{ ok_count; }{ max_prime; };\ncout is_prime(7) is_prime(1) " " ok_count endl;`, { mods: { utils } });
    expect(r.stdout).toBe('truefalse 1\n');
    expect(membrane(r, 'is_prime').directUsed).toBe(0);
  });

  it('moved captures count towards the scope quota; captured constants do not', () => {
    const mod = { m: 'function f()::{ data; }{ return data + k; };' };
    const fits = run('mutable int data = 1;\ninert int k = 2;\nmutable merge m.f as f()<membrane<quota<15,2,0>>>::{ data; }{ k; };\ncout f() endl;', { mods: mod });
    expect(fits.stdout).toBe('3\n');
    expect(membrane(fits, 'f').directUsed).toBeGreaterThan(0);
    const refused = err('mutable int data = 1;\ninert int k = 2;\nmutable merge m.f as f()<membrane<quota<15,0,0>>>::{ data; }{ k; };\ncout f() endl;', { mods: mod });
    expect(refused.name).toBe('quota_error');
    expect(out('shared mutable int data = 1;\ninert int k = 2;\nmutable merge m.f as f()<membrane<quota<15,0,0>>>::{ data; }{ k; };\ncout f() endl;', { mods: mod })).toBe('3\n');
  });

  it('under a caller that is itself under a quota membrane, moved captures graft for free (same pool)', () => {
    const body = (membraneArg: string) =>
      `mutable function outer()${membraneArg}::{ cout; endl; }{\n  mutable int data = 7;\n  mutable function inner()<membrane<quota<20,0,0>>>::{ data; }{ return data; };\n  cout inner() endl;\n};\nouter();`;
    expect(out(body('<membrane<quota<100,50,50>>>'))).toBe('7\n');
    const e = err(body(''));
    expect(e.name).toBe('quota_error');
    expect(e.membrane).toBe('inner');
  });
});

describe('spec part 17: dataframe growth', () => {
  it('the seed\'s inDf grows row by row and freezes', () => {
    const r = run('mutable dataframe inDf string id, int32 startval, int32 endval;\ninDf( "foo" 17 99 );\ninDf( "bar" 42 1999 );\ninDf( "baz" 377 1483 );\nfreeze inDf;');
    expect(r.dataframes).toEqual([{ name: 'inDf', rows: 3, frozen: true }]);
  });

  it('growth through a quota membrane stops with quota_error; the offending row is not added and the dataframe stays unfrozen', () => {
    const src = 'mutable dag d;\nmutable dag q = membrane<quota<20,20,0>> d;\nmutable dataframe q.df string id, int32 v;\nmutable int i = 0;\nwhile true { q.df("row" i); i += 1; };';
    const e = err(src);
    expect(e.name).toBe('quota_error');
    expect(e.membrane).toBe('q');
    expect(e.line).toBe(5);
    const df = e.result.dataframes[0];
    expect(df?.frozen).toBe(false);
    const m = e.result.membranes[0];
    expect(m!.directUsed).toBeLessThanOrEqual(20);
    expect(m!.directUsed + e.requested!).toBeGreaterThan(20);
    expect(invariants(e.result)).toEqual([]);
    // A handler sees the dataframe as it was before the refused row.
    const handled = out(`mutable dag d;\nmutable dag q = membrane<quota<20,20,0>> d;\nmutable dataframe q.df string id, int32 v;\nmutable function fill()::{ q; cout; endl; }{\n  mutable int i = 0;\n  while true { q.df("row" i); i += 1; };\n}!!{\n  cout lang.dataframe.rows(q.df) endl;\n};\nfill();`);
    expect(Number(handled)).toBe(df!.rows);
  });

  it('appending to a frozen dataframe is a freeze_error', () => {
    expect(err('mutable dataframe d int32 v;\nfreeze d;\nd(1);').name).toBe('freeze_error');
  });
});
