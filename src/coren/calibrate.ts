// `coren calibrate`: runs the real kernels at sizes other than the one their constant was fitted at
// and compares the model's t_compute with the measured time. ratio = predicted / measured; the
// summary takes the median and the worst of max(ratio, 1/ratio). The same is reported for the plain
// roofline (every constant 1), which shows how good the roofline itself is without the fitted constants.
import { performance } from 'node:perf_hooks';

import type { FnCost, FnCostJson } from './fncost.js';
import { formatBytes, formatCount } from './format.js';
import { KERNELS, timeKernel, type Kernel, type KernelName } from './kernels.js';
import type { MachCap } from './machcap.js';
import type { Progress } from './probes.js';

export interface CalibrationRow {
  name: KernelName;
  size: number;
  unit: string;
  label: string;
  cost: FnCost;
  /** The kernel's calibrated constant in the MachCap (1: none, the plain roofline). */
  factor: number;
  predictedSec: number;
  measuredSec: number;
  ratio: number;
  /** The plain roofline's t_compute (no constant) and its ratio to the measured time. */
  rooflineSec: number;
  rooflineRatio: number;
}

export interface Calibration {
  rows: CalibrationRow[];
  /** Median of max(ratio, 1/ratio). */
  median: number;
  /** Largest max(ratio, 1/ratio). */
  worst: number;
  /** The same over the plain roofline's ratios. */
  rooflineMedian: number;
  rooflineWorst: number;
  seconds: number;
}

export interface CalibrateOptions {
  /** Tiny sizes (tests): the tiny size and twice it. */
  tiny?: boolean;
  trials?: number;
  progress?: Progress;
}

/** How far off a ratio is, whichever way: 2 for both 0.5 and 2. */
export function errorFactor(ratio: number): number {
  return Math.max(ratio, 1 / ratio);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(rows: CalibrationRow[], seconds: number): Calibration {
  const errors = rows.map((r) => errorFactor(r.ratio));
  const plain = rows.map((r) => errorFactor(r.rooflineRatio));
  return { rows, median: median(errors), worst: Math.max(...errors), rooflineMedian: median(plain), rooflineWorst: Math.max(...plain), seconds };
}

/** What calibrate measures with; tests pass fakes. */
export interface CalibrateClock {
  /** Seconds one kernel takes at one size (timeKernel). */
  time(k: Kernel, size: number, trials?: number): number;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

const realClock: CalibrateClock = { time: timeKernel, now: () => performance.now() };

export function calibrate(cap: MachCap, opts: CalibrateOptions = {}, clock: CalibrateClock = realClock): Calibration {
  const t0 = clock.now();
  const rows: CalibrationRow[] = [];
  for (const k of KERNELS) {
    const sizes = opts.tiny ? [k.tinySize, 2 * k.tinySize] : k.checkSizes;
    for (const size of sizes) {
      opts.progress?.(`calibrating ${k.label(size)}`);
      const cost = k.cost(size);
      const predictedSec = cap.verdict(cost, { kernel: k.name }).tCompute;
      const rooflineSec = cap.verdict(cost).tCompute;
      const measuredSec = clock.time(k, size, opts.trials);
      rows.push({ name: k.name, size, unit: k.unit, label: k.label(size), cost, factor: cap.kernelFactor(k.name), predictedSec, measuredSec, ratio: predictedSec / measuredSec, rooflineSec, rooflineRatio: rooflineSec / measuredSec });
    }
  }
  return summarize(rows, (clock.now() - t0) / 1000);
}

export interface CalibrationJson {
  kernels: Array<{ name: KernelName; size: number; unit: string; label: string; cost: FnCostJson; factor: number; predictedSec: number; measuredSec: number; ratio: number; rooflineSec: number; rooflineRatio: number }>;
  median: number;
  worst: number;
  /** Without the fitted constants (the plain roofline). */
  roofline: { median: number; worst: number };
  seconds: number;
}

export function calibrationJson(c: Calibration): CalibrationJson {
  return {
    kernels: c.rows.map((r) => ({ name: r.name, size: r.size, unit: r.unit, label: r.label, cost: r.cost.toJSON(), factor: r.factor, predictedSec: r.predictedSec, measuredSec: r.measuredSec, ratio: r.ratio, rooflineSec: r.rooflineSec, rooflineRatio: r.rooflineRatio })),
    median: c.median,
    worst: c.worst,
    roofline: { median: c.rooflineMedian, worst: c.rooflineWorst },
    seconds: c.seconds,
  };
}

/** The calibration as a text table with its summary line. */
export function calibrationTable(c: Calibration): string {
  const head = `  ${'kernel'.padEnd(18)}${'size'.padStart(10)}${'W'.padStart(9)}${'Q'.padStart(9)}${'const'.padStart(8)}${'predicted'.padStart(11)}${'measured'.padStart(11)}${'ratio'.padStart(8)}${'roofline'.padStart(11)}${'ratio'.padStart(8)}`;
  const secs = (s: number) => `${s.toFixed(4)}s`;
  const lines = c.rows.map(
    (r) =>
      `  ${r.label.padEnd(18)}${String(r.size).padStart(10)}${formatCount(r.cost.ops).padStart(9)}${formatBytes(r.cost.memBytes).padStart(9)}${`x${r.factor.toFixed(2)}`.padStart(8)}${secs(r.predictedSec).padStart(11)}${secs(r.measuredSec).padStart(11)}${r.ratio.toFixed(3).padStart(8)}${secs(r.rooflineSec).padStart(11)}${r.rooflineRatio.toFixed(3).padStart(8)}`,
  );
  const verdict = c.median <= 1.4 && c.worst <= 2 ? 'within target' : 'OUTSIDE target';
  return [
    'coren calibrate: real kernels in this runtime; ratio = predicted t_compute / measured time, with the fitted constant and without it (the plain roofline)',
    head,
    ...lines,
    `  median ${c.median.toFixed(2)}x, worst ${c.worst.toFixed(2)}x off (max(ratio, 1/ratio); target median <= 1.4x, worst <= 2x: ${verdict}); ${c.seconds.toFixed(1)}s`,
    `  without the constants (plain roofline): median ${c.rooflineMedian.toFixed(2)}x, worst ${c.rooflineWorst.toFixed(2)}x off`,
    '',
  ].join('\n');
}
