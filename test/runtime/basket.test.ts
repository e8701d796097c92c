// Baskets: the file formats (strict), measuring by running the programs, and the committed counts
// every run normalizes by (a test fails when they are stale).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadProfileByName, Pricing } from '../../src/model/index.js';
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
    const changed = parseBasketCounts(basketCountsText(c).replace('"stringBytes": ', '"stringBytes": 1'), 'x');
    expect(diffBasketCounts(c, changed).length).toBeGreaterThan(0);
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

  it('an unknown basket is MRG4021 naming it and the baskets there are', () => {
    const e = thrown(() => loadBasket('nope'));
    expect(e.code).toBe('MRG4021');
    expect(e.message).toContain("'nope'");
    expect(e.message).toContain(STANDARD_BASKET);
    expect(thrown(() => loadBasket('../standard')).code).toBe('MRG4021');
  });

  it('counts.json refuses unknown kinds, bad numbers and unknown keys', () => {
    const ok = { basket: 'b', note: '', total: { byKind: { dag_node: 1 }, stringBytes: 0 }, programs: [] };
    expect(parseBasketCounts(JSON.stringify(ok), 'c.json').total.byKind.get('dag_node')).toBe(1);
    const bad = (o: unknown) => thrown(() => parseBasketCounts(JSON.stringify(o), 'c.json')).message;
    expect(bad({ ...ok, total: { byKind: { widget: 1 }, stringBytes: 0 } })).toMatch(/total\.byKind\.widget.*unknown entity kind/);
    expect(bad({ ...ok, total: { byKind: { dag_node: -1 }, stringBytes: 0 } })).toMatch(/non-negative whole number/);
    expect(bad({ ...ok, total: { byKind: {}, stringBytes: 0.5 } })).toMatch(/stringBytes/);
    expect(bad({ ...ok, more: 1 })).toMatch(/key "more": unknown key/);
  });
});

describe('prices', () => {
  it('one RAM-point is the basket\'s bytes over its entities, and the basket costs N points under every profile', () => {
    const counts = standardBasketCounts();
    for (const name of ['cpython-dev', 'native-compact', 'jvm', 'v8-measured']) {
      const p = basketPrices(counts, loadProfileByName(name));
      let mp = 0;
      for (const [k, n] of counts.byKind) mp += n * (p.prices.get(k) ?? Pricing.fromCounts(loadProfileByName(name), counts).priceOfKind(k));
      mp += counts.stringBytes * p.stringByte;
      const n = Number(p.entities);
      // Rounding each price to a milli-point moves the total by at most half a milli-point per entity or byte.
      expect(Math.abs(mp - n * 1000)).toBeLessThanOrEqual((n + counts.stringBytes) / 2 + 1);
    }
  });
});
