import { describe, expect, it } from 'vitest';

import { mpToPoints } from '../../src/model/index.js';
import { ChargeTimeline } from '../../src/runtime/timeline.js';
import { world } from '../model/fixtures.js';
import { run } from './helpers.js';

/** A box membrane <T,D,0> over a fresh world, its view, and a timeline whose clock the test sets. */
function setup(maxBuckets = 512, maxSeries = 24) {
  const mem = world();
  mem.declareDag(mem.root, ['store']);
  const outer = mem.quota(mem.at(mem.root, ['store']), 'outer', 1000, 500, 0);
  const box = mem.quota(outer, 'box', 400, 400, 0);
  let step = 0;
  const tl = new ChargeTimeline(() => step, maxBuckets, maxSeries);
  mem.watchCharges(tl.watcher);
  return { mem, outer, box, tl, at: (s: number) => (step = s) };
}

describe('ChargeTimeline', () => {
  it('follows every charge and release of a membrane and of the quota membranes around it', () => {
    const { mem, box, tl, at } = setup();
    at(10);
    mem.declareScalar(box, ['a'], 'int32', 1);
    at(20);
    const x = mem.prune(box, ['a']);
    mem.release(x);
    const t = tl.result(30);
    expect(t.series.map((s) => s.name)).toEqual(['box', 'outer']);
    const boxLine = t.series[0]!;
    const price = mpToPoints(mem.priceAt(box, 'int32', 1));
    expect(boxLine.points).toEqual([
      { step: 10, points: 0 },
      { step: 10, points: price },
      { step: 20, points: 0 },
    ]);
    expect(boxLine.total).toBe(400);
    // outer holds its membrane entity box (charged before the timeline watched) plus what box holds.
    const outerLine = t.series[1]!;
    expect(outerLine.points.at(-1)!.points).toBe(mpToPoints(mem.report().flat[0]!.directUsed + mem.report().flat[0]!.belowUsed));
    expect(t.charges).toBe(2);
    expect(t.bucketSteps).toBe(1);
  });

  it('a refused charge leaves no trace and an undone group is followed back to where it was', () => {
    const { mem, box, tl, at } = setup();
    at(5);
    expect(() => mem.declareScalar(box, ['s'], 'string', 'x'.repeat(100_000))).toThrow(/quota/);
    expect(tl.result(5).series).toEqual([]);
    at(6);
    expect(() =>
      mem.atomically(() => {
        mem.declareScalar(box, ['a'], 'int32', 1);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    const line = tl.result(6).series[0]!;
    expect(line.points.at(-1)).toEqual({ step: 6, points: 0 });
  });

  it('keeps bounded memory over a million charges and still shows the peak and the end', () => {
    const { mem, box, tl, at } = setup(64);
    const df = mem.declareDataframe(box, ['log'], [{ name: 'n', type: 'int8' }]);
    let peakStep = 0;
    for (let i = 0; i < 1_000_000; i++) {
      at(i * 3);
      try {
        mem.dataframe(box, ['log']).append([1n]);
      } catch {
        // Full: empty it and go on (a saw-tooth use).
        peakStep = i * 3;
        mem.release(mem.prune(box, ['log']));
        mem.declareDataframe(box, ['log'], [{ name: 'n', type: 'int8' }]);
      }
    }
    void df;
    const t = tl.result(3_000_000);
    const line = t.series.find((s) => s.name === 'box')!;
    expect(line.points.length).toBeLessThanOrEqual(4 * 64);
    expect(t.bucketSteps).toBeGreaterThan(1);
    const max = Math.max(...line.points.map((p) => p.points));
    expect(max).toBeLessThanOrEqual(400);
    expect(max).toBeGreaterThan(390); // the saw-tooth's teeth reach the quota
    expect(peakStep).toBeGreaterThan(0);
    const u = mem.report().flat.find((m) => m.name === 'box')!;
    expect(line.points.at(-1)!.points).toBe(mpToPoints(u.directUsed + u.belowUsed));
    for (let i = 1; i < line.points.length; i++) expect(line.points[i]!.step).toBeGreaterThanOrEqual(line.points[i - 1]!.step);
  });

  it('draws at most maxSeries lines and counts the others', () => {
    const { mem, outer, tl, at } = setup(512, 2);
    at(1);
    for (let i = 0; i < 5; i++) {
      const v = mem.quota(mem.at(outer, []), `m${i}`, 10, 10, 0);
      mem.declareScalar(v, [`x${i}`], 'bool', true);
    }
    const t = tl.result(2);
    expect(t.series).toHaveLength(2);
    expect(t.untracked).toBe(4);
  });
});

describe('runProgram({ timeline: true })', () => {
  const source = `
mutable dag store;
shared mutable dag box = membrane<quota<24, 24, 0>> store;
mutable dataframe box.log string msg, int32 n;
mutable int32 i = 0;
while i < 5 {
  i += 1;
  box.log("entry number" i);
};
`;
  it('records the use of each quota membrane over the steps, ending at its use in the report', () => {
    const r = run(source, { timeline: true });
    expect(r.ok).toBe(true);
    const t = r.timeline!;
    expect(t.steps).toBe(r.steps);
    const box = t.series.find((s) => s.name === 'box')!;
    const row = r.membranes.find((m) => m.name === 'box')!;
    expect(box.points.at(-1)!.points).toBeCloseTo(row.directUsed + row.belowUsed, 3);
    // The dataframe, then five rows: six rises in step order.
    const rises = box.points.filter((p, i) => i > 0 && p.points > box.points[i - 1]!.points);
    expect(rises).toHaveLength(6);
  });

  it('follows the parameters and locals of calls under a membrane (paid outside the DAG) up and back down', () => {
    const r = run('function f(x int32)<membrane<quota<15, 15, 0>>>::{}{\n  mutable int32 y = x + 1;\n};\nf(1);\nf(2);\nf(3);\n', { timeline: true });
    expect(r.ok).toBe(true);
    const f = r.timeline!.series.find((s) => s.name === 'f')!;
    const values = f.points.map((p) => p.points);
    const peaks = values.filter((v, i) => i > 0 && i < values.length - 1 && v > values[i - 1]! && v >= values[i + 1]!);
    expect(peaks.length).toBeGreaterThanOrEqual(3); // one per call
    const u = r.membranes.find((m) => m.name === 'f')!;
    expect(values.at(-1)).toBeCloseTo(u.directUsed + u.belowUsed, 3);
    expect(values.at(-1)).toBeLessThan(Math.max(...values));
  });

  it('is off unless asked for', () => {
    expect(run(source).timeline).toBeNull();
  });
});
