// Mutation survivors of src/runtime/basket-measure.ts: MRG4022's account of a basket program that
// did not run to the end, and diffBasketCounts' lines for programs and weights.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Basket, BasketCounts } from '../../src/runtime/basket.js';
import { diffBasketCounts, measureBasket, runBasketProgram } from '../../src/runtime/basket-measure.js';
import { thrown } from '../support/errors.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'merg-e-basket-measure-'));
  writeFileSync(join(dir, 'ok.merge'), 'mutable int a = 1;\n');
  writeFileSync(join(dir, 'div.merge'), 'mutable int a = 1;\nmutable int b = 0;\na = a / b;\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function basket(file: string): Basket {
  return { name: 't', description: '', dir, programs: [{ file, weight: 1 }], warnSpread: 1.5, portability: 0 } as Basket;
}

describe('measureBasket', () => {
  it('a program failing at run time is MRG4022 naming its file, line, code, error name and message', () => {
    const e = thrown(() => measureBasket(basket('div.merge')));
    expect(e.code).toBe('MRG4022');
    expect(e.message).toBe(`basket 't': program div.merge did not run to the end: ${join(dir, 'div.merge')}:3 MRG3003 range_error: integer division by zero`);
  });
});

describe('the profile and pricing counts a basket program runs under', () => {
  it('runs under opts.profile, else cpython-dev', () => {
    const jvm = runBasketProgram(basket('ok.merge'), 'ok.merge', { profile: 'jvm' });
    expect([jvm.ok, jvm.profile]).toEqual([true, 'jvm']);
    const dflt = runBasketProgram(basket('ok.merge'), 'ok.merge');
    expect([dflt.ok, dflt.profile]).toEqual([true, 'cpython-dev']);
  });

  it('prices by opts.pricingCounts: counts of no entities are refused (MRG4020) before the program runs', () => {
    const none = { byKind: new Map<string, number>(), stringBytes: 0 };
    expect(thrown(() => runBasketProgram(basket('div.merge'), 'div.merge', { pricingCounts: none })).code).toBe('MRG4020');
    expect(thrown(() => measureBasket(basket('div.merge'), { pricingCounts: none })).code).toBe('MRG4020');
  });
});

describe('diffBasketCounts', () => {
  const counts = { byKind: new Map([['dag_node', 2]]), stringBytes: 0 };
  const measured = (programs: { file: string; weight: number }[]): BasketCounts =>
    ({ basket: 't', total: counts, programs: programs.map((p) => ({ ...p, counts })) }) as BasketCounts;

  it('names a program new to basket.json, one gone from it, and a changed weight', () => {
    const committed = measured([{ file: 'a.merge', weight: 1 }, { file: 'gone.merge', weight: 1 }]);
    const fresh = measured([{ file: 'a.merge', weight: 3 }, { file: 'new.merge', weight: 1 }]);
    expect(diffBasketCounts(committed, fresh)).toEqual([
      'a.merge: weight committed 1, basket.json says 3',
      'gone.merge: in counts.json but no longer in basket.json',
      'new.merge: not in counts.json',
    ]);
  });

  it('is empty for the same measurement', () => {
    const m = measured([{ file: 'a.merge', weight: 2 }]);
    expect(diffBasketCounts(m, m)).toEqual([]);
  });
});
