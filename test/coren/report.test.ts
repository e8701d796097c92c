// The text `coren` prints, compared in full. Every figure is worked out by hand from the machine's
// numbers (KB = 1024 B, a Mbit/s = 131,072 B/s, one decimal) and written as a literal.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FnCost } from '../../src/coren/fncost.js';
import { MachCap } from '../../src/coren/machcap.js';
import { humanReport, jsonReport, verdictHeader, verdictLine, verdictRows } from '../../src/coren/report.js';
import type { StandardTask } from '../../src/coren/tasks.js';
import { FAKE_SYSTEM, fakeProbes, tempDir } from './fakes.js';

const GiB = 1024 ** 3;

/** 1e9 ops/s, 2e9 B/s, 1e6 B/s network with 0.5 s latency, 4 cores, 8 GiB (6 available), sort x2. */
function fixedMachine(): MachCap {
  return MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 2e9, netBytesPerSec: 1e6, latencySec: 0.5, cores: 4, ramTotal: 8 * GiB, ramAvailable: 6 * GiB, kernels: { sort: 2 } });
}

/**
 * two seconds: W 2e9 (2 s), Q 1e9 (0.5 s) → compute-bound 2 s, × sort's 2 = 4 s; fetch 0.5 + 1e6/1e6
 * = 1.5 s; score 2.5, fetch. memory: W 1000, Q 4e9 (2 s) → memory-bound 2 s; fetch 0.5 + 3 = 3.5 s;
 * score −1.5, compute.
 */
const TASKS: StandardTask[] = [
  { name: 'two seconds', cost: FnCost.new(2_000_000_000, 1_000_000_000, 0, 1_000_000), kernel: 'sort' },
  { name: 'memory', cost: FnCost.new(1000, 4_000_000_000, 0, 3_000_000) },
];

const HEADER = '    task                           W         Q         R    score       neck action';

describe('the verdict table', () => {
  it('has the seed column layout', () => {
    expect(verdictHeader()).toBe(HEADER);
  });

  it('prints each row in the columns, with the kernel constant applied', () => {
    const rows = verdictRows(fixedMachine(), TASKS);
    expect(rows.map((r) => [r.task, r.kernelFactor, r.verdict.tCompute, r.verdict.score])).toEqual([
      ['two seconds', 2, 4, 2.5],
      ['memory', 1, 2, -1.5],
    ]);
    expect(rows.map(verdictLine)).toEqual([
      '    two seconds                 2.0G   953.7MB   976.6KB    2.500  compute fetch',
      '    memory                      1.0K     3.7GB     2.9MB   -1.500   memory compute',
    ]);
  });
});

describe('humanReport', () => {
  it('prints a fixed machine in full: no SIMD line, no measured line', () => {
    expect(humanReport(fixedMachine(), verdictRows(fixedMachine(), TASKS))).toBe(
      [
        'coren  [desktop]',
        '  machine   4 cores (4 physical), RAM 8.0GB total, 6.0GB available, no battery; fixed, fixed',
        '  network   7.629 Mbit/s (976.6KB/s) (fixed); latency 500 ms',
        '  roofline  1.0G ops/s (1 thread), 4.0G ops/s (all); memory 1.9GB/s (1 thread), 1.9GB/s (all)',
        '            disk write 476.8MB/s, read 476.8MB/s; ridge 0.50 ops/byte',
        '  kernels   sort x2.00  (time / roofline time, fitted here)',
        '  verdicts (what should this machine do?)',
        HEADER,
        '    two seconds                 2.0G   953.7MB   976.6KB    2.500  compute fetch',
        '    memory                      1.0K     3.7GB     2.9MB   -1.500   memory compute',
        '',
      ].join('\n'),
    );
  });

  it('leaves out the kernels line when no kernel is calibrated, and shows a laptop', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 0, battery: true });
    expect(humanReport(cap, [])).toBe(
      [
        'coren  [laptop]',
        '  machine   1 cores (1 physical), RAM 16.0GB total, 16.0GB available, battery; fixed, fixed',
        '  network   no network (no interface up besides loopback): every verdict computes',
        '  roofline  1.0G ops/s (1 thread), 1.0G ops/s (all); memory 953.7MB/s (1 thread), 953.7MB/s (all)',
        '            disk write 476.8MB/s, read 476.8MB/s; ridge 1.00 ops/byte',
        '  verdicts (what should this machine do?)',
        HEADER,
        '',
      ].join('\n'),
    );
  });

  it('the default rows are the standard tasks', () => {
    const cap = fixedMachine();
    expect(humanReport(cap)).toBe(humanReport(cap, verdictRows(cap)));
    expect(humanReport(cap).split('\n')[8]).toMatch(/^ {4}sort 1M x 64B {13}200\.0M {5}1\.2GB {4}10\.0MB /);
  });
});

describe('humanReport of a measured machine', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T01:02:59.900Z'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
    cleanup();
  });

  // The fake probes of ./fakes.ts: 9e9 ops/s (3.6e10 all), triad 7e9 B/s (2e10 all), SIMD 1.8e10,
  // disk 4e8 / 1.2e9 B/s, eth0 at 1000 Mbit/s = 131,072,000 B/s = 125.0MB/s.
  const measuredLines = (ramAvailable: string, measured: string) => [
    'coren  [desktop]',
    `  machine   4 cores (2 physical), RAM 16.0GB total, ${ramAvailable} available, no battery; Fake CPU 3000, node v20.0.0`,
    '  network   eth0: link 1000 Mbit/s (125.0MB/s); latency 0 ms',
    '  roofline  9.0G ops/s (1 thread), 36.0G ops/s (all); memory 6.5GB/s (1 thread), 18.6GB/s (all)',
    "            memory for WebAssembly SIMD 16.8GB/s (1 thread; what the machine gives code beyond JS's scalar loop, not used by verdicts)",
    '            disk write 381.5MB/s, read 1.1GB/s; ridge 1.29 ops/byte',
    '  kernels   scan x6.50  sort x4.30  hash x0.30  matmul x7.60  etl x1.50  (time / roofline time, fitted here)',
    `  measured  ${measured}; rates are what this runtime attains`,
    '  verdicts (what should this machine do?)',
    HEADER,
    '',
  ];

  it('says when and where it measured, then that it read the cache', async () => {
    // performance.now() (the same object as node:perf_hooks' performance) is fixed; the disk probe takes 2.46 s.
    let now = 500;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const probes = fakeProbes({
      disk: async () => {
        now += 2460;
        return { writeBytesPerSec: 4e8, readBytesPerSec: 1.2e9, readUncached: true };
      },
    });
    const file = join(dir, '.coren-cache.json');
    const first = await MachCap.read(dir, { probes });
    expect(humanReport(first, [])).toBe(measuredLines('12.0GB', `2026-12-07 01:02 UTC in 2.5s, just now, cached in ${file}`).join('\n'));
    const second = await MachCap.read(dir, { probes });
    expect(humanReport(second, [])).toBe(measuredLines('11.0GB', `2026-12-07 01:02 UTC in 2.5s, from the cache ${file}`).join('\n'));
  });

  it('warns that the page cache may have served a disk read', async () => {
    const probes = fakeProbes({ disk: async () => ({ writeBytesPerSec: 4e8, readBytesPerSec: 1.2e9, readUncached: false }) });
    const lines = humanReport(await MachCap.read(dir, { probes }), []).split('\n');
    expect(lines[5]).toBe('            disk write 381.5MB/s, read 1.1GB/s (page cache may have served it); ridge 1.29 ops/byte');
  });

  it('leaves out the SIMD line without WebAssembly SIMD', async () => {
    const probes = fakeProbes({
      compute: async () => ({ opsPerSec: 9e9, opsPerSecAll: 3.6e10, memBytesPerSec1: 7e9, memBytesPerSecAll: 2e10, memBytesPerSecSimd: null, triadElements: 1 << 20, fmaIterations: 6_000_000, workers: 4, workerStartSec: 0.02 }),
    });
    const lines = humanReport(await MachCap.read(dir, { probes }), []).split('\n');
    expect(lines[4]).toBe('            disk write 381.5MB/s, read 1.1GB/s; ridge 1.29 ops/byte');
    expect(lines).toHaveLength(10);
  });
});

describe('the network line', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const networkLine = (cap: MachCap) => humanReport(cap, []).split('\n')[2];

  it('a link whose speed is not reported: the assumed 100 Mbit/s = 13,107,200 B/s = 12.5MB/s', async () => {
    const probes = fakeProbes({ system: async () => ({ ...FAKE_SYSTEM, interfaces: [{ name: 'eth0', up: true, internal: false, speedMbps: -1, isDefault: true }] }) });
    expect(networkLine(await MachCap.read(dir, { probes, netLatencyMs: 2.5 }))).toBe('  network   eth0: link speed not reported, assumed 100 Mbit/s (12.5MB/s); latency 2.5 ms');
  });

  it('a speed given on the command line: 50 Mbit/s = 6,553,600 B/s = 6.3MB/s; 0 means none', async () => {
    const probes = fakeProbes();
    expect(networkLine(await MachCap.read(dir, { probes, netMbps: 50, netLatencyMs: 20 }))).toBe('  network   50 Mbit/s (6.3MB/s) as given on the command line; latency 20 ms');
    expect(networkLine(await MachCap.read(dir, { probes, netMbps: 0 }))).toBe('  network   no network (--net-mbps 0): every verdict computes');
  });

  it('no interface up besides loopback', async () => {
    const probes = fakeProbes({ system: async () => ({ ...FAKE_SYSTEM, interfaces: [{ name: 'lo', up: true, internal: true, speedMbps: null, isDefault: false }] }), upInterfaces: () => [] });
    expect(networkLine(await MachCap.read(dir, { probes }))).toBe('  network   no network (no interface up besides loopback): every verdict computes');
  });

  it('a measured store: 5e7 B/s = 381.47 Mbit/s = 47.7MB/s, 2 ms; or unreachable', () => {
    const cap = fixedMachine();
    expect(networkLine(cap.withStore('redis://cache:6379', 0.002, 5e7))).toBe('  network   to the store redis://cache:6379: measured 381.47 Mbit/s (47.7MB/s); latency 2 ms (a fetch of a tiny entry)');
    expect(networkLine(cap.withStore('redis://cache:6379', 0.002, 0))).toBe('  network   the store redis://cache:6379 cannot be reached: every verdict computes');
  });
});

describe('jsonReport', () => {
  it('has the machine and one entry per row with the verdict worked out by hand', () => {
    const cap = fixedMachine();
    const json = jsonReport(cap, verdictRows(cap, TASKS));
    expect(json.deviceClass).toBe('desktop');
    expect(json.verdicts).toEqual([
      { task: 'two seconds', ops: '2000000000', memBytes: '1000000000', peakMem: '0', resultBytes: '1000000', score: 2.5, bottleneck: 'compute', action: 'fetch', display: 'fetch (saves 2.500s)', tCompute: 4, tFetch: 1.5, tStore: 0.002, kernelFactor: 2 },
      { task: 'memory', ops: '1000', memBytes: '4000000000', peakMem: '0', resultBytes: '3000000', score: -1.5, bottleneck: 'memory', action: 'compute', display: 'compute (saves 1.500s)', tCompute: 2, tFetch: 3.5, tStore: 0.006, kernelFactor: 1 },
    ]);
  });
});
