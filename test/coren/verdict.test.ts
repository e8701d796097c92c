import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { FnCost, U64_MAX } from '../../src/coren/fncost.js';
import { MachCap } from '../../src/coren/machcap.js';
import { fetchTime } from '../../src/coren/verdict.js';
import { verdictHeader, verdictLine, verdictRows } from '../../src/coren/report.js';
import { STANDARD_TASKS } from '../../src/coren/tasks.js';

/** The seed's machine: 95.2e9 ops/s, 14.55e9 B/s memory, 100 Mbit/s (13,107,200 B/s), no latency. */
const seedCap = MachCap.fixed({ opsPerSec: 95.2e9, memBytesPerSec: 14.55e9, netBytesPerSec: 13_107_200 });
const MiB = 1024 * 1024;

/** The verdict table lines of the seed (shared/seeds/coren-pypi-page.txt), verbatim. */
const seedLines = [
  '    task                           W         Q         R    score       neck action',
  '    sort 1M x 64B             200.0M     1.2GB    10.0MB   -0.712   memory compute',
  '    matmul 1k^3                 2.0G    22.9MB    10.0MB   -0.779  compute compute',
];

describe('verdicts on the seed machine', () => {
  it('gives the seed rows: -0.712 memory compute and -0.779 compute compute', () => {
    const sort = seedCap.verdict(FnCost.sort(1_000_000, 64, 10 * MiB));
    expect(sort.score.toFixed(3)).toBe('-0.712');
    expect(sort.bottleneck).toBe('memory');
    expect(sort.action).toBe('compute');
    expect(sort.tCompute.toFixed(3)).toBe('0.088');
    expect(sort.tFetch.toFixed(3)).toBe('0.800');
    expect(String(sort)).toBe('compute (saves 0.712s)');
    const mm = seedCap.verdict(FnCost.matmul(1000, 1000, 1000, 10 * MiB));
    expect(mm.score.toFixed(3)).toBe('-0.779');
    expect(mm.bottleneck).toBe('compute');
    expect(mm.action).toBe('compute');
  });

  it('prints the seed table lines character for character', () => {
    expect(seedLines).toHaveLength(3);
    const rows = verdictRows(seedCap, STANDARD_TASKS.slice(0, 2));
    expect([verdictHeader(), ...rows.map(verdictLine)]).toEqual(seedLines);
  });

  it('says fetch with the time it saves', () => {
    const v = seedCap.verdict(FnCost.new(230_000_000_000, 0, 0, 0));
    expect(v.score).toBeCloseTo(230e9 / 95.2e9, 9);
    expect(String(v)).toBe('fetch (saves 2.416s)'); // 230 / 95.2 = 2.41597 s
    expect(v.shouldFetch()).toBe(true);
  });

  it('computes t_store from the disk write rate and adds latency to t_fetch', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, latencySec: 0.05, diskWriteBytesPerSec: 2e6 });
    const v = cap.verdict(FnCost.new(0, 0, 0, 1e6));
    expect(v.tFetch).toBeCloseTo(1.05, 12);
    expect(v.tStore).toBeCloseTo(0.5, 12);
  });

  it('a tie computes', () => {
    const cap = MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 1 });
    const v = cap.verdict(FnCost.new(5, 0, 0, 5));
    expect(v.score).toBe(0);
    expect(v.action).toBe('compute');
    expect(v.shouldFetch()).toBe(false);
  });

  it('a tie between the compute and the memory term is compute-bound', () => {
    // W / ops = 1e9 / 2e9 = 0.5 s and Q / bandwidth = 2e9 / 4e9 = 0.5 s, both exact in binary.
    const cap = MachCap.fixed({ opsPerSec: 2e9, memBytesPerSec: 4e9, netBytesPerSec: 1e6 });
    const tie = cap.verdict(FnCost.new(1e9, 2e9, 0, 0));
    expect([tie.tCompute, tie.bottleneck]).toEqual([0.5, 'compute']);
    expect(cap.verdict(FnCost.new(1e9, 2e9 + 4, 0, 0)).bottleneck).toBe('memory');
    expect(cap.verdict(FnCost.new(1e9 + 2, 2e9, 0, 0)).bottleneck).toBe('compute');
    expect(verdictLine(verdictRows(cap, [{ name: 'tie', cost: FnCost.new(1e9, 2e9, 0, 0) }])[0]!)).toMatch(/ compute fetch$/); // neck compute; R = 0 is free to fetch
  });

  it('uses a kernel constant only when asked for that kernel', () => {
    const cap = MachCap.fixed({ opsPerSec: 95.2e9, memBytesPerSec: 14.55e9, netBytesPerSec: 13_107_200, kernels: { sort: 3 } });
    const cost = FnCost.sort(1_000_000, 64, 10 * MiB);
    expect(cap.verdict(cost, { kernel: 'sort' }).tCompute).toBeCloseTo(3 * cap.verdict(cost).tCompute, 12);
    expect(cap.verdict(cost, { kernel: 'hash' }).tCompute).toBe(cap.verdict(cost).tCompute);
  });

  it('uses all-core rates when asked', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, opsPerSecAll: 4e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, cores: 4 });
    expect(cap.verdict(FnCost.new(4e9, 0, 0, 0), { threads: 'all' }).tCompute).toBe(1);
  });
});

describe('the infinite rules', () => {
  it('+inf (must fetch) when the peak exceeds available RAM', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, ramAvailable: 1000 });
    const v = cap.verdict(FnCost.new(1, 1, 1001, 1));
    expect(v.score).toBe(Infinity);
    expect(v.forced).toBe('ram');
    expect(v.shouldFetch()).toBe(true);
    expect(String(v)).toBe('fetch (must: peak 1001B > 1000B available RAM)');
    expect(cap.verdict(FnCost.new(1, 1, 1000, 1)).score).toBeLessThan(Infinity);
  });

  it('-inf (must compute) without a network, even when RAM is short', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 0, ramAvailable: 1000 });
    for (const peak of [0, 5000]) {
      const v = cap.verdict(FnCost.new(1e12, 1, peak, 1));
      expect(v.score).toBe(-Infinity);
      expect(v.forced).toBe('network');
      expect(v.tFetch).toBe(Infinity);
      expect(String(v)).toBe('compute (must: no network)');
      expect(v.toJSON()).toMatchObject({ score: '-inf', tFetch: '+inf', action: 'compute' });
    }
  });

  it('no network is +inf fetch time whatever else the rates say (no division left to make it so)', () => {
    // A result of 0 bytes over 0 B/s would be 0 / 0 = NaN, and a missing network with a bandwidth
    // figure would be a finite latency + R / bandwidth: both must still be +inf.
    expect(fetchTime(FnCost.new(1, 1, 0, 0), { networkPresent: true, netBytesPerSec: 0, latencySec: 0 })).toBe(Infinity);
    expect(fetchTime(FnCost.new(1, 1, 0, 1000), { networkPresent: false, netBytesPerSec: 1e6, latencySec: 0 })).toBe(Infinity);
    // With a network: 0.5 s latency + 1000 B / 1e6 B/s = 0.501 s.
    expect(fetchTime(FnCost.new(1, 1, 0, 1000), { networkPresent: true, netBytesPerSec: 1e6, latencySec: 0.5 })).toBe(0.501);
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 0 });
    expect(cap.verdict(FnCost.new(1e12, 1, 0, 0)).toJSON()).toMatchObject({ score: '-inf', tFetch: '+inf', forced: 'network' });
  });

  it('a finite verdict is numbers in JSON', () => {
    // W = 2e9 at 1e9 ops/s: 2 s (Q = 1e9 at 1e9 B/s: 1 s, so compute-bound); R = 1e6 B at 1e6 B/s:
    // 1 s to fetch, 2 ms to store at the default 500 MB/s; score 2 − 1 = 1 s, fetch.
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6 });
    expect(cap.verdict(FnCost.new(2e9, 1e9, 0, 1e6)).toJSON()).toEqual({ score: 1, action: 'fetch', bottleneck: 'compute', tCompute: 2, tFetch: 1, tStore: 0.002, forced: null });
  });

  const capArb = fc.record({
    opsPerSec: fc.double({ min: 1e3, max: 1e13, noNaN: true }),
    memBytesPerSec: fc.double({ min: 1e3, max: 1e12, noNaN: true }),
    netBytesPerSec: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e11, noNaN: true })),
    latencySec: fc.double({ min: 0, max: 2, noNaN: true }),
    ramAvailable: fc.double({ min: 1, max: 2 ** 50, noNaN: true }),
  });
  const costArb = fc.tuple(fc.bigInt({ min: 0n, max: U64_MAX }), fc.bigInt({ min: 0n, max: 1n << 50n }), fc.bigInt({ min: 0n, max: 1n << 52n }), fc.bigInt({ min: 0n, max: 1n << 45n })).map(([w, q, m, r]) => FnCost.new(w, q, m, r));

  it('hold for any machine and cost, and the score sign matches shouldFetch', () => {
    fc.assert(
      fc.property(capArb, costArb, (spec, cost) => {
        const v = MachCap.fixed(spec).verdict(cost);
        if (spec.netBytesPerSec === 0) expect(v.score).toBe(-Infinity);
        else if (Number(cost.peakMem) > spec.ramAvailable) expect(v.score).toBe(Infinity);
        else expect(v.score).toBeCloseTo(v.tCompute - v.tFetch, 6);
        expect(v.shouldFetch()).toBe(v.score > 0);
        expect(v.action).toBe(v.score > 0 ? 'fetch' : 'compute');
        expect(String(v).startsWith(v.action)).toBe(true);
      }),
    );
  });
});

describe('helpers', () => {
  const desktop = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, cores: 8, ramAvailable: 8e9 });
  const laptop = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, cores: 8, ramAvailable: 8e9, battery: true });
  const server = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6, cores: 32, ramAvailable: 8e9 });

  it('device class: battery is a laptop, >= 16 cores or >= 64 GiB a server', () => {
    expect([desktop.deviceClass, laptop.deviceClass, server.deviceClass]).toEqual(['desktop', 'laptop', 'server']);
    expect(MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 0, ramTotal: 64 * 1024 ** 3 }).deviceClass).toBe('server');
  });

  it('etlBufferBytes takes a device-class share of available RAM in whole rows', () => {
    expect(desktop.etlBufferBytes(1000)).toBe(1_000_000_000);
    expect(laptop.etlBufferBytes(1000)).toBe(500_000_000);
    expect(server.etlBufferBytes(1000)).toBe(2_000_000_000);
    expect(desktop.etlBufferBytes(3n) % 3).toBe(0);
    expect(desktop.etlBufferBytes(1e12)).toBe(1e12); // at least one row
    expect(() => desktop.etlBufferBytes(0)).toThrow(MergeError);
    expect(() => desktop.etlBufferBytes(1.5)).toThrow(/whole number of bytes/);
  });

  it('suggestTtl scales by tCompute / tFetch within [base/10, base*100]', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e12, netBytesPerSec: 1e6 });
    expect(cap.suggestTtl(FnCost.new(2e9, 0, 0, 1e6), 60)).toBeCloseTo(120, 9); // 2 s vs 1 s
    expect(cap.suggestTtl(FnCost.new(1e15, 0, 0, 1), 60)).toBe(6000);
    expect(cap.suggestTtl(FnCost.new(1, 0, 0, 1e9), 60)).toBe(6);
    expect(cap.suggestTtl(FnCost.new(1, 0, 0, 0), 60)).toBe(6000); // nothing to fetch: free to get back
    const offline = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e12, netBytesPerSec: 0, diskReadBytesPerSec: 1e8 });
    expect(offline.suggestTtl(FnCost.new(2e9, 0, 0, 1e8), 60)).toBeCloseTo(120, 9); // against the local disk
    expect(() => cap.suggestTtl(FnCost.ZERO, 0)).toThrow(/baseTtl/);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), fc.bigInt({ min: 0n, max: U64_MAX }), fc.double({ min: 1e-3, max: 1e9, noNaN: true }), (w, r, base) => {
        const ttl = cap.suggestTtl(FnCost.new(w, 0, 0, r), base);
        expect(ttl).toBeGreaterThanOrEqual(base / 10);
        expect(ttl).toBeLessThanOrEqual(base * 100);
      }),
    );
  });

  it('computeBudget sizes workers by cores, RAM and items, and batches by time', () => {
    expect(desktop.computeBudget()).toMatchObject({ workers: 8, batchSize: 1, inline: false });
    expect(laptop.computeBudget().workers).toBe(7);
    // 1 GB peak per item with 8 GB available: half of it usable, so 4 workers.
    expect(desktop.computeBudget(FnCost.new(0, 0, 1e9, 0)).workers).toBe(4);
    // 1 ms per item, 20 ms batches, 1000 items over 8 workers.
    const b = desktop.computeBudget(FnCost.new(1e6, 0, 0, 8), { items: 1000 });
    expect(b).toMatchObject({ workers: 8, batchSize: 20, inline: false });
    expect(b.itemSec).toBeCloseTo(1e-3, 12);
    expect(desktop.computeBudget(FnCost.new(1e9, 0, 0, 8), { items: 3 })).toMatchObject({ workers: 3, batchSize: 1 });
    // 10 items of 1 µs: far less than starting workers, so inline.
    expect(desktop.computeBudget(FnCost.new(1e3, 0, 0, 8), { items: 10 })).toMatchObject({ workers: 1, inline: true, batchSize: 10 });
    // Results must fit the worker's share of RAM.
    expect(desktop.computeBudget(FnCost.new(1e6, 0, 0, 4e8), { items: 1_000_000 })).toMatchObject({ workers: 8, batchSize: 1 });
    expect(() => desktop.computeBudget(undefined, { items: -1 })).toThrow(/items/);
  });

  it('toFixedSpec rebuilds an equivalent MachCap', () => {
    const cap = MachCap.fixed({ opsPerSec: 3e9, memBytesPerSec: 5e9, netBytesPerSec: 2e6, latencySec: 0.01, cores: 4, kernels: { scan: 2 } });
    const copy = MachCap.fixed(cap.toFixedSpec());
    expect(copy.toJSON()).toEqual(cap.toJSON());
  });

  it('fixed rejects impossible figures with MRG4046', () => {
    expect(() => MachCap.fixed({ opsPerSec: 0, memBytesPerSec: 1, netBytesPerSec: 1 })).toThrow(/opsPerSec must be a finite number > 0/);
    expect(() => MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: -1 })).toThrow(/netBytesPerSec/);
    expect(() => MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 1, cores: 1.5 })).toThrow(/cores/);
  });
});
