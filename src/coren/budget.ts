// Sizing helpers on top of a machine's figures: ETL buffers, cache TTLs, worker pools.
import { fail } from '../diagnostics.js';
import type { FnCost, U64Input } from './fncost.js';
import { computeTime, fetchTime, type VerdictRates } from './verdict.js';

export type DeviceClass = 'laptop' | 'desktop' | 'server';

/** The share of available RAM an ETL buffer may take: laptops keep the most headroom. */
export const ETL_RAM_SHARE: Readonly<Record<DeviceClass, number>> = { laptop: 1 / 16, desktop: 1 / 8, server: 1 / 4 };

export interface BudgetMachine {
  deviceClass: DeviceClass;
  cores: number;
  ramAvailable: number;
  opsPerSec: number;
  memBytesPerSec1: number;
  diskReadBytesPerSec: number;
  workerStartSec: number;
  rates: VerdictRates;
}

function positiveWhole(v: U64Input, what: string): number {
  const n = Number(v);
  if (!(Number.isSafeInteger(n) && n > 0)) fail('MRG4046', `${what} must be a whole number of bytes > 0, got ${String(v)}`);
  return n;
}

/**
 * Bytes to buffer in RAM before flushing: the device class's share of available RAM, rounded down
 * to whole rows, and at least one row (a row cannot be split).
 */
export function etlBufferBytes(m: BudgetMachine, rowBytes: U64Input): number {
  const row = positiveWhole(rowBytes, 'rowBytes');
  const rows = Math.max(1, Math.floor((m.ramAvailable * ETL_RAM_SHARE[m.deviceClass]) / row));
  return rows * row;
}

/**
 * Base TTL scaled by tCompute / tFetch, clamped to [base/10, base·100]: results that are expensive
 * to recompute relative to getting them back live longer. Without a network, getting a result back
 * means reading it from the local disk.
 */
export function suggestTtl(m: BudgetMachine, cost: FnCost, baseTtl: number): number {
  if (!(Number.isFinite(baseTtl) && baseTtl > 0)) fail('MRG4046', `baseTtl must be a finite number of seconds > 0, got ${baseTtl}`);
  const tCompute = computeTime(cost, m.opsPerSec, m.memBytesPerSec1).seconds;
  const net = fetchTime(cost, m.rates);
  const tBack = Number.isFinite(net) ? net : Number(cost.resultBytes) / m.diskReadBytesPerSec;
  const ratio = tBack > 0 ? tCompute / tBack : tCompute > 0 ? Infinity : 1;
  return Math.min(baseTtl * 100, Math.max(baseTtl / 10, baseTtl * ratio));
}

export interface BudgetOptions {
  /** Items in the job, if known. */
  items?: number;
  /** Seconds of work per batch, so messaging stays a small overhead (default 0.02). */
  targetBatchSec?: number;
}

export interface ComputeBudget {
  /** Worker threads to start (≥ 1). */
  workers: number;
  /** Items per batch handed to a worker (≥ 1). */
  batchSize: number;
  /** RAM each worker may use: half the available RAM, split evenly. */
  memPerWorkerBytes: number;
  /** The whole job is shorter than starting workers: run it on the calling thread. */
  inline: boolean;
  /** Predicted seconds per item on one thread (0 without a per-item cost). */
  itemSec: number;
}

/**
 * Worker count and batch size for this machine. Workers: one per core (a laptop keeps one core
 * free), no more than the RAM allows for the per-item peak, no more than the items. Batches: about
 * `targetBatchSec` of work, no more than an even share of the items, results within the worker's RAM.
 */
export function computeBudget(m: BudgetMachine, perItem?: FnCost, opts: BudgetOptions = {}): ComputeBudget {
  const items = opts.items;
  if (items !== undefined && !(Number.isSafeInteger(items) && items >= 0)) fail('MRG4046', `items must be a whole number >= 0, got ${items}`);
  const target = opts.targetBatchSec ?? 0.02;
  if (!(Number.isFinite(target) && target > 0)) fail('MRG4046', `targetBatchSec must be a finite number of seconds > 0, got ${target}`);
  const usable = m.ramAvailable / 2;
  let workers = m.deviceClass === 'laptop' ? Math.max(1, m.cores - 1) : m.cores;
  const peak = perItem ? Number(perItem.peakMem) : 0;
  if (peak > 0) workers = Math.min(workers, Math.max(1, Math.floor(usable / peak)));
  if (items !== undefined) workers = Math.min(workers, Math.max(1, items));
  const itemSec = perItem ? computeTime(perItem, m.opsPerSec, m.memBytesPerSec1).seconds : 0;
  const inline = items !== undefined && perItem !== undefined && itemSec * items < 2 * m.workerStartSec;
  if (inline) workers = 1;
  const memPerWorkerBytes = Math.floor(usable / workers);
  let batchSize = itemSec > 0 ? Math.floor(target / itemSec) : items !== undefined ? Math.ceil(items / workers) : 1;
  if (items !== undefined) batchSize = Math.min(batchSize, Math.ceil(items / workers));
  const result = perItem ? Number(perItem.resultBytes) : 0;
  if (result > 0) batchSize = Math.min(batchSize, Math.floor(memPerWorkerBytes / result));
  return { workers, batchSize: Math.max(1, batchSize), memPerWorkerBytes, inline, itemSec };
}
