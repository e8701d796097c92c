// Verdict: compute here or fetch the memoized result? score = tCompute − tFetch in seconds;
// > 0 fetch (saves score seconds), ≤ 0 compute (a tie computes). +∞ must fetch, −∞ must compute.
import { formatBytes, formatScore } from './format.js';
import type { FnCost } from './fncost.js';

export type Bottleneck = 'compute' | 'memory';
export type Action = 'fetch' | 'compute';
/** Why a score is infinite: the peak does not fit in RAM, or there is no network. */
export type Forced = 'ram' | 'network';

/** The figures of a machine a verdict needs. */
export interface VerdictRates {
  opsPerSec: number;
  memBytesPerSec: number;
  networkPresent: boolean;
  netBytesPerSec: number;
  latencySec: number;
  diskWriteBytesPerSec: number;
  ramAvailable: number;
}

export interface ComputeTime {
  seconds: number;
  bottleneck: Bottleneck;
}

/**
 * The roofline: max(W / ops, Q / bandwidth), scaled by `factor` (a calibrated per-kernel constant;
 * 1 is the plain model). A tie counts as compute-bound.
 */
export function computeTime(cost: FnCost, opsPerSec: number, memBytesPerSec: number, factor = 1): ComputeTime {
  const tOps = Number(cost.ops) / opsPerSec;
  const tMem = Number(cost.memBytes) / memBytesPerSec;
  return tMem > tOps ? { seconds: tMem * factor, bottleneck: 'memory' } : { seconds: tOps * factor, bottleneck: 'compute' };
}

/** latency + R / network bandwidth; +∞ without a network. */
export function fetchTime(cost: FnCost, rates: Pick<VerdictRates, 'networkPresent' | 'netBytesPerSec' | 'latencySec'>): number {
  if (!rates.networkPresent || rates.netBytesPerSec <= 0) return Infinity;
  return rates.latencySec + Number(cost.resultBytes) / rates.netBytesPerSec;
}

export interface VerdictJson {
  score: number | '+inf' | '-inf';
  action: Action;
  bottleneck: Bottleneck;
  tCompute: number;
  tFetch: number | '+inf';
  tStore: number;
  forced: Forced | null;
}

export class Verdict {
  readonly tCompute: number;
  readonly tFetch: number;
  readonly tStore: number;
  readonly score: number;
  readonly bottleneck: Bottleneck;
  /** Set when the score is infinite, saying which rule forced it. */
  readonly forced: Forced | null;
  readonly peakMem: bigint;
  readonly ramAvailable: number;

  constructor(cost: FnCost, rates: VerdictRates, factor = 1) {
    const c = computeTime(cost, rates.opsPerSec, rates.memBytesPerSec, factor);
    this.tCompute = c.seconds;
    this.bottleneck = c.bottleneck;
    this.tFetch = fetchTime(cost, rates);
    this.tStore = Number(cost.resultBytes) / rates.diskWriteBytesPerSec;
    this.peakMem = cost.peakMem;
    this.ramAvailable = rates.ramAvailable;
    // No network wins over too little RAM: fetching is then impossible, while computing can still
    // spill to swap or disk.
    if (this.tFetch === Infinity) {
      this.score = -Infinity;
      this.forced = 'network';
    } else if (Number(cost.peakMem) > rates.ramAvailable) {
      this.score = Infinity;
      this.forced = 'ram';
    } else {
      this.score = this.tCompute - this.tFetch;
      this.forced = null;
    }
    Object.freeze(this);
  }

  /** Fetch when it saves time; a tie computes. */
  shouldFetch(): boolean {
    return this.score > 0;
  }

  get action(): Action {
    return this.shouldFetch() ? 'fetch' : 'compute';
  }

  /** `compute (saves 0.712s)`, `fetch (saves 2.300s)`, or the rule that forced an infinite score. */
  toString(): string {
    if (this.forced === 'network') return 'compute (must: no network)';
    if (this.forced === 'ram') return `fetch (must: peak ${formatBytes(this.peakMem)} > ${formatBytes(this.ramAvailable)} available RAM)`;
    return `${this.action} (saves ${formatScore(Math.abs(this.score))}s)`;
  }

  toJSON(): VerdictJson {
    return {
      score: this.score === Infinity ? '+inf' : this.score === -Infinity ? '-inf' : this.score,
      action: this.action,
      bottleneck: this.bottleneck,
      tCompute: this.tCompute,
      tFetch: this.tFetch === Infinity ? '+inf' : this.tFetch,
      tStore: this.tStore,
      forced: this.forced,
    };
  }
}
