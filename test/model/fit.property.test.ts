// The floor and the fit of quota.md §9 as properties over random corpora (bytes of programs under
// profiles): no scale vector beats the floor, the floor is attained, and a basket fitted from the
// corpus's own programs lands at or above the floor and within 2% of it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusFloor, fitWeights, nnls, spreadsUnderBasket, spreadStats, weightsForTarget, worstUnderScales } from '../../src/model/index.js';

/** Any corpus: 4..30 programs under 2..5 profiles, bytes 1..10^6 each, unrelated. */
const corpus = fc.integer({ min: 2, max: 5 }).chain((profiles) => fc.array(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: profiles, maxLength: profiles }), { minLength: 4, maxLength: 30 }).map((bytes) => ({ profiles, bytes })));

/**
 * A corpus built as real ones are: 2..5 profiles give each of 3..8 entity kinds 1..300 bytes, and
 * each of 8..40 programs allocates 0..1000 of every kind (at least one entity).
 */
const kindCorpus = fc
  .record({ profiles: fc.integer({ min: 2, max: 5 }), kinds: fc.integer({ min: 3, max: 8 }), programs: fc.integer({ min: 8, max: 40 }) })
  .chain(({ profiles, kinds, programs }) =>
    fc.record({
      table: fc.array(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: profiles, maxLength: profiles }), { minLength: kinds, maxLength: kinds }),
      counts: fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: kinds, maxLength: kinds }), { minLength: programs, maxLength: programs }),
    }).map(({ table, counts }) => ({
      profiles,
      bytes: counts.map((c) => Array.from({ length: profiles }, (_, p) => c.reduce((s, n, k) => s + n * ((table[k] as number[])[p] as number), 0) || ((table[0] as number[])[p] as number))),
    })),
  );

/** The worst spread of the basket fitted (whole weights over the corpus's own programs). */
function fittedWorst(bytes: number[][], profiles: number): { worst: number; floor: number; weights: number[] } {
  const f = corpusFloor(bytes, profiles);
  const weights = fitWeights(bytes, bytes, profiles, 'worst', f) ?? [];
  const basket = Array.from({ length: profiles }, (_, p) => bytes.reduce((s, row, x) => s + (weights[x] as number) * (row[p] as number), 0));
  return { worst: spreadStats(spreadsUnderBasket(bytes, basket)).worst, floor: f.worst, weights };
}

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('the floor of a corpus', () => {
  it('is never beaten by a random scale vector, and its own scales attain it', () => {
    fc.assert(
      fc.property(corpus, fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }), ({ profiles, bytes }, u) => {
        const f = corpusFloor(bytes, profiles);
        expect(worstUnderScales(bytes, u.slice(0, profiles))).toBeGreaterThanOrEqual(f.worst * (1 - 1e-9));
        expect(rel(worstUnderScales(bytes, f.scales), f.worst)).toBeLessThan(1e-9);
        // Each pair alone is at most as hard as all profiles together.
        for (const p of f.pairFloors) expect(p.worst).toBeLessThanOrEqual(f.worst * (1 + 1e-9));
      }),
      { numRuns: 300 },
    );
  });

  it('is pinned by the programs it names: their ratios around its cycle give it exactly', () => {
    fc.assert(
      fc.property(corpus, ({ profiles, bytes }) => {
        const f = corpusFloor(bytes, profiles);
        const k = f.profiles.length;
        let sum = 0;
        for (let i = 0; i < k; i++) {
          const p = f.profiles[i] as number;
          const q = f.profiles[(i + 1) % k] as number;
          const x = bytes[f.programs[i] as number] as number[];
          sum += Math.log((x[p] as number) / (x[q] as number));
        }
        expect(rel(Math.exp(sum / k), f.worst)).toBeLessThan(1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('for two profiles is the geometric mean of the two extreme ratios', () => {
    const bytes = [
      [100, 50],
      [100, 100],
      [30, 90],
    ];
    // max B0/B1 = 2, max B1/B0 = 3: scales can balance them at sqrt(6).
    expect(corpusFloor(bytes, 2).worst).toBeCloseTo(Math.sqrt(6), 12);
  });
});

describe('a fitted basket', () => {
  it('has a worst spread at or above the floor, and within 2% of it whenever some basket of the corpus reaches the floor', () => {
    let reachable = 0;
    fc.assert(
      fc.property(kindCorpus, ({ profiles, bytes }) => {
        // Some basket reaches the floor when the floor's scales are met exactly by non-negative weights.
        const f = corpusFloor(bytes, profiles);
        const w = weightsForTarget(
          bytes,
          f.scales.map((v) => Math.exp(-v)),
        );
        const exact = Array.from({ length: profiles }, (_, p) => bytes.reduce((s, row, x) => s + (w[x] as number) * (row[p] as number), 0));
        const { worst, floor, weights } = fittedWorst(bytes, profiles);
        expect(worst).toBeGreaterThanOrEqual(floor * (1 - 1e-9));
        if (spreadStats(spreadsUnderBasket(bytes, exact)).worst > f.worst * (1 + 1e-9)) return;
        reachable++;
        for (const w of weights) expect(Number.isSafeInteger(w) && w >= 0).toBe(true);
        expect(worst).toBeGreaterThanOrEqual(floor * (1 - 1e-9));
        expect(worst).toBeLessThanOrEqual(floor * 1.02);
      }),
      { numRuns: 80 },
    );
    expect(reachable).toBeGreaterThan(10);
  });
});

describe('a fitted basket on any corpus', () => {
  it('is made of whole weights and never beats the floor', () => {
    fc.assert(
      fc.property(corpus, ({ profiles, bytes }) => {
        const { worst, floor, weights } = fittedWorst(bytes, profiles);
        for (const w of weights) expect(Number.isSafeInteger(w) && w >= 0).toBe(true);
        expect(worst).toBeGreaterThanOrEqual(floor * (1 - 1e-9));
      }),
      { numRuns: 100 },
    );
  });
});

describe('nnls', () => {
  it('solves a system with a non-negative solution exactly and never returns a negative weight', () => {
    const cols = [
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 1],
      [-1, 2, 0],
    ];
    const w = nnls(cols, [2, 3, 1]);
    for (const v of w) expect(v).toBeGreaterThanOrEqual(0);
    const fit = [0, 1, 2].map((r) => cols.reduce((s, c, j) => s + (c[r] as number) * (w[j] as number), 0));
    expect(fit[0]).toBeCloseTo(2, 9);
    expect(fit[1]).toBeCloseTo(3, 9);
    expect(fit[2]).toBeCloseTo(1, 9);
  });
});
