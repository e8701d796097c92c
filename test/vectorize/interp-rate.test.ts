// The verdict prices W — interpreter operations — at the interpreter's measured speed, not at the
// roofline's multiply-adds (hundreds of times faster), so a run fetches what it would compute far
// slower; the speed is measured once per host and Node and cached beside the stores' figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { FnCost, MachCap } from '../../src/coren/index.js';
import { measureInterpreter } from '../../src/runtime/interp-rate.js';
import { interpreterRate, saveStoreRates, shutdownWorkers, STORE_RATES_FILE, cachedStoreRates } from '../../src/runtime/vectorize/index.js';
import { fixedMachine, folderMemo, HEAVY, runVec, tempDir } from './helpers.js';

afterAll(() => shutdownWorkers());

describe('the interpreter speed', () => {
  it('is measured from two vectorizes: per operation and per row', () => {
    const got = measureInterpreter({ scale: 0.05, trials: 1 });
    expect(got.opsPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(got.opsPerSec)).toBe(true);
    expect(got.secPerRow).toBeGreaterThanOrEqual(0);
    expect(got.seconds).toBeGreaterThan(0);
  });

  it('is cached per host and Node beside the stores, kept 7 days, and leaves the stores\u2019 figures alone', () => {
    const cache = tempDir();
    const rates = { latencySec: 0.001, secPerByte: 1e-8, secPerValue: 1e-6, rttSec: null, measuredAt: new Date().toISOString(), probeBytes: 1 << 20, seconds: 0.2 };
    saveStoreRates(cache, '/stores/a', rates);
    let measured = 0;
    const measure = () => (measured++, { opsPerSec: 12_345_678, secPerRow: 2e-5 });
    expect(interpreterRate(cache, measure)).toMatchObject({ opsPerSec: 12_345_678, secPerRow: 2e-5, fromCache: false });
    expect(interpreterRate(cache, measure)).toMatchObject({ opsPerSec: 12_345_678, secPerRow: 2e-5, fromCache: true });
    expect(measured).toBe(1);
    expect(cachedStoreRates(cache, '/stores/a')).toEqual(rates);
    saveStoreRates(cache, '/stores/b', rates);
    expect(interpreterRate(cache, measure).fromCache).toBe(true);
    expect(interpreterRate(cache, measure, { now: Date.now() + 8 * 86_400_000 }).fromCache).toBe(false);
    expect(interpreterRate(cache, measure, { refresh: true }).fromCache).toBe(false);
    expect(measured).toBe(3);
    const doc = JSON.parse(readFileSync(join(cache, STORE_RATES_FILE), 'utf8')) as { interpreters: Record<string, unknown> };
    expect(Object.keys(doc.interpreters)).toEqual([expect.stringContaining(`node ${process.version}`)]);
    writeFileSync(join(cache, STORE_RATES_FILE), '{"format":');
    expect(interpreterRate(cache, measure).fromCache).toBe(false);
  });

  it('prices tCompute: W / opsPerSec, so a result that computes slowly in the interpreter is fetched', () => {
    // A fast roofline (1e9 ops/s) with a slow fetch: on the roofline computing wins.
    const machine = fixedMachine({ opsPerSec: 1e9, netBytesPerSec: 1e8 });
    const storeRates = { latencySec: 0.002, secPerByte: 1e-8, secPerValue: 1e-6 };
    const memo = folderMemo(tempDir());
    runVec(HEAVY(), { memo, machine, storeRates });
    const roofline = runVec(HEAVY(), { memo, machine, storeRates }).engine.reports[0]!;
    expect([roofline.decision, roofline.result]).toEqual(['compute', 'computed']);
    // The interpreter at 100k operations a second: W takes far longer than the fetch.
    const interpreter = { opsPerSec: 1e5, secPerRow: 1e-3, measuredAt: '2026-01-01T00:00:00.000Z', fromCache: true };
    const { engine } = runVec(HEAVY(), { memo, machine, storeRates, interpreter });
    const rep = engine.reports[0]!;
    expect([rep.decision, rep.result]).toEqual(['fetch', 'fetched']);
    // tCompute = W / opsPerSec + rows · secPerRow (HEAVY has 20 rows).
    expect(rep.verdict!.tCompute).toBeCloseTo(Number(rep.cost!.ops) / 1e5 + 20 * 1e-3, 9);
    expect(engine.memoSummary()?.interpreter).toEqual(interpreter);
  });

  it('MachCap.verdict({opsPerSec}) replaces only the compute rate, and refuses a rate that is not positive', () => {
    const cap = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1e6 });
    const cost = FnCost.new(2_000_000n, 1000n, 1000n, 10_000n); // tFetch 0.01 s
    const plain = cap.verdict(cost);
    const slow = cap.verdict(cost, { opsPerSec: 1e6 });
    expect(plain.tCompute).toBeCloseTo(0.002, 12);
    expect(slow.tCompute).toBeCloseTo(2, 12);
    expect(slow.tFetch).toBe(plain.tFetch);
    expect([plain.shouldFetch(), slow.shouldFetch()]).toEqual([false, true]);
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => cap.verdict(cost, { opsPerSec: bad })).toThrow(/MachCap.verdict: opsPerSec must be a finite number > 0/);
  });
});
