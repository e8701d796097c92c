// RAM-point arithmetic (quota.md §1, §4, §9) on small hand-made profiles and baskets, each price
// worked out by hand (long division, rounded half to even) and written as a literal.
import { describe, expect, it } from 'vitest';

import { kindId } from '../../src/model/kinds.js';
import { parseProfile, type RuntimeProfile } from '../../src/model/profile.js';
import { bytesOf, formatPoints, mpToPoints, pointsToMp, Pricing, roundHalfEven, type EntityCounts } from '../../src/model/rampoints.js';
import { unitProfileJson } from '../../src/testing/unit-world.js';
import { thrown } from '../support/errors.js';

const DAG = kindId('dag_node');
const BOOL = kindId('scalar:bool');

/**
 * The unit profile (dag_node 1000 B, bool 1 B, string 100 B + 1 B per byte, copy-on-mutate extras 7 B
 * and 1 B per string byte) with quota extras of 3 B per entity and 2 B per string byte; `edit` changes
 * its JSON first.
 */
function profile(name = 'unit', edit: (j: any) => void = () => {}, file = `${name}.json`): RuntimeProfile {
  const j = unitProfileJson() as any;
  j.name = name;
  const quota = j.extras['membrane:quota'];
  for (const k of Object.keys(quota)) quota[k] = 3;
  quota.string_byte = 2;
  edit(j);
  return parseProfile(JSON.stringify(j), file);
}

/** One dag node and one bool: N = 2, bytes = 1001 under the unit profile. */
const PAIR: EntityCounts = { byKind: new Map([['dag_node', 1], ['scalar:bool', 1]]), stringBytes: 0 };

describe('roundHalfEven', () => {
  it('rounds negative quotients half to even and refuses a denominator that is not positive', () => {
    expect([-25n, -35n, -26n, -24n, 7n].map((n) => roundHalfEven(n, n === 7n ? 1n : 10n))).toEqual([-2n, -4n, -3n, -2n, 7n]);
    expect(() => roundHalfEven(1n, 0n)).toThrow('roundHalfEven: denominator must be positive');
    expect(() => roundHalfEven(1n, -3n)).toThrow('roundHalfEven: denominator must be positive');
  });
});

describe('points as text and numbers', () => {
  it('formats milli-points of either number type with up to three decimals', () => {
    expect([1234567n, -1, 1000, 10, 100, 0n].map(formatPoints)).toEqual(['1234.567', '-0.001', '1', '0.01', '0.1', '0']);
  });

  it('gives milli-points as a number of points', () => {
    expect([12345, -2500, 0, 7].map(mpToPoints)).toEqual([12.345, -2.5, 0, 0.007]);
  });

  it('turns whole points into milli-points, clamped to safe integers', () => {
    expect([5n, 7, -3n, 9_007_199_254_740n, -9_007_199_254_740n].map(pointsToMp)).toEqual([5000, 7000, -3000, 9_007_199_254_740_000, -9_007_199_254_740_000]);
    expect([9_007_199_254_741n, -9_007_199_254_741n, 10n ** 20n].map(pointsToMp)).toEqual([9_007_199_254_740_991, -9_007_199_254_740_991, 9_007_199_254_740_991]);
    expect(() => pointsToMp(1.5)).toThrow(RangeError);
  });
});

describe('bytesOf', () => {
  it('adds the entities, the string bytes and each membrane kind’s extras', () => {
    const counts: EntityCounts = {
      byKind: new Map([['dag_node', 2], ['scalar:bool', 3], ['string', 1]]),
      stringBytes: 4,
      extras: new Map([
        ['quota', new Map([['dag_node', 2]])],
        ['copy_on_mutate', new Map([['scalar:bool', 3], ['string', 1], ['scalar:int64', 2]])],
      ]),
      extraStringBytes: new Map([
        ['quota', 4],
        ['copy_on_mutate', 5],
      ]),
    };
    // 2000 + 3 + 100 + 4 bytes; quota extras 2 · 3 + 4 · 2; copy-on-mutate extras (3 + 1 + 2) · 7 + 5 · 1.
    expect(bytesOf(profile(), counts)).toBe(2107n + 14n + 47n);
    expect(bytesOf(profile(), { byKind: new Map([['scalar:bool', 5]]), stringBytes: 9 })).toBe(14n);
  });
});

describe('Pricing: one profile normalized over a basket', () => {
  const pr = Pricing.fromCounts(profile(), PAIR);

  it('prices each kind, and each membrane kind’s extra, as bytes · N · 1000 / bytes_p, rounded once', () => {
    expect([pr.entities, pr.bytes, pr.lambda]).toEqual([2n, 1001n, 0]);
    expect(pr.pointSize()).toEqual({ bytes: 1001n, entities: 2n });
    // 1000 · 2000 / 1001 = 1998.0…; 1 · 2000 / 1001 = 1.99…; 3 · 2000 / 1001 = 5.99…; 7 · 2000 / 1001 = 13.98…
    expect([pr.kindPrice(BOOL), pr.kindPrice(DAG), pr.extraPrice('quota', DAG), pr.extraPrice('copy_on_mutate', DAG)]).toEqual([2, 1998, 6, 14]);
    expect([pr.mpOf('dag_node'), pr.mpOf('dag_node', 'quota'), pr.mpOf('dag_node', 'copy_on_mutate')]).toEqual([1998, 6, 14]);
    expect([pr.price(DAG, 0, 0), pr.price(DAG, 2, 0), pr.price(DAG, 0, 3), pr.price(DAG, 2, 1)]).toEqual([1998, 2010, 2040, 2024]);
    expect([pr.priceOfKind('scalar:bool'), pr.priceOfKind('scalar:bool', 1, 1)]).toEqual([2, 22]);
  });

  it('prices a string by its length, each membrane’s extra rounded on its own', () => {
    // 105 · 2000 / 1001 = 209.79; (3 + 5 · 2) · 2000 / 1001 = 25.97; (7 + 5) · 2000 / 1001 = 23.98.
    expect([pr.stringPart(5), pr.stringPart(5, 'quota'), pr.stringPart(5, 'copy_on_mutate')]).toEqual([210, 26, 24]);
    expect([pr.stringPrice(5, 0, 0), pr.stringPrice(5, 1, 0), pr.stringPrice(5, 0, 1), pr.stringPrice(5, 1, 2)]).toEqual([210, 236, 234, 284]);
  });

  it('prices strings in bulk rounded once, not per string', () => {
    // (2 · 100 + 5) · 2000 / 1001 = 409.59; (2 · 3 + 5 · 2) · 2000 / 1001 = 31.97; (2 · 7 + 5) · 2000 / 1001 = 37.96.
    expect([pr.stringsInBulk(2, 5), pr.stringsInBulk(2, 5, 'quota'), pr.stringsInBulk(2, 5, 'copy_on_mutate')]).toEqual([410, 32, 38]);
  });

  it('gives unrounded points for shares', () => {
    expect(pr.exactPoints('dag_node')).toBeCloseTo(2000 / 1001, 12);
    expect(pr.exactPoints('scalar:bool', 'copy_on_mutate')).toBeCloseTo(14 / 1001, 12);
    expect(pr.exactPoints('scalar:bool', 'quota')).toBeCloseTo(6 / 1001, 12);
  });

  it('keeps a kind’s price when a kind with a higher id was priced first', () => {
    const fresh = Pricing.fromCounts(profile(), PAIR);
    const f256 = kindId('scalar:float256'); // 32 B: 64000 / 1001 = 63.94
    expect([fresh.kindPrice(f256), fresh.kindPrice(BOOL), fresh.extraPrice('copy_on_mutate', f256), fresh.extraPrice('copy_on_mutate', BOOL)]).toEqual([64, 2, 14, 14]);
    expect([fresh.kindPrice(f256), fresh.kindPrice(BOOL)]).toEqual([64, 2]);
  });

  it('is named by a signature and rebuilt from its spec', () => {
    expect(pr.signature()).toBe('unit 2 1001 1001');
    expect(pr.spec()).toEqual({ profile: pr.profile, counts: PAIR });
    expect(Object.keys(pr.spec())).toEqual(['profile', 'counts']);
    const again = Pricing.fromSpec(pr.spec());
    expect([again.signature(), again.kindPrice(DAG)]).toEqual(['unit 2 1001 1001', 1998]);
  });
});

describe('Pricing.mp beyond 2^53', () => {
  it('falls back to exact bigint arithmetic when weight × N × 1000 is not a safe integer', () => {
    // N = 3, bytes = 1002: 35184372088851 · 3000 = 105554116266553000 = 1002 · 105342431403745 + 510,
    // and 510 is more than half of 1002. (Plain floating point gives …745 here.)
    const pr = Pricing.fromCounts(profile(), { byKind: new Map([['dag_node', 1], ['scalar:bool', 2]]), stringBytes: 0 });
    expect(pr.mp(35_184_372_088_851)).toBe(105_342_431_403_746);
    expect(pr.mp(1001)).toBe(2997); // 3003000 / 1002 = 2997.0
  });

  it('falls back when the basket’s bytes are not a safe integer', () => {
    // dag_node 10^9 B, 10^7 of them and a bool: N = 10^7 + 1, bytes = 10^16 + 1. A dag node costs
    // 10^9 · (10^7 + 1) · 1000 / (10^16 + 1) = 1000.09…, a bool 0.000001…
    const pr = Pricing.fromCounts(profile('huge', (j) => (j.bytes.dag_node = 1e9)), { byKind: new Map([['dag_node', 1e7], ['scalar:bool', 1]]), stringBytes: 0 });
    expect([pr.bytes, pr.kindPrice(DAG), pr.kindPrice(BOOL)]).toEqual([10_000_000_000_000_001n, 1000, 0]);
  });

  it('divides by the exact bytes when they are not a safe integer, where the nearest double would round a tie', () => {
    // dag_node 10^9 B: 9002926 dag nodes and 4503705849999 bools weigh T = 9007429705849999 bytes
    // (the nearest double is T + 1), N = 4503714852925. A bool costs N · 1000 / T points:
    // 2 · 4503714852925000 = T + 1 > T, so just over half a milli-point: 1.
    const pr = Pricing.fromCounts(profile('huge', (j) => (j.bytes.dag_node = 1e9)), { byKind: new Map([['dag_node', 9_002_926], ['scalar:bool', 4_503_705_849_999]]), stringBytes: 0 });
    expect([pr.bytes, pr.entities, pr.kindPrice(BOOL)]).toEqual([9_007_429_705_849_999n, 4_503_714_852_925n, 1]);
  });

  it('falls back when N × 1000 is not a safe integer', () => {
    // N = 10^13 + 1 entities, bytes = 10^13 + 1000: a bool costs (10^13 + 1) · 1000 / (10^13 + 1000) = 999.99…,
    // a dag node 1000 times that, 999999.99…
    const pr = Pricing.fromCounts(profile(), { byKind: new Map([['dag_node', 1], ['scalar:bool', 1e13]]), stringBytes: 0 });
    expect([pr.kindPrice(BOOL), pr.kindPrice(DAG)]).toEqual([1000, 1_000_000]);
  });
});

describe('the portability blend (quota.md §9)', () => {
  // Reference profiles A (the unit profile, bytes_A = 1001) and B (a bool takes 100 B: bytes_B = 1100).
  // G(k) = √(b_A(k)/1001 · b_B(k)/1100); the blended weight of k under p is
  // round(65536 · ((1 − λ) · b_p(k) + λ · bytes_p · G(k))), and a price is weight · 2000 / Σ weights.
  const A = profile('unit');
  const B = profile('unitb', (j) => (j.bytes['scalar:bool'] = 100));

  it('moves every price toward the geometric mean of the reference profiles’ prices', () => {
    // Under A at λ = 0.5: dag 64026680, bool 345355, total 64372035 → 1989.0, 10.7; a string of 5
    // bytes (6402668 + 5 · 64027) · 2000 / 64372035 = 208.9; a dag node's copy-on-mutate extra
    // 448187 · 2000 / 64372035 = 13.9.
    const a = Pricing.blended(A, PAIR, { lambda: 0.5, reference: [A, B] });
    expect([a.kindPrice(DAG), a.kindPrice(BOOL), a.stringPrice(5, 0, 0), a.extraPrice('copy_on_mutate', DAG), a.lambda]).toEqual([1989, 11, 209, 14, 0.5]);
    expect(a.signature()).toBe('unit 2 1001 64372035 blend 0.5 unit,unitb');
    expect(a.spec()).toEqual({ profile: A, counts: PAIR, blend: { lambda: 0.5, reference: [A, B] } });
    expect(Pricing.fromSpec(a.spec()).signature()).toBe('unit 2 1001 64372035 blend 0.5 unit,unitb');
    // Under B: dag 67118198, bool 3620302 → 1898.4, 101.6 (unblended: 1818 and 182).
    const b = Pricing.blended(B, PAIR, { lambda: 0.5, reference: [A, B] });
    expect([b.kindPrice(DAG), b.kindPrice(BOOL)]).toEqual([1898, 102]);
  });

  it('weighs the basket’s membrane extras with blended weights too', () => {
    // The basket adds one copy-on-mutate extra of a dag node and 2 extra string bytes: bytes_A = 1010,
    // bytes_B = 1109. Weights under A: dag 64039222, bool 345480, the dag's extra 448275, an extra
    // string byte 64039; total 64961055 → dag 1971.6, bool 10.6.
    const counts: EntityCounts = { ...PAIR, extras: new Map([['copy_on_mutate', new Map([['dag_node', 1]])]]), extraStringBytes: new Map([['copy_on_mutate', 2]]) };
    const a = Pricing.blended(A, counts, { lambda: 0.5, reference: [A, B] });
    expect([a.signature(), a.kindPrice(DAG), a.kindPrice(BOOL)]).toEqual(['unit 2 1010 64961055 blend 0.5 unit,unitb', 1972, 11]);
  });

  it('is the seed’s normalization at λ = 0', () => {
    const a = Pricing.blended(A, PAIR, { lambda: 0, reference: [A, B] });
    expect([a.kindPrice(DAG), a.kindPrice(BOOL), a.lambda]).toEqual([1998, 2, 0]);
  });

  it('gives a kind that one reference profile holds in 0 bytes a geometric mean of 0', () => {
    // Z: a bool takes 0 B (bytes_Z = 1000). Under A at λ = 0.5: dag 65552380, bool 65536 / 2 = 32768.
    const Z = profile('unitz', (j) => (j.bytes['scalar:bool'] = 0));
    const a = Pricing.blended(A, PAIR, { lambda: 0.5, reference: [A, Z] });
    expect([a.kindPrice(DAG), a.kindPrice(BOOL)]).toEqual([1999, 1]);
  });

  it('refuses a blend outside 0 … 1 (MRG4020) and a basket the blend weighs at nothing (MRG4051)', () => {
    for (const [lambda, text] of [
      [1.5, '1.5'],
      [-0.1, '-0.1'],
      [Number.NaN, 'NaN'],
    ] as const) {
      const e = thrown(() => Pricing.blended(A, PAIR, { lambda, reference: [A] }));
      expect([e.code, e.message]).toEqual(['MRG4020', `the portability blend must be between 0 and 1, got ${text}`]);
    }
    expect(Pricing.blended(A, PAIR, { lambda: 1, reference: [A] }).kindPrice(DAG)).toBe(1998);
    const e = thrown(() => Pricing.blended(A, PAIR, { lambda: 1, reference: [] }));
    expect([e.code, e.message]).toEqual(['MRG4051', "runtime profile 'unit' (unit.json): the blended basket weighs nothing"]);
    const f = thrown(() => Pricing.blended(profile('unit', () => {}, ''), PAIR, { lambda: 1, reference: [] }));
    expect(f.message).toBe("runtime profile 'unit': the blended basket weighs nothing");
  });
});

describe('a basket that cannot define a RAM-point', () => {
  const refused = (counts: EntityCounts, p = profile()) => {
    const e = thrown(() => Pricing.fromCounts(p, counts));
    return [e.code, e.message];
  };

  it('names the kind, count or string bytes that is wrong (MRG4020)', () => {
    expect(refused({ byKind: new Map([['scalar:int', 1]]), stringBytes: 0 })).toEqual(['MRG4020', "the basket counts an unknown entity kind 'scalar:int'"]);
    expect(refused({ byKind: new Map([['dag_node', 1.5]]), stringBytes: 0 })).toEqual(['MRG4020', "basket count for 'dag_node' must be a non-negative integer, got 1.5"]);
    expect(refused({ byKind: new Map([['dag_node', -1]]), stringBytes: 0 })).toEqual(['MRG4020', "basket count for 'dag_node' must be a non-negative integer, got -1"]);
    expect(refused({ byKind: new Map([['dag_node', 1]]), stringBytes: -1 })).toEqual(['MRG4020', 'basket string bytes must be a non-negative integer, got -1']);
    expect(refused({ byKind: new Map([['dag_node', 1]]), stringBytes: 2.5 })).toEqual(['MRG4020', 'basket string bytes must be a non-negative integer, got 2.5']);
    expect(refused({ byKind: new Map([['dag_node', 0]]), stringBytes: 10 })).toEqual(['MRG4020', 'the basket allocates no entities (N = 0); a RAM-point is undefined']);
  });

  it('accepts a kind counted 0 times beside others, and no string bytes', () => {
    const pr = Pricing.fromCounts(profile(), { byKind: new Map([['dag_node', 1], ['scalar:bool', 0]]), stringBytes: 0 });
    expect([pr.entities, pr.bytes, pr.kindPrice(DAG)]).toEqual([1n, 1000n, 1000]);
  });

  it('names the profile, and its file when it has one, when the basket weighs 0 bytes under it (MRG4051)', () => {
    const zeroDag = (j: any) => (j.bytes.dag_node = 0);
    const counts: EntityCounts = { byKind: new Map([['dag_node', 2]]), stringBytes: 0 };
    const text = 'gives every kind the basket holds 0 bytes, so one of its RAM-points would be 0 bytes and every price infinite';
    expect(refused(counts, profile('zero', zeroDag))).toEqual(['MRG4051', `runtime profile 'zero' (zero.json) ${text}`]);
    expect(refused(counts, profile('zero', zeroDag, ''))).toEqual(['MRG4051', `runtime profile 'zero' ${text}`]);
    expect(thrown(() => Pricing.fromCounts(profile('zero', zeroDag), counts)).diagnostic.hint).toBe(
      'Give the profile the real byte counts of its runtime (at least the kinds the basket allocates must be above 0).',
    );
  });
});
