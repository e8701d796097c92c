// Portability (quota.md §9) as properties: a run's points under any profile follow from its counts
// (exactly what a run under that profile reports, when it ends the same way), and a spread's
// breakdown always accounts for the whole gap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { countDifferences, loadProfileByName, pointsOfCounts, Pricing, spreadBreakdown, type EntityCounts } from '../../src/model/index.js';
import { standardBasketCounts } from '../../src/runtime/basket.js';
import { runProgram } from '../../src/runtime/run.js';
import { programSource } from '../../src/testing/index.js';

const NAMES = ['cpython-dev', 'jvm', 'native-compact', 'v8-measured'];
const basket = standardBasketCounts();
const pricings = NAMES.map((n) => Pricing.fromCounts(loadProfileByName(n), basket));

describe('pricing a run from its counts', () => {
  it('equals the points a real run under that profile reports, whenever the outcomes agree', () => {
    let agreed = 0;
    fc.assert(
      fc.property(programSource({ features: ['membranes', 'grafts', 'dataframes', 'callables', 'loops', 'strings'] }), fc.nat(3), fc.nat(3), (source, a, b) => {
        const opts = { maxSteps: 20_000, timeoutMs: 5_000 };
        const ra = runProgram({ file: 'p.merge', source }, { ...opts, pricing: pricings[a] as Pricing });
        const rb = runProgram({ file: 'p.merge', source }, { ...opts, pricing: pricings[b] as Pricing });
        if (!ra.memory || !rb.memory) return;
        // Each run's own counts price to its own total, under its own profile.
        expect(pointsOfCounts(pricings[a] as Pricing, ra.counts)).toBe(ra.memory.report().totals.mp);
        const sameEnd = (ra.error?.code ?? null) === (rb.error?.code ?? null) && ra.error?.line === rb.error?.line;
        if (!sameEnd || countDifferences(ra.counts, rb.counts).length > 0) return;
        agreed++;
        expect(pointsOfCounts(pricings[b] as Pricing, ra.counts)).toBe(rb.memory.report().totals.mp);
      }),
      { numRuns: 150 },
    );
    expect(agreed).toBeGreaterThan(50);
  });
});

const countsArb: fc.Arbitrary<EntityCounts> = fc
  .record({
    kinds: fc.dictionary(fc.constantFrom('dag_node', 'row', 'dataframe', 'scope', 'scalar:bool', 'scalar:int8', 'scalar:int64', 'scalar:uint2048', 'scalar:float256', 'membrane:quota', 'blocker'), fc.nat(500)),
    strings: fc.nat(50),
    bytes: fc.nat(20_000),
    extras: fc.dictionary(fc.constantFrom('dag_node', 'row', 'scalar:int32', 'string'), fc.nat(100)),
  })
  .map(({ kinds, strings, bytes, extras }) => ({
    byKind: new Map([...Object.entries(kinds), ['string', strings]]),
    stringBytes: strings > 0 ? bytes : 0,
    extras: new Map([['quota', new Map(Object.entries(extras))]] as const),
  }));

describe('the breakdown of a spread', () => {
  it('has shares that sum to 1 (± 1e-9), between the profiles with the most and the fewest points', () => {
    fc.assert(
      fc.property(countsArb, fc.subarray([0, 1, 2, 3], { minLength: 2 }), (counts, which) => {
        const rows = which.map((i) => ({ profile: NAMES[i] as string, pricing: pricings[i] as Pricing, counts }));
        const b = spreadBreakdown(rows);
        const mps = rows.map((r) => pointsOfCounts(r.pricing, counts));
        if (b === null) {
          expect(Math.min(...mps) === Math.max(...mps) || Math.min(...mps) === 0).toBe(true);
          return;
        }
        expect(Math.abs(b.parts.reduce((s, p) => s + p.share, 0) - 1)).toBeLessThan(1e-9);
        expect(b.hiMp).toBe(Math.max(...mps));
        expect(b.loMp).toBe(Math.min(...mps));
        expect(b.spread).toBeCloseTo(Math.max(...mps) / Math.min(...mps), 12);
      }),
    );
  });
});
