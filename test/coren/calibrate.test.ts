import { describe, expect, it } from 'vitest';

import { calibrate, calibrationJson, calibrationTable, errorFactor, median, summarize, type CalibrationRow } from '../../src/coren/calibrate.js';
import { FnCost } from '../../src/coren/fncost.js';
import { countNewlines, etlRows, fitKernelFactors, kernel, KERNEL_NAMES, KERNELS, matmulInto } from '../../src/coren/kernels.js';
import { MachCap } from '../../src/coren/machcap.js';

describe('kernels', () => {
  it('each has checking sizes other than its fitting size, and a cost matching its constructor', () => {
    expect(KERNELS.map((k) => k.name)).toEqual([...KERNEL_NAMES]);
    for (const k of KERNELS) {
      expect(k.checkSizes.length).toBeGreaterThanOrEqual(2);
      expect(k.checkSizes).not.toContain(k.fitSize);
    }
    // sort of 2^20 doubles: L = 20, W = 10·n·L, Q = n·8·L, M = 2·n·8, R = 8·n (coren.md §1).
    expect(kernel('sort').cost(1 << 20).toJSON()).toEqual({ ops: '209715200', memBytes: '167772160', peakMem: '16777216', resultBytes: '8388608' });
    expect(kernel('hash').cost(100).toJSON()).toEqual({ ops: '1600', memBytes: '100', peakMem: '0', resultBytes: '32' });
    // matmul 10^3: W = 2·1000, Q = M = 8·(100 + 100 + 100), R = 8·100.
    expect(kernel('matmul').cost(10).toJSON()).toEqual({ ops: '2000', memBytes: '2400', peakMem: '2400', resultBytes: '800' });
    // etl of 10 rows of 8 doubles, 16 ops a row: W = 160, Q = 640, M = 64, R = 80.
    expect(kernel('etl').cost(10).toJSON()).toEqual({ ops: '160', memBytes: '640', peakMem: '64', resultBytes: '80' });
    expect(kernel('scan').cost(4096).toJSON()).toEqual({ ops: '4096', memBytes: '4096', peakMem: '8', resultBytes: '8' });
  });

  it('do real work: scan counts, sort sorts, hash digests, matmul multiplies, etl sums rows', () => {
    const scan = kernel('scan').prepare(1000);
    expect(scan.run()).toBe(Math.ceil(1000 / 97));
    const sort = kernel('sort').prepare(1000);
    sort.reset();
    const sorted = sort.run() as Float64Array;
    expect(sorted.every((v, i) => i === 0 || sorted[i - 1]! <= v)).toBe(true);
    const hash = kernel('hash').prepare(5); // the bytes of "coren"
    expect((hash.run() as Buffer).toString('hex')).toBe('c4bc5921686b0edcfd0e44082ef908cee0f10feee8dc72b6e3f3038b91dfef1a');
    const c = new Float64Array(4);
    matmulInto(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, 2);
    expect([...c]).toEqual([19, 22, 43, 50]);
    const out = new Float64Array(2);
    etlRows(Float64Array.from({ length: 16 }, (_, i) => i), Float64Array.of(1, 0, 0, 0, 0, 0, 0, 2), out);
    expect([...out]).toEqual([0 + 2 * 7, 8 + 2 * 15]);
    expect(countNewlines(new TextEncoder().encode('a\nb\n\n'))).toBe(3);
    const mm = kernel('matmul').prepare(8);
    mm.reset();
    expect((mm.run() as Float64Array).length).toBe(64);
  });

  it('fit one constant per kernel as measured / roofline time', () => {
    const factors = fitKernelFactors({ opsPerSec: 1e9, memBytesPerSec: 1e9 }, { tiny: true, trials: 1 });
    expect([...factors.keys()]).toEqual([...KERNEL_NAMES]);
    for (const f of factors.values()) expect(Number.isFinite(f) && f > 0).toBe(true);
  });
});

describe('calibration', () => {
  it('summarizes over max(ratio, 1/ratio)', () => {
    expect(errorFactor(0.5)).toBe(2);
    expect(errorFactor(2)).toBe(2);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const row = (ratio: number) => ({ ratio }) as CalibrationRow;
    const s = summarize([row(1), row(0.5), row(1.25), row(1.1)], 1);
    expect(s.median).toBeCloseTo(1.175, 12);
    expect(s.worst).toBe(2);
  });

  it('runs every kernel at two sizes and reports predicted, measured and their ratio', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, kernels: { scan: 2, sort: 3, hash: 0.5, matmul: 4, etl: 1.5 } });
    const c = calibrate(cap, { tiny: true, trials: 1 });
    // predicted = constant · max(W, Q) / 1e9 at the tiny sizes and twice them, worked out by hand:
    // scan n bytes: W = Q = n; sort n: W = 10·n·L(n) > Q; sha256 n: W = 16·n; matmul s: W = 2·s³ > Q;
    // etl r rows: Q = 64·r > W = 16·r.
    const expected: [string, number, number][] = [
      ['scan', 65536, 2 * 65536e-9],
      ['scan', 131072, 2 * 131072e-9],
      ['sort', 4096, 3 * 491520e-9], // L = 12
      ['sort', 8192, 3 * 1064960e-9], // L = 13
      ['hash', 65536, 0.5 * 1048576e-9],
      ['hash', 131072, 0.5 * 2097152e-9],
      ['matmul', 16, 4 * 8192e-9],
      ['matmul', 32, 4 * 65536e-9],
      ['etl', 1024, 1.5 * 65536e-9],
      ['etl', 2048, 1.5 * 131072e-9],
    ];
    expect(c.rows.map((r) => [r.name, r.size])).toEqual(expected.map(([n, s]) => [n, s]));
    c.rows.forEach((r, i) => {
      expect(r.factor).toBe({ scan: 2, sort: 3, hash: 0.5, matmul: 4, etl: 1.5 }[r.name]);
      expect(r.predictedSec).toBeCloseTo(expected[i]![2], 15);
      expect(r.ratio).toBeCloseTo(r.predictedSec / r.measuredSec, 12);
      // Without the constant: the plain roofline, max(W, Q) / 1e9.
      expect(r.rooflineSec).toBeCloseTo(expected[i]![2] / r.factor, 15);
      expect(r.rooflineRatio).toBeCloseTo(r.rooflineSec / r.measuredSec, 12);
    });
    expect(c.rooflineWorst).toBe(Math.max(...c.rows.map((r) => Math.max(r.rooflineRatio, 1 / r.rooflineRatio))));
    const j = calibrationJson(c);
    expect(Object.keys(j.kernels[0]!)).toEqual(expect.arrayContaining(['name', 'size', 'predictedSec', 'measuredSec', 'ratio']));
    expect(j.median).toBe(c.median);
    expect(j.worst).toBe(Math.max(...c.rows.map((r) => Math.max(r.ratio, 1 / r.ratio))));
    const text = calibrationTable(c);
    expect(text).toMatch(/^coren calibrate: /);
    expect(text).toMatch(/median \d+\.\d\dx, worst \d+\.\d\dx/);
    expect(text.split('\n').filter((l) => /^ {2}(scan|sort|sha256|matmul|etl) /.test(l))).toHaveLength(10);
    expect(text).toMatch(/without the constants \(plain roofline\): median \d+\.\d\dx, worst \d+\.\d\dx off/);
    expect(j.roofline).toEqual({ median: c.rooflineMedian, worst: c.rooflineWorst });
  });
});
