// Runaway protection: a step budget, a wall-clock budget and a call-depth limit. Steps are the
// interpreter's deterministic operation count (one per statement and per expression node evaluated);
// the clock is only read every CLOCK_EVERY steps so the hot loop pays one comparison per step.
import { performance } from 'node:perf_hooks';
import type { Span } from '../diagnostics.js';
import { raise } from './errors.js';

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

  /** Called when `ops` reaches `next`: enforces the step and time budgets. */
  checkpoint(span: Span | undefined): void {
    if (this.ops >= this.limits.maxSteps) {
      raise('MRG3010', `the program ran ${this.limits.maxSteps} steps without finishing`, span);
    }
    if (performance.now() > this.deadline) {
      raise('MRG3011', `the program ran longer than ${formatSeconds(this.limits.timeoutMs)}`, span);
    }
    this.next = Math.min(this.limits.maxSteps, this.ops + CLOCK_EVERY);
  }

  enter(span: Span): void {
    if (++this.depth > this.limits.maxCallDepth) {
      this.depth--;
      raise('MRG3012', `calls nested deeper than ${this.limits.maxCallDepth}`, span);
    }
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
