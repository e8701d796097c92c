// What a fetch from a memo store costs, measured once per store and cached beside the machine's
// figures: a few PINGs (round-trip time, Redis only), then probe entries written, fetched and deleted
// through the store's own path (header, rows, hash, signature, decoding, the column check) — a tiny
// one for the fixed cost of a fetch, one of long strings for the cost per result byte, one of many
// small integers for the cost per value. The verdict then prices an entry of R result bytes and V
// values at latency + R·secPerByte + V·secPerValue.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { writeFileAtomic } from '../../../atomic-write.js';
import { FnCost } from '../../../coren/index.js';
import { scalarType, type ColumnSpec, type ScalarValue } from '../../../model/index.js';
import { readTextFile } from '../../../read-file.js';
import { rowsBytes } from '../cost.js';
import { firstMisfit } from './fit.js';
import { lookup, type MemoStore, type StoreRates } from './types.js';

export const STORE_RATES_FILE = 'memo-stores.json';
const FORMAT = 'merg-e-store-rates/1';
/** A measurement older than this is taken again (the network to a store changes). */
export const STORE_RATES_MAX_AGE_MS = 7 * 86_400_000;
/** Probes grow until a fetch takes this long beyond the fixed cost (so the rate means something)… */
const MEANINGFUL_SEC = 0.03;
/** …or until they reach this size. */
const MAX_PROBE_BYTES = 16 * 2 ** 20;
const MAX_PROBE_VALUES = 2 ** 20;
/** Timed fetches per probe, after one untimed (cold code and caches); the median counts. */
const TRIALS = 5;
/**
 * Idle time before each timed fetch: in a run a fetch follows other work, so the store's connection
 * thread has gone to sleep and must be woken (on a busy machine that is a scheduler slice) — fetches
 * back to back would keep it awake and measure less than a run pays.
 */
const IDLE_MS = 5;
const idle = new Int32Array(new SharedArrayBuffer(4));

export interface MeasuredRates extends StoreRates {
  /** Median PING round trip (a store that answers PING), else null. */
  readonly rttSec: number | null;
  readonly measuredAt: string;
  /** The largest probe entry, in bytes. */
  readonly probeBytes: number;
  /** Seconds the measurement took. */
  readonly seconds: number;
}

export type RatesRead = { readonly rates: MeasuredRates; readonly fromCache: boolean };

/** Anything that can answer PING (the Redis store). */
interface Pingable {
  ping(): number | null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

class ProbeFailed extends Error {}

/** Stores `rows`, then times fetching them back (median of TRIALS after a warm-up), then deletes them. */
function probe(store: MemoStore, cols: readonly ColumnSpec[], rows: ScalarValue[][]): { sec: number; bytes: number } {
  const key = randomBytes(32).toString('hex');
  const put = store.put(key, { fn: 'store probe', cost: FnCost.new(0n, 0n, 0n, 0n), rows }, { ttlSec: 300, replace: true });
  try {
    if (put.kind !== 'stored') throw new ProbeFailed(put.kind === 'refused' ? put.diagnostic.message : put.kind === 'unavailable' ? put.why : 'the probe entry was not stored');
    const times: number[] = [];
    for (let t = 0; t <= TRIALS; t++) {
      Atomics.wait(idle, 0, 0, IDLE_MS);
      const t0 = performance.now();
      const got = lookup(store, key);
      if (got.kind !== 'hit') throw new ProbeFailed(`the probe entry could not be fetched back (${got.kind}${'why' in got ? `: ${got.why}` : ''})`);
      if (firstMisfit(cols, got.entry.rows)) throw new ProbeFailed('the probe entry came back changed');
      if (t > 0) times.push((performance.now() - t0) / 1000);
    }
    return { sec: median(times), bytes: put.bytes };
  } finally {
    store.remove(key);
  }
}

const cols = (...types: string[]): ColumnSpec[] => types.map((t, i) => ({ name: `c${i}`, type: scalarType(t) }));

/**
 * Measures a store; throws ProbeFailed-like errors (as Error) saying why it could not. `maxEntryBytes`
 * bounds the probes (a folder store evicts to make room: probes stay small beside its limit).
 */
export function measureStore(store: MemoStore, maxProbeBytes = MAX_PROBE_BYTES): MeasuredRates {
  const start = performance.now();
  const pings: number[] = [];
  const p = store as Partial<Pingable>;
  if (typeof p.ping === 'function') {
    for (let i = 0; i < 5; i++) {
      const s = p.ping();
      if (s === null) throw new ProbeFailed('it does not answer PING');
      pings.push(s);
    }
  }
  const limit = Math.min(maxProbeBytes, store.limits.maxEntryBytes / 2, (store.limits.maxTotalBytes ?? Infinity) / 8);
  const tinyCols = cols('int64');
  const tiny = probe(store, tinyCols, [[1n]]);
  const latency = tiny.sec;
  // Long strings: the cost per byte.
  const strCols = cols('int64', 'string');
  const pad = 'x'.repeat(4088);
  let n = 16;
  let strings = probe(store, strCols, Array.from({ length: n }, (_, i) => [BigInt(i), pad]));
  while (strings.sec - latency < MEANINGFUL_SEC && strings.bytes * 4 <= limit) {
    n *= 4;
    strings = probe(store, strCols, Array.from({ length: n }, (_, i) => [BigInt(i), pad]));
  }
  const strRows = Array.from({ length: n }, (_, i) => [BigInt(i), pad]);
  // Many small integers: the cost per value.
  const intCols = cols('int64', 'int64', 'int64', 'int64');
  const intRows = (m: number): ScalarValue[][] => Array.from({ length: m }, (_, i) => [BigInt(i * 7919), BigInt(i), BigInt(-i), BigInt(i % 977)]);
  let m = 1024;
  let ints = probe(store, intCols, intRows(m));
  while (ints.sec - latency < MEANINGFUL_SEC && ints.bytes * 4 <= limit && 16 * m <= MAX_PROBE_VALUES) {
    m *= 4;
    ints = probe(store, intCols, intRows(m));
  }
  // t − latency = R·β + V·γ for both probes: two equations, two unknowns.
  const [r1, v1, c1] = [Number(rowsBytes(strCols, strRows)), 2 * n, Math.max(0, strings.sec - latency)];
  const [r2, v2, c2] = [Number(rowsBytes(intCols, intRows(m))), 4 * m, Math.max(0, ints.sec - latency)];
  const det = r1 * v2 - r2 * v1;
  let beta = (c1 * v2 - c2 * v1) / det;
  let gamma = (r1 * c2 - r2 * c1) / det;
  // Noise can push one below zero: then the other probe alone says it.
  if (!(beta > 0)) beta = Math.max(c1 / r1 / 2, 1e-12);
  if (!(gamma > 0)) gamma = Math.max((c2 - r2 * beta) / v2, c2 / v2 / 10, 1e-10);
  return {
    latencySec: latency,
    secPerByte: beta,
    secPerValue: gamma,
    rttSec: pings.length > 0 ? median(pings) : null,
    measuredAt: new Date().toISOString(),
    probeBytes: Math.max(strings.bytes, ints.bytes),
    seconds: (performance.now() - start) / 1000,
  };
}

/** Where a store's figures live: one file for every store, keyed by host and store location. */
export function storeRatesPath(cacheDir: string): string {
  return join(cacheDir, STORE_RATES_FILE);
}

const storeId = (location: string) => `${hostname()} ${location}`;

/** The file's two maps: stores by host and location, interpreter speeds by host. */
function readDoc(cacheDir: string): { stores: Record<string, unknown>; interpreters: Record<string, unknown> } {
  const map = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  try {
    const doc = JSON.parse(readTextFile(storeRatesPath(cacheDir), 2 ** 20)) as Record<string, unknown>;
    return doc && doc['format'] === FORMAT ? { stores: map(doc['stores']), interpreters: map(doc['interpreters']) } : { stores: {}, interpreters: {} };
  } catch {
    return { stores: {}, interpreters: {} }; // missing, unreadable or corrupt: measured again
  }
}

const readAll = (cacheDir: string) => readDoc(cacheDir).stores;

function writeDoc(cacheDir: string, doc: { stores: Record<string, unknown>; interpreters: Record<string, unknown> }): void {
  writeFileAtomic(storeRatesPath(cacheDir), JSON.stringify({ format: FORMAT, ...doc }, null, 2) + '\n', { mkdir: true });
}

/** The interpreter's speed measured on this host (same Node), cached beside the stores' figures. */
export interface CachedInterpreterRate {
  readonly opsPerSec: number;
  readonly secPerRow: number;
  readonly measuredAt: string;
  readonly fromCache: boolean;
}

const interpreterId = () => `${hostname()} node ${process.version}`;

/** The cached interpreter speed (not too old), else `measure()`'s, cached. Throws what `measure` throws. */
export function interpreterRate(cacheDir: string, measure: () => { opsPerSec: number; secPerRow: number }, opts: { refresh?: boolean; onSaveError?: (e: Error) => void; now?: number } = {}): CachedInterpreterRate {
  const now = opts.now ?? Date.now();
  if (!opts.refresh) {
    const v = readDoc(cacheDir).interpreters[interpreterId()] as Record<string, unknown> | undefined;
    const ops = v?.['opsPerSec'];
    const row = v?.['secPerRow'];
    const at = v?.['measuredAt'];
    const age = typeof at === 'string' ? now - Date.parse(at) : NaN;
    const ok = typeof ops === 'number' && Number.isFinite(ops) && ops > 0 && typeof row === 'number' && Number.isFinite(row) && row >= 0;
    if (ok && age >= 0 && age < STORE_RATES_MAX_AGE_MS) return { opsPerSec: ops, secPerRow: row, measuredAt: at as string, fromCache: true };
  }
  const m = measure();
  const got = { opsPerSec: m.opsPerSec, secPerRow: m.secPerRow, measuredAt: new Date(now).toISOString() };
  try {
    const doc = readDoc(cacheDir);
    writeDoc(cacheDir, { stores: doc.stores, interpreters: { ...doc.interpreters, [interpreterId()]: got } });
  } catch (e) {
    opts.onSaveError?.(e as Error);
  }
  return { ...got, fromCache: false };
}

function valid(v: unknown): v is MeasuredRates {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  const pos = (k: string) => typeof o[k] === 'number' && Number.isFinite(o[k]) && (o[k] as number) > 0;
  return pos('latencySec') && pos('secPerByte') && pos('secPerValue') && (o['rttSec'] === null || pos('rttSec')) && typeof o['measuredAt'] === 'string' && pos('probeBytes') && typeof o['seconds'] === 'number';
}

/** The cached figures of a store (measured on this host, not too old), or null. */
export function cachedStoreRates(cacheDir: string, location: string, now = Date.now()): MeasuredRates | null {
  const v = readAll(cacheDir)[storeId(location)];
  if (!valid(v)) return null;
  const age = now - Date.parse(v.measuredAt);
  return age >= 0 && age < STORE_RATES_MAX_AGE_MS ? v : null;
}

/** Records a store's figures (other stores' stay). Throws fs errors. */
export function saveStoreRates(cacheDir: string, location: string, rates: MeasuredRates): void {
  const doc = readDoc(cacheDir);
  writeDoc(cacheDir, { stores: { ...doc.stores, [storeId(location)]: rates }, interpreters: doc.interpreters });
}

/**
 * The store's figures: cached (unless `refresh`), else measured now and cached. Throws an Error
 * saying why when it cannot measure (the store is down, refuses the probe, …).
 */
export function storeRates(store: MemoStore, cacheDir: string, opts: { refresh?: boolean; onSaveError?: (e: Error) => void } = {}): RatesRead {
  if (!opts.refresh) {
    const cached = cachedStoreRates(cacheDir, store.location);
    if (cached) return { rates: cached, fromCache: true };
  }
  const rates = measureStore(store);
  try {
    saveStoreRates(cacheDir, store.location, rates);
  } catch (e) {
    opts.onSaveError?.(e as Error);
  }
  return { rates, fromCache: false };
}
