// The kernels' arithmetic and inputs, timeKernel over a fake clock, and fitKernelFactors over a fake
// timer: every expected value worked out by hand (the LCG's values and the sums in exact arithmetic
// or Python's doubles, in the kernel's order of operations).
import { describe, expect, it } from 'vitest';

import { countNewlines, etlRows, fitKernelFactors, kernel, matmulInto, nodeKernelClock, pseudoRandom, timeKernel, type Kernel, type KernelClock } from '../../src/coren/kernels.js';

const TWO32 = 4294967296;

describe('pseudoRandom', () => {
  it('is the LCG x ← (1664525·x + 1013904223) mod 2^32 over 2^32, from seed 12345 unless given', () => {
    // 12345 · 1664525 + 1013904223 = 21562914448 = 5 · 2^32 + 87628868, and so on.
    expect([...pseudoRandom(3)]).toEqual([87_628_868 / TWO32, 71_072_467 / TWO32, 2_332_836_374 / TWO32]);
    expect([...pseudoRandom(2, 1)]).toEqual([1_015_568_748 / TWO32, 1_586_005_467 / TWO32]);
    expect(pseudoRandom(0)).toHaveLength(0);
  });
});

describe('kernel arithmetic', () => {
  it('etlRows: the weighted sum of each row of eight fields', () => {
    const out = new Float64Array(2);
    etlRows(
      Float64Array.from({ length: 16 }, (_, i) => i),
      Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      out,
    );
    // Row 0: 0·1 + 1·2 + 2·3 + … + 7·8 = 168; row 1: (8 + f)·(f + 1) summed = 8·36 + 168 = 456.
    expect([...out]).toEqual([168, 456]);
    const short = new Float64Array(1);
    etlRows(Float64Array.of(1, 1, 1, 1, 1, 1, 1, 1), Float64Array.of(2), short);
    expect([...short]).toEqual([2]); // missing weights count as 0
  });

  it('countNewlines and matmulInto', () => {
    expect(countNewlines(Uint8Array.of(10, 0, 10, 13, 10))).toBe(3);
    const c = Float64Array.of(1, 1, 1, 1);
    matmulInto(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, 2);
    expect([...c]).toEqual([20, 23, 44, 51]); // C += A·B
  });
});

describe('prepared kernels', () => {
  it('scan counts the newline planted every 97 bytes', () => {
    expect(kernel('scan').prepare(195).run()).toBe(3); // at 0, 97 and 194
  });

  it('sort sorts a fresh copy of the LCG doubles after each reset', () => {
    const k = kernel('sort').prepare(3);
    const expected = [71_072_467 / TWO32, 87_628_868 / TWO32, 2_332_836_374 / TWO32];
    k.reset();
    expect([...(k.run() as Float64Array)]).toEqual(expected);
    k.reset();
    expect([...(k.run() as Float64Array)]).toEqual(expected);
  });

  it('matmul multiplies the LCG matrices of seeds 1 and 2 into a zeroed C on each run', () => {
    const k = kernel('matmul').prepare(2);
    const expected = [0.1257766606384047, 0.38272527360880737, 0.25261414224330037, 0.7548910780961325];
    k.reset();
    expect([...(k.run() as Float64Array)]).toEqual(expected);
    k.reset();
    expect([...(k.run() as Float64Array)]).toEqual(expected);
  });

  it('etl sums rows of the seed-3 doubles weighted by the seed-4 doubles', () => {
    const k = kernel('etl').prepare(2);
    k.reset();
    expect([...(k.run() as Float64Array)]).toEqual([2.243566801503974, 2.032146434751625]);
  });
});

/** A kernel whose runs take the given (wall ms, CPU µs user, CPU µs system), in order; afterwards 0. */
function fakeKernel(runs: Array<[number, number, number]>): { k: Kernel; clock: KernelClock; count: () => number; resets: () => number } {
  let ms = 5000;
  let user = 7_000_000;
  let system = 3_000_000;
  let n = 0;
  let resets = 0;
  const clock: KernelClock = {
    now: () => ms,
    cpuUsage: (prev) => (prev ? { user: user - prev.user, system: system - prev.system } : { user, system }),
  };
  const k = {
    ...kernel('scan'),
    prepare: () => ({
      reset: () => void resets++,
      run: () => {
        const [w, u, s] = runs[n++] ?? [0, 0, 0];
        ms += w;
        user += u;
        system += s;
      },
    }),
  };
  return { k, clock, count: () => n, resets: () => resets };
}

describe('timeKernel over a fake clock', () => {
  it('takes the best timed run after one untimed warm-up: min(wall, CPU), the wall time when CPU reads 0', () => {
    const f = fakeKernel([
      [100, 500, 500], // warm-up: 1 ms CPU, not counted
      [20, 20_000, 10_000], // wall 0.02 s, CPU 0.03 s → 0.02
      [50, 10_000, 5_000], // CPU 0.015 s (user + system) → 0.015, the best
      [12.5, 0, 0], // CPU reads 0, which says nothing: the wall time 0.0125 s stands, the best
    ]);
    expect(timeKernel(f.k, 1, 3, 0, f.clock)).toBe(0.0125);
    expect(f.count()).toBe(4);
    expect(f.resets()).toBe(4);
    const g = fakeKernel([
      [100, 500, 500],
      [20, 20_000, 10_000],
      [50, 10_000, 5_000],
      [40, 0, 0], // 0.04 s: now 0.015 s is the best
    ]);
    expect(timeKernel(g.k, 1, 3, 0, g.clock)).toBe(0.015);
  });

  it('runs more timed runs until they add up to minSec, and no more than 50', () => {
    // 31.25 ms a run: 4 timed runs reach exactly 0.125 s.
    const f = fakeKernel(Array.from({ length: 10 }, () => [31.25, 31_250, 0] as [number, number, number]));
    expect(timeKernel(f.k, 1, 1, 0.125, f.clock)).toBe(0.03125);
    expect(f.count()).toBe(5);
    // Runs of no time never add up: warm-up and timed runs 1 to 50; the best counts as 1 ns.
    const g = fakeKernel([]);
    expect(timeKernel(g.k, 1, 1, 1, g.clock)).toBe(1e-9);
    expect(g.count()).toBe(51);
  });

  it('by default makes 3 timed runs and adds more until 0.03 s', () => {
    const f = fakeKernel(Array.from({ length: 10 }, () => [8, 8000, 0] as [number, number, number]));
    expect(timeKernel(f.k, 1, undefined, undefined, f.clock)).toBe(0.008);
    expect(f.count()).toBe(5); // 3 timed runs make 0.024 s; a fourth makes 0.032 s
  });

  it('times the real kernel with the real clocks', () => {
    const sec = timeKernel(kernel('scan'), 4096, 1);
    expect(sec).toBeGreaterThan(0);
    expect(sec).toBeLessThan(10);
  });
});

describe('fitKernelFactors over a fake timer', () => {
  it('divides the measured time by the roofline time at the fitting size, each kernel in turn', () => {
    const asked: string[] = [];
    const phases: string[] = [];
    const factors = fitKernelFactors({ opsPerSec: 1e9, memBytesPerSec: 2e9 }, { tiny: true, trials: 7 }, (p) => phases.push(p), (k, size, trials) => {
      asked.push(`${k.name} ${size} ${trials}`);
      return 0.001;
    });
    expect(asked).toEqual(['scan 65536 7', 'sort 4096 7', 'hash 65536 7', 'matmul 16 7', 'etl 1024 7']);
    expect(phases).toEqual(['kernel constants: scan', 'kernel constants: sort', 'kernel constants: hash', 'kernel constants: matmul', 'kernel constants: etl']);
    // Roofline max(W / 1e9, Q / 2e9): scan W = Q = 65536 → 65.536 µs; sort W = 10·4096·12 = 491520
    // → 491.52 µs; sha256 W = 16·65536 → 1048.576 µs; matmul W = 2·16³ = 8192 → 8.192 µs;
    // etl W = 16·1024 = 16384 vs Q = 64·1024 / 2e9 → 32.768 µs.
    expect(Object.fromEntries(factors)).toEqual({
      scan: expect.closeTo(15.2587890625, 9),
      sort: expect.closeTo(2.0345052083333335, 9),
      hash: expect.closeTo(0.95367431640625, 9),
      matmul: expect.closeTo(122.0703125, 9),
      etl: expect.closeTo(30.517578125, 9),
    });
  });

  it('fits at the full sizes unless told tiny, and floors the roofline time at 1 ps', () => {
    const asked: string[] = [];
    const factors = fitKernelFactors({ opsPerSec: 1e30, memBytesPerSec: 1e30 }, {}, undefined, (k, size, trials) => {
      asked.push(`${k.name} ${size} ${trials}`);
      return 0.5;
    });
    expect(asked).toEqual(['scan 16777216 undefined', 'sort 262144 undefined', 'hash 16777216 undefined', 'matmul 128 undefined', 'etl 262144 undefined']);
    for (const f of factors.values()) expect(f).toBe(5e11); // 0.5 s / 1e-12 s
  });
});

describe('nodeKernelClock', () => {
  it('reads the monotonic clock and the process CPU time as process.cpuUsage does', () => {
    const t0 = performance.now();
    const u0 = process.cpuUsage();
    const now = nodeKernelClock.now();
    const since = nodeKernelClock.cpuUsage(u0);
    const total = nodeKernelClock.cpuUsage();
    const u1 = process.cpuUsage();
    expect(now).toBeGreaterThanOrEqual(t0);
    expect(now).toBeLessThanOrEqual(performance.now());
    expect(since.user + since.system).toBeLessThanOrEqual(u1.user + u1.system - (u0.user + u0.system));
    expect(total.user).toBeGreaterThanOrEqual(u0.user);
    expect(total.user).toBeLessThanOrEqual(u1.user);
  });
});
