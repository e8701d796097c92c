// store-rates.ts with hand-computed figures: measureStore against an in-memory store on a fake clock
// (each fetch takes latency + R·β + V·γ, so the two probes' equations give back β and γ; the probe
// sizes follow from the limits), the medians of PINGs and trials, every way a probe fails (in full),
// and the cache file: valid figures only, 7 days, other stores and hosts kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { diagnostic } from '../../src/diagnostics.js';
import type { ScalarValue } from '../../src/model/index.js';
import {
  cachedStoreRates,
  interpreterRate,
  measureStore,
  saveStoreRates,
  storeRates,
  storeRatesPath,
  STORE_RATES_FILE,
  STORE_RATES_MAX_AGE_MS,
  type MeasuredRates,
  type MemoEntry,
  type MemoHead,
  type MemoLimits,
  type MemoPut,
  type MemoStore,
  type PutOptions,
} from '../../src/runtime/vectorize/memo/index.js';
import { tempDir } from './helpers.js';

/** The test's clock, in ms: performance.now() reads it, fetches advance it. */
let clock = 0;
afterEach(() => {
  vi.restoreAllMocks();
});
let idles: unknown[][] = [];
/** The fake clock; the idle wait before each fetch is recorded instead of slept (it is not timed). */
function fakeClock(): void {
  clock = 1_000;
  idles = [];
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.spyOn(Atomics, 'wait').mockImplementation((...args: unknown[]) => (idles.push(args.slice(1)), 'timed-out'));
}

/** Canonical bytes of a probe row, by hand: an int64 column takes 8 bytes, a string its length. */
const rowBytes = (row: readonly ScalarValue[]) => row.reduce<number>((a, v) => a + (typeof v === 'string' ? v.length : 8), 0);

interface Fake extends MemoStore {
  readonly puts: { rows: number; fn: string; opts: PutOptions | undefined }[];
  readonly removed: string[];
  readonly held: Map<string, MemoEntry>;
  ping?(): number | null;
}

/**
 * An in-memory store whose fetch takes `latency` seconds for the tiny probe and latency + R·β + V·γ
 * for the others; each of a probe's six fetches is scaled by the next of `trial` (the first is the
 * untimed warm-up). A put reports R + 200 bytes (a header of 200).
 */
function fake(opts: { latency: number; beta: number; gamma: number; tiny?: number; limits?: Partial<MemoLimits>; trial?: number[]; put?: (e: MemoEntry) => MemoPut | null; head?: (k: string) => MemoHead | null }): Fake {
  const held = new Map<string, MemoEntry>();
  const puts: Fake['puts'] = [];
  const removed: string[] = [];
  const trial = opts.trial ?? [1, 1, 1, 1, 1, 1];
  const fetches = new Map<string, number>();
  return {
    location: '/fake/store',
    transport: 'disk',
    limits: { maxEntryBytes: 64 * 2 ** 20, maxTotalBytes: null, policy: 'none', ...opts.limits },
    puts,
    removed,
    held,
    head(key) {
      const special = opts.head?.(key);
      if (special) return special;
      const e = held.get(key);
      if (!e) return { kind: 'missing', where: key };
      const r = e.rows.reduce((a, row) => a + rowBytes(row), 0);
      const v = e.rows.reduce((a, row) => a + row.length, 0);
      return {
        kind: 'found',
        where: key,
        header: { fn: e.fn, cost: e.cost, rows: e.rows.length, bytes: r + 200 },
        fetch: () => {
          const i = fetches.get(key) ?? 0;
          fetches.set(key, i + 1);
          const sec = e.rows.length === 1 && e.rows[0]!.length === 1 ? (opts.tiny ?? opts.latency) : opts.latency + r * opts.beta + v * opts.gamma;
          clock += sec * 1000 * (trial[i] ?? 1);
          return { kind: 'hit', where: key, bytes: r + 200, entry: e };
        },
      };
    },
    put(key, entry, o) {
      puts.push({ rows: entry.rows.length, fn: entry.fn, opts: o });
      const special = opts.put?.(entry);
      if (special) return special;
      held.set(key, entry);
      return { kind: 'stored', bytes: entry.rows.reduce((a, row) => a + rowBytes(row), 0) + 200, evicted: { entries: 0, bytes: 0 } };
    },
    remove(key) {
      removed.push(key);
      held.delete(key);
    },
  };
}

const rel = (got: number, want: number) => Math.abs(got / want - 1);

describe('measureStore on a fake clock', () => {
  it('solves the two probes for β and γ; the tiny probe is the latency; probes grow ×4 until a fetch takes 30 ms more', () => {
    fakeClock();
    const store = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    const r = measureStore(store);
    // Strings (16 rows of 8 + 4088 bytes, 2 values each): 30 ms beyond the latency first at 1024 rows
    // (R = 4 MiB: 41.9 ms + 2.0 ms). Integers (4 int64 a row, 32 bytes): first at 16384 rows (5.2 ms + 65.5 ms).
    expect(store.puts.map((p) => p.rows)).toEqual([1, 16, 64, 256, 1024, 1024, 4096, 16384]);
    expect(store.puts.every((p) => p.fn === 'store probe' && p.opts?.ttlSec === 300 && p.opts.replace === true)).toBe(true);
    expect(r.latencySec).toBeCloseTo(0.001, 12);
    expect(rel(r.secPerByte, 1e-8)).toBeLessThan(1e-6);
    expect(rel(r.secPerValue, 1e-6)).toBeLessThan(1e-6);
    expect(r.rttSec).toBeNull();
    expect(r.probeBytes).toBe(1024 * 4096 + 200);
    // Every probe entry was removed again.
    expect(store.removed).toHaveLength(8);
    // Idle 5 ms before each of the 6 fetches of each probe (a run's fetch wakes a sleeping connection).
    expect(idles).toEqual(Array.from({ length: 48 }, () => [0, 0, 5]));
    expect(store.held.size).toBe(0);
    // Seconds: the fetches on the fake clock (6 a probe).
    const strings = [16, 64, 256, 1024].reduce((a, n) => a + 0.001 + n * 4096 * 1e-8 + 2 * n * 1e-6, 0);
    const ints = [1024, 4096, 16384].reduce((a, m) => a + 0.001 + m * 32 * 1e-8 + 4 * m * 1e-6, 0);
    expect(r.seconds).toBeCloseTo(6 * (0.001 + strings + ints), 9);
    expect(Date.now() - Date.parse(r.measuredAt)).toBeLessThan(600_000);
  });

  it('the median of five timed trials counts; the warm-up does not', () => {
    fakeClock();
    // Warm-up 100× slower, then 1, 1.4, 0.6, 1.2, 0.8: the median is the model's time.
    const r = measureStore(fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, trial: [100, 1, 1.4, 0.6, 1.2, 0.8] }));
    expect(r.latencySec).toBeCloseTo(0.001, 12);
    expect(rel(r.secPerByte, 1e-8)).toBeLessThan(1e-6);
  });

  it('a store that answers PING: five round trips, their median', () => {
    fakeClock();
    const store = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    const rtts = [0.004, 0.001, 0.003, 0.005, 0.002];
    let pinged = 0;
    store.ping = () => rtts[pinged++] ?? 1;
    expect(measureStore(store).rttSec).toBe(0.003);
    expect(pinged).toBe(5);
    const silent = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    let tries = 0;
    silent.ping = () => (++tries === 3 ? null : 0.001);
    expect(() => measureStore(silent)).toThrow(new Error('it does not answer PING'));
    expect([tries, silent.puts.length]).toEqual([3, 0]);
  });

  it('probes stay within a quarter of the limit: half the entry limit, an eighth of the total, or the given bound', () => {
    // A 1 MiB bound: strings stop at 64 rows (262,344 bytes; ×4 is over 1 MiB), integers still reach 16384 rows.
    const cases: [Partial<MemoLimits>, number | undefined][] = [
      [{ maxEntryBytes: 2 * 2 ** 20 }, undefined],
      [{ maxTotalBytes: 8 * 2 ** 20 }, undefined],
      [{}, 2 ** 20],
    ];
    for (const [limits, bound] of cases) {
      fakeClock();
      const store = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, limits });
      const r = bound === undefined ? measureStore(store) : measureStore(store, bound);
      expect(store.puts.map((p) => p.rows)).toEqual([1, 16, 64, 1024, 4096, 16384]);
      expect(rel(r.secPerByte, 1e-8)).toBeLessThan(1e-6);
      expect(rel(r.secPerValue, 1e-6)).toBeLessThan(1e-6);
      expect(r.probeBytes).toBe(16384 * 32 + 200);
    }
    // Just at the edge: 64 rows' ×4 (1,049,376 bytes) equal to the limit still grows.
    fakeClock();
    const edge = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    measureStore(edge, 1_049_376);
    expect(edge.puts.map((p) => p.rows)).toEqual([1, 16, 64, 256, 1024, 4096, 16384]);
  });

  it('the 30 ms are counted beyond the latency (a slow store still grows its probes)', () => {
    fakeClock();
    // Latency 10 ms: the strings' 11 ms more at 256 rows is not enough; 44 ms at 1024 is; integers 17.7 ms at 4096, 70.8 at 16384.
    const store = fake({ latency: 0.01, beta: 1e-8, gamma: 1e-6 });
    const r = measureStore(store);
    expect(store.puts.map((p) => p.rows)).toEqual([1, 16, 64, 256, 1024, 1024, 4096, 16384]);
    expect(r.latencySec).toBeCloseTo(0.01, 12);
  });

  it('probes stop at 16 MiB by default, and integer probes at a quarter of the limit too', () => {
    fakeClock();
    // Strings never take 30 ms (β = 1e-12): 1024 rows (4,194,504 bytes; ×4 is over 16 MiB) is the last.
    const big = fake({ latency: 0.001, beta: 1e-12, gamma: 1e-6 });
    measureStore(big);
    expect(big.puts.map((p) => p.rows)).toEqual([1, 16, 64, 256, 1024, 1024, 4096, 16384]);
    // A 1 MiB entry limit: probes of at most 512 KiB × … strings stop at 64 rows, integers at 4096 (525,088 > 524,288 after ×4).
    fakeClock();
    const small = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, limits: { maxEntryBytes: 2 ** 20 } });
    measureStore(small);
    expect(small.puts.map((p) => p.rows)).toEqual([1, 16, 64, 1024, 4096]);
  });

  it('noise that makes the per-value cost come out negative: a tenth of the integer probe\'s cost per value', () => {
    fakeClock();
    // β = 1e-7 (strings stop at 256 rows), γ = -1e-9: c2/V2 = 32·β/4 + γ = 7.99e-7 a value; a tenth of it.
    const r = measureStore(fake({ latency: 0.001, beta: 1e-7, gamma: -1e-9 }));
    expect(rel(r.secPerByte, 1e-7)).toBeLessThan(1e-6);
    expect(rel(r.secPerValue, 7.99e-8)).toBeLessThan(1e-6);
  });

  it('noise that makes the per-byte cost come out negative: half the string probe\'s cost per byte', () => {
    fakeClock();
    // β = -1e-10, γ = 1e-6: c1/R1 = β + 2γ/4096 = 3.8828125e-10 a byte; half of it. γ stays.
    const r = measureStore(fake({ latency: 0.001, beta: -1e-10, gamma: 1e-6 }));
    expect(rel(r.secPerByte, 1.94140625e-10)).toBeLessThan(1e-6);
    expect(rel(r.secPerValue, 1e-6)).toBeLessThan(1e-6);
  });

  it('probes faster than the tiny one cost nothing beyond the latency: the floors 1e-12 s a byte and 1e-10 s a value', () => {
    fakeClock();
    // The tiny fetch takes 10 ms, the others microseconds (L = 0): both differences are clamped to 0.
    const r = measureStore(fake({ latency: 0, tiny: 0.01, beta: 1e-12, gamma: 1e-9 }), 2 ** 20);
    expect([r.latencySec, r.secPerByte, r.secPerValue]).toEqual([0.01, 1e-12, 1e-10]);
  });

  it('integer probes stop at 2^20 values (16 × rows); strings at 30 ms even when the limit allows more', () => {
    fakeClock();
    // β = 1e-9, γ = 1e-12, a 64 MiB bound: strings take 30 ms beyond the latency only past 4096 rows, where
    // ×4 (67,109,664 bytes) passes the bound; integers never take 30 ms (8.4 ms at 262144 rows), and
    // 16 × 65536 = 2^20 still grows, 16 × 262144 does not.
    const store = fake({ latency: 0.001, beta: 1e-9, gamma: 1e-12, limits: { maxEntryBytes: 2 ** 27 } });
    measureStore(store, 2 ** 26);
    expect(store.puts.map((p) => p.rows)).toEqual([1, 16, 64, 256, 1024, 4096, 1024, 4096, 16384, 65536, 262144]);
    // Strings that take 30 ms stop there, though the bound would allow four times more.
    fakeClock();
    const timed = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, limits: { maxEntryBytes: 2 ** 27 } });
    measureStore(timed, 2 ** 26);
    expect(timed.puts.map((p) => p.rows)).toEqual([1, 16, 64, 256, 1024, 1024, 4096, 16384]);
    // Integer probes at exactly a quarter of the bound still grow: 4096 rows take 131,272 bytes, ×4 = 525,088.
    fakeClock();
    const edge = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    measureStore(edge, 525_088);
    expect(edge.puts.map((p) => p.rows)).toEqual([1, 16, 64, 1024, 4096, 16384]);
  });

  it('each failing probe says why, and its entry is removed', () => {
    fakeClock();
    const refused = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, put: () => ({ kind: 'refused', diagnostic: diagnostic('MRG4034', 'too big for it') }) });
    expect(() => measureStore(refused)).toThrow(new Error('too big for it'));
    expect(refused.removed).toHaveLength(1);
    const down = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, put: () => ({ kind: 'unavailable', where: 'w', why: 'the store was closed' }) });
    expect(() => measureStore(down)).toThrow(new Error('the store was closed'));
    const exists = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, put: () => ({ kind: 'exists' }) });
    expect(() => measureStore(exists)).toThrow(new Error('the probe entry was not stored'));
    const lost = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, head: () => ({ kind: 'corrupt', where: 'w', why: 'its hash is missing' }) });
    expect(() => measureStore(lost)).toThrow(new Error('the probe entry could not be fetched back (corrupt: its hash is missing)'));
    expect(lost.removed).toHaveLength(1);
    const gone = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6, head: () => ({ kind: 'missing', where: 'w' }) });
    expect(() => measureStore(gone)).toThrow(new Error('the probe entry could not be fetched back (missing)'));
    // Rows that come back changed (a string where an int64 was).
    const changed = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    const put = changed.put.bind(changed);
    changed.put = (k, e, o) => put(k, { ...e, rows: e.rows.map((r) => r.map(() => 'x')) }, o);
    expect(() => measureStore(changed)).toThrow(new Error('the probe entry came back changed'));
    expect(changed.held.size).toBe(0);
  });
});

// ------------------------------------------------------------------ the cache file

const rates = (over: Partial<MeasuredRates> = {}): MeasuredRates => ({ latencySec: 0.002, secPerByte: 1e-8, secPerValue: 1e-6, rttSec: 0.0005, measuredAt: new Date().toISOString(), probeBytes: 4096, seconds: 0.5, ...over });

describe('store figures in the cache', () => {
  it('live in memo-stores.json, keyed by host and location, with a format line', () => {
    const cache = tempDir();
    expect(STORE_RATES_FILE).toBe('memo-stores.json');
    expect(storeRatesPath(cache)).toBe(join(cache, 'memo-stores.json'));
    const r = rates();
    saveStoreRates(cache, 'redis://h:6379/0', r);
    const text = readFileSync(join(cache, 'memo-stores.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({ format: 'merg-e-store-rates/1', stores: { [`${hostname()} redis://h:6379/0`]: r }, interpreters: {} });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "merg-e-store-rates/1",');
  });

  it('a cache folder that does not exist yet is made', () => {
    const cache = join(tempDir(), 'not', 'yet');
    const r = rates();
    saveStoreRates(cache, '/s', r);
    expect(cachedStoreRates(cache, '/s')).toEqual(r);
  });

  it('are used for 7 days, not before they were measured, and only when every figure is sound', () => {
    const cache = tempDir();
    const at = Date.parse('2026-03-01T00:00:00.000Z');
    const r = rates({ measuredAt: '2026-03-01T00:00:00.000Z' });
    saveStoreRates(cache, '/s', r);
    expect(STORE_RATES_MAX_AGE_MS).toBe(604_800_000);
    expect(cachedStoreRates(cache, '/s', at)).toEqual(r);
    expect(cachedStoreRates(cache, '/s', at + 604_799_999)).toEqual(r);
    expect(cachedStoreRates(cache, '/s', at + 604_800_000)).toBeNull();
    expect(cachedStoreRates(cache, '/s', at - 1)).toBeNull();
    const bad: Partial<Record<keyof MeasuredRates, unknown>>[] = [
      { latencySec: 0 },
      { latencySec: -1 },
      { secPerByte: 'INF' },
      { secPerValue: '1e-6' },
      { rttSec: 0 },
      { rttSec: undefined },
      { measuredAt: 5 },
      { measuredAt: ['2026-03-01T00:00:00.000Z'] },
      { probeBytes: 0 },
      { seconds: '0.5' },
    ];
    const file = join(cache, STORE_RATES_FILE);
    for (const b of bad) {
      saveStoreRates(cache, '/bad', { ...r, ...b } as MeasuredRates);
      // JSON has no Infinity: 1e999 reads back as one.
      writeFileSync(file, readFileSync(file, 'utf8').replace('"INF"', '1e999'));
      expect(cachedStoreRates(cache, '/bad', at)).toBeNull();
    }
    saveStoreRates(cache, '/ok', { ...r, rttSec: null, seconds: 0 });
    expect(cachedStoreRates(cache, '/ok', at)).toEqual({ ...r, rttSec: null, seconds: 0 });
  });

  it('a file of another format, or not an object, or whose maps are not maps, holds nothing (and is rewritten whole)', () => {
    const cache = tempDir();
    const file = join(cache, STORE_RATES_FILE);
    const r = rates();
    const key = `${hostname()} /s`;
    for (const doc of [{ format: 'merg-e-store-rates/0', stores: { [key]: r } }, null, [1], { format: 'merg-e-store-rates/1', stores: [r] }, { format: 'merg-e-store-rates/1', stores: null }]) {
      writeFileSync(file, JSON.stringify(doc));
      expect(cachedStoreRates(cache, '/s')).toBeNull();
    }
    writeFileSync(file, JSON.stringify({ format: 'merg-e-store-rates/1', stores: { [key]: null } }));
    expect(cachedStoreRates(cache, '/s')).toBeNull();
    writeFileSync(file, JSON.stringify({ format: 'merg-e-store-rates/1', stores: { [key]: r, other: 1 }, interpreters: [1] }));
    expect(cachedStoreRates(cache, '/s')).toEqual(r);
    saveStoreRates(cache, '/t', r);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ format: 'merg-e-store-rates/1', stores: { [key]: r, other: 1, [`${hostname()} /t`]: r }, interpreters: {} });
  });

  it('storeRates: cached unless refresh; measured and saved otherwise; a save error is handed on, not thrown', () => {
    const cache = tempDir();
    const r = rates();
    saveStoreRates(cache, '/fake/store', r);
    const store = fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 });
    expect(storeRates(store, cache)).toEqual({ rates: r, fromCache: true });
    expect(store.puts).toHaveLength(0);
    fakeClock();
    const fresh = storeRates(store, cache, { refresh: true });
    expect(fresh.fromCache).toBe(false);
    expect(rel(fresh.rates.secPerByte, 1e-8)).toBeLessThan(1e-6);
    vi.restoreAllMocks();
    expect(cachedStoreRates(cache, '/fake/store')).toEqual(fresh.rates);
    // The cache folder is a file: the figures are still returned, the error handed to onSaveError.
    const file = join(tempDir(), 'f');
    writeFileSync(file, '');
    fakeClock();
    const errors: string[] = [];
    const got = storeRates(fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 }), file, { onSaveError: (e) => errors.push(e.message) });
    expect(got.fromCache).toBe(false);
    expect(errors).toHaveLength(1);
    fakeClock();
    expect(storeRates(fake({ latency: 0.001, beta: 1e-8, gamma: 1e-6 }), file).fromCache).toBe(false);
  });
});

describe('the interpreter speed in the cache', () => {
  const at = Date.parse('2026-03-01T00:00:00.000Z');
  const id = `${hostname()} node ${process.version}`;

  it('is measured, saved with the time of `now`, then read back until 7 days have passed', () => {
    const cache = tempDir();
    let measured = 0;
    const measure = () => (measured++, { opsPerSec: 2e6, secPerRow: 3e-5 });
    expect(interpreterRate(cache, measure, { now: at })).toEqual({ opsPerSec: 2e6, secPerRow: 3e-5, measuredAt: '2026-03-01T00:00:00.000Z', fromCache: false });
    expect(JSON.parse(readFileSync(join(cache, STORE_RATES_FILE), 'utf8'))).toEqual({ format: 'merg-e-store-rates/1', stores: {}, interpreters: { [id]: { opsPerSec: 2e6, secPerRow: 3e-5, measuredAt: '2026-03-01T00:00:00.000Z' } } });
    expect(interpreterRate(cache, measure, { now: at + 604_799_999 })).toEqual({ opsPerSec: 2e6, secPerRow: 3e-5, measuredAt: '2026-03-01T00:00:00.000Z', fromCache: true });
    expect(interpreterRate(cache, measure, { now: at }).fromCache).toBe(true);
    expect(measured).toBe(1);
    expect(interpreterRate(cache, measure, { now: at, refresh: true }).fromCache).toBe(false);
    expect(measured).toBe(2);
    expect(interpreterRate(cache, measure, { now: at + 604_800_000 }).fromCache).toBe(false);
    expect(measured).toBe(3);
    expect(interpreterRate(cache, measure, { now: at - 1 }).fromCache).toBe(false);
    expect(measured).toBe(4);
  });

  it('unsound cached figures are measured again; secPerRow may be 0', () => {
    const cache = tempDir();
    const file = join(cache, STORE_RATES_FILE);
    const when = '2026-03-01T00:00:00.000Z';
    const cases: [unknown, boolean][] = [
      [{ opsPerSec: 1e6, secPerRow: 0, measuredAt: when }, true],
      [{ opsPerSec: 0, secPerRow: 0, measuredAt: when }, false],
      [{ opsPerSec: 'INF', secPerRow: 0, measuredAt: when }, false],
      [{ opsPerSec: 1e6, secPerRow: 'INF', measuredAt: when }, false],
      [{ opsPerSec: '1e6', secPerRow: 0, measuredAt: when }, false],
      [{ opsPerSec: 1e6, secPerRow: -1e-9, measuredAt: when }, false],
      [{ opsPerSec: 1e6, secPerRow: NaN, measuredAt: when }, false],
      [{ opsPerSec: 1e6, secPerRow: '0', measuredAt: when }, false],
      [{ opsPerSec: 1e6, secPerRow: 0, measuredAt: 5 }, false],
      [{ opsPerSec: 1e6, secPerRow: 0, measuredAt: 'yesterday' }, false],
      [{ opsPerSec: 1e6, secPerRow: 0, measuredAt: [when] }, false],
    ];
    for (const [v, cached] of cases) {
      writeFileSync(file, JSON.stringify({ format: 'merg-e-store-rates/1', stores: {}, interpreters: { [id]: v } }).replace('"INF"', '1e999'));
      expect(interpreterRate(cache, () => ({ opsPerSec: 5, secPerRow: 5 }), { now: at + 1000 }).fromCache).toBe(cached);
    }
  });

  it('keeps the stores and other hosts, is kept by a store saved later, and a save error goes to onSaveError', () => {
    const cache = tempDir();
    const r = rates();
    saveStoreRates(cache, '/s', r);
    writeFileSync(join(cache, STORE_RATES_FILE), readFileSync(join(cache, STORE_RATES_FILE), 'utf8').replace('"interpreters": {}', '"interpreters": {"other-host node v1": {"opsPerSec": 1}}'));
    interpreterRate(cache, () => ({ opsPerSec: 1, secPerRow: 1 }), { now: at });
    expect(cachedStoreRates(cache, '/s')).toEqual(r);
    saveStoreRates(cache, '/t', r);
    expect(JSON.parse(readFileSync(join(cache, STORE_RATES_FILE), 'utf8')).interpreters).toEqual({ 'other-host node v1': { opsPerSec: 1 }, [id]: { opsPerSec: 1, secPerRow: 1, measuredAt: '2026-03-01T00:00:00.000Z' } });
    const file = join(tempDir(), 'f');
    writeFileSync(file, '');
    const errors: Error[] = [];
    expect(interpreterRate(file, () => ({ opsPerSec: 1, secPerRow: 1 }), { now: at, onSaveError: (e) => errors.push(e) }).fromCache).toBe(false);
    expect(errors).toHaveLength(1);
    // Without onSaveError the figures are still returned.
    expect(interpreterRate(file, () => ({ opsPerSec: 1, secPerRow: 1 }), { now: at })).toEqual({ opsPerSec: 1, secPerRow: 1, measuredAt: '2026-03-01T00:00:00.000Z', fromCache: false });
  });
});
