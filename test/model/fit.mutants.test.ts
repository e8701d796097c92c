// The arithmetic of basket design (quota.md §9) on corpora small enough to work out by hand: spread
// statistics, spreads under scales and baskets, the floor (the maximum cycle mean of the edge weights
// d_pq = max over programs of ln B_p(x) − ln B_q(x)), the scales within a bound, the mean log-spread and
// its pattern search, NNLS, and whole weights. Every expected value is written out from first
// principles in the comment beside it; ln 2, ln 3, … are the only floats, compared to 12 digits where
// the arithmetic is a handful of logs and to 6 where a search stops at a step of 1e-7.
import { describe, expect, it } from 'vitest';

import { corpusFloor, fitWeights, type FitObjective, meanLogSpread, nnls, scalesForMean, scalesWithin, spreadsUnderBasket, spreadsUnderScales, spreadStats, weightsForTarget, wholeWeights, worstUnderScales } from '../../src/model/fit.js';

const LN2 = Math.log(2);
const LN3 = Math.log(3);
const LN4 = Math.log(4);
const LN8 = Math.log(8);

/** Two numeric lists alike to `digits` decimals, element by element (and of the same length). */
function closeList(actual: readonly number[], expected: readonly number[], digits = 12) {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    if (Number.isFinite(e)) expect(actual[i]).toBeCloseTo(e, digits);
    else expect(actual[i]).toBe(e);
  });
}

describe('spreadStats', () => {
  it('is 1, 1, 1 for no spreads', () => {
    expect(spreadStats([])).toEqual({ median: 1, p90: 1, worst: 1 });
  });

  it('of one spread is that spread three times (nearest rank 0.9·1 → rank 1)', () => {
    expect(spreadStats([3])).toEqual({ median: 3, p90: 3, worst: 3 });
  });

  it('sorts numerically, not as text: 10, 2, 9 → 2, 9, 10; median the middle, p90 rank ⌈2.7⌉ = 3', () => {
    const input = [10, 2, 9];
    expect(spreadStats(input)).toEqual({ median: 9, p90: 10, worst: 10 });
    expect(input).toEqual([10, 2, 9]); // the caller's list is left as it was
  });

  it('of an even count has the mean of the two middle values as median', () => {
    // 4, 1, 3, 2 → 1, 2, 3, 4: median (2 + 3) / 2, p90 rank ⌈3.6⌉ = 4.
    expect(spreadStats([4, 1, 3, 2])).toEqual({ median: 2.5, p90: 4, worst: 4 });
  });

  it('takes the 90th percentile by nearest rank: of 1..20 it is rank 18, below the worst', () => {
    const input = [20, 7, 1, 14, 3, 18, 9, 11, 2, 16, 5, 19, 12, 4, 8, 17, 6, 13, 15, 10];
    // median (10 + 11) / 2, p90 rank ⌈0.9 · 20⌉ = 18.
    expect(spreadStats(input)).toEqual({ median: 10.5, p90: 18, worst: 20 });
  });

  it('takes nearest rank of an odd count: of 1..11, ⌈9.9⌉ = 10', () => {
    expect(spreadStats([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({ median: 6, p90: 10, worst: 11 });
  });
});

// Two programs under three profiles: the first costs most under profile 2 and least under 0, the
// second most under 0 and least under 1, so each end of each spread is a different profile.
const THREE = [
  [100, 200, 400],
  [300, 100, 200],
];

describe('spreadsUnderScales and spreadsUnderBasket', () => {
  it('under equal scales is max / min bytes of each program', () => {
    closeList(spreadsUnderScales(THREE, [1, 1, 1]), [4, 3]); // 400 / 100, 300 / 100
  });

  it('multiplies each profile by its scale', () => {
    // Scales 4, 2, 1: 400, 400, 400 → 1; 1200, 200, 200 → 6.
    closeList(spreadsUnderScales(THREE, [4, 2, 1]), [1, 6]);
  });

  it('under a basket scales each profile by 1 / the basket bytes', () => {
    // Basket bytes 10, 20, 40: 100/10, 200/20, 400/40 → 1; 300/10, 100/20, 200/40 = 30, 5, 5 → 6.
    closeList(spreadsUnderBasket(THREE, [10, 20, 40]), [1, 6]);
  });

  it('of no programs is no spreads', () => {
    expect(spreadsUnderScales([], [1, 1])).toEqual([]);
  });
});

describe('worstUnderScales and meanLogSpread (log-scales)', () => {
  it('is the largest spread, and 1 for no programs', () => {
    expect(worstUnderScales(THREE, [0, 0, 0])).toBeCloseTo(4, 12);
    expect(worstUnderScales(THREE, [LN4, LN2, 0])).toBeCloseTo(6, 12); // scales 4, 2, 1 as above
    expect(worstUnderScales([], [0, 0])).toBe(1);
  });

  it('is the mean of ln(spread), and 0 for no programs', () => {
    expect(meanLogSpread(THREE, [0, 0, 0])).toBeCloseTo((LN4 + LN3) / 2, 12);
    expect(meanLogSpread(THREE, [LN4, LN2, 0])).toBeCloseTo((0 + Math.log(6)) / 2, 12);
    expect(meanLogSpread([], [0, 0])).toBe(0);
  });
});

describe('corpusFloor', () => {
  it('of fewer than two profiles or no programs is 1, with zero scales and nothing that pins it', () => {
    expect(corpusFloor([[5], [7]], 1)).toEqual({ worst: 1, profiles: [], programs: [], pairFloors: [], d: [], scales: [0] });
    expect(corpusFloor([], 3)).toEqual({ worst: 1, profiles: [], programs: [], pairFloors: [], d: [], scales: [0, 0, 0] });
  });

  it('of two profiles balances the two extreme ratios, with the scales that do it', () => {
    // max B0/B1 = 100/50 = 2 (program 0), max B1/B0 = 90/30 = 3 (program 2): floor sqrt(6).
    const f = corpusFloor(
      [
        [100, 50],
        [100, 100],
        [30, 90],
      ],
      2,
    );
    expect(f.worst).toBeCloseTo(Math.sqrt(6), 12);
    expect(f.profiles).toEqual([0, 1]);
    expect(f.programs).toEqual([0, 2]);
    expect(f.pairFloors).toHaveLength(1);
    expect(f.pairFloors[0]?.profiles).toEqual([0, 1]);
    expect(f.pairFloors[0]?.worst).toBeCloseTo(Math.sqrt(6), 12);
    closeList(f.d[0] as number[], [-Infinity, LN2]);
    closeList(f.d[1] as number[], [LN3, -Infinity]);
    // u1 − u0 = ln(sqrt(6) / 3) = −ln(1.5) / 2: 100 vs 50·sqrt(2/3) and 30 vs 90·sqrt(2/3), both sqrt(6).
    closeList(f.scales, [0, -Math.log(1.5) / 2], 9);
  });

  it('of one program is 1: its profiles are pinned by a cycle of mean 0 and scaled to equal points', () => {
    // d01 = ln(100/200) = −ln 2, d10 = ln 2; the cycle 0→1→0 has mean 0, program 0 on both edges.
    const f = corpusFloor([[100, 200]], 2);
    expect(f.worst).toBe(1);
    expect(f.profiles).toEqual([0, 1]);
    expect(f.programs).toEqual([0, 0]);
    expect(f.pairFloors).toEqual([{ profiles: [0, 1], worst: 1 }]);
    closeList(f.d[0] as number[], [-Infinity, -LN2]);
    closeList(f.d[1] as number[], [LN2, -Infinity]);
    closeList(f.scales, [0, -LN2], 9); // profile 1 at half the scale: 100 and 200 / 2
  });

  it('of three profiles can be pinned by a cycle of all three, above every pair', () => {
    // Each program is 4 : 1 : 2 rotated, so d along 0→1→2→0 is ln 4 (programs 1, 2, 0) and
    // backwards ln 2 (first attained by programs 0, 1, 0). Cycle means: 0→1→2→0 ln 4; each pair
    // (ln 4 + ln 2) / 2 = 1.5 ln 2; 0→2→1→0 ln 2. Under equal scales every program spreads 4.
    const f = corpusFloor(
      [
        [1, 2, 4],
        [4, 1, 2],
        [2, 4, 1],
      ],
      3,
    );
    expect(f.worst).toBeCloseTo(4, 12);
    expect(f.profiles).toEqual([0, 1, 2]);
    expect(f.programs).toEqual([1, 2, 0]);
    expect(f.pairFloors.map((p) => p.profiles)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    for (const p of f.pairFloors) expect(p.worst).toBeCloseTo(Math.sqrt(8), 12);
    closeList(f.d[0] as number[], [-Infinity, LN4, LN2]);
    closeList(f.d[1] as number[], [LN2, -Infinity, LN4]);
    closeList(f.d[2] as number[], [LN4, LN2, -Infinity]);
    closeList(f.scales, [0, 0, 0], 9);
  });

  it('finds a cycle that leaves out profile 0, and names the program of each step', () => {
    // Profile 2 is 8× profile 3 in program 2 and 1/8 in program 1; every other ratio is 1 or 8 with
    // a 1 on the way back, so each cycle through 0 or 1 has a mean below ln 8, and 2→3→2 has ln 8.
    const f = corpusFloor(
      [
        [1, 1, 1, 1],
        [1, 1, 1, 8],
        [1, 1, 8, 1],
      ],
      4,
    );
    expect(f.worst).toBeCloseTo(8, 12);
    expect(f.profiles).toEqual([2, 3]);
    expect(f.programs).toEqual([2, 1]);
    expect(f.pairFloors.map((p) => p.profiles)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    // (d01 + d10) / 2 = 0; (0 + ln 8) / 2 for 0–2, 0–3, 1–2, 1–3; (ln 8 + ln 8) / 2 for 2–3.
    closeList(
      f.pairFloors.map((p) => p.worst),
      [1, Math.sqrt(8), Math.sqrt(8), Math.sqrt(8), Math.sqrt(8), 8],
    );
  });

  it('names the first program that attains each ratio of the cycle', () => {
    // B0/B1 = 2 in programs 0 and 1 alike (ln 4 − ln 2 = ln 2 − ln 1 exactly), 1/3 in program 2.
    const f = corpusFloor(
      [
        [2, 1],
        [4, 2],
        [1, 3],
      ],
      2,
    );
    expect(f.profiles).toEqual([0, 1]);
    expect(f.programs).toEqual([0, 2]);
  });

  it('keeps the first cycle it meets among cycles of equal mean', () => {
    // Each program doubles one profile: every d_pq is ln 2 exactly, so every cycle has mean ln 2;
    // enumeration starts at profile 0 and meets 0→1→0 first.
    const f = corpusFloor(
      [
        [2, 1, 1],
        [1, 2, 1],
        [1, 1, 2],
      ],
      3,
    );
    expect(f.worst).toBeCloseTo(2, 12);
    expect(f.profiles).toEqual([0, 1]);
    expect(f.programs).toEqual([0, 1]);
  });
});

describe('scalesWithin', () => {
  // d01 = 3, d10 = −1: the cycle mean (the floor in log space) is 1.
  const D = [
    [0, 3],
    [-1, 0],
  ];

  it('is null below the floor', () => {
    expect(scalesWithin(D, 0.5)).toBeNull();
    expect(scalesWithin(D, 0.999)).toBeNull();
  });

  it('meets u0 − u1 ≤ t − 3 and u1 − u0 ≤ t + 1, shifted so u0 = 0', () => {
    // t = 2: u1 − u0 ∈ [1, 3]. Bellman-Ford from all zeros lowers u0 to −1 (low = [−1, 0]); on
    // z = −u it lowers z1 to −1 (high = [0, −1]); (low − high) / 2 = [−0.5, 0.5] → [0, 1].
    expect(scalesWithin(D, 2)).toEqual([0, 1]);
    // At the floor exactly, t = 1: u0 − u1 ≤ −2 and u1 − u0 ≤ 2 leave u1 − u0 = 2 only.
    expect(scalesWithin(D, 1)).toEqual([0, 2]);
  });

  it('keeps scales of zero when the zeros already meet every constraint', () => {
    // t = 3: u0 − u1 ≤ 0 and u1 − u0 ≤ 4 hold at 0, 0.
    expect(scalesWithin(D, 3)).toEqual([0, 0]);
  });

  it('counts a constraint missed by at most 1e-12 as met', () => {
    // t − d01 = −1e-12: u0 − u1 ≤ −1e-12 is within the tolerance at 0, 0, so nothing moves.
    expect(
      scalesWithin(
        [
          [0, 1e-12],
          [-1, 0],
        ],
        0,
      ),
    ).toEqual([0, 0]);
  });

  it('ignores the diagonal and carries a constraint through a chain of three', () => {
    // d01 = 2, d12 = 2, d20 = −4 (mean 0), every other edge −10, the diagonal huge: with t = 0,
    // u0 ≤ u1 − 2 and u1 ≤ u2 − 2 chain to u2 − u0 ≥ 4, and u2 − u0 ≤ 4 pins it.
    const d = [
      [99, 2, -10],
      [-10, 99, 2],
      [-4, -10, 99],
    ];
    // low, pass by pass from zeros: pass 1 lowers u0 to u1 − 2 = −2, then u1 to u2 − 2 = −2; pass 2
    // lowers u0 to −4; pass 3 changes nothing → low [−4, −2, 0]. high on z = −u (z_q ≤ z_p + t − d_pq):
    // pass 1 lowers z1 to z0 − 2 = −2, then z2 to z1 − 2 = −4; pass 2 changes nothing → [0, −2, −4].
    // (low − high) / 2 = [−2, 0, 2] → [0, 2, 4].
    expect(scalesWithin(d, 0)).toEqual([0, 2, 4]);
  });
});

describe('scalesForMean', () => {
  // One program spreads by u1 − u0, two by ln 4 + u1 − u0: the mean (|δ| + 2·|ln 4 + δ|) / 3 of
  // δ = u1 − u0 is smallest at δ = −ln 4.
  const CORPUS = [
    [1, 1],
    [1, 4],
    [1, 4],
  ];

  it('moves the scales to the smallest mean log-spread, keeping u0', () => {
    const u = scalesForMean(CORPUS, 2, [0, 0]);
    expect(u[0]).toBe(0);
    expect(u[1]).toBeCloseTo(-LN4, 6);
  });

  it('with a bound on the worst log-spread stops where the bound does', () => {
    // Worst ≤ ln 3: |δ| ≤ ln 3 and |ln 4 + δ| ≤ ln 3, so δ ∈ [−ln 3, ln(3/4)]; the mean falls
    // towards −ln 4, so the best allowed is δ = −ln 3. Start inside: δ = −ln 2 (worst 2).
    const u = scalesForMean(CORPUS, 2, [0, -LN2], LN3);
    expect(u[0]).toBe(0);
    expect(u[1]).toBeCloseTo(-LN3, 6);
    expect(u[1]).toBeGreaterThanOrEqual(-LN3 - 1e-12);
  });

  it('does not touch the caller’s start', () => {
    const start = [0, 0];
    scalesForMean(CORPUS, 2, start);
    expect(start).toEqual([0, 0]);
  });

  // A kink no single profile's move gets past: with L = ln 100 and all scales 0, the five programs
  // spread by L, L, 0, L, L (mean 4L/5). Raising u1 or u2 alone, lowering either, or moving them
  // apart (u1 − u2) each makes the mean larger at first; lowering both together by L spreads them
  // by 0, 0, L, L, L (mean 3L/5). A search over single profiles and pairs e_p − e_q stopped at 0.
  const L = Math.log(100);
  const KINK = [
    [1, 100, 100],
    [1, 100, 100],
    [1, 1, 1],
    [1, 1, 100],
    [1, 100, 1],
  ];

  it('gets past a kink where only moving two profiles together helps (it stopped at the start: mean 4L/5)', () => {
    expect(meanLogSpread(KINK, [0, 0, 0])).toBeCloseTo((4 * L) / 5, 12);
    const u = scalesForMean(KINK, 3, [0, 0, 0]);
    expect(u.map((v) => v / L)).toEqual([0, expect.closeTo(-1, 6), expect.closeTo(-1, 6)]);
    expect(meanLogSpread(KINK, u)).toBeCloseTo((3 * L) / 5, 6);
  });

  it('moves every set of profiles together, not only single ones and all but profile 0', () => {
    // A profile that is a copy of another moves with it: copying profile 0 makes {1, 2} the set to
    // lower (4 profiles), copying profile 1 and profile 0 makes it {1, 2, 3} of {1, 2, 3, 4} (5 profiles).
    const four = KINK.map((r) => [...r, r[0] as number]);
    const five = KINK.map((r) => [r[0], r[1], r[2], r[1], r[0]] as number[]);
    expect(meanLogSpread(four, scalesForMean(four, 4, [0, 0, 0, 0]))).toBeCloseTo((3 * L) / 5, 6);
    const u = scalesForMean(five, 5, [0, 0, 0, 0, 0]);
    expect(meanLogSpread(five, u)).toBeCloseTo((3 * L) / 5, 6);
    expect(u.map((v) => v / L)).toEqual([0, expect.closeTo(-1, 6), expect.closeTo(-1, 6), expect.closeTo(-1, 6), 0]);
  });
});

describe('nnls', () => {
  it('solves an identity system with a non-negative solution exactly', () => {
    closeList(
      nnls(
        [
          [1, 0],
          [0, 1],
        ],
        [2, 3],
      ),
      [2, 3],
    );
  });

  it('leaves at zero a weight whose column only points away from b', () => {
    // Unconstrained w1 = −3: the non-negative optimum keeps w1 = 0.
    expect(
      nnls(
        [
          [1, 0],
          [0, 1],
        ],
        [2, -3],
      ),
    ).toEqual([2, 0]);
  });

  it('takes out again a column that the next one makes negative', () => {
    // Columns [2, 2] and [1, 0], b = [3, −0.5]. Gradients 5 and 3: [2, 2] enters with 5/8. Then
    // the residual [1.75, −1.75] makes [1, 0] enter; together they solve 2w0 + w1 = 3, 2w0 = −0.5:
    // w0 = −0.25 < 0, so w0 is walked back to 0 and leaves; [1, 0] alone gives w1 = 3 (residual
    // [0, −0.5], gradient of [2, 2] is −1: done).
    closeList(
      nnls(
        [
          [2, 2],
          [1, 0],
        ],
        [3, -0.5],
      ),
      [0, 3],
    );
  });

  it('is all zeros when no column points towards b', () => {
    expect(
      nnls(
        [
          [1, 0],
          [0, 1],
        ],
        [-1, -2],
      ),
    ).toEqual([0, 0]);
  });
});

describe('weightsForTarget', () => {
  it('meets a target that two candidates reach exactly', () => {
    // 1·[100, 50] + 1·[50, 100] = [150, 150].
    closeList(
      weightsForTarget(
        [
          [100, 50],
          [50, 100],
        ],
        [150, 150],
      ),
      [1, 1],
    );
  });

  it('gives a candidate of no bytes weight 0, not NaN', () => {
    closeList(
      weightsForTarget(
        [
          [0, 0],
          [3, 3],
        ],
        [1, 1],
      ),
      [0, 1 / 3],
    );
  });

  it('normalizes each candidate, so one far smaller than the target still takes part', () => {
    // [1, 1] against a target of 1e13 each is 1e-13 of it; weight 1e13 meets it.
    const [w] = weightsForTarget([[1, 1]], [1e13, 1e13]);
    expect((w as number) / 1e13).toBeCloseTo(1, 9);
  });
});

describe('wholeWeights', () => {
  it('scales the largest to top, rounds, and divides by the gcd', () => {
    expect(wholeWeights([0.5, 0.25, 0], 20)).toEqual([2, 1, 0]); // 20, 10, 0 → gcd 10
    expect(wholeWeights([12, 18], 18)).toEqual([2, 3]); // 12, 18 → gcd 6
    expect(wholeWeights([1, 1 / 3], 20)).toEqual([20, 7]); // 20, 6.67 → 7; gcd 1
    expect(wholeWeights([1, 1e-9], 20)).toEqual([1, 0]); // 20, 0 → gcd 20
  });

  it('is all zeros when no weight is positive', () => {
    expect(wholeWeights([0, 0], 20)).toEqual([0, 0]);
    expect(wholeWeights([-1, 0], 20)).toEqual([0, 0]);
    expect(wholeWeights([NaN], 20)).toEqual([0]);
    expect(wholeWeights([], 20)).toEqual([]);
  });

  it('with a top of 0 rounds every weight to 0 (no division by a gcd of 0)', () => {
    expect(wholeWeights([3, 1], 0)).toEqual([0, 0]);
  });
});

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

describe('fitWeights', () => {
  // Two mirror-image programs: d01 = d10 = ln 2, floor 2 at equal scales, i.e. a basket with equal
  // bytes under both profiles. The mean log-spread is ln 2 for every basket whose bytes are within a
  // factor 2 of each other, so nothing beats the first basket that reaches the floor.
  const MIRROR = [
    [2, 1],
    [1, 2],
  ];

  it('of two mirror-image programs takes one of each of two mirror-image candidates', () => {
    // NNLS on [1, 3] and [3, 1] for the target [1, 1] gives 1/4 each: whole weights 1, 1 (bytes 4, 4).
    const candidates = [
      [1, 3],
      [3, 1],
    ];
    expect(fitWeights(MIRROR, candidates, 2)).toEqual([1, 1]);
    expect(fitWeights(MIRROR, candidates, 2, 'worst', corpusFloor(MIRROR, 2))).toEqual([1, 1]);
    expect(fitWeights(MIRROR, candidates, 2, 'mean')).toEqual([1, 1]);
  });

  it('takes a candidate that has equal bytes on its own, and no other', () => {
    // [3, 3] is best aligned with the target [1, 1] (cosine 1) and meets it alone; adding 1 of
    // either other program makes the bytes 5, 4 or 4, 5: a worst spread of 2.5.
    expect(
      fitWeights(MIRROR, [
        [2, 1],
        [1, 2],
        [3, 3],
      ], 2),
    ).toEqual([0, 0, 1]);
  });

  it('is null when no basket of the candidates has bytes under every profile', () => {
    expect(fitWeights(MIRROR, [[0, 0]], 2)).toBeNull();
    expect(fitWeights(MIRROR, [[1, 0]], 2)).toBeNull();
    expect(fitWeights(MIRROR, [[1, 0]], 2, 'mean')).toBeNull();
  });

  // Three programs of equal bytes and one 4× heavier under profile 1. With a basket of bytes ratio
  // r = bytes_1 / bytes_0 (r ≥ 1), the spreads are r (three times) and 4 / r, so the worst is
  // max(r, 4 / r) — the floor 2 at r = 2 — and the mean log-spread (3 ln r + ln(4 / r)) / 4 =
  // (2 ln r + ln 4) / 4 grows with r: `mean` wants r = 1, `worst` r = 2, or, since any basket within
  // 1.5% of the floor counts as reaching it and then the smaller mean wins, the smallest r with
  // 4 / r ≤ 2 · 1.015. Candidates [1, 1] and [1, 4]: weights a, b give r = (a + 4b) / (a + b).
  const SKEWED = [
    [1, 1],
    [1, 1],
    [1, 1],
    [1, 4],
  ];
  const PARTS = [
    [1, 1],
    [1, 4],
  ];

  it('for the mean takes the candidate that spreads nothing', () => {
    expect(fitWeights(SKEWED, PARTS, 2, 'mean')).toEqual([1, 0]);
  });

  it('for the mean takes the two candidates that balance each other, which local changes only make worse', () => {
    // [2, 1] + [1, 2] = [3, 3]: r = 1, mean ln 4 / 4. One more of either (bytes 5, 4 or 4, 5) gives
    // spreads 1.25 (three times) and 3.2: mean (3 ln 1.25 + ln 3.2) / 4 ≈ 0.458 > ln 4 / 4 ≈ 0.347;
    // either alone gives r = 1/2 or 2: mean ln 2 or more. The worst is not what counts here: 4 / r = 4.
    expect(
      fitWeights(SKEWED, [
        [2, 1],
        [1, 2],
      ], 2, 'mean'),
    ).toEqual([1, 1]);
  });

  it('for the worst lands within 1.5% of the floor, on the side of the smaller mean, in lowest terms', () => {
    const w = fitWeights(SKEWED, PARTS, 2) as number[];
    const [a, b] = w as [number, number];
    for (const v of w) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
    expect(gcd(a, b)).toBe(1);
    const r = (a + 4 * b) / (a + b);
    expect(4 / r).toBeLessThanOrEqual(2 * 1.015);
    expect(r).toBeLessThan(2); // 2, 1 (r = 2 exactly) reaches the floor, but its mean is larger
    // And no single step does better: one more [1, 1] or one [1, 4] less lowers r below 4 / 2.03,
    // out of the 1.5% (the local search tries steps of 1 last).
    const worstOf = (x: number, y: number) => Math.max((x + 4 * y) / (x + y), (4 * (x + y)) / (x + 4 * y));
    expect(worstOf(a + 1, b)).toBeGreaterThan(2 * 1.015);
    expect(worstOf(a, b - 1)).toBeGreaterThan(2 * 1.015);
  });

  it('for the mean drops a program when the mean grows by at most 0.3%, however far from the floor', () => {
    // [103, 100] alone: r = 100/103, worst 2 · 1.03 = 2.06 — beyond 1.5% of the floor, which the
    // worst objective will not give up — but the same mean ln 2, which is all the mean objective asks.
    const candidates = [
      [100, 103],
      [103, 100],
    ];
    expect(fitWeights(MIRROR, candidates, 2, 'mean')).toEqual([0, 1]);
    expect(fitWeights(MIRROR, candidates, 2, 'worst')).toEqual([1, 1]);
  });

  it('returns the weights in lowest terms after the local search and the dropping (one program: weight 1)', () => {
    // Programs [5, 4] and [2, 2]: with r = bytes_1 / bytes_0 the mean log-spread is
    // (|ln 0.8 − ln r| + |ln r|) / 2, least (ln 1.25 / 2) for 0.8 ≤ r ≤ 1. [6, 5] has r = 5/6 alone;
    // [3, 1] (r = 1/3) and [3, 6] (r = 2) only move a mix out of that range or leave the mean as it
    // is, so they are dropped. The search had [6, 5] at weight 10: the basket is written as 1.
    const weights = fitWeights([[5, 4], [2, 2]], [[3, 1], [3, 6], [6, 5]], 2, 'mean');
    expect(weights).toEqual([0, 0, 1]);
  });

  // Found by a seeded search over small corpora for the fits these functions' survivors change
  // (TESTING.md, round 12); each expectation is a property of the fit the docs state.
  const scalesOfBasket = (corpus: number[][], candidates: number[][], w: readonly number[]) =>
    (corpus[0] as number[]).map((_, p) => -Math.log(w.reduce((s, x, j) => s + x * ((candidates[j] as number[])[p] as number), 0)));
  const worstOfBasket = (corpus: number[][], candidates: number[][], w: readonly number[]) => worstUnderScales(corpus, scalesOfBasket(corpus, candidates, w));
  const meanOfBasket = (corpus: number[][], candidates: number[][], w: readonly number[]) => meanLogSpread(corpus, scalesOfBasket(corpus, candidates, w));

  it('for the worst keeps searching while a step helps, into the 1.5% band of the floor', () => {
    // 175 × [6, 6, 1] + 234 × [3, 5, 6] = [1752, 2220, 1579] is inside the band; a search that
    // stopped after its first pass of steps ended at [4, 159, 234], worst 5.65, outside it.
    const corpus = [[6, 2, 1], [5, 4, 2], [5, 4, 6], [1, 3, 5]];
    const candidates = [[3, 6, 2], [6, 6, 1], [3, 5, 6]];
    const band = corpusFloor(corpus, 3).worst * 1.015;
    expect(worstOfBasket(corpus, candidates, [0, 175, 234])).toBeLessThanOrEqual(band);
    const fitted = fitWeights(corpus, candidates, 3) as number[];
    expect(worstOfBasket(corpus, candidates, fitted)).toBeLessThanOrEqual(band);
    // Within the band the smaller mean wins: the fit is [0, 175, 234] or a basket better than it
    // (a search stepping only upwards ended at [0, 92, 125], mean 1.2404 against 1.2399).
    expect(meanOfBasket(corpus, candidates, fitted)).toBeLessThanOrEqual(meanOfBasket(corpus, candidates, [0, 175, 234]) + 1e-12);
  });

  it('for the mean does at least as well as 19 × [6, 6, 1] + 11 × [3, 5, 6] on the same corpus', () => {
    // Bytes [147, 169, 85]. Log-spreads: [6, 2, 1] ln((6/147)/(1/85)) = 1.2440, [5, 4, 2]
    // ln((5/147)/(2/85)) = 0.3685, [5, 4, 6] ln((6/85)/(4/169)) = 1.0927, [1, 3, 5]
    // ln((5/85)/(1/147)) = 2.1572: mean 1.2156. A fit that kept only the first whole weights it
    // tried ended at [0, 9, 20], mean 1.2559.
    const corpus = [[6, 2, 1], [5, 4, 2], [5, 4, 6], [1, 3, 5]];
    const candidates = [[3, 6, 2], [6, 6, 1], [3, 5, 6]];
    expect(meanOfBasket(corpus, candidates, [0, 19, 11])).toBeCloseTo(1.2156, 4);
    expect(meanOfBasket(corpus, candidates, fitWeights(corpus, candidates, 3, 'mean') as number[])).toBeLessThanOrEqual(meanOfBasket(corpus, candidates, [0, 19, 11]) + 1e-12);
  });

  it('for the worst drops a program that only adds mean: [4, 3, 4] alone has the same worst spread', () => {
    // [4, 3, 4] alone: [3, 6, 3] spreads 2 / 0.75 = 8/3, [3, 2, 3] 1.125, [3, 5, 6] 2.22 — worst 8/3,
    // far above the band (floor 1.817). Adding 3 × [4, 3, 2] ([92, 69, 86]) leaves the worst at 8/3
    // ((6/69)/(3/92)) and raises the mean (0.6549 against 0.6324): the drop phase removes it.
    const corpus = [[3, 6, 3], [3, 2, 3], [3, 5, 6]];
    const candidates = [[4, 3, 2], [5, 1, 3], [4, 3, 4]];
    expect(worstOfBasket(corpus, candidates, [0, 0, 1])).toBeCloseTo(8 / 3, 12);
    expect(worstOfBasket(corpus, candidates, [3, 0, 20])).toBeCloseTo(8 / 3, 12);
    expect(fitWeights(corpus, candidates, 3)).toEqual([0, 0, 1]);
  });

  it('outside the band keeps a program whose drop would make the worst spread larger', () => {
    // 19 × [3, 2, 6] + 2 × [1, 6, 6] = [59, 50, 126]: [2, 1, 6] spreads (6/126)/(1/50) = 50/21 = 2.381,
    // [2, 4, 6] (4/50)/(2/59) = 2.36, [1, 1, 4] and [4, 2, 6] less: worst 50/21, above the floor's band
    // (2 · 1.015). Dropping [1, 6, 6] leaves [3, 2, 6] alone: [2, 4, 6] spreads (4/2)/(2/3) = 3.
    const corpus = [[2, 1, 6], [2, 4, 6], [1, 1, 4], [4, 2, 6]];
    const candidates = [[3, 2, 6], [6, 2, 2], [1, 6, 6]];
    expect(worstOfBasket(corpus, candidates, [19, 0, 2])).toBeCloseTo(50 / 21, 12);
    expect(worstOfBasket(corpus, candidates, [1, 0, 0])).toBeCloseTo(3, 12);
    expect(worstOfBasket(corpus, candidates, fitWeights(corpus, candidates, 3) as number[])).toBeLessThanOrEqual(50 / 21 + 1e-12);
  });

  it('drops a program when the others alone stay within 1.5% of the floor at no larger mean', () => {
    // [100, 101] + [101, 100] = [201, 201] meets the floor's equal scales exactly; [101, 100] alone
    // has r = 100/101, worst 2 · 101/100 = 2.02 ≤ 2.03 and the same mean ln 2 (flat between r = 1/2
    // and 2). Of equal weights the first is tried first; the last one cannot go (no basket left).
    expect(
      fitWeights(MIRROR, [
        [100, 101],
        [101, 100],
      ], 2),
    ).toEqual([0, 1]);
  });

  // Round 13: corpora where a changed search step, target or tie-break lands on a worse basket than
  // the one named (a seeded search over random corpora of 2–5 programs; TESTING.md, round 13). The
  // criterion is the docs': inside the floor's 1.5% band the smaller mean log-spread wins, outside it
  // the smaller worst spread; `mean` asks only the mean. Last column: the named basket's worst spread
  // and mean log-spread.
  const knownBaskets: [string, number[][], number[][], FitObjective, number[], [number, number]][] = [
    ['near-floor targets (in the band)', [[5, 1], [2, 1], [2, 2], [4, 1], [1, 2]], [[1, 4], [2, 5], [4, 1]], 'worst', [111, 0, 251], [3.2086, 0.78187]],
    ['the mean from its own target only', [[5, 1], [2, 1], [2, 2], [4, 1], [1, 2]], [[1, 4], [2, 5], [4, 1]], 'mean', [2857, 0, 10000], [4.0001, 0.73778]],
    ['a step taken only for a smaller mean (in the band)', [[2, 5], [2, 5], [8, 9], [8, 4]], [[4, 9], [8, 11], [6, 1]], 'worst', [0, 50, 17], [2.259, 0.60199]],
    ['a step taken only for a smaller worst (outside the band)', [[4, 8, 7, 5], [6, 4, 4, 6]], [[3, 4, 6, 4], [1, 7, 1, 4], [5, 7, 3, 4], [3, 3, 3, 2]], 'worst', [2, 0, 1, 1], [1.9286, 0.54931]],
    ['the exact floor target besides those above it (in the band)', [[8, 11, 4, 12], [3, 26, 20, 15], [26, 27, 7, 17]], [[7, 18, 25, 9], [15, 21, 7, 26]], 'worst', [173, 213], [5.0504, 1.39337]],
    ['steps of a tenth of the largest weight, a hundredth for an unused program (in the band)', [[8, 4, 7, 14], [5, 9, 4, 1], [4, 10, 9, 8], [4, 9, 3, 12]], [[2, 12, 5, 14], [7, 9, 10, 12], [3, 6, 6, 8], [9, 13, 6, 8]], 'worst', [0, 205, 0, 5846], [5.6916, 1.45713]],
    ['a step down to weight 0 (outside the band)', [[8, 3, 23, 5], [14, 22, 1, 3], [15, 16, 7, 20]], [[10, 5, 22, 22], [5, 5, 2, 21], [21, 14, 10, 19], [19, 6, 20, 4]], 'worst', [0, 5, 7, 0], [14.3089, 1.90471]],
  ];
  it.each(knownBaskets)('finds a basket at least as good as the one named: %s', (_, corpus, candidates, objective, known, [worst, mean]) => {
    const profiles = (corpus[0] as number[]).length;
    const band = corpusFloor(corpus, profiles).worst * 1.015;
    const fitted = fitWeights(corpus, candidates, profiles, objective) as number[];
    const [fw, fm] = [worstOfBasket(corpus, candidates, fitted), meanOfBasket(corpus, candidates, fitted)];
    const [kw, km] = [worstOfBasket(corpus, candidates, known), meanOfBasket(corpus, candidates, known)];
    expect([kw, km]).toEqual([expect.closeTo(worst, 4), expect.closeTo(mean, 5)]);
    if (objective === 'mean') expect(fm).toBeLessThanOrEqual(km + 1e-12);
    else if (kw <= band) expect([fw <= band, fm <= km + 1e-12]).toEqual([true, true]);
    else expect(fw).toBeLessThanOrEqual(kw + 1e-12);
  });
});

/**
 * NNLS by enumeration: least squares on every subset of the columns (normal equations, Gaussian
 * elimination with partial pivoting), the smallest residual among the non-negative solutions. Not
 * nnls' active-set steps, so it is a reference for them.
 */
function nnlsByEnumeration(cols: readonly (readonly number[])[], b: readonly number[]): { w: number[]; r2: number } {
  const m = cols.length;
  const residual2 = (w: readonly number[]) => b.reduce((s, bi, r) => s + (bi - cols.reduce((t, c, j) => t + (c[r] as number) * (w[j] as number), 0)) ** 2, 0);
  let best = { w: new Array<number>(m).fill(0), r2: residual2(new Array<number>(m).fill(0)) };
  for (let mask = 1; mask < 1 << m; mask++) {
    const set = [...Array(m).keys()].filter((j) => mask & (1 << j));
    const k = set.length;
    const dot = (u: readonly number[], v: readonly number[]) => u.reduce((s, x, r) => s + x * (v[r] as number), 0);
    const a = set.map((i) => [...set.map((j) => dot(cols[i] as number[], cols[j] as number[])), dot(cols[i] as number[], b)]);
    let singular = false;
    for (let i = 0; i < k && !singular; i++) {
      const piv = a.slice(i).reduce((p, row, r) => (Math.abs(row[i] as number) > Math.abs((a[p] as number[])[i] as number) ? r + i : p), i);
      [a[i], a[piv]] = [a[piv] as number[], a[i] as number[]];
      if (Math.abs((a[i] as number[])[i] as number) < 1e-12) singular = true;
      for (let r = 0; r < k && !singular; r++) {
        if (r === i) continue;
        const f = ((a[r] as number[])[i] as number) / ((a[i] as number[])[i] as number);
        a[r] = (a[r] as number[]).map((x, c) => x - f * ((a[i] as number[])[c] as number));
      }
    }
    if (singular) continue;
    const x = a.map((row, i) => (row[k] as number) / (row[i] as number));
    if (x.some((v) => v < 0)) continue;
    const w = new Array<number>(m).fill(0);
    set.forEach((j, i) => (w[j] = x[i] as number));
    const r2 = residual2(w);
    if (r2 < best.r2 - 1e-12) best = { w, r2 };
  }
  return best;
}

describe('nnls against an enumeration of every subset (problems whose steps leave the feasible region)', () => {
  // Found by a search for problems where a least-squares step on the passive columns turns a weight
  // negative, so nnls must step back part of the way and drop the column (its inner loop).
  const stepBack: [number[][], number[]][] = [
    [[[2, 2, 1], [4, 3, 1], [3, 2, 1]], [4, 1, 0]],
    [[[1, 2, 2], [4, 3, 4], [1, 1, 2]], [2, 5, 3]],
    [[[3, 3, 2], [0, 4, 2], [2, 4, 3]], [1, 6, 2]],
    [[[3, 3, 4], [1, 4, 2], [2, 0, 2]], [3, 0, 1]],
    [[[4, 4, 0], [4, 0, 2], [1, 2, 0]], [0, 3, 1]],
  ];
  it.each(stepBack)('columns %j, b %j', (cols, b) => {
    const want = nnlsByEnumeration(cols, b);
    const got = nnls(cols, b);
    expect(got.every((v) => v >= 0)).toBe(true);
    got.forEach((v, j) => expect(v).toBeCloseTo(want.w[j] as number, 9));
  });

  it('forty seeded problems of four columns in three and four rows', () => {
    let seed = 20261207;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let t = 0; t < 40; t++) {
      const rows = 3 + (t % 2);
      const cols = Array.from({ length: 4 }, () => Array.from({ length: rows }, () => next(6) - 1));
      const b = Array.from({ length: rows }, () => next(9) - 2);
      const want = nnlsByEnumeration(cols, b);
      const got = nnls(cols, b);
      const r2 = b.reduce((s, bi, r) => s + (bi - cols.reduce((u, c, j) => u + (c[r] as number) * (got[j] as number), 0)) ** 2, 0);
      expect(got.every((v) => v >= 0), `problem ${t}`).toBe(true);
      expect(r2, `problem ${t}: ${JSON.stringify({ cols, b })}`).toBeCloseTo(want.r2, 9);
    }
  });
});
