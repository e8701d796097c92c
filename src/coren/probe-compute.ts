// The compute probes: an FMA-style loop (operations per second this runtime attains) and the
// STREAM triad a[i] = b[i] + q·c[i] (24 bytes per element), on one thread and on all cores.
// Both run in worker threads started from a JavaScript string, so the same code works from the
// TypeScript sources (vitest) and from dist/. A trial counts the time the loops ran (see trialSec),
// so a trial the OS preempted on a busy machine does not count the time it waited.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import { fail } from '../diagnostics.js';
import { unwaitedSec } from './timing.js';
import { WASM_PAGE, WASM_TRIAD_MODULE, wasmApi } from './wasm-triad.js';

export interface ComputeRates {
  /** Operations per second of the FMA-style loop on one thread. */
  opsPerSec: number;
  /** The same loop on every worker at once, summed. */
  opsPerSecAll: number;
  /** Triad bandwidth, one thread. */
  memBytesPerSec1: number;
  /** Triad bandwidth, all workers on disjoint slices. */
  memBytesPerSecAll: number;
  /**
   * The same triad as WebAssembly SIMD on one thread: what the memory gives code beyond the JS
   * engine's scalar loop (not used by verdicts). Null when the runtime has no WebAssembly SIMD.
   */
  memBytesPerSecSimd: number | null;
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
  /** Measured trials (after a warm-up); the best counts (default 5). */
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
const { buffer, n, at, memory, module } = workerData;
const a = new Float64Array(buffer, at[0], n);
const b = new Float64Array(buffer, at[1], n);
const c = new Float64Array(buffer, at[2], n);
// The WebAssembly SIMD triad over the same arrays (the shared memory is the buffer), if it runs here.
let simd = null;
if (memory !== null) {
  try {
    simd = new WebAssembly.Instance(new WebAssembly.Module(module), { env: { mem: memory } }).exports.triad;
  } catch {
    simd = null;
  }
}
const even = n - (n % 2);
const now = () => performance.timeOrigin + performance.now();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
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
    const cpu0 = cpu();
    const start = now();
    triad(a, b, c, m.lo, m.hi, 3);
    const end = now();
    reply = { start, end, cpuMs: cpu() - cpu0, ok: m.hi <= m.lo || a[m.lo] === 7 };
  } else if (m.cmd === 'simd') {
    a[0] = 0;
    const cpu0 = cpu();
    const start = now();
    simd(at[0], at[1], at[2], even, 3);
    const end = now();
    reply = { start, end, cpuMs: cpu() - cpu0, ok: a[0] === 7 && a[even - 1] === 7 };
  } else if (m.cmd === 'fma') {
    const cpu0 = cpu();
    const start = now();
    sink += fma(m.iterations);
    const end = now();
    reply = { start, end, cpuMs: cpu() - cpu0, ok: Number.isFinite(sink) };
  }
  parentPort.postMessage({ id: m.id, ...reply });
});
parentPort.postMessage({ ready: true, simd: simd !== null });
`;

export interface Span {
  start: number;
  end: number;
  /** The process's CPU time over the loop (ms). */
  cpuMs: number;
  ok: boolean;
}

/** What measureCompute asks of a probe worker (ProbeWorker; tests pass fakes). */
export interface ComputeWorker {
  readonly ready: Promise<void>;
  /** The WebAssembly SIMD triad runs in this worker (known once ready). */
  readonly simd: boolean;
  request(msg: Record<string, unknown>): Promise<Span>;
  close(): Promise<void>;
}

/** A worker answering one request at a time. */
export class ProbeWorker implements ComputeWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: Span) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;
  simd = false;

  /** `source`: the worker's JavaScript (tests give others to make a worker fail). */
  constructor(shared: TriadArrays, source = WORKER_SOURCE) {
    this.worker = new Worker(source, { eval: true, workerData: shared });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { ready?: boolean; simd?: boolean; id?: number } & Span) => {
        if (m.ready) {
          this.simd = m.simd === true;
          return resolve();
        }
        // Every reply but `ready` carries its request's id; one for no pending request is dropped.
        const w = this.waiting.get(m.id!);
        this.waiting.delete(m.id!);
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

/** The triad's three arrays in one shared buffer: n doubles each, starting at byte offsets `at`. */
export interface TriadArrays {
  buffer: SharedArrayBuffer;
  n: number;
  at: [number, number, number];
  /** The shared WebAssembly memory whose buffer `buffer` is, and the SIMD triad's module; null without WebAssembly. */
  memory: object | null;
  module: Uint8Array;
}

/** One shared buffer for the arrays: a shared WebAssembly memory's, so the SIMD triad can use it too. */
export function triadArrays(n: number, api = wasmApi()): TriadArrays {
  const at = triadOffsets(n);
  const bytes = at[2] + n * 8;
  if (api) {
    try {
      const pages = Math.ceil(bytes / WASM_PAGE);
      const memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
      return { buffer: memory.buffer, n, at, memory, module: WASM_TRIAD_MODULE };
    } catch {
      // No shared WebAssembly memory here: the JS probes still run on a plain shared buffer.
    }
  }
  return { buffer: new SharedArrayBuffer(bytes), n, at, memory: null, module: WASM_TRIAD_MODULE };
}

const PAGE = 4096;

/**
 * Byte offsets of a, b and c in one buffer, each array starting at a different place within a 4 KiB
 * page (0, 1 KiB and 3 KiB in). Arrays that start at the same offset in their pages, as separately
 * allocated ones do, make every store to a[i] look to the CPU as if it might feed the loads of b[i]
 * and c[i] (4K aliasing): that cost JS's triad about a quarter of its speed here.
 */
export function triadOffsets(n: number): [number, number, number] {
  const bytes = n * 8;
  const up = (x: number) => Math.ceil(x / PAGE) * PAGE;
  const b = up(bytes) + 1024;
  const c = up(b + bytes) + 3072;
  return [0, b, c];
}

/** Elements per array: ≥ llcMultiple × LLC and ≥ minElements, but all three within `maxBytes`. */
export function triadElements(llcBytes: number, maxBytes: number, opts: ComputeOptions = {}): number {
  const wanted = Math.max(opts.minElements ?? 1 << 20, Math.ceil(((opts.llcMultiple ?? 4) * llcBytes) / 8));
  const fits = Math.floor(maxBytes / TRIAD_BYTES_PER_ELEMENT);
  return Math.max(1024, Math.min(wanted, fits));
}

/**
 * What measureCompute asks of the host: worker threads, a wall clock, the process's CPU time and the
 * number of cores. Tests pass fakes whose figures are fixed.
 */
export interface ComputeHost {
  spawn(shared: TriadArrays): ComputeWorker;
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** The process's CPU time, user and system (ms). */
  cpuMs(): number;
  parallelism(): number;
}

export const nodeComputeHost: ComputeHost = {
  spawn: (shared) => new ProbeWorker(shared),
  now: () => performance.now(),
  cpuMs: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
  parallelism: availableParallelism,
};

/**
 * One trial's time in seconds: the smaller of the wall time (earliest start to latest end of the
 * workers taking part) and the CPU time over the trial divided by the workers. CPU time leaves out
 * the time a thread waited for a core on a busy machine; it exceeds the wall time only when other
 * threads of the process were busy too, and then the wall time is the better measure. With several
 * workers the CPU share is what the trial takes when they run side by side, as on an idle machine.
 * `processCpuMs` is the process's CPU time over the trial; one worker's own reading, taken around
 * the loop alone (no messages), is used instead when it ran alone.
 */
export function trialSec(spans: readonly Span[], processCpuMs: number): number {
  if (!spans.every((s) => s.ok)) fail('MRG4045', 'a compute probe produced a wrong result');
  const wall = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
  const cpu = spans.length === 1 ? spans[0]!.cpuMs : processCpuMs / spans.length;
  return unwaitedSec(wall, cpu) / 1000;
}

/** Best of `trials` trials (seconds), at least 1 ns. */
async function bestTime(trials: number, cpuMs: () => number, run: () => Promise<Span[]>): Promise<number> {
  let best = Infinity;
  for (let t = 0; t < trials; t++) {
    const cpu0 = cpuMs();
    const spans = await run();
    best = Math.min(best, trialSec(spans, cpuMs() - cpu0));
  }
  return Math.max(best, 1e-9);
}

/** `parts` contiguous slices of [0, n), as even as whole elements allow. */
export function slices(n: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, i) => [Math.floor((n * i) / parts), Math.floor((n * (i + 1)) / parts)]);
}

/**
 * Measures the FMA and triad rates. `ramAvailable` bounds the triad arrays (a quarter of it for all
 * three); `progress` names each phase as it starts.
 */
export async function measureCompute(
  llcBytes: number,
  ramAvailable: number,
  opts: ComputeOptions = {},
  progress: (phase: string) => void = () => {},
  host: ComputeHost = nodeComputeHost,
): Promise<ComputeRates> {
  const workers = Math.max(1, opts.workers ?? host.parallelism());
  const trials = Math.max(1, opts.trials ?? 5);
  const iterations = opts.fmaIterations ?? 6_000_000;
  const n = triadElements(llcBytes, ramAvailable / 4, opts);
  const shared = triadArrays(n);

  progress('starting worker threads');
  const t0 = host.now();
  const pool = Array.from({ length: workers }, () => host.spawn(shared));
  try {
    await Promise.all(pool.map((w) => w.ready));
    const workerStartSec = (host.now() - t0) / 1000;
    const parts = slices(n, workers);
    const first = pool[0]!;
    // Each worker touches its own slice first, as the all-core triad will use it, then warms the
    // JIT up on short runs, so that every timed trial runs optimized code on mapped pages; the first
    // worker then makes one untimed pass over the whole arrays, as its one-thread trials will.
    await Promise.all(pool.map((w, i) => w.request({ cmd: 'fill', lo: parts[i]![0], hi: parts[i]![1] })));
    const warm = Math.min(n, 1 << 16);
    for (let r = 0; r < 3; r++) {
      await Promise.all(pool.map((w) => w.request({ cmd: 'triad', lo: 0, hi: warm })));
      await Promise.all(pool.map((w) => w.request({ cmd: 'fma', iterations: 100_000 })));
    }
    await first.request({ cmd: 'triad', lo: 0, hi: n });

    progress('FMA loop, one thread');
    const fma1 = await bestTime(trials, host.cpuMs, async () => [await first.request({ cmd: 'fma', iterations })]);
    progress('FMA loop, all cores');
    const fmaAll = await bestTime(trials, host.cpuMs, () => Promise.all(pool.map((w) => w.request({ cmd: 'fma', iterations }))));
    progress('memory bandwidth, one thread');
    const triad1 = await bestTime(trials, host.cpuMs, async () => [await first.request({ cmd: 'triad', lo: 0, hi: n })]);
    let triadSimd: number | null = null;
    if (first.simd) { // n >= 1024 (triadElements), so the SIMD triad has pairs to do
      progress('memory bandwidth, WebAssembly SIMD');
      await first.request({ cmd: 'simd' });
      triadSimd = await bestTime(trials, host.cpuMs, async () => [await first.request({ cmd: 'simd' })]);
    }
    progress('memory bandwidth, all cores');
    const triadAll = await bestTime(trials, host.cpuMs, () => Promise.all(pool.map((w, i) => w.request({ cmd: 'triad', lo: parts[i]![0], hi: parts[i]![1] }))));

    const ops = iterations * FMA_OPS_PER_ITERATION;
    return {
      opsPerSec: ops / fma1,
      opsPerSecAll: (ops * workers) / fmaAll,
      memBytesPerSec1: (n * TRIAD_BYTES_PER_ELEMENT) / triad1,
      memBytesPerSecAll: (n * TRIAD_BYTES_PER_ELEMENT) / triadAll,
      memBytesPerSecSimd: triadSimd === null ? null : ((n - (n % 2)) * TRIAD_BYTES_PER_ELEMENT) / triadSimd,
      triadElements: n,
      fmaIterations: iterations,
      workers,
      workerStartSec,
    };
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}
