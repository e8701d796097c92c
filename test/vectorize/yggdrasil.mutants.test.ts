// Yggdrasil's pieces with hand-worked expectations: how rows split into tasks, the order tasks start
// and stop in, a batch ending at its first failing row, the one-worker pool, the seeded PRNG (its
// first values from an independent mulberry32 written in Python) and the simulated workers' exact
// interleaving for one seed, worked out by hand from those values.
import { describe, expect, it } from 'vitest';

import { Nidhoggr } from '../../src/runtime/vectorize/nidhoggr.js';
import type { RowOutcome } from '../../src/runtime/vectorize/sandbox.js';
import { InlinePool, prng, runTask, schedule, SimPool, splitTasks, type BatchDone, type Pool, type Task } from '../../src/runtime/vectorize/yggdrasil.js';
import { diagnostic, MergeError } from '../../src/diagnostics.js';

const ok = (i: number): RowOutcome => ({ ok: true, values: [BigInt(i)], ops: 1 });
const bad: RowOutcome = { ok: false, error: new MergeError(diagnostic('MRG3009', 'no')), ops: 1 };

/** An evalRow that records the rows it evaluated and fails on the given ones. */
function recorder(failing: readonly number[] = []) {
  const seen: number[] = [];
  const evalRow = (i: number): RowOutcome => {
    seen.push(i);
    return failing.includes(i) ? bad : ok(i);
  };
  return { seen, evalRow };
}

describe('splitTasks', () => {
  it('covers [from, n) with consecutive batches, the last one short', () => {
    expect(splitTasks(2, 9, 3)).toEqual([
      { start: 2, end: 5 },
      { start: 5, end: 8 },
      { start: 8, end: 9 },
    ]);
    expect(splitTasks(0, 4, 2)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
  });

  it('a batch size below 1 is 1, a fractional one rounds down; nothing to split is no task', () => {
    expect(splitTasks(0, 2, 0)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(splitTasks(0, 5, 2.9)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
    ]);
    expect(splitTasks(3, 3, 4)).toEqual([]);
    expect(splitTasks(5, 3, 4)).toEqual([]);
  });
});

describe('runTask', () => {
  it('runs the rows of the task in order and stops after the first failing one', () => {
    const all = recorder();
    expect(runTask({ start: 3, end: 6 }, all.evalRow)).toEqual({ start: 3, outcomes: [ok(3), ok(4), ok(5)] });
    const failing = recorder([4]);
    expect(runTask({ start: 3, end: 6 }, failing.evalRow)).toEqual({ start: 3, outcomes: [ok(3), bad] });
    expect(failing.seen).toEqual([3, 4]);
    expect(runTask({ start: 2, end: 2 }, all.evalRow)).toEqual({ start: 2, outcomes: [] });
  });
});

describe('InlinePool', () => {
  it('holds one task at a time and runs it when asked for the next result', () => {
    const r = recorder();
    const pool = new InlinePool(r.evalRow);
    expect([pool.size, pool.running()]).toEqual([1, 0]);
    expect(pool.next()).toEqual([]);
    pool.start({ start: 0, end: 2 });
    expect(pool.running()).toBe(1);
    expect(r.seen).toEqual([]);
    expect(pool.next()).toEqual([{ start: 0, outcomes: [ok(0), ok(1)] }]);
    expect(pool.running()).toBe(0);
    expect(pool.next()).toEqual([]);
  });
});

describe('schedule', () => {
  it('starts tasks in order while workers are free, delivers every row of each batch, ticks after each', () => {
    const r = recorder();
    const delivered: number[] = [];
    let ticks = 0;
    const abandoned = schedule(splitTasks(0, 5, 2), new InlinePool(r.evalRow), (i) => delivered.push(i), new Nidhoggr(), () => ticks++);
    expect([abandoned, ticks]).toEqual([0, 3]);
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
    expect(r.seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts nothing once Níðhöggr is told, and returns how many tasks never started', () => {
    const r = recorder([1]);
    const nid = new Nidhoggr();
    const delivered: number[] = [];
    const deliver = (i: number, o: RowOutcome) => {
      delivered.push(i);
      if (!o.ok) nid.notify();
    };
    const abandoned = schedule(splitTasks(0, 6, 1), new InlinePool(r.evalRow), deliver, nid, () => {});
    expect(abandoned).toBe(4);
    expect(delivered).toEqual([0, 1]);
    expect(schedule(splitTasks(0, 3, 1), new InlinePool(r.evalRow), deliver, nid, () => {})).toBe(3);
  });

  it('never starts more tasks than the pool has workers', () => {
    const started: Task[] = [];
    let inFlight: Task[] = [];
    const pool: Pool = {
      size: 2,
      running: () => inFlight.length,
      start: (t) => {
        started.push(t);
        inFlight.push(t);
      },
      next: (): BatchDone[] => {
        expect(inFlight.length).toBeLessThanOrEqual(2);
        const done = inFlight.map((t) => ({ start: t.start, outcomes: [ok(t.start)] }));
        inFlight = [];
        return done;
      },
    };
    const delivered: number[] = [];
    expect(schedule(splitTasks(0, 5, 1), pool, (i) => delivered.push(i), new Nidhoggr(), () => {})).toBe(0);
    expect(started.map((t) => t.start)).toEqual([0, 1, 2, 3, 4]);
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('prng', () => {
  // mulberry32's first three values for seeds 0, 1, 4 and 7, from an independent Python implementation.
  const FIRST: [number, number[]][] = [
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]],
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]],
    [4, [0.9236361971125007, 0.33304587937891483, 0.2216679009143263]],
    [7, [0.011704753153026104, 0.06195825757458806, 0.97690763277933]],
  ];

  it('is mulberry32 from the seed', () => {
    for (const [seed, values] of FIRST) {
      const r = prng(seed);
      expect([r(), r(), r()], String(seed)).toEqual(values);
    }
  });

  it('folds the seed to 32 bits: the high word is xored into the low one, fractions are dropped', () => {
    const first3 = (seed: number) => {
      const r = prng(seed);
      return [r(), r(), r()];
    };
    // 2^32 + 5: low word 5, high word 1, 5 xor 1 = 4.
    expect(first3(2 ** 32 + 5)).toEqual(FIRST[2]?.[1]);
    expect(first3(7.9)).toEqual(FIRST[3]?.[1]);
    // -1: floor(-1) = -1 and floor(-1 / 2^32) = -1, and -1 xor -1 = 0.
    expect(first3(-1)).toEqual(FIRST[0]?.[1]);
    // -1.5 rounds down, not toward zero: floor(-1.5) = -2, -2 xor -1 = 1.
    expect(first3(-1.5)).toEqual(FIRST[1]?.[1]);
  });
});

describe('SimPool', () => {
  it('interleaves its workers as the seed says and hands a batch over when it ends', () => {
    // Seed 1's values 0.627, 0.0027, 0.527 pick worker floor(v × busy): 1, 0, 1; then only worker 0 is left.
    const r = recorder();
    const pool = new SimPool(2, r.evalRow, 1);
    expect([pool.size, pool.running()]).toEqual([2, 0]);
    pool.start({ start: 0, end: 2 });
    pool.start({ start: 2, end: 4 });
    expect(pool.running()).toBe(2);
    expect(pool.next()).toEqual([{ start: 2, outcomes: [ok(2), ok(3)] }]);
    expect(r.seen).toEqual([2, 0, 3]);
    expect(pool.running()).toBe(1);
    expect(pool.next()).toEqual([{ start: 0, outcomes: [ok(0), ok(1)] }]);
    expect(r.seen).toEqual([2, 0, 3, 1]);
    expect([pool.running(), pool.next()]).toEqual([0, []]);
  });

  it('hands a batch over at its first failing row', () => {
    const r = recorder([2]);
    const pool = new SimPool(2, r.evalRow, 1);
    pool.start({ start: 0, end: 2 });
    pool.start({ start: 2, end: 4 });
    expect(pool.next()).toEqual([{ start: 2, outcomes: [bad] }]);
    expect(r.seen).toEqual([2]);
    expect(pool.next()).toEqual([{ start: 0, outcomes: [ok(0), ok(1)] }]);
  });
});
