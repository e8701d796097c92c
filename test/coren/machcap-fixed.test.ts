// MachCap built from given figures (fixed, withStore): defaults, validation texts, rates and the
// JSON form, each value written out by hand. Every MachCap is built inside its test.
import { describe, expect, it } from 'vitest';

import { FnCost } from '../../src/coren/fncost.js';
import { deviceClassOf, MachCap } from '../../src/coren/machcap.js';
import { refusal } from './refusal.js';

const GiB = 1024 ** 3;

describe('deviceClassOf', () => {
  it('laptop with a battery, server from 16 cores or 64 GiB, else desktop', () => {
    expect(deviceClassOf(true, 64, 128 * GiB)).toBe('laptop');
    expect(deviceClassOf(false, 16, 8 * GiB)).toBe('server');
    expect(deviceClassOf(false, 15, 8 * GiB)).toBe('desktop');
    expect(deviceClassOf(false, 4, 64 * GiB)).toBe('server');
    expect(deviceClassOf(false, 4, 64 * GiB - 1)).toBe('desktop');
  });
});

describe('MachCap.fixed', () => {
  it('fills the neutral defaults', () => {
    const cap = MachCap.fixed({ opsPerSec: 2e9, memBytesPerSec: 5e9, netBytesPerSec: 1e6 });
    expect(cap.toJSON()).toStrictEqual({
      deviceClass: 'desktop',
      machine: { cpuModel: 'fixed', runtime: 'fixed', cores: 1, physicalCores: 1, ramTotal: 17179869184, ramAvailable: 17179869184, battery: false, llcBytes: 33554432 },
      network: { present: true, interface: null, linkMbps: null, bytesPerSec: 1e6, latencySec: 0, assumed: false, source: 'fixed' },
      roofline: { opsPerSec: 2e9, opsPerSecAll: 2e9, memBytesPerSec1: 5e9, memBytesPerSecAll: 5e9, memBytesPerSecSimd: null, diskWriteBytesPerSec: 5e8, diskReadBytesPerSec: 5e8, diskReadUncached: true, ridge: 0.4 },
      kernels: {},
      measured: { at: 'fixed', seconds: 0, fromCache: false, cacheFile: null, workerStartSec: 0.03, triadElements: 0, fmaIterations: 0 },
    });
    expect(cap.fromCache).toBe(false);
    expect(cap.cacheFile).toBeNull();
    expect(cap.warnings).toStrictEqual([]);
    expect(cap.figures.fingerprint).toStrictEqual({ cpuModel: 'fixed', cores: 1, ramTotal: 17179869184, runtime: 'fixed' });
    expect(cap.figures.link).toBeNull();
  });

  it('all-core rates default to one-thread ops × cores and the one-thread bandwidth; given ones are kept', () => {
    const defaults = MachCap.fixed({ opsPerSec: 2e9, memBytesPerSec: 5e9, netBytesPerSec: 0, cores: 3 });
    expect(defaults.toJSON().roofline).toMatchObject({ opsPerSecAll: 6e9, memBytesPerSecAll: 5e9 });
    expect(defaults.cores).toBe(3);
    const given = MachCap.fixed({ opsPerSec: 2e9, memBytesPerSec: 5e9, netBytesPerSec: 0, cores: 3, opsPerSecAll: 5e9, memBytesPerSecAll: 7e9, workerStartSec: 0.5 });
    expect(given.toJSON().roofline).toMatchObject({ opsPerSecAll: 5e9, memBytesPerSecAll: 7e9 });
    expect(given.toJSON().measured.workerStartSec).toBe(0.5);
    expect(MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 0, workerStartSec: 0 }).toJSON().measured.workerStartSec).toBe(0);
  });

  it('keeps only the kernels given, and answers 1 for the others and for no kernel', () => {
    const cap = MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 0, kernels: { matmul: 7.5, scan: 2 } });
    expect(cap.toJSON().kernels).toStrictEqual({ scan: 2, matmul: 7.5 });
    expect([cap.kernelFactor('matmul'), cap.kernelFactor('scan'), cap.kernelFactor('sort'), cap.kernelFactor(undefined)]).toEqual([7.5, 2, 1, 1]);
  });

  it('netBytesPerSec 0 means no network', () => {
    const cap = MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 0, latencySec: 0.25 });
    expect(cap.network).toStrictEqual({ present: false, interface: null, linkMbps: null, bytesPerSec: 0, latencySec: 0.25, assumed: false, source: 'none' });
  });

  it('refuses impossible figures with MRG4046 and says which and why', () => {
    const base = { opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 0 };
    expect(refusal(() => MachCap.fixed({ ...base, opsPerSec: 0 }))).toBe('MRG4046: MachCap.fixed: opsPerSec must be a finite number > 0, got 0');
    expect(refusal(() => MachCap.fixed({ ...base, ramAvailable: Infinity }))).toBe('MRG4046: MachCap.fixed: ramAvailable must be a finite number > 0, got Infinity');
    expect(refusal(() => MachCap.fixed({ ...base, netBytesPerSec: -1 }))).toBe('MRG4046: MachCap.fixed: netBytesPerSec must be a finite number >= 0, got -1');
    expect(refusal(() => MachCap.fixed({ ...base, latencySec: Number.NaN }))).toBe('MRG4046: MachCap.fixed: latencySec must be a finite number >= 0, got NaN');
    expect(refusal(() => MachCap.fixed({ ...base, cores: 0 }))).toBe('MRG4046: MachCap.fixed: cores must be a whole number > 0, got 0');
    expect(refusal(() => MachCap.fixed({ ...base, cores: 1.5 }))).toBe('MRG4046: MachCap.fixed: cores must be a whole number > 0, got 1.5');
    expect(refusal(() => MachCap.fixed({ ...base, kernels: { hash: 0 } }))).toBe('MRG4046: MachCap.fixed: kernels.hash must be a finite number > 0, got 0');
  });

  it('toFixedSpec rebuilds the same machine', () => {
    const cap = MachCap.fixed({ opsPerSec: 3e9, memBytesPerSec: 5e9, netBytesPerSec: 2e6, latencySec: 0.01, cores: 4, ramTotal: 8 * GiB, ramAvailable: 6 * GiB, battery: true, kernels: { scan: 2 }, workerStartSec: 0.1 });
    expect(cap.toFixedSpec()).toStrictEqual({
      opsPerSec: 3e9,
      memBytesPerSec: 5e9,
      netBytesPerSec: 2e6,
      latencySec: 0.01,
      opsPerSecAll: 12e9,
      memBytesPerSecAll: 5e9,
      diskWriteBytesPerSec: 5e8,
      diskReadBytesPerSec: 5e8,
      cores: 4,
      ramTotal: 8 * GiB,
      ramAvailable: 6 * GiB,
      battery: true,
      kernels: { scan: 2 },
      workerStartSec: 0.1,
    });
  });
});

describe('MachCap rates and verdicts', () => {
  const spec = { opsPerSec: 1e9, opsPerSecAll: 4e9, memBytesPerSec: 2e9, memBytesPerSecAll: 6e9, netBytesPerSec: 1e6, latencySec: 0.5, diskWriteBytesPerSec: 1e8, cores: 4, ramAvailable: 1e10 };

  it('one thread by default, or all cores', () => {
    const cap = MachCap.fixed(spec);
    const common = { networkPresent: true, netBytesPerSec: 1e6, latencySec: 0.5, diskWriteBytesPerSec: 1e8, ramAvailable: 1e10 };
    expect(cap.rates()).toStrictEqual({ opsPerSec: 1e9, memBytesPerSec: 2e9, ...common });
    expect(cap.rates('one')).toStrictEqual({ opsPerSec: 1e9, memBytesPerSec: 2e9, ...common });
    expect(cap.rates('all')).toStrictEqual({ opsPerSec: 4e9, memBytesPerSec: 6e9, ...common });
  });

  it('a verdict at the caller own rate of operations', () => {
    const cap = MachCap.fixed(spec);
    // W 4e9, Q 2e9: at 1e9 ops/s 4 s (compute); at 2e8 ops/s 20 s; at all cores max(1, 1/3) = 1 s.
    const cost = FnCost.new(4_000_000_000, 2_000_000_000, 0, 1_000_000);
    expect(cap.verdict(cost).tCompute).toBe(4);
    expect(cap.verdict(cost, { threads: 'all' }).tCompute).toBe(1);
    const slow = cap.verdict(cost, { opsPerSec: 2e8 });
    expect([slow.tCompute, slow.bottleneck, slow.tFetch, slow.score]).toEqual([20, 'compute', 1.5, 18.5]);
    expect(cap.verdict(cost, { opsPerSec: 2e8, threads: 'all' }).tCompute).toBe(20);
    expect(refusal(() => cap.verdict(cost, { opsPerSec: 0 }))).toBe('MRG4046: MachCap.verdict: opsPerSec must be a finite number > 0, got 0');
    expect(refusal(() => cap.verdict(cost, { opsPerSec: Infinity }))).toBe('MRG4046: MachCap.verdict: opsPerSec must be a finite number > 0, got Infinity');
  });

  it('a verdict with a kernel constant, also at the caller own rate', () => {
    const cap = MachCap.fixed({ ...spec, kernels: { etl: 3 } });
    const cost = FnCost.new(4_000_000_000, 2_000_000_000, 0, 1_000_000);
    expect(cap.verdict(cost, { kernel: 'etl' }).tCompute).toBe(12);
    expect(cap.verdict(cost, { kernel: 'etl', opsPerSec: 2e9 }).tCompute).toBe(6);
  });
});

describe('MachCap.withStore', () => {
  it('fetches from the store at its measured speed and latency, the rest unchanged', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 2e9, netBytesPerSec: 0, cores: 2 });
    const store = cap.withStore('redis://cache:6379', 0.002, 5e7);
    expect(store.network).toStrictEqual({ present: true, interface: 'redis://cache:6379', linkMbps: null, bytesPerSec: 5e7, latencySec: 0.002, assumed: false, source: 'store' });
    expect(store.figures).toBe(cap.figures);
    expect([store.ramAvailable, store.fromCache, store.cacheFile, store.deviceClass]).toEqual([cap.ramAvailable, false, null, 'desktop']);
    expect(store.warnings).toStrictEqual([]);
    // R 1e6 over 5e7 B/s = 0.02 s, plus 0.002.
    expect(store.verdict(FnCost.new(0, 0, 0, 1_000_000)).tFetch).toBeCloseTo(0.022, 12);
    expect(cap.network.source).toBe('none');
  });

  it('an unreachable store (0 B/s) is no network', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 2e9, netBytesPerSec: 1e6 });
    expect(cap.withStore('redis://down:6379', 0.002, 0).network).toStrictEqual({ present: false, interface: 'redis://down:6379', linkMbps: null, bytesPerSec: 0, latencySec: 0.002, assumed: false, source: 'store' });
    expect(cap.withStore('redis://down:6379', 0, 0).verdict(FnCost.new(1, 1, 0, 1)).score).toBe(-Infinity);
  });

  it('refuses a negative or infinite latency or speed (MRG4046); zero latency is fine', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 2e9, netBytesPerSec: 1e6 });
    expect(refusal(() => cap.withStore('s', -0.001, 1e6))).toBe('MRG4046: MachCap.withStore: latencySec must be a finite number >= 0, got -0.001');
    expect(refusal(() => cap.withStore('s', 0.001, Infinity))).toBe('MRG4046: MachCap.withStore: bytesPerSec must be a finite number >= 0, got Infinity');
    expect(refusal(() => cap.withStore('s', 0.001, -1))).toBe('MRG4046: MachCap.withStore: bytesPerSec must be a finite number >= 0, got -1');
    expect(refusal(() => cap.withStore('s', Number.NaN, 1))).toBe('MRG4046: MachCap.withStore: latencySec must be a finite number >= 0, got NaN');
    expect(cap.withStore('s', 0, 1e6).network.latencySec).toBe(0);
  });
});
