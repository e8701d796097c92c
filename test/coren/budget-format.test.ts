// The sizing helpers on plain machine figures, at their boundaries (ties, zeros, exact binary
// fractions so every expected value is exact), and the display formats beyond the seed's figures.
import { describe, expect, it } from 'vitest';

import { computeBudget, etlBufferBytes, suggestTtl, type BudgetMachine } from '../../src/coren/budget.js';
import { FnCost } from '../../src/coren/fncost.js';
import { formatBandwidth, formatBytes, formatCount, formatOpsRate, formatScore } from '../../src/coren/format.js';
import { refusal } from './refusal.js';

/** A desktop of 4 cores, 8e9 B available, 1024 ops/s (so 2^k operations take exact seconds). */
function machine(over: Partial<BudgetMachine> = {}): BudgetMachine {
  return {
    deviceClass: 'desktop',
    cores: 4,
    ramAvailable: 8e9,
    opsPerSec: 1024,
    memBytesPerSec1: 1e9,
    diskReadBytesPerSec: 1e8,
    workerStartSec: 0.03,
    rates: { opsPerSec: 1024, memBytesPerSec: 1e9, networkPresent: true, netBytesPerSec: 1e6, latencySec: 0, diskWriteBytesPerSec: 1e8, ramAvailable: 8e9 },
    ...over,
  };
}

describe('etlBufferBytes', () => {
  it('refuses a row size that is not a whole number of bytes > 0', () => {
    expect(refusal(() => etlBufferBytes(machine(), 0))).toBe('MRG4046: rowBytes must be a whole number of bytes > 0, got 0');
    expect(refusal(() => etlBufferBytes(machine(), 2.5))).toBe('MRG4046: rowBytes must be a whole number of bytes > 0, got 2.5');
    expect(refusal(() => etlBufferBytes(machine(), 1n << 60n))).toBe('MRG4046: rowBytes must be a whole number of bytes > 0, got 1152921504606846976');
  });

  it('a desktop takes 1/8 of 8e9 = 1e9 B: 333,333 rows of 3000 B', () => {
    expect(etlBufferBytes(machine(), 3000n)).toBe(999_999_000);
    expect(etlBufferBytes(machine(), 3000)).toBe(999_999_000);
  });
});

describe('suggestTtl', () => {
  it('refuses a base TTL that is not a finite number > 0', () => {
    expect(refusal(() => suggestTtl(machine(), FnCost.ZERO, 0))).toBe('MRG4046: baseTtl must be a finite number of seconds > 0, got 0');
    expect(refusal(() => suggestTtl(machine(), FnCost.ZERO, Infinity))).toBe('MRG4046: baseTtl must be a finite number of seconds > 0, got Infinity');
  });

  it('nothing to compute and nothing to fetch (both 0 s): the base TTL', () => {
    expect(suggestTtl(machine(), FnCost.ZERO, 60)).toBe(60);
  });

  it('something to compute, nothing to fetch: the longest TTL, base × 100', () => {
    expect(suggestTtl(machine(), FnCost.new(1024, 0, 0, 0), 60)).toBe(6000);
  });

  it('4 s to compute, 1 s to fetch (latency 0.5 + 0.5): base × 4', () => {
    const m = machine({ rates: { ...machine().rates, latencySec: 0.5 } });
    expect(suggestTtl(m, FnCost.new(4096, 0, 0, 500_000), 60)).toBe(240);
  });
});

describe('computeBudget', () => {
  it('refuses an item count or batch time it cannot use, and accepts 0 items', () => {
    expect(refusal(() => computeBudget(machine(), undefined, { items: -1 }))).toBe('MRG4046: items must be a whole number >= 0, got -1');
    expect(refusal(() => computeBudget(machine(), undefined, { items: 1.5 }))).toBe('MRG4046: items must be a whole number >= 0, got 1.5');
    expect(refusal(() => computeBudget(machine(), undefined, { targetBatchSec: 0 }))).toBe('MRG4046: targetBatchSec must be a finite number of seconds > 0, got 0');
    expect(refusal(() => computeBudget(machine(), undefined, { targetBatchSec: -1 }))).toBe('MRG4046: targetBatchSec must be a finite number of seconds > 0, got -1');
    expect(refusal(() => computeBudget(machine(), undefined, { targetBatchSec: Infinity }))).toBe('MRG4046: targetBatchSec must be a finite number of seconds > 0, got Infinity');
    expect(refusal(() => computeBudget(machine(), undefined, { targetBatchSec: Number.NaN }))).toBe('MRG4046: targetBatchSec must be a finite number of seconds > 0, got NaN');
    // 0 items: one worker (never none), a batch of one, not inline (there is no per-item cost).
    expect(computeBudget(machine(), undefined, { items: 0 })).toStrictEqual({ workers: 1, batchSize: 1, memPerWorkerBytes: 4e9, inline: false, itemSec: 0 });
  });

  it('without a per-item cost: an even share of the items per worker, never inline', () => {
    expect(computeBudget(machine(), undefined, { items: 100 })).toStrictEqual({ workers: 4, batchSize: 25, memPerWorkerBytes: 1e9, inline: false, itemSec: 0 });
    expect(computeBudget(machine())).toStrictEqual({ workers: 4, batchSize: 1, memPerWorkerBytes: 1e9, inline: false, itemSec: 0 });
  });

  it('batches hold targetBatchSec of work, but no more than an even share of the items', () => {
    // 1 op per item at 1024 ops/s: 1/1024 s; 0.5 s of work is 512 items; 1000 items / 4 workers = 250.
    const perItem = FnCost.new(1, 0, 0, 0);
    expect(computeBudget(machine(), perItem, { items: 1000, targetBatchSec: 0.5 })).toStrictEqual({ workers: 4, batchSize: 250, memPerWorkerBytes: 1e9, inline: false, itemSec: 1 / 1024 });
    expect(computeBudget(machine(), perItem, { items: 4000, targetBatchSec: 0.5 })).toStrictEqual({ workers: 4, batchSize: 512, memPerWorkerBytes: 1e9, inline: false, itemSec: 1 / 1024 });
  });

  it('runs inline only when the whole job is shorter than starting two workers', () => {
    // 128 ops = 0.125 s per item; starting workers 2 × 0.25 = 0.5 s. 4 items = 0.5 s: a tie starts workers.
    const m = machine({ workerStartSec: 0.25 });
    const perItem = FnCost.new(128, 0, 0, 0);
    expect(computeBudget(m, perItem, { items: 4 })).toStrictEqual({ workers: 4, batchSize: 1, memPerWorkerBytes: 1e9, inline: false, itemSec: 0.125 });
    expect(computeBudget(m, perItem, { items: 3 })).toStrictEqual({ workers: 1, batchSize: 1, memPerWorkerBytes: 4e9, inline: true, itemSec: 0.125 });
  });

  it('a machine with no RAM available: every worker gets 0 B, still one item per batch', () => {
    expect(computeBudget(machine({ ramAvailable: 0 }))).toStrictEqual({ workers: 4, batchSize: 1, memPerWorkerBytes: 0, inline: false, itemSec: 0 });
    expect(computeBudget(machine({ ramAvailable: 0 }), FnCost.ZERO, { items: 8 })).toStrictEqual({ workers: 1, batchSize: 8, memPerWorkerBytes: 0, inline: true, itemSec: 0 });
  });

  it('results must fit the worker RAM, and the per-item peak limits the workers', () => {
    // usable 4e9; peak 1.5e9 → 2 workers of 2e9 B; results of 5e8 B → 4 per batch.
    const perItem = FnCost.new(1, 0, 1_500_000_000, 500_000_000);
    expect(computeBudget(machine(), perItem, { targetBatchSec: 1 })).toStrictEqual({ workers: 2, batchSize: 4, memPerWorkerBytes: 2e9, inline: false, itemSec: 1 / 1024 });
  });
});

describe('display formats', () => {
  it('infinite values', () => {
    expect([formatCount(Infinity), formatCount(-Infinity), formatBytes(Infinity), formatBytes(-Infinity)]).toEqual(['inf', '-inf', 'inf', '-inf']);
    expect([formatScore(Infinity), formatScore(-Infinity)]).toEqual(['+inf', '-inf']);
  });

  it('negative values keep their sign', () => {
    expect([formatCount(-1500), formatCount(-7), formatBytes(-512), formatBytes(-1536)]).toEqual(['-1.5K', '-7', '-512B', '-1.5KB']);
    expect([formatScore(-0.0004), formatScore(-0.712), formatScore(2.3)]).toEqual(['0.000', '-0.712', '2.300']);
  });

  it('plain figures below the base, one decimal above, and the largest unit never runs out', () => {
    expect([formatCount(999), formatCount(999.94), formatCount(999.96), formatCount(1000)]).toEqual(['999', '999.9', '1.0K', '1.0K']);
    expect([formatBytes(1023), formatBytes(1024), formatBytes(1024 ** 6), formatBytes(1024 ** 7)]).toEqual(['1023B', '1.0KB', '1.0EB', '1024.0EB']);
    expect([formatCount(1e18), formatCount(1e21), formatCount(12345678901234567890n)]).toEqual(['1.0E', '1000.0E', '12.3E']);
    expect([formatOpsRate(8.8e9), formatBandwidth(6.2 * 1024 ** 3)]).toEqual(['8.8G ops/s', '6.2GB/s']);
  });
});
