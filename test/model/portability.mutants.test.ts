// Portability (quota.md §9) on hand-made profiles: a run's points under a profile from its counts,
// the unrounded points of each part, and the breakdown of a spread. Every number is worked out by
// hand in the comments and written as a literal.
import { describe, expect, it } from 'vitest';

import { parseProfile, type RuntimeProfile } from '../../src/model/profile.js';
import { extrasPart, pointParts, pointsOfCounts, spreadBreakdown, type PricedCounts } from '../../src/model/portability.js';
import { Pricing, type EntityCounts } from '../../src/model/rampoints.js';
import { unitProfileJson } from '../../src/testing/unit-world.js';

/**
 * Profile `a`: the unit profile (dag_node 1000 B, row 50, string 100 + 1 per byte, blocker 700,
 * scope 3000, float32 4) with scalar:bool 0 B, quota extras dag_node 60, string 10, string_byte 2
 * (every other quota extra 0) and copy-on-mutate extras 7 per entity, 1 per string byte.
 */
function profileA(name = 'a', edit: (bytes: Record<string, number>) => void = () => {}): RuntimeProfile {
  const j = unitProfileJson() as { name: string; bytes: Record<string, number>; extras: Record<string, Record<string, number>> };
  j.name = name;
  j.bytes['scalar:bool'] = 0;
  Object.assign(j.extras['membrane:quota'] as object, { dag_node: 60, string: 10, string_byte: 2 });
  edit(j.bytes);
  return parseProfile(JSON.stringify(j), `${name}.json`);
}

/** Profile `b`: as `a`, but dag_node 2000 B, string_byte 2 B and blocker 0 B. */
const profileB = () => profileA('b', (b) => Object.assign(b, { dag_node: 2000, string_byte: 2, blocker: 0 }));

/** One scope: N = 1, bytes_p = 3000, so an entity of w bytes costs round_half_even(w / 3) milli-points. */
const THIRDS = Pricing.fromCounts(profileA(), { byKind: new Map([['scope', 1]]), stringBytes: 0 });

/** One float32: N = 1, bytes_p = 4, so w bytes are exactly w / 4 points (250·w milli-points). */
const QUARTERS: EntityCounts = { byKind: new Map([['scalar:float32', 1]]), stringBytes: 0 };
const A = Pricing.fromCounts(profileA(), QUARTERS);
const B = Pricing.fromCounts(profileB(), QUARTERS);

describe('pointsOfCounts: a run’s milli-points under a profile', () => {
  it('prices strings one by one when the counts carry their lengths', () => {
    const counts: EntityCounts = {
      byKind: new Map([['dag_node', 2], ['string', 3], ['row', 4]]),
      stringBytes: 4,
      extras: new Map([
        ['quota', new Map([['dag_node', 1], ['string', 1]])],
        ['copy_on_mutate', new Map([['dag_node', 3], ['string', 2]])],
      ]),
      // Two strings of 1 byte (one quota membrane on their chains in all), one of 2 bytes under two
      // copy-on-mutate membranes.
      strings: new Map([
        [1, [2, 1, 0]],
        [2, [1, 0, 2]],
      ]),
    };
    // dag_node 2 · rhe(1000/3 = 333.3) = 666, row 4 · rhe(50/3 = 16.7) = 68 (the string entities are
    // priced with their lengths below); extras: quota dag_node 1 · 60/3 = 20, copy-on-mutate dag_node
    // 3 · rhe(7/3) = 6 (the strings' extras below too); strings of 1 byte: 2 · rhe(101/3 = 33.7) = 68 and
    // their quota extra 1 · rhe((10 + 2)/3) = 4; the 2-byte string: rhe(102/3) = 34 and its copy-on-mutate
    // extras 2 · rhe((7 + 2)/3) = 6. 666 + 68 + 20 + 6 + 68 + 4 + 34 + 6 = 872. In bulk the strings
    // would be rhe(304/3) = 101 + rhe(10/3) = 3 + rhe(14/3) = 5 (869).
    expect(pointsOfCounts(THIRDS, counts)).toBe(872);
  });

  it('prices strings in bulk, rounded once per membrane kind, without their lengths', () => {
    const counts: EntityCounts = {
      byKind: new Map([['dag_node', 1], ['string', 2]]),
      stringBytes: 0,
      extras: new Map([['quota', new Map([['string', 1], ['dag_node', 2]])]]),
      extraStringBytes: new Map([['quota', 4]]),
    };
    // dag_node rhe(1000/3) = 333; two empty strings rhe(200/3 = 66.7) = 67; quota extras: dag_node
    // 2 · 20 = 40 and one string with 4 bytes rhe((10 + 4 · 2)/3) = 6; no copy-on-mutate table.
    expect(pointsOfCounts(THIRDS, counts)).toBe(333 + 67 + 40 + 6);
    // Without extras at all: 3 rows 3 · 17 = 51 and one string of 5 bytes rhe(105/3) = 35.
    expect(pointsOfCounts(THIRDS, { byKind: new Map([['row', 3], ['string', 1]]), stringBytes: 5 })).toBe(86);
    // String bytes without a string entity still pay: rhe(6/3) = 2.
    expect(pointsOfCounts(THIRDS, { byKind: new Map([['dag_node', 1]]), stringBytes: 6 })).toBe(335);
    // Extra string bytes through copy_on_mutate without a string entity: rhe(9 · 1/3) = 3.
    expect(pointsOfCounts(THIRDS, { byKind: new Map([['dag_node', 1]]), stringBytes: 0, extraStringBytes: new Map([['copy_on_mutate', 9]]) })).toBe(336);
  });
});

describe('pointParts: the unrounded points of each part', () => {
  it('splits entities, string bytes and each membrane kind’s extras', () => {
    const counts: EntityCounts = {
      byKind: new Map([['dag_node', 2], ['string', 1], ['row', 0]]),
      stringBytes: 6,
      extras: new Map([
        ['quota', new Map([['dag_node', 1], ['string', 1]])],
        ['copy_on_mutate', new Map([['row', 2]])],
      ]),
      extraStringBytes: new Map([
        ['quota', 3],
        ['copy_on_mutate', 0],
      ]),
    };
    // Points are bytes / 4: dag_node 2 · 1000/4 = 500, string 100/4 = 25, string_byte 6 · 1/4 = 1.5,
    // quota extras (60 + 10)/4 + 3 · 2/4 = 19, copy-on-mutate extras 2 · 7/4 = 3.5; a zero count is no part.
    expect(pointParts(A, counts)).toEqual(
      new Map([
        ['dag_node', 500],
        ['string', 25],
        ['string_byte', 1.5],
        ['extras:membrane:quota', 19],
        ['extras:membrane:copy_on_mutate', 3.5],
      ]),
    );
  });

  it('has no string_byte part without string bytes and no extras part when the extras weigh nothing', () => {
    // Quota extras of a bool are 0 B (scalar:* is 0), so 5 of them make no part; bool itself weighs 0 B.
    const counts: EntityCounts = { byKind: new Map([['blocker', 1], ['scalar:bool', 5]]), stringBytes: 0, extras: new Map([['quota', new Map([['scalar:bool', 5]])]]) };
    expect([...pointParts(A, counts)]).toEqual([
      ['blocker', 175],
      ['scalar:bool', 0],
    ]);
  });

  it('names a membrane kind’s part', () => {
    expect([extrasPart('quota'), extrasPart('copy_on_mutate')]).toEqual(['extras:membrane:quota', 'extras:membrane:copy_on_mutate']);
  });
});

/**
 * The run behind the spreads: a dag node, two rows, a blocker, three bools, one string of 4 bytes, and
 * a dag node's copy-on-mutate extra. Parts under a (bytes / 4): dag_node 250, row 25, string 25,
 * string_byte 1, blocker 175, scalar:bool 0, copy-on-mutate extras 1.75. Under b: dag_node 500,
 * string_byte 2, blocker 0, the rest the same. Milli-points (250 per byte, strings in bulk):
 * a 250000 + 25000 + 175000 + 0 + 26000 + 1750 = 477750; b 500000 + 25000 + 0 + 0 + 27000 + 1750 = 553750.
 * The gap b − a is 250 + 1 − 175 = 76 points.
 */
const RUN: EntityCounts = {
  byKind: new Map([['dag_node', 1], ['row', 2], ['blocker', 1], ['scalar:bool', 3], ['string', 1]]),
  stringBytes: 4,
  extras: new Map([['copy_on_mutate', new Map([['dag_node', 1]])]]),
};
const row = (profile: string, pricing: Pricing, mp?: number): PricedCounts => (mp === undefined ? { profile, pricing, counts: RUN } : { profile, pricing, counts: RUN, mp });

/** The parts of the a-to-b gap, largest share first, then by name; bools (0 under both) are left out. */
const PARTS = [
  { kind: 'dag_node', share: 250 / 76, hiPoints: 500, loPoints: 250 },
  { kind: 'blocker', share: -175 / 76, hiPoints: 0, loPoints: 175 },
  { kind: 'string_byte', share: 1 / 76, hiPoints: 2, loPoints: 1 },
  { kind: 'extras:membrane:copy_on_mutate', share: 0, hiPoints: 1.75, loPoints: 1.75 },
  { kind: 'row', share: 0, hiPoints: 25, loPoints: 25 },
  { kind: 'string', share: 0, hiPoints: 25, loPoints: 25 },
];

describe('spreadBreakdown: what makes the gap between the dearest and the cheapest profile', () => {
  it('splits the gap by part, largest share (by size) first', () => {
    expect(pointsOfCounts(A, RUN)).toBe(477750);
    expect(pointsOfCounts(B, RUN)).toBe(553750);
    expect(spreadBreakdown([row('a', A), row('b', B)])).toEqual({ hi: 'b', lo: 'a', hiMp: 553750, loMp: 477750, spread: 553750 / 477750, parts: PARTS });
    expect(spreadBreakdown([row('b', B), row('a', A)])).toEqual({ hi: 'b', lo: 'a', hiMp: 553750, loMp: 477750, spread: 553750 / 477750, parts: PARTS });
  });

  it('takes the run’s own milli-points when given, and the first of equals at either end', () => {
    const rows = [row('m', A, 500), row('h1', B, 900), row('h2', B, 900), row('l1', A, 200), row('l2', A, 200)];
    expect(spreadBreakdown(rows)).toEqual({ hi: 'h1', lo: 'l1', hiMp: 900, loMp: 200, spread: 4.5, parts: PARTS });
  });

  it('keeps a part that only one side has', () => {
    // The dearer run also allocated a scope (3000 B = 750 points under b), the cheaper one did not:
    // the gap is 76 + 750 = 826 points.
    const withScope: EntityCounts = { ...RUN, byKind: new Map([...RUN.byKind, ['scope', 1]]) };
    const got = spreadBreakdown([{ profile: 'b', pricing: B, counts: withScope }, row('a', A)]);
    expect(got?.parts).toEqual([
      { kind: 'scope', share: 750 / 826, hiPoints: 750, loPoints: 0 },
      { kind: 'dag_node', share: 250 / 826, hiPoints: 500, loPoints: 250 },
      { kind: 'blocker', share: -175 / 826, hiPoints: 0, loPoints: 175 },
      { kind: 'string_byte', share: 1 / 826, hiPoints: 2, loPoints: 1 },
      ...PARTS.slice(3),
    ]);
    expect(got?.hiMp).toBe(553750 + 750000);
  });

  it('has no breakdown for fewer than two profiles, a free cheapest run, or no gap in the parts', () => {
    expect(spreadBreakdown([])).toBeNull();
    expect(spreadBreakdown([row('a', A)])).toBeNull();
    // The cheapest costs 0 (or less): a spread is undefined.
    expect(spreadBreakdown([row('a', A, 0), row('b', B, 100)])).toBeNull();
    expect(spreadBreakdown([row('a', A, -5), row('b', B, 100)])).toBeNull();
    // Every profile costs the same.
    expect(spreadBreakdown([row('b', B, 100), row('a', A, 100)])).toBeNull();
    // The dearer run by milli-points has fewer points in its parts (gap −76), or the same (gap 0).
    expect(spreadBreakdown([row('a', A, 900), row('b', B, 100)])).toBeNull();
    expect(spreadBreakdown([row('a', A, 900), row('a2', A, 100)])).toBeNull();
  });
});
