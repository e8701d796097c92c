// Baskets: the file formats (strict), measuring by running the programs, and the committed counts
// every run normalizes by (a test fails when they are stale).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { bytesOf, kindId, loadProfileByName, MEMBRANE_KINDS, Pricing } from '../../src/model/index.js';
import { diffBasketCounts, measureBasket } from '../../src/runtime/basket-measure.js';
import {
  basketCountsText,
  basketPrices,
  listBaskets,
  loadBasket,
  parseBasket,
  parseBasketCounts,
  readBasketCounts,
  STANDARD_BASKET,
  standardBasketCounts,
  weightedTotal,
} from '../../src/runtime/basket.js';
import { runProgram } from '../../src/runtime/run.js';
import { thrown } from '../support/errors.js';

/** A baskets folder with one basket `name` holding the given files. */
function basketDir(name: string, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'merg-e-basket-'));
  mkdirSync(join(root, name));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, name, f), text);
  return root;
}

const json = (programs: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'mine', description: 'a test basket', programs, ...extra });

describe('the standard basket', () => {
  const basket = loadBasket(STANDARD_BASKET);

  it('lists representative programs with integer weights', () => {
    expect(listBaskets()).toContain(STANDARD_BASKET);
    expect(basket.programs.length).toBeGreaterThanOrEqual(5);
    for (const p of basket.programs) expect(Number.isSafeInteger(p.weight) && p.weight >= 1).toBe(true);
  });

  it('its committed counts.json is what its programs allocate now (else run `merg-e basket --write`)', () => {
    const committed = readBasketCounts(basket);
    expect(committed, 'baskets/standard/counts.json is missing').not.toBeNull();
    expect(diffBasketCounts(committed!, measureBasket(basket))).toEqual([]);
  });

  it('covers varied node types, integer widths, strings, dataframes, membranes, scopes and blockers', () => {
    const k = standardBasketCounts().byKind;
    for (const kind of ['dag_node', 'dataframe', 'row', 'string', 'membrane:quota', 'membrane:copy_on_mutate', 'scope', 'blocker', 'scalar:bool', 'scalar:int8', 'scalar:int32', 'scalar:int64', 'scalar:int128', 'scalar:uint2048', 'scalar:float64']) {
      expect(k.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
    expect(standardBasketCounts().stringBytes).toBeGreaterThan(500);
  });

  it('is what runs normalize by unless told otherwise', () => {
    const r = runProgram({ file: 't.merge', source: 'mutable int32 x = 1;' });
    const mp = r.memory!.report().totals.byKind.find((k) => k.kind === 'scalar:int32')!.mp;
    const p = Pricing.fromCounts(loadProfileByName('cpython-dev'), standardBasketCounts());
    expect(mp).toBe(p.priceOfKind('scalar:int32'));
    const n = [...standardBasketCounts().byKind.values()].reduce((a, b) => a + b, 0);
    expect(p.entities).toBe(BigInt(n));
  });
});

describe('measuring a basket', () => {
  it('weights each program and adds them up', () => {
    const dir = basketDir('mine', {
      'basket.json': json([{ file: 'a.merge', weight: 3 }, { file: 'b.merge', weight: 1 }]),
      'a.merge': 'mutable int32 x = 1;\nmutable string s = "four";\n',
      'b.merge': 'mutable dag d;\nmutable int8 d.y = 2;\n',
    });
    const c = measureBasket(loadBasket('mine', dir));
    const a = c.programs[0]!.counts;
    expect(a.byKind.get('scalar:int32')).toBe(1);
    expect(a.stringBytes).toBe(4);
    // The program's own scope is an entity too.
    expect(c.total.byKind.get('scope')).toBe(3 + 1);
    expect(c.total.byKind.get('scalar:int32')).toBe(3);
    expect(c.total.byKind.get('dag_node')).toBe(1);
    expect(c.total.stringBytes).toBe(12);
    expect(weightedTotal(c.programs)).toEqual(c.total);
  });

  it('refuses a basket whose program fails (MRG4022, naming it)', () => {
    const dir = basketDir('mine', { 'basket.json': json([{ file: 'bad.merge', weight: 1 }]), 'bad.merge': 'mutable int8 x = 1000;\n' });
    const e = thrown(() => measureBasket(loadBasket('mine', dir)));
    expect(e.code).toBe('MRG4022');
    expect(e.message).toContain('bad.merge');
    expect(e.message).toContain('range_error');
  });

  it('round-trips counts.json and reports every difference', () => {
    const basket = loadBasket(STANDARD_BASKET);
    const c = readBasketCounts(basket)!;
    const again = parseBasketCounts(basketCountsText(c), 'counts.json');
    expect(again).toEqual(c);
    const programs = c.programs.map((p, i) => (i === 0 ? { ...p, counts: { ...p.counts, stringBytes: p.counts.stringBytes + 1 } } : p));
    const changed = parseBasketCounts(basketCountsText({ ...c, programs, total: weightedTotal(programs) }), 'x');
    expect(diffBasketCounts(c, changed)).toEqual([
      `${c.programs[0]!.file}: string bytes committed ${c.programs[0]!.counts.stringBytes}, measured ${c.programs[0]!.counts.stringBytes + 1}`,
      `total: string bytes committed ${c.total.stringBytes}, measured ${c.total.stringBytes + c.programs[0]!.weight}`,
    ]);
    expect(diffBasketCounts(c, { ...c, programs: c.programs.slice(1) })[0]).toMatch(/no longer in basket\.json/);
  });
});

describe('basket files are strict', () => {
  const files = { 'a.merge': 'mutable int32 x = 1;\n' };
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{', /not valid JSON/],
    ['an unknown key', json([{ file: 'a.merge', weight: 1 }], { extra: 1 }), /key "extra": unknown key/],
    ['a missing key', JSON.stringify({ name: 'mine', programs: [] }), /key "description": missing/],
    ['a name that is not its folder', json([{ file: 'a.merge', weight: 1 }], { name: 'other' }), /does not match its folder/],
    ['no programs', json([]), /non-empty array/],
    ['a fractional weight', json([{ file: 'a.merge', weight: 1.5 }]), /programs\[0\]\.weight.*whole number/],
    ['a zero weight', json([{ file: 'a.merge', weight: 0 }]), /programs\[0\]\.weight/],
    ['a missing program', json([{ file: 'gone.merge', weight: 1 }]), /no such program "gone\.merge"/],
    ['a path outside the folder', json([{ file: '../a.merge', weight: 1 }]), /inside the basket's folder/],
    ['a module instead of a program', json([{ file: 'a.mrm', weight: 1 }]), /\.merge or \.mrg/],
    ['a program listed twice', json([{ file: 'a.merge', weight: 1 }, { file: 'a.merge', weight: 2 }]), /listed twice/],
    ['a warnSpread below 1', json([{ file: 'a.merge', weight: 1 }], { warnSpread: 0.5 }), /key "warnSpread": must be at least 1, got 0\.5/],
    ['a warnSpread that is not a number', json([{ file: 'a.merge', weight: 1 }], { warnSpread: '2' }), /key "warnSpread"/],
    ['a portability outside 0..1', json([{ file: 'a.merge', weight: 1 }], { portability: 1.5 }), /key "portability": must be a number from 0/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what} (MRG4020, naming the file)`, () => {
      const dir = basketDir('mine', { ...files, 'basket.json': text });
      const e = thrown(() => loadBasket('mine', dir));
      expect(e.code).toBe('MRG4020');
      expect(e.message).toContain('basket.json');
      expect(e.message).toMatch(message);
    });
  }

  it('a program whose name starts with two dots lies inside the folder', () => {
    // Only `..` as a whole path segment leaves the folder; `..x.merge` is a file beside basket.json.
    const dir = basketDir('mine', { '..x.merge': 'mutable int32 x = 1;\n', 'basket.json': json([{ file: '..x.merge', weight: 1 }, { file: 'sub/..y.merge', weight: 1 }]) });
    mkdirSync(join(dir, 'mine', 'sub'));
    writeFileSync(join(dir, 'mine', 'sub', '..y.merge'), 'mutable int32 y = 1;\n');
    expect(loadBasket('mine', dir).programs).toEqual([{ file: '..x.merge', weight: 1 }, { file: 'sub/..y.merge', weight: 1 }]);
  });

  it('warnSpread and portability are optional (defaults 1.5 and 0)', () => {
    const dir = basketDir('mine', { ...files, 'basket.json': json([{ file: 'a.merge', weight: 1 }]) });
    expect(loadBasket('mine', dir)).toMatchObject({ warnSpread: 1.5, portability: 0 });
    const dir2 = basketDir('mine', { ...files, 'basket.json': json([{ file: 'a.merge', weight: 1 }], { warnSpread: 2.5, portability: 0.25 }) });
    expect(loadBasket('mine', dir2)).toMatchObject({ warnSpread: 2.5, portability: 0.25 });
  });

  it('an unknown basket is MRG4021 naming it and the baskets there are', () => {
    const e = thrown(() => loadBasket('nope'));
    expect(e.code).toBe('MRG4021');
    expect(e.message).toContain("'nope'");
    expect(e.message).toContain(STANDARD_BASKET);
    expect(thrown(() => loadBasket('../standard')).code).toBe('MRG4021');
  });

  const noExtras = { 'membrane:quota': { byKind: {}, stringBytes: 0 }, 'membrane:copy_on_mutate': { byKind: {}, stringBytes: 0 } };
  const row = (byKind: Record<string, number>, stringBytes = 0, extras: unknown = noExtras) => ({ byKind, stringBytes, extras });
  const ok = { basket: 'b', note: '', total: row({ dag_node: 2 }), programs: [{ file: 'a.merge', weight: 2, ...row({ dag_node: 1 }) }] };

  it('counts.json refuses unknown kinds, bad numbers, unknown keys and missing extras', () => {
    expect(parseBasketCounts(JSON.stringify(ok), 'c.json').total.byKind.get('dag_node')).toBe(2);
    const bad = (o: unknown) => thrown(() => parseBasketCounts(JSON.stringify(o), 'c.json')).message;
    expect(bad({ ...ok, total: row({ widget: 1 }) })).toMatch(/total\.byKind\.widget.*unknown entity kind/);
    expect(bad({ ...ok, total: row({ dag_node: -1 }) })).toMatch(/non-negative whole number/);
    expect(bad({ ...ok, total: row({}, 0.5) })).toMatch(/stringBytes/);
    expect(bad({ ...ok, more: 1 })).toMatch(/key "more": unknown key/);
    expect(bad({ ...ok, total: { byKind: { dag_node: 2 }, stringBytes: 0 } })).toMatch(/key "total\.extras": must be an object .*merg-e basket --write/);
    expect(bad({ ...ok, total: row({ dag_node: 2 }, 0, { 'membrane:quota': { byKind: {}, stringBytes: 0 } }) })).toMatch(/total\.extras\.membrane:copy_on_mutate": missing/);
  });

  it('refuses a counts.json whose total disagrees with its own programs (MRG4050, naming the file)', () => {
    // Hand-edited: the total says 3 nodes, the one program of weight 2 holds 1 each.
    const e = thrown(() => parseBasketCounts(JSON.stringify({ ...ok, total: row({ dag_node: 3 }) }), 'mine/counts.json'));
    expect(e.code).toBe('MRG4050');
    expect(e.message).toBe('mine/counts.json: the total does not match its programs (Σ weight × program): dag_node is 3, the programs add up to 2');
    const extra = { ...noExtras, 'membrane:quota': { byKind: { dag_node: 1 }, stringBytes: 4 } };
    const e2 = thrown(() => parseBasketCounts(JSON.stringify({ ...ok, total: row({ dag_node: 2 }, 0, extra) }), 'c.json'));
    expect(e2.message).toContain('extras through membrane:quota: dag_node is 1, the programs add up to 0');
    // Read through the basket, as every run that normalizes by it does.
    const dir = basketDir('mine', { 'a.merge': 'mutable dag d;\n', 'basket.json': json([{ file: 'a.merge', weight: 2 }]), 'counts.json': JSON.stringify({ ...ok, basket: 'mine', total: row({ dag_node: 3 }) }) });
    expect(thrown(() => readBasketCounts(loadBasket('mine', dir))).code).toBe('MRG4050');
  });
});

describe('prices', () => {
  it('one RAM-point is the basket\'s bytes over its entities, and the basket costs N points under every profile', () => {
    const counts = standardBasketCounts();
    for (const name of ['cpython-dev', 'native-compact', 'jvm', 'v8-measured']) {
      const p = basketPrices(counts, loadProfileByName(name));
      let mp = 0;
      const pricing = Pricing.fromCounts(loadProfileByName(name), counts);
      for (const [k, n] of counts.byKind) mp += n * (p.prices.get(k) ?? pricing.priceOfKind(k));
      mp += counts.stringBytes * p.stringByte;
      // The membrane extras the basket pays are part of its bytes (quota.md §4, updated).
      let extras = 0;
      for (const m of MEMBRANE_KINDS) {
        for (const [k, n] of counts.extras?.get(m) ?? []) extras += n;
        const sb = counts.extraStringBytes?.get(m) ?? 0;
        extras += sb;
        for (const [k, n] of counts.extras?.get(m) ?? []) mp += n * pricing.extraPrice(m, kindId(k));
        mp += sb * pricing.mpOf('string_byte', m);
      }
      expect(extras).toBeGreaterThan(0);
      const n = Number(p.entities);
      expect(pricing.bytes).toBe(bytesOf(loadProfileByName(name), counts));
      // Rounding each price to a milli-point moves the total by at most half a milli-point per entity or byte.
      expect(Math.abs(mp - n * 1000)).toBeLessThanOrEqual((n + counts.stringBytes + extras) / 2 + 1);
    }
  });
});
