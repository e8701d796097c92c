// The Redis memo store against a real redis-server (test/support/redis.ts starts one per test on a
// free loopback port): results shared between runs and between real merg-e processes, entries
// written straight into Redis (poisoned, truncated, another format), concurrent writers of one key,
// and the faults — unreachable, killed or frozen mid-run, restarted between runs, full, too small.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { MEMO_FORMAT, parseRedisUrl, RedisMemo, shutdownWorkers, type MemoStore, type MemoSummary, type VectorizeReport } from '../../src/runtime/vectorize/index.js';
import { FnCost } from '../../src/coren/index.js';
import { REDIS_SERVER, startRedis, type RedisServer, withRedisClient as redis } from '../support/redis.js';
import { dfRows, fixedMachine, HEAVY, HEAVY_TWICE, runVec, tempDir, TEST_KEY } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const servers: RedisServer[] = [];
const stores: RedisMemo[] = [];

async function server(config: Record<string, string> = {}): Promise<RedisServer> {
  const s = await startRedis(config);
  servers.push(s);
  return s;
}

function redisMemo(url: string, opts: { maxEntryBytes?: number; commandTimeoutMs?: number; connectTimeoutMs?: number } = {}): RedisMemo {
  const m = new RedisMemo(parseRedisUrl(url), { key: TEST_KEY, ...opts });
  stores.push(m);
  return m;
}

/** A machine on which fetching the HEAVY result from a network store saves time. */
const machine = () => fixedMachine({ opsPerSec: 1e6, netBytesPerSec: 1e8 });

const rkey = (key: string) => `${MEMO_FORMAT}:${key}`;

afterEach(async () => {
  for (const m of stores.splice(0)) m.close();
  for (const s of servers.splice(0)) await s.stop();
});

afterAll(() => shutdownWorkers());

describe.skipIf(!REDIS_SERVER)('the Redis memo store', () => {
  it('stores the first run and fetches in the second, with a TTL from suggestTtl', async () => {
    const s = await server();
    const first = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine(), memoTtlSec: 3600 });
    const a = first.engine.reports[0]!;
    expect([a.decision, a.reason, a.memo?.stored]).toEqual(['compute', 'no entry', true]);
    expect(a.memo?.ttlSec).toBeGreaterThanOrEqual(360);
    expect(a.memo?.ttlSec).toBeLessThanOrEqual(360_000);
    const ttl = await redis(s.url, (c) => c.ttl(rkey(a.key!)));
    expect(Math.abs(ttl - a.memo!.ttlSec!)).toBeLessThanOrEqual(2);
    const second = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    const b = second.engine.reports[0]!;
    expect([b.decision, b.reason, b.result]).toEqual(['fetch', 'verdict', 'fetched']);
    expect(dfRows(second.r, 'outDf')).toEqual(dfRows(first.r, 'outDf'));
    expect(second.engine.memoSummary()).toMatchObject({ location: s.url, transport: 'network', state: 'up', counts: { fetched: 1 } });
  });

  it('two merg-e processes share results: the second fetches what the first computed', async () => {
    const s = await server();
    const dir = tempDir();
    const prog = join(dir, 'heavy.merge');
    writeFileSync(prog, HEAVY());
    const machineFile = join(dir, 'machine.json');
    writeFileSync(machineFile, JSON.stringify({ opsPerSec: 1e6, memBytesPerSec: 1e10, netBytesPerSec: 1e8, cores: 2 }));
    const env = { ...process.env, MERG_E_MEMO: s.url, MERG_E_MEMO_KEY: 'build-farm-secret-0123456789abcdef0123', MERG_E_CACHE_DIR: join(dir, 'cache'), MERG_E_MACHINE: machineFile };
    const one = await mergE(['run', '--json', prog], env);
    const two = await mergE(['run', '--json', prog], { ...env, MERG_E_CACHE_DIR: join(dir, 'other-cache') });
    expect([one.code, two.code]).toEqual([0, 0]);
    expect([one.doc.vectorize[0]!.result, one.doc.vectorize[0]!.memo?.stored]).toEqual(['computed', true]);
    expect([two.doc.vectorize[0]!.result, two.doc.vectorize[0]!.reason]).toEqual(['fetched', 'verdict']);
    expect(two.doc.stdout).toBe(one.doc.stdout);
    expect(two.doc.memo.location).toBe(s.url);
  });

  it('a poisoned value written straight into Redis is never used: MRG4031, computed, replaced', async () => {
    const s = await server();
    const first = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    const key = first.engine.reports[0]!.key!;
    await redis(s.url, async (c) => {
      const v = (await c.sendCommand(['GET', rkey(key)])) as string;
      const nl = v.indexOf('\n');
      const header = JSON.parse(v.slice(0, nl));
      const body = JSON.stringify((JSON.parse(v.slice(nl + 1)) as string[][]).map((r) => [r[0], 'i999']));
      header.body = Buffer.byteLength(body);
      header.hash = createHash('sha256').update(body).digest('hex');
      await c.set(rkey(key), `${JSON.stringify(header)}\n${body}`);
    });
    const { r, engine } = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4031']);
    expect(dfRows(r, 'outDf')).toEqual(dfRows(first.r, 'outDf'));
    expect(engine.memoSummary()?.counts).toMatchObject({ poisoned: 1, stored: 1 });
    expect(runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() }).engine.reports[0]!.result).toBe('fetched');
  });

  it('a truncated value is corrupt: MRG4030, computed, replaced', async () => {
    const s = await server();
    const key = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() }).engine.reports[0]!.key!;
    await redis(s.url, async (c) => {
      const v = (await c.sendCommand(['GET', rkey(key)])) as string;
      await c.set(rkey(key), v.slice(0, v.length - 10));
    });
    const { r, engine } = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect(r.error).toBeNull();
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4030']);
    expect(engine.warnings[0]?.message).toContain('it is truncated');
    expect(engine.memoSummary()?.counts).toMatchObject({ corrupt: 1, stored: 1 });
    expect(runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() }).engine.reports[0]!.result).toBe('fetched');
  });

  it('keys of another format version are ignored: never read, and an entry claiming another format is not used', async () => {
    const s = await server();
    const key = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() }).engine.reports[0]!.key!;
    await redis(s.url, async (c) => {
      const v = (await c.sendCommand(['GET', rkey(key)])) as string;
      await c.del(rkey(key));
      // A producer of format 1 wrote its own key; ours is missing.
      await c.set(`merg-e-memo/1:${key}`, v.replace(MEMO_FORMAT, 'merg-e-memo/1'));
    });
    const missing = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect([missing.engine.reports[0]!.reason, missing.engine.warnings]).toEqual(['no entry', []]);
    await redis(s.url, (c) => c.set(rkey(key), `{"format":"merg-e-memo/1","key":"${key}"}\n[]`));
    const other = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect(other.engine.warnings.map((w) => w.code)).toEqual(['MRG4030']);
    expect(other.engine.warnings[0]?.message).toContain(`its format is "merg-e-memo/1", not ${MEMO_FORMAT}`);
    expect(await redis(s.url, (c) => c.get(`merg-e-memo/1:${key}`))).not.toBeNull();
  });

  it('concurrent writers of one key: the first complete write wins, the others are told, every output is the same', async () => {
    const s = await server();
    const dir = tempDir();
    const prog = join(dir, 'heavy.merge');
    writeFileSync(prog, HEAVY());
    // A fixed machine: four processes measuring the store and the interpreter at once would only test the load.
    const machineFile = join(dir, 'machine.json');
    writeFileSync(machineFile, JSON.stringify({ opsPerSec: 1e6, memBytesPerSec: 1e10, netBytesPerSec: 1e8, cores: 2 }));
    const env = { ...process.env, MERG_E_MEMO: s.url, MERG_E_MEMO_KEY: 'build-farm-secret-0123456789abcdef0123', MERG_E_CACHE_DIR: join(dir, 'cache'), MERG_E_MACHINE: machineFile };
    const runs = await Promise.all([1, 2, 3, 4].map(() => mergE(['run', '--json', '--memo-ttl', '1h', prog], env)));
    expect(runs.map((x) => [x.code, (x.doc as { error?: unknown }).error ?? null])).toEqual([0, 0, 0, 0].map(() => [0, null]));
    expect(new Set(runs.map((x) => x.doc.stdout)).size).toBe(1);
    const counts = runs.map((x) => x.doc.memo.counts);
    expect(counts.reduce((a, c) => a + c.stored, 0)).toBe(1);
    // Each of the others found the entry, or lost the race to write it.
    for (const c of counts) expect(c.stored + c.raced + c.declined + c.fetched).toBe(1);
    // Library level: the second put of a key is `exists`, and the stored entry is the first one.
    const a = redisMemo(s.url);
    const b = redisMemo(s.url);
    const entry = { fn: 'f', cost: FnCost.new(1n, 1n, 1n, 1n), rows: [[1n]] };
    expect(a.put('c'.repeat(64), entry).kind).toBe('stored');
    expect(b.put('c'.repeat(64), { ...entry, rows: [[1n]] }).kind).toBe('exists');
  });

  it('unreachable at the start: a warning, every verdict must compute, the run is correct', () => {
    // Nothing listens on port 1 of loopback.
    const { r, engine } = runVec(HEAVY_TWICE, { memo: redisMemo('redis://127.0.0.1:1/0'), machine: machine() });
    expect(r.error).toBeNull();
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4091']);
    expect(engine.warnings[0]?.message).toMatch(/^memo store redis:\/\/127\.0\.0\.1:1\/0: cannot connect \(.*ECONNREFUSED.*\); every vectorize of this run computes \(vectorize heavy\)$/);
    expect(engine.reports.map((x) => [x.reason, x.result, x.verdict?.score, x.verdict?.forced])).toEqual([
      ['store unreachable', 'computed', '-inf', 'network'],
      ['store unreachable', 'computed', '-inf', 'network'],
    ]);
    expect(engine.memoSummary()).toMatchObject({ state: 'unreachable', lostAt: { fn: 'heavy' }, counts: { unavailable: 2 } });
  });

  it('a wrong password, or none where the server wants one: MRG4091 says which part of the URL to fix, the run computes', async () => {
    const s = await server({ requirepass: 'right-password' });
    const base = `127.0.0.1:${s.port}/0`;
    const cases: [string, string, RegExp][] = [
      [`redis://:wrong@${base}`, `redis://:***@${base}`, /the server refused the user name or password of the URL \(WRONGPASS\)/],
      [`redis://bob:right-password@${base}`, `redis://bob:***@${base}`, /the server refused the user name or password of the URL \(WRONGPASS\)/],
      [`redis://${base}`, `redis://${base}`, /the server requires a password and the URL gives none \(NOAUTH\): write it as redis:\/\/:PASSWORD@host:port/],
    ];
    for (const [url, shown, why] of cases) {
      const { r, engine } = runVec(HEAVY_TWICE, { memo: redisMemo(url), machine: machine() });
      expect(r.error).toBeNull();
      expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4091']);
      expect(engine.warnings[0]?.message).toMatch(why);
      expect(engine.warnings[0]?.message.startsWith(`memo store ${shown}: `)).toBe(true);
      expect(engine.warnings[0]?.message).not.toContain('right-password');
      expect(engine.reports.map((x) => [x.reason, x.result])).toEqual([
        ['store unreachable', 'computed'],
        ['store unreachable', 'computed'],
      ]);
    }
    // The right password: stored, then fetched.
    const good = `redis://:right-password@${base}`;
    expect(runVec(HEAVY(), { memo: redisMemo(good), machine: machine() }).engine.reports[0]?.memo?.stored).toBe(true);
    expect(runVec(HEAVY(), { memo: redisMemo(good), machine: machine() }).engine.reports[0]?.result).toBe('fetched');
  });

  it('a server that accepts but never answers is given up after the connect deadline, not waited on', async () => {
    const silent: Server = createServer(() => {});
    const port = await new Promise<number>((res) => silent.listen(0, '127.0.0.1', () => res((silent.address() as { port: number }).port)));
    try {
      const { r, engine } = runVec(HEAVY(), { memo: redisMemo(`redis://127.0.0.1:${port}/0`, { connectTimeoutMs: 300, commandTimeoutMs: 300 }), machine: machine() });
      expect(r.error).toBeNull();
      expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4091']);
      expect(engine.warnings[0]?.message).toMatch(/did not answer within 0\.3 s|cannot connect/);
    } finally {
      silent.close();
    }
  });

  it('the server killed mid-run: the run finishes with correct results and says which vectorizes computed because of it', async () => {
    const s = await server();
        const before = runVec(HEAVY_TWICE, { memo: redisMemo(s.url), machine: machine() });
    // Kill the server (SIGKILL, synchronously) right after the first vectorize read its entry.
    const real = redisMemo(s.url);
    let heads = 0;
    const killing: MemoStore = {
      location: real.location,
      transport: 'network',
      get limits() {
        return real.limits;
      },
      head: (k) => {
        const h = real.head(k);
        if (++heads === 1) {
          const got = h.kind === 'found' ? h.fetch() : h;
          execFileSync('kill', ['-9', String(s.pid)]);
          return got.kind === 'hit' ? { kind: 'found', where: got.where, header: { fn: got.entry.fn, cost: got.entry.cost, rows: got.entry.rows.length, bytes: got.bytes }, fetch: () => got } : h;
        }
        return h;
      },
      put: (k, e, o) => real.put(k, e, o),
      remove: (k) => real.remove(k),
    };
    const { r, engine } = runVec(HEAVY_TWICE, { memo: killing, machine: machine() });
    expect(r.error).toBeNull();
    expect(dfRows(r, 'outDf2')).toEqual(dfRows(before.r, 'outDf2'));
    expect(engine.reports.map((x) => [x.result, x.reason])).toEqual([
      ['fetched', 'verdict'],
      ['computed', 'store lost'],
    ]);
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4092']);
    expect(engine.warnings[0]?.message).toMatch(/^memo store redis:\/\/127\.0\.0\.1:\d+\/0: reading an entry failed: the connection was lost \(.*\); from here on every vectorize computes \(vectorize heavy\)$/);
    expect(engine.warnings[0]?.span?.line).toBe(engine.reports[1]!.line);
    expect(engine.memoSummary()).toMatchObject({ state: 'lost', lostAt: { fn: 'heavy', line: engine.reports[1]!.line } });
  });

  it('a frozen server (SIGSTOP) mid-run is given up after the command deadline; the run finishes', async () => {
    const s = await server();
        const real = redisMemo(s.url, { commandTimeoutMs: 300 });
    let puts = 0;
    const freezing: MemoStore = {
      location: real.location,
      transport: 'network',
      limits: real.limits,
      head: (k) => real.head(k),
      put: (k, e, o) => {
        const p = real.put(k, e, o);
        if (++puts === 1) execFileSync('kill', ['-STOP', String(s.pid)]);
        return p;
      },
      remove: (k) => real.remove(k),
    };
    try {
      const { r, engine } = runVec(HEAVY_TWICE, { memo: freezing, machine: machine() });
      expect(r.error).toBeNull();
      expect(engine.reports.map((x) => x.reason)).toEqual(['no entry', 'store lost']);
      expect(engine.warnings[0]?.message).toContain('got no answer within 0.3 s');
    } finally {
      execFileSync('kill', ['-CONT', String(s.pid)]);
    }
  });

  it('a restart of the server between runs: the next run connects again (and fetches what was saved)', async () => {
    const s = await server();
    runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    await s.shutdownSave();
    await s.restart();
    const { engine } = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect([engine.warnings, engine.reports[0]!.result]).toEqual([[], 'fetched']);
    // A restart that loads nothing (killed, its saved data gone): the run computes and stores again.
    await s.kill();
    rmSync(join(s.dir, 'dump.rdb'));
    await s.restart();
    const again = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect([again.engine.warnings, again.engine.reports[0]!.reason, again.engine.reports[0]!.memo?.stored]).toEqual([[], 'no entry', true]);
  });

  it('a value larger than the server accepts, or a full server: a warning, the result is used here', async () => {
    const s = await server({ 'proto-max-bulk-len': '1mb', 'maxmemory-policy': 'noeviction' });
    const big = `mutable string pad = "x";
mutable int d = 0;
while d < 18 { pad = pad + pad; d += 1; };
mutable dataframe inDf int32 x, string p;
mutable int i = 0;
while i < 6 { inDf(i, pad); i += 1; };
mutable dataframe outDf int32 x, string p;
function id(x int32, p string)::{}{ return x p; };
mutable blocker b;
b += vectorize id inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;
    const tooLarge = runVec(big, { memo: redisMemo(s.url), machine: machine() });
    expect([tooLarge.r.stdout, tooLarge.engine.warnings.map((w) => w.code)]).toEqual(['6\n', ['MRG4034']]);
    expect(tooLarge.engine.warnings[0]?.message).toContain('the 1048576 bytes the server accepts (proto-max-bulk-len)');
    // Fill the server, then lower its maxmemory below what it holds: every write is refused (OOM).
    await redis(s.url, async (c) => {
      for (let i = 0; i < 16; i++) await c.set(`filler:${i}`, 'y'.repeat(64 * 1024));
      await c.sendCommand(['CONFIG', 'SET', 'maxmemory', '1mb']);
    });
    const full = runVec(HEAVY(), { memo: redisMemo(s.url), machine: machine() });
    expect(full.r.stdout).toBe('20\n');
    expect(full.engine.warnings.map((w) => w.code)).toEqual(['MRG4093']);
    expect(full.engine.warnings[0]?.message).toMatch(/is full \(OOM /);
    expect(full.engine.memoSummary()?.limits).toMatchObject({ maxTotalBytes: 2 ** 20, policy: 'Redis maxmemory-policy noeviction' });
  });
});

/** The built merg-e as a separate process, as installed (`npm run build` comes first, as in CI). */
async function mergE(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; doc: { stdout: string; vectorize: VectorizeReport[]; memo: MemoSummary }; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'merg-e.js'), ...args], { env, cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', rej);
    child.on('close', (code) => {
      try {
        res({ code: code ?? -1, doc: JSON.parse(out), stderr: err });
      } catch {
        rej(new Error(`merg-e printed no JSON (exit ${code}): ${err}`));
      }
    });
  });
}

