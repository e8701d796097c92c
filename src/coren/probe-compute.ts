// The compute probes: an FMA-style loop (operations per second this runtime attains) and the
// STREAM triad a[i] = b[i] + q·c[i] (24 bytes per element), on one thread and on all cores.
// Both run in worker threads started from a JavaScript string, so the same code works from the
// TypeScript sources (vitest) and from dist/.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import { fail } from '../diagnostics.js';

export interface ComputeRates {
  /** Operations per second of the FMA-style loop on one thread. */
  opsPerSec: number;
  /** The same loop on every worker at once, summed. */
  opsPerSecAll: number;
  /** Triad bandwidth, one thread. */
  memBytesPerSec1: number;
  /** Triad bandwidth, all workers on disjoint slices. */
  memBytesPerSecAll: number;
  /** Elements per triad array. */
  triadElements: number;
  /** Iterations of the FMA loop per trial (16 operations each). */
  fmaIterations: number;
  workers: number;
  /** Seconds until a pool of `workers` fresh workers answered. */
  workerStartSec: number;
}

export interface ComputeOptions {
  /** Each triad array holds at least this many elements (default 1 Mi). */
  minElements?: number;
  /** Each triad array is at least this multiple of the last-level cache (default 4, STREAM's rule). */
  llcMultiple?: number;
  /** Measured trials (after a short warm-up); the best counts (default 3). */
  trials?: number;
  /** Iterations of the FMA loop per trial (default 6 M: 96 M operations). */
  fmaIterations?: number;
  /** Worker threads for the all-core figures (default: os.availableParallelism()). */
  workers?: number;
}

/** Operations per FMA-loop iteration: eight independent multiply-adds, two operations each. */
export const FMA_OPS_PER_ITERATION = 16;
const TRIAD_BYTES_PER_ELEMENT = 24;

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const a = new Float64Array(workerData.a);
const b = new Float64Array(workerData.b);
const c = new Float64Array(workerData.c);
const now = () => performance.timeOrigin + performance.now();
function triad(a, b, c, lo, hi, q) {
  for (let i = lo; i < hi; i++) a[i] = b[i] + q * c[i];
}
function fma(iterations) {
  let x0 = 1.0, x1 = 1.1, x2 = 1.2, x3 = 1.3, x4 = 1.4, x5 = 1.5, x6 = 1.6, x7 = 1.7;
  const m = 0.9999999, k = 1e-9;
  for (let i = 0; i < iterations; i++) {
    x0 = x0 * m + k; x1 = x1 * m + k; x2 = x2 * m + k; x3 = x3 * m + k;
    x4 = x4 * m + k; x5 = x5 * m + k; x6 = x6 * m + k; x7 = x7 * m + k;
  }
  return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
}
let sink = 0;
parentPort.on('message', (m) => {
  let reply;
  if (m.cmd === 'fill') {
    a.fill(0, m.lo, m.hi); b.fill(1, m.lo, m.hi); c.fill(2, m.lo, m.hi);
    reply = {};
  } else if (m.cmd === 'triad') {
    const start = now();
    triad(a, b, c, m.lo, m.hi, 3);
    reply = { start, end: now(), ok: m.hi <= m.lo || a[m.lo] === 7 };
  } else if (m.cmd === 'fma') {
    const start = now();
    sink += fma(m.iterations);
    reply = { start, end: now(), ok: Number.isFinite(sink) };
  }
  parentPort.postMessage({ id: m.id, ...reply });
});
parentPort.postMessage({ ready: true });
`;

interface Span {
  start: number;
  end: number;
  ok: boolean;
}

/** A worker answering one request at a time. */
class ProbeWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: Span) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(shared: { a: SharedArrayBuffer; b: SharedArrayBuffer; c: SharedArrayBuffer }) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: shared });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { ready?: boolean; id?: number } & Span) => {
        if (m.ready) return resolve();
        const w = this.waiting.get(m.id ?? -1);
        this.waiting.delete(m.id ?? -1);
        w?.resolve(m);
      });
      const failAll = (e: Error) => {
        reject(e);
        for (const w of this.waiting.values()) w.reject(e);
        this.waiting.clear();
      };
      this.worker.on('error', failAll);
      this.worker.on('exit', (code) => failAll(new Error(`probe worker exited with code ${code}`)));
    });
  }

  request(msg: Record<string, unknown>): Promise<Span> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** Elements per array: ≥ llcMultiple × LLC and ≥ minElements, but all three within `maxBytes`. */
export function triadElements(llcBytes: number, maxBytes: number, opts: ComputeOptions = {}): number {
  const wanted = Math.max(opts.minElements ?? 1 << 20, Math.ceil(((opts.llcMultiple ?? 4) * llcBytes) / 8));
  const fits = Math.floor(maxBytes / TRIAD_BYTES_PER_ELEMENT);
  return Math.max(1024, Math.min(wanted, fits));
}

/** Best trial: wall time from the earliest start to the latest end of the workers taking part. */
async function bestWall(trials: number, run: () => Promise<Span[]>): Promise<number> {
  let best = Infinity;
  for (let t = 0; t < trials; t++) {
    const spans = await run();
    if (!spans.every((s) => s.ok)) fail('MRG4045', 'a compute probe produced a wrong result');
    best = Math.min(best, (Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start))) / 1000);
  }
  return Math.max(best, 1e-9);
}

function slices(n: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, i) => [Math.floor((n * i) / parts), Math.floor((n * (i + 1)) / parts)]);
}

/**
 * Measures the FMA and triad rates. `ramAvailable` bounds the triad arrays (a quarter of it for all
 * three); `progress` names each phase as it starts.
 */
export async function measureCompute(llcBytes: number, ramAvailable: number, opts: ComputeOptions = {}, progress: (phase: string) => void = () => {}): Promise<ComputeRates> {
  const workers = Math.max(1, opts.workers ?? availableParallelism());
  const trials = Math.max(1, opts.trials ?? 3);
  const iterations = opts.fmaIterations ?? 6_000_000;
  const n = triadElements(llcBytes, ramAvailable / 4, opts);
  const shared = { a: new SharedArrayBuffer(n * 8), b: new SharedArrayBuffer(n * 8), c: new SharedArrayBuffer(n * 8) };

  progress('starting worker threads');
  const t0 = performance.now();
  const pool = Array.from({ length: workers }, () => new ProbeWorker(shared));
  try {
    await Promise.all(pool.map((w) => w.ready));
    const workerStartSec = (performance.now() - t0) / 1000;
    const parts = slices(n, workers);
    const first = pool[0]!;
    // Each worker touches its own slice first, as the all-core triad will use it, then warms the
    // JIT up on short runs, so that every timed trial runs optimized code on mapped pages.
    await Promise.all(pool.map((w, i) => w.request({ cmd: 'fill', lo: parts[i]![0], hi: parts[i]![1] })));
    const warm = Math.min(n, 1 << 16);
    for (let r = 0; r < 3; r++) {
      await Promise.all(pool.map((w) => w.request({ cmd: 'triad', lo: 0, hi: warm })));
      await Promise.all(pool.map((w) => w.request({ cmd: 'fma', iterations: 100_000 })));
    }

    progress('FMA loop, one thread');
    const fma1 = await bestWall(trials, async () => [await first.request({ cmd: 'fma', iterations })]);
    progress('FMA loop, all cores');
    const fmaAll = await bestWall(trials, () => Promise.all(pool.map((w) => w.request({ cmd: 'fma', iterations }))));
    progress('memory bandwidth, one thread');
    const triad1 = await bestWall(trials, async () => [await first.request({ cmd: 'triad', lo: 0, hi: n })]);
    progress('memory bandwidth, all cores');
    const triadAll = await bestWall(trials, () => Promise.all(pool.map((w, i) => w.request({ cmd: 'triad', lo: parts[i]![0], hi: parts[i]![1] }))));

    const ops = iterations * FMA_OPS_PER_ITERATION;
    return {
      opsPerSec: ops / fma1,
      opsPerSecAll: (ops * workers) / fmaAll,
      memBytesPerSec1: (n * TRIAD_BYTES_PER_ELEMENT) / triad1,
      memBytesPerSecAll: (n * TRIAD_BYTES_PER_ELEMENT) / triadAll,
      triadElements: n,
      fmaIterations: iterations,
      workers,
      workerStartSec,
    };
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}
