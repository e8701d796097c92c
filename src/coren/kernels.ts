// Real kernels run in this runtime, each with the FnCost coren's constructors give it. They fit the
// per-kernel constants of the model (how far this runtime's code for the kernel is from the
// roofline) and check the model at other sizes (`coren calibrate`).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { FnCost } from './fncost.js';
import { formatBytes, formatCount } from './format.js';
import { unwaitedSec } from './timing.js';
import { computeTime } from './verdict.js';

export const KERNEL_NAMES = ['scan', 'sort', 'hash', 'matmul', 'etl'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export function isKernelName(s: string): s is KernelName {
  return (KERNEL_NAMES as readonly string[]).includes(s);
}

export interface Kernel {
  name: KernelName;
  /** What `size` counts (bytes, items, matrix order, rows). */
  unit: string;
  cost(size: number): FnCost;
  label(size: number): string;
  /** Builds the inputs; returns `reset` (untimed, before each run) and `run` (the timed kernel). */
  prepare(size: number): { reset: () => void; run: () => unknown };
  /** The size the constant is fitted at when the machine is measured. */
  fitSize: number;
  /** Sizes `coren calibrate` checks the model at (never the fitting size). */
  checkSizes: readonly number[];
  /** A small size for tests. */
  tinySize: number;
}

const MiB = 1 << 20;

/** Deterministic pseudo-random doubles in [0, 1) (a 32-bit LCG): the same inputs every run. */
export function pseudoRandom(n: number, seed = 12345): Float64Array {
  const out = new Float64Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x / 4294967296;
  }
  return out;
}

export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

/** C += A·B for s×s row-major matrices, i-k-j order (unit stride in the inner loop). */
export function matmulInto(a: Float64Array, b: Float64Array, c: Float64Array, s: number): void {
  for (let i = 0; i < s; i++) {
    const ci = i * s;
    for (let p = 0; p < s; p++) {
      const aip = a[ci + p]!;
      const bp = p * s;
      for (let j = 0; j < s; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
}

const ETL_FIELDS = 8; // 64-byte rows of eight doubles
const ETL_OPS_PER_ROW = 2 * ETL_FIELDS; // a weighted sum: one multiply and one add per field

/**
 * One output per row: the weighted sum of its eight fields. Written out field by field, as a
 * fixed-schema row function is; a loop over the fields compiles to code whose speed varies from
 * one process to the next by up to 1.7x.
 */
export function etlRows(rows: Float64Array, weights: Float64Array, out: Float64Array): void {
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = weights;
  const n = out.length;
  for (let r = 0, b = 0; r < n; r++, b += ETL_FIELDS) {
    out[r] = w0 * rows[b]! + w1 * rows[b + 1]! + w2 * rows[b + 2]! + w3 * rows[b + 3]! + w4 * rows[b + 4]! + w5 * rows[b + 5]! + w6 * rows[b + 6]! + w7 * rows[b + 7]!;
  }
}

export const KERNELS: readonly Kernel[] = [
  {
    name: 'scan',
    unit: 'bytes',
    cost: (n) => FnCost.scan(n, 8),
    label: (n) => `scan ${formatBytes(n)}`,
    prepare: (n) => {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i += 97) bytes[i] = 10;
      return { reset: () => {}, run: () => countNewlines(bytes) };
    },
    fitSize: 16 * MiB,
    checkSizes: [4 * MiB, 64 * MiB],
    tinySize: 64 * 1024,
  },
  {
    name: 'sort',
    unit: 'items',
    cost: (n) => FnCost.sort(n, 8, 8 * n),
    label: (n) => `sort ${formatCount(n)} x 8B`,
    prepare: (n) => {
      const source = pseudoRandom(n);
      const work = new Float64Array(n);
      return { reset: () => work.set(source), run: () => work.sort() };
    },
    fitSize: 1 << 18,
    checkSizes: [1 << 16, 1 << 20],
    tinySize: 1 << 12,
  },
  {
    name: 'hash',
    unit: 'bytes',
    cost: (n) => FnCost.hash(n),
    label: (n) => `sha256 ${formatBytes(n)}`,
    prepare: (n) => {
      const data = Buffer.alloc(n, 'coren');
      return { reset: () => {}, run: () => createHash('sha256').update(data).digest() };
    },
    fitSize: 16 * MiB,
    checkSizes: [4 * MiB, 64 * MiB],
    tinySize: 64 * 1024,
  },
  {
    name: 'matmul',
    unit: 'order',
    cost: (s) => FnCost.matmul(s, s, s, 8 * s * s),
    label: (s) => `matmul ${s}^3`,
    prepare: (s) => {
      const a = pseudoRandom(s * s, 1);
      const b = pseudoRandom(s * s, 2);
      const c = new Float64Array(s * s);
      return { reset: () => c.fill(0), run: () => (matmulInto(a, b, c, s), c) };
    },
    fitSize: 128,
    checkSizes: [96, 256],
    tinySize: 16,
  },
  {
    name: 'etl',
    unit: 'rows',
    cost: (rows) => FnCost.etl(rows, ETL_FIELDS * 8, ETL_OPS_PER_ROW, 8 * rows),
    label: (rows) => `etl ${formatCount(rows)} x 64B`,
    prepare: (rows) => {
      const data = pseudoRandom(rows * ETL_FIELDS, 3);
      const weights = pseudoRandom(ETL_FIELDS, 4);
      const out = new Float64Array(rows);
      return { reset: () => {}, run: () => (etlRows(data, weights, out), out) };
    },
    fitSize: 1 << 18,
    checkSizes: [1 << 16, 1 << 20],
    tinySize: 1 << 10,
  },
];

export function kernel(name: KernelName): Kernel {
  return KERNELS.find((k) => k.name === name)!;
}

/** The clocks timeKernel reads; tests pass fakes. */
export interface KernelClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** As process.cpuUsage: microseconds of CPU time, since `previous` when given. */
  cpuUsage(previous?: NodeJS.CpuUsage): NodeJS.CpuUsage;
}

export const nodeKernelClock: KernelClock = { now: () => performance.now(), cpuUsage: (previous) => process.cpuUsage(previous) };

/**
 * Best time (seconds) after one warm-up run: at least `trials` timed runs, and more (up to 50)
 * until the timed runs add up to `minSec`, so short kernels are not judged on one noisy run. A run
 * counts as the compute probes count a trial: the smaller of its wall time and the process's CPU
 * time over it, so the time it waited for a core on a busy machine is left out, and the constants
 * are measured the same way as the roofline they scale.
 */
export function timeKernel(k: Kernel, size: number, trials = 3, minSec = 0.03, clock: KernelClock = nodeKernelClock): number {
  const { reset, run } = k.prepare(size);
  let best = Infinity;
  let total = 0;
  for (let t = 0; t <= trials || (total < minSec && t <= 50); t++) {
    reset();
    const c0 = clock.cpuUsage();
    const t0 = clock.now();
    run();
    const wall = (clock.now() - t0) / 1000;
    const c = clock.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const sec = unwaitedSec(wall, cpu);
    if (t > 0) {
      best = Math.min(best, sec);
      total += sec;
    }
  }
  return Math.max(best, 1e-9);
}

export interface Roofline1 {
  opsPerSec: number;
  memBytesPerSec: number;
}

export interface FitOptions {
  /** Fit at the kernels' tiny sizes (tests). */
  tiny?: boolean;
  trials?: number;
}

/**
 * The per-kernel constant: measured time / roofline time at the fitting size. The model then
 * predicts `constant × max(W / ops, Q / bandwidth)` for that kernel.
 */
export function fitKernelFactors(
  roof: Roofline1,
  opts: FitOptions = {},
  progress: (phase: string) => void = () => {},
  time: (k: Kernel, size: number, trials?: number) => number = timeKernel,
): Map<KernelName, number> {
  const factors = new Map<KernelName, number>();
  for (const k of KERNELS) {
    progress(`kernel constants: ${k.name}`);
    const size = opts.tiny ? k.tinySize : k.fitSize;
    const measured = time(k, size, opts.trials);
    const predicted = computeTime(k.cost(size), roof.opsPerSec, roof.memBytesPerSec).seconds;
    factors.set(k.name, measured / Math.max(predicted, 1e-12));
  }
  return factors;
}
