// The verdict sees the network to the store: a store's fetch figures are measured once (probe
// entries written, fetched and deleted), cached per store beside the machine's, and price tFetch;
// `merg-e run` shows them, and `coren --store` prints the verdict table against the store.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { corenMain } from '../../src/cli/coren-main.js';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { cachedStoreRates, measureStore, saveStoreRates, shutdownWorkers, STORE_RATES_FILE, type MemoSummary, type VectorizeReport } from '../../src/runtime/vectorize/index.js';
import { fakeProbes } from '../coren/fakes.js';
import { rawCommand, REDIS_SERVER, startRedis, type RedisServer } from '../support/redis.js';
import { folderMemo, HEAVY, runVec, tempDir } from './helpers.js';

afterAll(() => shutdownWorkers());

const servers: RedisServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

describe('store figures', () => {
  it('measures a folder store with probe entries it deletes again', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const r = measureStore(memo);
    expect(r.latencySec).toBeGreaterThan(0);
    expect(r.secPerByte).toBeGreaterThan(0);
    expect(r.secPerValue).toBeGreaterThan(0);
    expect(r.rttSec).toBeNull(); // a folder answers no PING
    expect(r.probeBytes).toBeGreaterThan(64 * 1024);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('are cached per store and host, and measured again when too old or unreadable', () => {
    const cache = tempDir();
    const rates = { latencySec: 0.001, secPerByte: 1e-8, secPerValue: 1e-6, rttSec: null, measuredAt: new Date().toISOString(), probeBytes: 1 << 20, seconds: 0.2 };
    saveStoreRates(cache, '/stores/a', rates);
    saveStoreRates(cache, 'redis://h:6379/0', { ...rates, rttSec: 0.0002 });
    expect(cachedStoreRates(cache, '/stores/a')).toEqual(rates);
    expect(cachedStoreRates(cache, 'redis://h:6379/0')?.rttSec).toBe(0.0002);
    expect(cachedStoreRates(cache, '/stores/b')).toBeNull();
    expect(cachedStoreRates(cache, '/stores/a', Date.now() + 8 * 86_400_000)).toBeNull();
    writeFileSync(join(cache, STORE_RATES_FILE), '{"format":');
    expect(cachedStoreRates(cache, '/stores/a')).toBeNull();
  });

  it('price the verdict: tFetch = latency + R·secPerByte + values·secPerValue', () => {
    const memo = folderMemo(tempDir());
    const storeRates = { latencySec: 0.002, secPerByte: 1e-8, secPerValue: 2e-7 };
    runVec(HEAVY(), { memo, storeRates });
    const { engine } = runVec(HEAVY(), { memo, storeRates });
    const rep = engine.reports[0]!;
    const r = Number(rep.cost!.resultBytes);
    expect(rep.verdict!.tFetch).toBeCloseTo(0.002 + r * 1e-8 + 20 * 2 * 2e-7, 12);
    expect(engine.memoSummary()?.rates).toEqual(storeRates);
    // A function is asked once, when the store is first used.
    let asked = 0;
    runVec(HEAVY_PAIR, { memo: folderMemo(tempDir()), storeRates: () => (asked++, storeRates) });
    expect(asked).toBe(1);
  });
});

const HEAVY_PAIR = `${HEAVY()}
mutable blocker c;
c += vectorize heavy inDf outDf;
await_all c;
`;

async function merge(args: string[]) {
  const io = captureIo();
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('merg-e run measures the store it uses', () => {
  it('measures on first use, caches beside the machine, shows the figures in --json and --report', async () => {
    const dir = tempDir();
    const prog = join(dir, 'heavy.merge');
    writeFileSync(prog, HEAVY());
    const args = ['--memo', join(dir, 'memo'), prog];
    const first = await merge(['--json', ...args]);
    const doc = JSON.parse(first.stdout) as { memo: MemoSummary; vectorize: VectorizeReport[] };
    expect(doc.memo.rates).toMatchObject({ fromCache: false, rttSec: null });
    expect(doc.memo.rates!.secPerByte).toBeGreaterThan(0);
    expect(existsSync(join(process.env['MERG_E_CACHE_DIR']!, STORE_RATES_FILE))).toBe(true);
    const second = await merge(['--report', ...args]);
    expect(second.stderr).toMatch(/memo fetch: [\d.]+ ms per fetch, [\d.]+[KMG]?B\/s of result bytes, [\d.]+[KMG]? values\/s \(measured .* UTC, cached\)/);
    expect(second.stderr).toMatch(/tFetch \(fetched in\)/);
    const third = JSON.parse((await merge(['--json', ...args])).stdout) as { memo: MemoSummary; vectorize: VectorizeReport[] };
    const rep = third.vectorize[0]!;
    const r = third.memo.rates!;
    expect(rep.verdict!.tFetch).toBeCloseTo(r.latencySec + Number(rep.cost!.resultBytes) * r.secPerByte + 40 * r.secPerValue, 9);
    // W is priced at the interpreter's speed, measured once and cached beside the store's figures.
    expect(third.memo.interpreter).toMatchObject({ fromCache: true });
    expect(rep.verdict!.tCompute).toBeGreaterThanOrEqual(Number(rep.cost!.ops) / third.memo.interpreter!.opsPerSec * (1 - 1e-9));
    expect(second.stderr).toMatch(/compute: W priced at [\d.]+[KMG]? interpreter operations\/s \+ [\d.]+ (µs|ms) a row \(measured .* UTC, cached\)/);
    if (rep.result === 'fetched') expect(rep.memo!.fetchSec).toBeGreaterThan(0);
  });

  it('a fixed machine (--machine FILE) fixes the verdict: the store is not measured', async () => {
    const dir = tempDir();
    const prog = join(dir, 'heavy.merge');
    writeFileSync(prog, HEAVY());
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ opsPerSec: 1e9, memBytesPerSec: 1e10, netBytesPerSec: 1e8 }));
    const doc = JSON.parse((await merge(['--json', '--machine', join(dir, 'm.json'), '--memo', join(dir, 'memo'), prog])).stdout) as { memo: MemoSummary };
    expect(doc.memo.rates).toBeNull();
    expect(doc.memo.interpreter).toBeNull();
  });
});

async function coren(args: string[]) {
  const io = captureIo();
  const status = await corenMain(args, io, { probes: fakeProbes() });
  return { status, out: io.stdout, err: io.stderr };
}

describe('coren --store', () => {
  it('prints the verdict table against a memo folder, with the store measured and cached', async () => {
    const store = tempDir();
    const { status, out, err } = await coren(['--store', store]);
    expect([status, err]).toEqual([0, '']);
    expect(out).toMatch(new RegExp(`^ {2}network {3}to the store ${store}: measured [\\d.]+ Mbit/s \\(.*\\); latency [\\d.]+ ms \\(a fetch of a tiny entry\\)$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}store {5}${store}: fetch [\\d.]+ ms \\+ .* of result bytes, .* values/s; measured .* UTC, cached in .*${STORE_RATES_FILE}$`, 'm'));
    expect(out).toMatch(/^ {4}sort 1M x 64B .*(fetch|compute)$/m);
    const again = JSON.parse((await coren(['--store', store, '--json'])).out);
    expect(again.store).toMatchObject({ location: store, reachable: true, fromCache: true, rttSec: null });
    expect(again.network).toMatchObject({ source: 'store', interface: store, present: true, latencySec: again.store.latencySec, bytesPerSec: again.store.bytesPerSec });
    const tFetch = again.store.latencySec + 10 * 2 ** 20 / again.store.bytesPerSec;
    expect(again.verdicts[0].tFetch).toBeCloseTo(tFetch, 9);
  });

  it('refuses --store with the network overrides, or with calibrate', async () => {
    expect((await coren(['--store', '/x', '--net-mbps', '10'])).status).toBe(2);
    expect((await coren(['calibrate', '--store', '/x'])).status).toBe(2);
    expect((await coren(['--store', 'memcached://h:1'])).status).toBe(2);
  });

  it.skipIf(!REDIS_SERVER)('measures a Redis store (round trip, fetch time, rates); unreachable: every verdict computes', async () => {
    const s = await startRedis();
    servers.push(s);
    process.env['MERG_E_MEMO_KEY'] = 'coren-test-secret-0123456789abcdef012345';
    try {
      const { status, out } = await coren(['--store', s.url, '--json']);
      expect(status).toBe(0);
      const j = JSON.parse(out);
      expect(j.store).toMatchObject({ location: s.url, reachable: true, fromCache: false });
      expect(j.store.rttSec).toBeGreaterThan(0);
      expect(j.network.source).toBe('store');
      // The probe entries are gone again.
      expect(await keys(s)).toBe('*0');
      const down = await coren(['--store', 'redis://127.0.0.1:1/0']);
      expect(down.status).toBe(0);
      expect(down.err).toMatch(/MRG4091 warning: memo store redis:\/\/127\.0\.0\.1:1\/0: cannot connect/);
      expect(down.out).toMatch(/^ {2}network {3}the store redis:\/\/127\.0\.0\.1:1\/0 cannot be reached: every verdict computes$/m);
      expect(down.out).toMatch(/^ {4}sort 1M x 64B .* -inf +memory compute$/m);
    } finally {
      delete process.env['MERG_E_MEMO_KEY'];
    }
  });
});

async function keys(s: RedisServer): Promise<string> {
  return rawCommand(s.port, ['KEYS', '*']);
}

