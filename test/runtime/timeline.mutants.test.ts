// The charge timeline (timeline.ts) driven by hand: a clock the test sets and stand-in membranes whose
// use the test sets, so every expected point is written out from the M4 rule (a bucket keeps its
// first, lowest, highest and last use; a tie keeps the earlier one; lowest and highest come out in the
// order they happened). Pinned: when the buckets double in width (a step of width × buckets already
// needs it), how two neighbouring buckets merge (the earlier first, the lower lowest, the higher
// highest, the later last), a bucket's own lowest and highest, a membrane's use being its direct use
// plus what is below it, and membranes beyond the series limit counted once each.
import { describe, expect, it } from 'vitest';

import type { Membrane } from '../../src/model/index.js';
import { ChargeTimeline, type TimelinePoint } from '../../src/runtime/timeline.js';

/** A stand-in quota membrane: only what the timeline reads. Uses are in milli-points. */
interface Fake {
  id: number;
  name: string;
  total: number;
  closed: boolean;
  quotaParent: Fake | null;
  directUsed: number;
  belowUsed: number;
}

function fake(id: number, name: string, quotaParent: Fake | null = null): Fake {
  return { id, name, total: 50_000, closed: false, quotaParent, directUsed: 0, belowUsed: 0 };
}

/** A timeline whose clock is `step`, and a charge: membrane m's direct use becomes `points` at `at`. */
function driver(maxBuckets: number, maxSeries = 24) {
  let step = 0;
  const tl = new ChargeTimeline(() => step, maxBuckets, maxSeries);
  const charge = (m: Fake, at: number, points: number) => {
    step = at;
    m.directUsed = points * 1000;
    tl.watcher(m as unknown as Membrane);
  };
  return { tl, charge };
}

const pts = (...pairs: [number, number][]): TimelinePoint[] => pairs.map(([step, points]) => ({ step, points }));

describe('one bucket: its first, lowest, highest and last use', () => {
  // One bucket at most: the width doubles whenever a step reaches it, so every step falls in bucket 0
  // until the second line below starts bucket 1 (steps 4..7 at width 4).
  it('replaces the lowest only by a lower use and the highest only by a higher one', () => {
    const { tl, charge } = driver(2);
    const m = fake(1, 'm');
    charge(m, 0, 6); // bucket 0 at width 1: first (0,0) — its use was 0 until now — highest (0,6)
    // Step 4: the width doubles to 2, then 4 (4 >= 2·2); bucket 1 holds steps 4..7.
    charge(m, 4, 5);
    charge(m, 5, 2); // lower: lowest (5,2)
    charge(m, 6, 2); // a tie: the lowest stays (5,2)
    charge(m, 6, 9); // higher: highest (6,9)
    charge(m, 7, 9); // a tie: the highest stays (6,9)
    charge(m, 7, 3); // last (7,3)
    const t = tl.result(8);
    expect(t.bucketSteps).toBe(4);
    expect(t.charges).toBe(7);
    expect(t.untracked).toBe(0);
    expect(t.series).toEqual([
      { id: 1, name: 'm', total: 50, closed: false, points: pts([0, 0], [0, 6], [4, 5], [5, 2], [6, 9], [7, 3]) },
    ]);
  });
});

describe('the buckets double in width', () => {
  /** Eight buckets of one step each (0..7), then a charge at step 8 = 1 × 8: they merge in pairs. */
  function eight() {
    const { tl, charge } = driver(8);
    const m = fake(7, 'box');
    charge(m, 0, 5); // b0: first (0,0) lowest (0,0) highest (0,5) last (0,5)
    charge(m, 1, 7); // b1: first (1,7) lowest (1,3) highest (1,7) last (1,3)
    charge(m, 1, 3);
    charge(m, 2, 6); // b2: first (2,6) lowest (2,6) highest (2,8) last (2,8)
    charge(m, 2, 8);
    charge(m, 3, 4); // b3: first (3,4) lowest (3,4) highest (3,5) last (3,5)
    charge(m, 3, 5);
    charge(m, 4, 2); // b4: first (4,2) lowest (4,2) highest (4,6) last (4,4)
    charge(m, 4, 6);
    charge(m, 4, 4);
    charge(m, 5, 2); // b5: first (5,2) lowest (5,2) highest (5,6) last (5,3): ties with b4
    charge(m, 5, 6);
    charge(m, 5, 3);
    charge(m, 6, 1); // b6: all (6,1)
    charge(m, 7, 0); // b7: all (7,0)
    return { tl, charge, m };
  }

  it('not before a step reaches width × buckets: step 7 of 8 one-step buckets keeps every charge', () => {
    const { tl } = eight();
    const t = tl.result(8);
    expect(t.bucketSteps).toBe(1);
    // In b1 lowest and highest share step 1: a tie in step puts the lowest first.
    expect(t.series[0]?.points).toEqual(
      pts([0, 0], [0, 5], [1, 7], [1, 3], [1, 7], [1, 3], [2, 6], [2, 8], [3, 4], [3, 5], [4, 2], [4, 6], [4, 4], [5, 2], [5, 6], [5, 3], [6, 1], [7, 0]),
    );
  });

  it('at step 8 they merge in pairs: earlier first, lower lowest, higher highest (ties keep the earlier), later last', () => {
    const { tl, charge, m } = eight();
    charge(m, 8, 2); // 8 >= 1 × 8: width 2, and step 8 starts bucket 4
    const t = tl.result(9);
    expect(t.bucketSteps).toBe(2);
    expect(t.charges).toBe(16);
    expect(t.series[0]?.points).toEqual(
      pts(
        // b0+b1: first (0,0), lowest (0,0) (3 is not lower), highest (1,7), last (1,3)
        [0, 0],
        [1, 7],
        [1, 3],
        // b2+b3: first (2,6), lowest (3,4), highest (2,8) (5 is not higher): highest happened first
        [2, 6],
        [2, 8],
        [3, 4],
        [3, 5],
        // b4+b5: ties keep b4's lowest (4,2) and highest (4,6); last (5,3)
        [4, 2],
        [4, 6],
        [5, 3],
        // b6+b7: first (6,1), highest (6,1), lowest (7,0), last (7,0)
        [6, 1],
        [7, 0],
        // bucket 4 (steps 8, 9)
        [8, 2],
      ),
    );
  });
});

describe('whose use', () => {
  it("a charge moves the membrane's direct use and the below use of the quota membranes around it", () => {
    const outer = fake(1, 'outer');
    const inner = fake(2, 'inner', outer);
    outer.directUsed = 4_000; // its own entity and what it pays for itself
    outer.belowUsed = 1_500; // what inner holds
    inner.directUsed = 1_500;
    const tl = new ChargeTimeline(() => 3, 512, 24);
    tl.watcher(inner as unknown as Membrane);
    expect(tl.result(4).series.map((s) => [s.name, s.points])).toEqual([
      ['inner', pts([3, 0], [3, 1.5])],
      ['outer', pts([3, 0], [3, 5.5])],
    ]);
  });

  it('beyond the series limit, each further membrane is counted once however often it is charged', () => {
    const { tl, charge } = driver(512, 1);
    const a = fake(1, 'a');
    const b = fake(2, 'b');
    const c = fake(3, 'c');
    charge(a, 1, 1);
    charge(b, 2, 1);
    charge(b, 3, 2);
    charge(c, 4, 1);
    charge(b, 5, 0);
    const t = tl.result(6);
    expect(t.series.map((s) => s.name)).toEqual(['a']);
    expect(t.untracked).toBe(2);
    expect(t.charges).toBe(5);
  });
});
