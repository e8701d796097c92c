// calibrate over a fake timer and clock, and the exact text of its table: every figure worked out by
// hand (the predictions from coren.md's costs and the table's columns from its format).
import { describe, expect, it } from 'vitest';

import { calibrate, calibrationTable, median, type Calibration } from '../../src/coren/calibrate.js';
import { FnCost } from '../../src/coren/fncost.js';
import { MachCap } from '../../src/coren/machcap.js';

describe('median', () => {
  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
    expect(median([5])).toBe(5);
  });
});

describe('calibrate over a fake timer', () => {
  const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, kernels: { scan: 2, sort: 3, hash: 0.5, matmul: 4, etl: 1.5 } });

  it('times each kernel at its tiny size and twice it, names each as it starts, and takes the time it ran', () => {
    const asked: string[] = [];
    const phases: string[] = [];
    let ms = 1000;
    const c = calibrate(cap, { tiny: true, trials: 2, progress: (p) => phases.push(p) }, {
      time: (k, size, trials) => {
        asked.push(`${k.name} ${size} ${trials}`);
        return 131_072e-9; // scan of 64 KiB at x2 predicts exactly this: ratio 1
      },
      now: () => (ms += 2500),
    });
    expect(asked).toEqual(['scan 65536 2', 'scan 131072 2', 'sort 4096 2', 'sort 8192 2', 'hash 65536 2', 'hash 131072 2', 'matmul 16 2', 'matmul 32 2', 'etl 1024 2', 'etl 2048 2']);
    expect(phases).toEqual([
      'calibrating scan 64.0KB',
      'calibrating scan 128.0KB',
      'calibrating sort 4.1K x 8B',
      'calibrating sort 8.2K x 8B',
      'calibrating sha256 64.0KB',
      'calibrating sha256 128.0KB',
      'calibrating matmul 16^3',
      'calibrating matmul 32^3',
      'calibrating etl 1.0K x 64B',
      'calibrating etl 2.0K x 64B',
    ]);
    expect(c.seconds).toBe(2.5);
    expect(c.rows[0]).toMatchObject({ name: 'scan', size: 65_536, unit: 'bytes', label: 'scan 64.0KB', factor: 2, measuredSec: 131_072e-9, ratio: 1, rooflineRatio: 0.5 });
    // scan of 128 KiB: predicted 2 · 131072 ns, measured 131072 ns.
    expect(c.rows[1]).toMatchObject({ ratio: 2, rooflineRatio: 1 });
  });

  it('checks at the kernels\' check sizes unless told tiny', () => {
    const asked: string[] = [];
    calibrate(cap, {}, { time: (k, size) => (asked.push(`${k.name} ${size}`), 1), now: () => 0 });
    expect(asked).toEqual(['scan 4194304', 'scan 67108864', 'sort 65536', 'sort 1048576', 'hash 4194304', 'hash 67108864', 'matmul 96', 'matmul 256', 'etl 65536', 'etl 1048576']);
  });
});

describe('calibrationTable', () => {
  const rows: Calibration['rows'] = [
    { name: 'scan', size: 65_536, unit: 'bytes', label: 'scan 64.0KB', cost: FnCost.scan(65_536, 8), factor: 2, predictedSec: 0.0625, measuredSec: 0.05, ratio: 1.25, rooflineSec: 0.03125, rooflineRatio: 0.625 },
    { name: 'matmul', size: 16, unit: 'order', label: 'matmul 16^3', cost: FnCost.matmul(16, 16, 16, 2048), factor: 0.5, predictedSec: 1.5, measuredSec: 0.75, ratio: 2, rooflineSec: 3, rooflineRatio: 4 },
  ];
  const cal = (median: number, worst: number): Calibration => ({ rows, median, worst, rooflineMedian: 1.6, rooflineWorst: 3.2, seconds: 2.5 });

  it('prints a header, one line per row and the summary, ending in a newline', () => {
    // W and Q: scan 65536 and 65536 bytes; matmul 2·16³ = 8192 and 8·3·256 = 6144 bytes.
    expect(calibrationTable(cal(1.4, 2))).toBe(
      [
        'coren calibrate: real kernels in this runtime; ratio = predicted t_compute / measured time, with the fitted constant and without it (the plain roofline)',
        '  kernel                  size        W        Q   const  predicted   measured   ratio   roofline   ratio',
        '  scan 64.0KB            65536    65.5K   64.0KB   x2.00    0.0625s    0.0500s   1.250    0.0313s   0.625',
        '  matmul 16^3               16     8.2K    6.0KB   x0.50    1.5000s    0.7500s   2.000    3.0000s   4.000',
        '  median 1.40x, worst 2.00x off (max(ratio, 1/ratio); target median <= 1.4x, worst <= 2x: within target); 2.5s',
        '  without the constants (plain roofline): median 1.60x, worst 3.20x off',
        '',
      ].join('\n'),
    );
  });

  it('is within target only with the median at most 1.4x and the worst at most 2x', () => {
    const verdict = (m: number, w: number) => /: (within target|OUTSIDE target)\)/.exec(calibrationTable(cal(m, w)))![1];
    expect(verdict(1.4, 2)).toBe('within target');
    expect(verdict(1.0, 1.0)).toBe('within target');
    expect(verdict(1.41, 2)).toBe('OUTSIDE target');
    expect(verdict(1.4, 2.01)).toBe('OUTSIDE target');
    expect(verdict(1.5, 3)).toBe('OUTSIDE target');
  });
});
