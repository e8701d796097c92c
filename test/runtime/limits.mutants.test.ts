// Runaway protection called directly (limits.ts): the Meter's step, time and depth budgets and their
// texts, and the heap guard with V8's heap statistics and the forced collection replaced by fakes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Span } from '../../src/diagnostics.js';
import { thrown } from '../support/errors.js';

const heap = vi.hoisted(() => ({ limit: 0, before: 0, after: 0, collected: false, looks: 0 }));
vi.mock('node:v8', () => {
  const getHeapStatistics = () => {
    heap.looks++;
    return { heap_size_limit: heap.limit, used_heap_size: heap.collected ? heap.after : heap.before };
  };
  return { getHeapStatistics, default: { getHeapStatistics } };
});
const gc = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/runtime/gc.js', () => ({
  forceGc: () => () => {
    gc.calls++;
    heap.collected = true;
  },
}));

const { binary } = await import('../../src/runtime/arith.js');
const { heapGuard, longStringWork, Meter, modelWorkDone, watchClock } = await import('../../src/runtime/limits.js');

const MB = 2 ** 20;
const a: Span = { file: 't.merge', line: 3, column: 1, endLine: 3, endColumn: 5 };
const b: Span = { file: 't.merge', line: 7, column: 2, endLine: 7, endColumn: 9 };
const limits = (over: Partial<{ maxSteps: number; timeoutMs: number; maxCallDepth: number }> = {}) => ({ maxSteps: 10, timeoutMs: 60_000, maxCallDepth: 2, ...over });


beforeEach(() => {
  Object.assign(heap, { limit: 1000 * MB, before: 100 * MB, after: 100 * MB, collected: false, looks: 0 });
  gc.calls = 0;
});
afterEach(() => watchClock(null));

describe('long strings and model work look at the heap and the clock at their cadence', () => {
  // First in the file: the byte count is module state that starts at zero.
  it('the heap after 64 MiB of string bytes, not before', () => {
    longStringWork(2 ** 25 - 1, a);
    expect(heap.looks).toBe(0);
    longStringWork(1, a);
    expect(heap.looks).toBe(2);
    longStringWork(2 ** 25 - 1, a);
    expect(heap.looks).toBe(2);
    longStringWork(1, a);
    expect(heap.looks).toBe(4);
    // A comparison counts the characters of both strings (arith.ts).
    expect(binary('<', 'x'.repeat(2 ** 24), 'y'.repeat(2 ** 24), a)).toBe(true);
    expect(heap.looks).toBe(6);
  });

  it('the clock after 16384 units of model work, not before', () => {
    let looks = 0;
    watchClock(() => looks++);
    modelWorkDone(16_383, a);
    expect(looks).toBe(0);
    modelWorkDone(16_384, a);
    expect(looks).toBe(1);
    modelWorkDone(32_767, a);
    expect(looks).toBe(1);
    // A count that went back by as much (a fresh model module) looks too, and counts on from there.
    modelWorkDone(1, a);
    expect(looks).toBe(1);
    modelWorkDone(0, a);
    expect(looks).toBe(2);
    modelWorkDone(16_383, a);
    expect(looks).toBe(2);
  });

  it('model work with no program running reads no clock', () => {
    watchClock(null);
    expect(() => modelWorkDone(1_000_000, a)).not.toThrow();
  });
});

describe('heapGuard', () => {
  it('below the share: no collection', () => {
    heapGuard(a);
    expect(gc.calls).toBe(0);
  });

  it('at the share: collects, and is fine when the collection brings it below', () => {
    heap.before = 0.8 * 1000 * MB;
    heap.after = 0.8 * 1000 * MB - 1;
    heapGuard(a);
    expect(gc.calls).toBe(1);
  });

  it('still at the share after collecting: MRG3014 with the sizes', () => {
    heap.before = heap.after = 0.8 * 1000 * MB;
    const e = thrown(() => heapGuard(a));
    expect(e.code).toBe('MRG3014');
    expect(e.message).toBe('the program holds 800 MB of memory, more than 80% of the 1000 MB this process may use');
    expect(e.diagnostic.span).toBe(a);
  });

  it('another share', () => {
    heap.before = heap.after = 900 * MB;
    expect(thrown(() => heapGuard(a, 0.5)).message).toBe('the program holds 900 MB of memory, more than 50% of the 1000 MB this process may use');
  });
});

describe('Meter', () => {
  it('the step budget', () => {
    const m = new Meter(limits());
    m.ops = 3;
    expect(m.stepsLeft()).toBe(7);
    m.ops = 12;
    expect(m.stepsLeft()).toBe(0);
    m.ops = 10;
    const e = thrown(() => m.checkpoint(a));
    expect(e.code).toBe('MRG3010');
    expect(e.message).toBe('the program ran 10 steps without finishing');
  });

  it('the next checkpoint is 65536 steps on, capped by the budget', () => {
    const m = new Meter(limits({ maxSteps: 1_000_000 }));
    expect(m.next).toBe(65_536);
    m.ops = 100;
    m.checkpoint(a);
    expect(m.next).toBe(65_636);
    m.ops = 999_000;
    m.checkpoint(a);
    expect(m.next).toBe(1_000_000);
    const small = new Meter(limits());
    small.ops = 5;
    small.depth = 1;
    small.restart();
    expect([small.ops, small.depth, small.next]).toEqual([0, 0, 10]);
  });

  it('the time budget and where running out of it is shown', () => {
    const m = new Meter(limits({ timeoutMs: -1000 }));
    expect(m.timeLeftMs()).toBe(0);
    expect(thrown(() => m.checkpoint(a)).diagnostic.span).toBe(a);
    // A step with no place of its own is shown where the last checkpoint was.
    expect(thrown(() => m.checkpoint(undefined)).diagnostic.span).toBe(a);
    expect(thrown(() => m.clock(b)).diagnostic.span).toBe(b);
    const left = new Meter(limits()).timeLeftMs();
    expect(left).toBeGreaterThan(30_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it.each([
    [2000, 'the program ran longer than 2 s'],
    [1500, 'the program ran longer than 1500 ms'],
  ])('out of time after %i ms', (timeoutMs, message) => {
    const e = thrown(() => new Meter(limits({ timeoutMs })).outOfTime(a));
    expect([e.code, e.message]).toEqual(['MRG3011', message]);
  });

  it('the call depth', () => {
    const m = new Meter(limits());
    m.enter(a);
    m.enter(b);
    const e = thrown(() => m.enter(a));
    expect([e.code, e.message]).toEqual(['MRG3012', 'calls nested deeper than 2']);
    expect(m.depth).toBe(2);
    expect([m.lastCall, m.lastDepth]).toEqual([b, 2]);
  });

  it('a JavaScript stack overflow is shown at the call entered last', () => {
    const m = new Meter(limits());
    const none = m.stackExhausted();
    expect([none.code, none.message, none.diagnostic.span]).toEqual(['MRG3012', 'the program recursed deeper than the interpreter can follow', undefined]);
    expect(none.diagnostic.hint).toBe('Lower --max-call-depth or make the recursion shallower.');
    m.enter(a);
    expect(m.stackExhausted('main').message).toBe('main recursed deeper than the interpreter can follow (1 call deep)');
    m.enter(b);
    const two = m.stackExhausted();
    expect([two.message, two.diagnostic.span]).toEqual(['the program recursed deeper than the interpreter can follow (2 calls deep)', b]);
  });
});
