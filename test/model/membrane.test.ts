// The hierarchical counters of quota membranes (quota.md §6: I1 direct ≤ D, I2 below ≤ T − D, and I3
// direct + below ≤ T, which the first two imply), tested on hand-built membranes with hand-set use, so
// each limit and each level is reached on its own. All amounts are milli-points, worked out by hand.
import { describe, expect, it } from 'vitest';

import { ChargePlan, applyCharge, checkCharge, Membrane } from '../../src/model/membrane.js';
import { thrown } from '../support/errors.js';

/**
 * root <10, 4, 2> (T − D = 6000 mp for the membranes below it), mid <5, 2, 0> stacked on root
 * (T − D = 3000), and two leaves <3, 3, 0> stacked on mid (D = 3000 each, nothing below them).
 */
function stack() {
  const root = new Membrane(1, 'root', 'quota', 10_000, 4000, 2000, null, null, 1);
  const mid = new Membrane(2, 'mid', 'quota', 5000, 2000, 0, root, root, 1);
  const leaf = new Membrane(3, 'leaf', 'quota', 3000, 3000, 0, mid, mid, 1);
  const other = new Membrane(4, 'other', 'quota', 3000, 3000, 0, mid, mid, 1);
  return { root, mid, leaf, other };
}

/** [directUsed, belowUsed, peak] of each membrane. */
const counters = (...ms: Membrane[]) => ms.map((m) => [m.directUsed, m.belowUsed, m.peak]);

/** The refusal's membrane, limit, limit value, use and amount asked. */
function refusal(fn: () => unknown) {
  const d = thrown(fn).details as Map<string, unknown>;
  return [d.get('membrane'), d.get('limit'), d.get('limitValue'), d.get('used'), d.get('requested')];
}

describe('applyCharge moves the payer’s direct use and the use below of every enclosing quota membrane', () => {
  it('by exactly x at every level, and a release by −x', () => {
    const { root, mid, leaf, other } = stack();
    applyCharge(leaf, 1000);
    applyCharge(mid, 500);
    applyCharge(leaf, -800);
    // leaf 1000 − 800 = 200; mid direct 500, below 200; root below 200 + 500 = 700.
    expect(counters(leaf, mid, root, other).map(([d, b]) => [d, b])).toEqual([
      [200, 0],
      [500, 200],
      [0, 700],
      [0, 0],
    ]);
  });

  it('keeps the highest direct + below use each level reached, through releases', () => {
    const { root, mid, leaf, other } = stack();
    applyCharge(leaf, 1000); // peaks: leaf 1000, mid 1000, root 1000
    applyCharge(mid, 500); // mid 500 + 1000 = 1500, root 1500
    applyCharge(leaf, -800); // use falls (leaf 200, mid 700, root 700): peaks stay
    expect(counters(leaf, mid, root).map((c) => c[2])).toEqual([1000, 1500, 1500]);
    applyCharge(leaf, 300); // leaf 500, mid 1000, root 1000: still below every peak
    expect(counters(leaf, mid, root).map((c) => c[2])).toEqual([1000, 1500, 1500]);
    applyCharge(leaf, 900); // leaf 1400, mid 500 + 1400 = 1900, root 1900: new peaks
    expect(counters(leaf, mid, root, other)).toEqual([
      [1400, 0, 1400],
      [500, 1400, 1900],
      [0, 1900, 1900],
      [0, 0, 0],
    ]);
  });
});

describe('checkCharge refuses at the first level whose limit the charge would pass, and moves nothing', () => {
  it('the payer’s D: used + x > D is refused, used + x = D is taken', () => {
    const { leaf, mid, root } = stack();
    applyCharge(leaf, 1000);
    expect(() => checkCharge(leaf, 2000)).not.toThrow(); // 1000 + 2000 = 3000 = D
    expect(refusal(() => checkCharge(leaf, 2001))).toEqual(['leaf', 'direct', 3000, 1000, 2001]);
    expect(counters(leaf, mid, root)).toEqual([
      [1000, 0, 1000],
      [0, 1000, 1000],
      [0, 1000, 1000],
    ]);
  });

  it('the enclosing membrane’s T − D, not its T or its pool (T − D) + O', () => {
    const { leaf, other, mid } = stack();
    applyCharge(leaf, 2500);
    // other's D (3000) allows 600, mid's T − D = 5000 − 2000 = 3000 does not: 2500 + 600 = 3100.
    expect(() => checkCharge(other, 500)).not.toThrow(); // 2500 + 500 = 3000
    expect(refusal(() => checkCharge(other, 600))).toEqual(['mid', 'below', 3000, 2500, 600]);
    // mid's own direct use does not count against the limit below it (I2 is below alone).
    applyCharge(mid, 2000);
    expect(() => checkCharge(other, 500)).not.toThrow();
  });

  it('every level up to the root: the root’s T − D refuses what leaf and mid still allow', () => {
    const { root, leaf } = stack();
    const side = new Membrane(5, 'side', 'quota', 6000, 6000, 0, root, root, 1);
    applyCharge(side, 5800);
    // leaf D 3000 and mid T − D 3000 allow 300; root's T − D = 10000 − 4000 = 6000 < 5800 + 300.
    expect(() => checkCharge(leaf, 200)).not.toThrow();
    expect(refusal(() => checkCharge(leaf, 300))).toEqual(['root', 'below', 6000, 5800, 300]);
  });

  it('a charge of nothing, or a release, fits even a full membrane', () => {
    const { leaf, other } = stack();
    applyCharge(leaf, 3000); // leaf at D, mid at T − D
    expect(() => checkCharge(leaf, 0)).not.toThrow();
    expect(() => checkCharge(leaf, -1000)).not.toThrow();
    expect(() => checkCharge(other, 0)).not.toThrow();
    expect(refusal(() => checkCharge(other, 1))).toEqual(['mid', 'below', 3000, 3000, 1]);
  });

  it('a membrane with no quota membrane around it checks only its own D', () => {
    const lone = new Membrane(6, 'lone', 'quota', 2000, 1000, 0, null, null, 2);
    expect(() => checkCharge(lone, 1000)).not.toThrow();
    expect(refusal(() => checkCharge(lone, 1001))).toEqual(['lone', 'direct', 1000, 0, 1001]);
  });
});

describe('a ChargePlan checks the net change of several charges and releases as one', () => {
  it('two charges at one membrane add up: 2500 + 600 passes D = 3000 although each alone fits', () => {
    const { leaf } = stack();
    const plan = new ChargePlan();
    plan.add(leaf, 2500);
    plan.add(leaf, 600);
    expect(refusal(() => plan.check())).toEqual(['leaf', 'direct', 3000, 0, 3100]);
  });

  it('a release in the same plan makes room: moving 2000 from one full sibling to the other fits mid', () => {
    const { leaf, other, mid } = stack();
    applyCharge(leaf, 2000);
    applyCharge(other, 1000); // mid below = 3000 = T − D: full
    const plan = new ChargePlan();
    plan.add(leaf, -2000);
    plan.add(other, 2000); // other 1000 + 2000 = 3000 = D; mid below 3000 − 2000 + 2000
    expect(() => plan.check()).not.toThrow();
    // Without the release, the same charge passes mid's T − D: 3000 + 2000 > 3000.
    const charge = new ChargePlan();
    charge.add(other, 2000);
    expect(refusal(() => charge.check())).toEqual(['mid', 'below', 3000, 3000, 2000]);
    expect(counters(leaf, other, mid).map(([d, b]) => [d, b])).toEqual([
      [2000, 0],
      [1000, 0],
      [0, 3000],
    ]);
  });

  it('the use below of the first membrane added counts too (its own charge and a stacked one’s)', () => {
    const { leaf, mid } = stack();
    applyCharge(leaf, 1500); // mid below 1500
    const plan = new ChargePlan();
    plan.add(mid, 100); // mid direct 100 of D 2000: fits
    plan.add(leaf, 1000); // leaf 2500 of 3000: fits; mid below 1500 + 1000 = 2500: fits
    expect(() => plan.check()).not.toThrow();
    plan.add(leaf, 501); // leaf 3001 > 3000, and mid below 1500 + 1501 = 3001 > 3000
    // mid was added first, so its limit is the one named.
    expect(refusal(() => plan.check())).toEqual(['mid', 'below', 3000, 1500, 1501]);
  });

  it('refusal names the first level in the order of the charges, innermost first, with the operation', () => {
    const { leaf } = stack();
    const plan = new ChargePlan();
    plan.add(leaf, 3001); // leaf D and mid T − D both passed: leaf is first
    const e = thrown(() => plan.check('graft of v'));
    expect(e.message).toBe("graft of v refused by quota membrane 'leaf': 0 used + 3.001 requested > 3 points (direct allocation limit D)");
  });

  it('a release alone, nothing, or no membrane always fits', () => {
    const { leaf, other } = stack();
    applyCharge(leaf, 3000);
    const plan = new ChargePlan();
    plan.add(leaf, -3000);
    plan.add(other, 0);
    plan.add(null, 5000);
    expect(() => plan.check()).not.toThrow();
    // Now something is asked: mid's use below nets to 3000 − 3000 + 3001, one more than T − D
    // (mid entered the plan before other, so it is named first).
    plan.add(other, 3001);
    expect(refusal(() => plan.check())).toEqual(['mid', 'below', 3000, 3000, 1]);
  });

  it('the root’s T − D is checked through two levels of stacking', () => {
    const { root, leaf } = stack();
    const side = new Membrane(5, 'side', 'quota', 6000, 6000, 0, root, root, 1);
    applyCharge(side, 5800);
    const plan = new ChargePlan();
    plan.add(leaf, 300);
    expect(refusal(() => plan.check())).toEqual(['root', 'below', 6000, 5800, 300]);
    const fits = new ChargePlan();
    fits.add(side, -100);
    fits.add(leaf, 300); // 5800 − 100 + 300 = 6000
    expect(() => fits.check()).not.toThrow();
  });
});
