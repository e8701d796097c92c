// Runaway protection: a step budget, a wall-clock budget and a call-depth limit. Steps are the
// interpreter's deterministic operation count (one per statement and per expression node evaluated);
// the clock is only read every CLOCK_EVERY steps so the hot loop pays one comparison per step.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

import { diagnostic, MergeError, type Span } from '../diagnostics.js';
import { raise } from './errors.js';
import { forceGc } from './gc.js';

export interface Limits {
  /** Operations (statements + expression nodes) a run may evaluate. */
  maxSteps: number;
  /** Wall-clock budget of a run, in milliseconds. */
  timeoutMs: number;
  /** Nested Merg-E calls. */
  maxCallDepth: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({ maxSteps: 100_000_000, timeoutMs: 10_000, maxCallDepth: 400 });

const CLOCK_EVERY = 1 << 16;

/**
 * From this depth on, every PROBE_EVERY-th call first makes sure some JavaScript stack is left
 * (stackHeadroom). Below it a run is far from V8's limit (Node's default stack holds about 870 calls
 * of a small recursive function, 330 of one with four nested blocks), and shallow calls, which
 * benchmarks and most programs make, pay nothing for the check.
 */
export const PROBE_FROM = 64;
const PROBE_EVERY = 4;
/**
 * 2048 arguments: 16 KiB of stack, pushed by V8 with a stack check and dropped. A call's release needs
 * about 2 KiB (test/runtime/limits.test.ts), so the calls up to the next check may take 3.5 KiB each
 * (a small recursive function takes 1.1 KiB, one with four nested blocks 2.9 KiB). The cost is the
 * pushing: about 0.3 µs a call past PROBE_FROM (BENCHMARKS.md, the deep calls).
 */
const HEADROOM: readonly number[] = Object.freeze(new Array<number>(2048).fill(0));
function nothing(): void {}

/**
 * Throws V8's RangeError (call stack) when less than 16 KiB of stack is left here. A call checks this
 * before its frame pays for anything, so the stack runs out at a call's entry, never half-way through
 * the bookkeeping of a frame (paying for its slots, releasing them on the way out), which a RangeError
 * half-way would leave with a quota charge and no payment record (or the other way round).
 */
export function stackHeadroom(): void {
  Reflect.apply(nothing, undefined, HEADROOM);
}

/** The counters of one run. `ops` is read by vectorize's cost model, so it must stay deterministic. */
export class Meter {
  ops = 0;
  /** Next value of `ops` at which `checkpoint` must run. */
  next: number;
  depth = 0;
  private readonly deadline: number;

  constructor(readonly limits: Limits) {
    this.deadline = performance.now() + limits.timeoutMs;
    this.next = Math.min(limits.maxSteps, CLOCK_EVERY);
  }

  /** Where the last checkpoint ran: the place a limit hit by a step with no place of its own is shown at. */
  private lastSpan: Span | undefined = undefined;

  /** Called when `ops` reaches `next`: enforces the step and time budgets. */
  checkpoint(span: Span | undefined): void {
    if (span !== undefined) this.lastSpan = span;
    if (this.ops >= this.limits.maxSteps) this.outOfSteps(span);
    this.clock(span);
    heapGuard(span);
    this.next = Math.min(this.limits.maxSteps, this.ops + CLOCK_EVERY);
  }

  /** MRG3010: the step budget is spent. */
  outOfSteps(span: Span | undefined): never {
    return raise('MRG3010', `the program ran ${this.limits.maxSteps} steps without finishing`, span);
  }

  /** Steps left before MRG3010. */
  stepsLeft(): number {
    return Math.max(0, this.limits.maxSteps - this.ops);
  }

  /** Milliseconds left before MRG3011. */
  timeLeftMs(): number {
    return Math.max(0, this.deadline - performance.now());
  }

  /** Counts from zero again (a vectorize sandbox: each row gets the whole budget it was given). */
  restart(): void {
    this.ops = 0;
    this.depth = 0;
    this.next = Math.min(this.limits.maxSteps, CLOCK_EVERY);
  }

  /** The time budget alone (also read between checkpoints by slow steps, see longStringWork). */
  clock(span: Span | undefined): void {
    if (performance.now() > this.deadline) this.outOfTime(span);
  }

  /** MRG3011: the time budget is spent. */
  outOfTime(span: Span | undefined): never {
    // A slow step with no place of its own (a scope's locals released at its end) is shown where the program last was.
    return raise('MRG3011', `the program ran longer than ${formatSeconds(this.limits.timeoutMs)}`, span ?? this.lastSpan);
  }

  enter(span: Span): void {
    if (this.depth >= PROBE_FROM && this.depth % PROBE_EVERY === 0) stackHeadroom();
    if (++this.depth > this.limits.maxCallDepth) {
      this.depth--;
      raise('MRG3012', `calls nested deeper than ${this.limits.maxCallDepth}`, span);
    }
    this.lastCall = span;
    this.lastDepth = this.depth;
  }

  /** The call entered last and its depth: where a JavaScript stack overflow (MRG3012) happened. */
  lastCall: Span | undefined = undefined;
  lastDepth = 0;

  /** MRG3012 for a JavaScript stack overflow, at the call entered last. */
  stackExhausted(what = 'the program'): MergeError {
    const where = this.lastCall ? ` (${this.lastDepth} call${this.lastDepth === 1 ? '' : 's'} deep)` : '';
    return new MergeError(diagnostic('MRG3012', `${what} recursed deeper than the interpreter can follow${where}`, this.lastCall, 'Lower --max-call-depth or make the recursion shallower.'));
  }
}

/**
 * Above this share of V8's heap limit a run stops with MRG3014: past the limit V8 ends the whole
 * process with a fatal error and a native stack trace, which no handler can turn into a diagnostic.
 */
export const HEAP_SHARE = 0.8;
/** Strings at least this long make an operation slow enough to look at the clock and the heap. */
export const LONG_STRING = 1 << 16;
/** Long strings can outgrow the heap between two checkpoints: the heap is also looked at after this many bytes of them. */
const BIG_BYTES_CHECK = 64 << 20;
let bigBytes = 0;
/** The running program's clock check (set by runProgram for the length of a run). */
let clock: ((span: Span | undefined) => void) | null = null;

/** Registers the running program's clock check (null when the run ends); returns the one it replaced. */
export function watchClock(check: ((span: Span | undefined) => void) | null): ((span: Span | undefined) => void) | null {
  const before = clock;
  clock = check;
  return before;
}

/**
 * An operation on strings of `chars` characters (a concatenation, a comparison) just ran: one step
 * that can take milliseconds, so the clock is read now rather than 65,536 steps later, and the heap
 * is looked at every BIG_BYTES_CHECK bytes of them.
 */
export function longStringWork(chars: number, span: Span | undefined): void {
  clock?.(span);
  bigBytes += 2 * chars;
  if (bigBytes < BIG_BYTES_CHECK) return;
  bigBytes = 0;
  heapGuard(span);
}

/** Model work units (nodes copied or walked, rows copied) between two looks at the clock and the heap. */
const MODEL_WORK_CHECK = 1 << 14;
let modelWorkSeen = 0;

/**
 * After a model operation: when the model did MODEL_WORK_CHECK units of work (copies and walks of
 * sub-DAGs, see model/work.ts) since the last look, the clock and the heap are read now — a step
 * that copies a large sub-DAG is slow, and 65,536 of them ran between two checkpoints.
 */
export function modelWorkDone(units: number, span: Span | undefined): void {
  // Both ways: a count that went back (a fresh copy of the model module, as tests load) starts afresh
  // from where it is instead of never reaching the last look again.
  if (Math.abs(units - modelWorkSeen) < MODEL_WORK_CHECK) return;
  modelWorkSeen = units;
  clock?.(span);
  heapGuard(span);
}

/** MRG3014 when the heap holds more than HEAP_SHARE of its limit after a full collection. */
export function heapGuard(span: Span | undefined, share = HEAP_SHARE): void {
  const limit = getHeapStatistics().heap_size_limit;
  if (getHeapStatistics().used_heap_size < share * limit) return;
  forceGc()(); // garbage counts as used until it is collected
  const used = getHeapStatistics().used_heap_size;
  if (used < share * limit) return;
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  raise('MRG3014', `the program holds ${mb(used)} of memory, more than ${Math.round(share * 100)}% of the ${mb(limit)} this process may use`, span);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
