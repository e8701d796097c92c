// Plain reference loops for `npm run bench -- coren`, each run in its own Node process so nothing of
// coren (workers, shared memory, messages) is involved:
//   node dist/bench/plain-kernels.js triad N TRIALS     a[i] = b[i] + q·c[i] over three new Float64Arrays
//   node dist/bench/plain-kernels.js staggered N TRIALS the same over one buffer, the arrays 1 KiB and
//                                                       3 KiB apart within their pages, as MachCap lays
//                                                       them out (no 4K aliasing between the streams)
//   node dist/bench/plain-kernels.js fma ITER TRIALS    eight independent multiply-add chains
// Each prints {"rate": best rate} as JSON: bytes/s for the triads (24 bytes an element), ops/s for FMA.
// A trial counts as MachCap's one-thread probe counts it: the smaller of its wall time and the
// process's CPU time over it (the time it waited for a core on a busy machine left out).
import { performance } from 'node:perf_hooks';

import { triadOffsets } from '../src/coren/probe-compute.js';

function best(trials: number, run: () => void): number {
  run();
  let ms = Infinity;
  for (let t = 0; t < trials; t++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    ms = Math.min(ms, wall, (c.user + c.system) / 1000);
  }
  return ms / 1000;
}

function triad(a: Float64Array, b: Float64Array, c: Float64Array, q: number): void {
  for (let i = 0; i < a.length; i++) a[i] = (b[i] as number) + q * (c[i] as number);
}

// The same loop as MachCap's worker source, written out again on purpose: the reference must not
// share code with the probe it checks.
function fma(iterations: number): number {
  let x0 = 1.0, x1 = 1.1, x2 = 1.2, x3 = 1.3, x4 = 1.4, x5 = 1.5, x6 = 1.6, x7 = 1.7;
  const m = 0.9999999, k = 1e-9;
  for (let i = 0; i < iterations; i++) {
    x0 = x0 * m + k; x1 = x1 * m + k; x2 = x2 * m + k; x3 = x3 * m + k;
    x4 = x4 * m + k; x5 = x5 * m + k; x6 = x6 * m + k; x7 = x7 * m + k;
  }
  return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
}

const [kind, sizeText, trialsText] = process.argv.slice(2);
const size = Number(sizeText);
const trials = Number(trialsText ?? 5);
let rate: number;
if (kind === 'triad' || kind === 'staggered') {
  let a: Float64Array, b: Float64Array, c: Float64Array;
  if (kind === 'triad') {
    [a, b, c] = [new Float64Array(size), new Float64Array(size), new Float64Array(size)];
  } else {
    const at = triadOffsets(size);
    const buffer = new ArrayBuffer(at[2] + 8 * size);
    [a, b, c] = at.map((o) => new Float64Array(buffer, o, size)) as [Float64Array, Float64Array, Float64Array];
  }
  b.fill(1);
  c.fill(2);
  rate = (24 * size) / best(trials, () => triad(a, b, c, 3));
  if (a[size - 1] !== 7) throw new Error('triad: wrong result');
} else if (kind === 'fma') {
  let sink = 0;
  rate = (16 * size) / best(trials, () => (sink += fma(size)));
  if (!Number.isFinite(sink)) throw new Error('fma: not finite');
} else {
  throw new Error(`plain-kernels: unknown kernel '${kind}'`);
}
process.stdout.write(`${JSON.stringify({ rate })}\n`);
