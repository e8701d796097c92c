// The Redis memo store at the library level against a real redis-server (started here, one for the
// file): keys and locations, limits before and after connecting, each way a head and a fetch end,
// put with NX, replace and TTLs, the refusals in full (MRG4034, MRG4093, MRG4032), a store that is
// closed, unreachable, silent or frozen, and connectFailure's texts.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { FnCost } from '../../src/coren/index.js';
import { parseRedisUrl, RedisMemo, type MemoEntry } from '../../src/runtime/vectorize/memo/index.js';
import { connectFailure } from '../../src/runtime/vectorize/memo/redis.js';
import { rawCommand, REDIS_SERVER, startRedis, type RedisServer, withRedisClient as raw } from '../support/redis.js';
import { TEST_KEY } from './helpers.js';

const K = (c: string) => c.repeat(64);
const RK = (c: string) => `merg-e-memo/2:${K(c)}`;
const cost = FnCost.new(5n, 6n, 7n, 8n);
const entry = (rows: MemoEntry['rows'] = [[1n, 'a']]): MemoEntry => ({ fn: 'f', cost, rows });

const stores: RedisMemo[] = [];
function memo(url: string, opts: { maxEntryBytes?: number; commandTimeoutMs?: number; connectTimeoutMs?: number } = {}): RedisMemo {
  const m = new RedisMemo(parseRedisUrl(url), { key: TEST_KEY, ...opts });
  stores.push(m);
  return m;
}

afterAll(() => {
  for (const m of stores.splice(0)) m.close();
});

/** Runs `use` with a redis-server of its own, started with `config` and stopped afterwards. */
async function withOwnServer(config: Record<string, string>, use: (t: RedisServer) => Promise<void>): Promise<void> {
  const t = await startRedis(config);
  try {
    await use(t);
  } finally {
    await t.stop();
  }
}

/** The head of `key` in `m`, which must be found. */
function foundHead(m: RedisMemo, key: string) {
  const h = m.head(key);
  if (h.kind !== 'found') throw new Error(`${key}: ${h.kind}`);
  return h;
}

describe('connectFailure', () => {
  it('says which part of the URL to fix, by the reply the server gave', () => {
    expect(connectFailure('WRONGPASS invalid username-password pair or user is disabled.')).toBe('the server refused the user name or password of the URL (WRONGPASS)');
    expect(connectFailure('NOAUTH Authentication required.')).toBe('the server requires a password and the URL gives none (NOAUTH): write it as redis://:PASSWORD@host:port or redis://USER:PASSWORD@host:port');
    expect(connectFailure('NOPERM User bob has no permissions to run the \'ping\' command')).toBe("the server's access list does not let this user connect (NOPERM User bob has no permissions to run the 'ping' command)");
    expect(connectFailure('connect ECONNREFUSED 127.0.0.1:1')).toBe('cannot connect (connect ECONNREFUSED 127.0.0.1:1)');
    // Only a reply that starts with the code (a whole word) is one.
    for (const e of ['WRONGPASSWORD x', 'xWRONGPASS x', 'NOAUTHx', 'a NOAUTH', 'NOPERMS', 'x NOPERM y']) expect(connectFailure(e)).toBe(`cannot connect (${e})`);
  });
});

describe('RedisMemo before it connects', () => {
  it('its key, location and limits', () => {
    expect(RedisMemo.redisKey(K('a'))).toBe(RK('a'));
    const m = memo('redis://:secret@127.0.0.1:1/3', { maxEntryBytes: 1000 });
    expect([m.location, m.transport, m.downReason, m.server]).toEqual(['redis://:***@127.0.0.1:1/3', 'network', '', null]);
    expect(m.limits).toEqual({ maxEntryBytes: 1000, maxTotalBytes: null, policy: 'Redis expires entries after their TTL' });
    expect(memo('redis://127.0.0.1:1/0').limits.maxEntryBytes).toBe(64 * 2 ** 20);
  });
});

describe.skipIf(!REDIS_SERVER)('RedisMemo against a server', () => {
  let s: RedisServer;
  let url: string;
  beforeAll(async () => {
    s = await startRedis({ 'maxmemory-policy': 'volatile-lru' });
    url = s.url;
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('learns the server: no maxmemory is no total limit, its policy is shown', () => {
    const m = memo(url);
    expect(m.head(K('0')).kind).toBe('missing');
    expect(m.server).toEqual({ maxBulk: 536_870_912, maxmemory: 0, policy: 'volatile-lru' });
    expect(m.limits).toEqual({ maxEntryBytes: 64 * 2 ** 20, maxTotalBytes: null, policy: 'Redis maxmemory-policy volatile-lru' });
    expect(m.downReason).toBe('');
  });

  it('head: missing, found (rows from the prefix), and a large entry fetched whole', async () => {
    const m = memo(url);
    expect(m.head(K('1'))).toEqual({ kind: 'missing', where: `${url} ${RK('1')}` });
    const put = m.put(K('1'), entry());
    expect(put).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
    const len = Number(await raw(url, (c) => c.strLen(RK('1'))));
    expect(put.kind === 'stored' && put.bytes).toBe(len);
    const h = foundHead(m, K('1'));
    expect([h.where, h.header.fn, h.header.rows, h.header.bytes]).toEqual([`${url} ${RK('1')}`, 'f', 1, len]);
    expect(h.fetch()).toEqual({ kind: 'hit', where: `${url} ${RK('1')}`, bytes: len, entry: entry() });
    const long = 'w'.repeat(70_000);
    m.put(K('2'), entry([[2n, long]]));
    const got = foundHead(memo(url), K('2'));
    const hit = got.fetch();
    expect(hit.kind === 'hit' && hit.entry.rows).toEqual([[2n, long]]);
  });

  it('a key that holds no string, or a value over the entry limit, is corrupt', async () => {
    await raw(url, async (c) => {
      await c.rPush(RK('3'), 'x');
      await c.set(RK('4'), 'y'.repeat(101));
    });
    const m = memo(url, { maxEntryBytes: 100 });
    expect(m.head(K('3'))).toEqual({ kind: 'corrupt', where: `${url} ${RK('3')}`, why: 'it is not a string value' });
    expect(m.head(K('4'))).toEqual({ kind: 'corrupt', where: `${url} ${RK('4')}`, why: 'it is larger than the 100-byte entry limit' });
    // Exactly at the limit it is read (and then is not an entry).
    await raw(url, (c) => c.set(RK('4'), 'y'.repeat(100)));
    expect(m.head(K('4'))).toMatchObject({ kind: 'corrupt', why: 'it is not complete (truncated in its header)' });
  });

  it('between head and fetch: a value gone is missing, a value grown past the limit is corrupt', async () => {
    const m = memo(url, { maxEntryBytes: 100_000 });
    m.put(K('5'), entry([[1n, 'v'.repeat(70_000)]]));
    const h = foundHead(m, K('5'));
    await raw(url, (c) => c.del(RK('5')));
    expect(h.fetch()).toEqual({ kind: 'missing', where: `${url} ${RK('5')}` });
    m.put(K('6'), entry([[1n, 'v'.repeat(70_000)]]));
    const h6 = foundHead(m, K('6'));
    await raw(url, (c) => c.set(RK('6'), 'z'.repeat(100_001)));
    expect(h6.fetch()).toEqual({ kind: 'corrupt', where: `${url} ${RK('6')}`, why: 'it is larger than the 100000-byte entry limit' });
  });

  it('an empty value is empty; bytes past an entry are found from its head alone', async () => {
    const m = memo(url);
    await raw(url, (c) => c.set(RK('h'), ''));
    expect(m.head(K('h'))).toEqual({ kind: 'corrupt', where: `${url} ${RK('h')}`, why: 'it is empty' });
    m.put(K('i'), entry());
    await raw(url, (c) => c.append(RK('i'), 'extra'));
    expect(m.head(K('i'))).toEqual({ kind: 'corrupt', where: `${url} ${RK('i')}`, why: 'it has 5 bytes past its end' });
  });

  it('commands the server refuses (an access list): corrupt for reads, MRG4032 for a write, no PING; the store stays up', async () => {
    const m = memo(url);
    m.put(K('j'), entry([[1n, 'x'.repeat(70_000)]]));
    await raw(url, (c) => c.sendCommand(['ACL', 'SETUSER', 'bob', 'on', '>bobs-password-123', '~*', '+@all', '-get', '-set', '-ping']));
    const bobUrl = url.replace('redis://', 'redis://bob:bobs-password-123@');
    const shown = url.replace('redis://', 'redis://bob:***@');
    const bob = memo(bobUrl);
    const h = foundHead(bob, K('j'));
    const got = h.fetch();
    expect(got.kind === 'corrupt' && got.why).toMatch(/^it cannot be read \(NOPERM .*'get'.*\)$/);
    const put = bob.put(K('k'), entry());
    expect(put.kind === 'refused' && [put.diagnostic.code, put.diagnostic.message.startsWith(`cannot write the memo entry ${shown} ${RK('k')}: NOPERM `)]).toEqual(['MRG4032', true]);
    expect(bob.ping()).toBeNull();
    expect(bob.downReason).toBe('');
    await raw(url, (c) => c.sendCommand(['ACL', 'SETUSER', 'carol', 'on', '>carols-password-12', '~*', '+@all', '-exists']));
    const carol = memo(url.replace('redis://', 'redis://carol:carols-password-12@'));
    const ch = carol.head(K('j'));
    expect(ch.kind === 'corrupt' && ch.why).toMatch(/^it cannot be read \(NOPERM .*'exists'.*\)$/);
    expect(carol.downReason).toBe('');
  });

  it('put: the first write wins unless replacing; a TTL in ms (at least 1), none without one', async () => {
    const m = memo(url);
    expect(m.put(K('7'), entry([[1n, 'first']])).kind).toBe('stored');
    expect(m.put(K('7'), entry([[2n, 'second']]))).toEqual({ kind: 'exists' });
    const first = m.head(K('7'));
    expect(first.kind === 'found' && first.fetch()).toMatchObject({ kind: 'hit', entry: { rows: [[1n, 'first']] } });
    expect(m.put(K('7'), entry([[3n, 'third']]), { replace: true }).kind).toBe('stored');
    const third = m.head(K('7'));
    expect(third.kind === 'found' && third.fetch()).toMatchObject({ kind: 'hit', entry: { rows: [[3n, 'third']] } });
    expect(await raw(url, (c) => c.pTTL(RK('7')))).toBe(-1);
    m.put(K('8'), entry(), { ttlSec: 100.0004 });
    const pttl = await raw(url, (c) => c.pTTL(RK('8')));
    expect(pttl).toBeGreaterThan(99_000);
    expect(pttl).toBeLessThanOrEqual(100_000);
    // 0.4 ms rounds to 0: at least 1 ms, so it expires (never kept forever).
    m.put(K('9'), entry(), { ttlSec: 0.0004 });
    await new Promise((r) => setTimeout(r, 20));
    expect(await raw(url, (c) => c.exists(RK('9')))).toBe(0);
  });

  it('an entry over the entry limit: MRG4034 naming the store, with the least it would take (30 values of 5 bytes + 2)', () => {
    const m = memo(url, { maxEntryBytes: 100 });
    const put = m.put(K('a'), entry([Array.from({ length: 30 }, () => 1n)]));
    expect(put.kind === 'refused' && [put.diagnostic.code, put.diagnostic.message]).toEqual(['MRG4034', `the result of f was not stored in ${url}: its entry would take at least 152 bytes, over the 100-byte entry limit`]);
  });

  it('remove deletes the entry; ping answers with a round trip', async () => {
    const m = memo(url);
    m.put(K('b'), entry());
    m.remove(K('b'));
    expect(await raw(url, (c) => c.exists(RK('b')))).toBe(0);
    const rtt = m.ping();
    expect(rtt).toBeGreaterThan(0);
    expect(rtt).toBeLessThan(2);
  });

  it('closed: every call is unavailable, remove and ping do nothing', async () => {
    const m = memo(url);
    m.put(K('c'), entry());
    m.close();
    expect(m.downReason).toBe('the store was closed');
    expect(m.head(K('c'))).toEqual({ kind: 'unavailable', where: `${url} ${RK('c')}`, why: 'the store was closed' });
    expect(m.put(K('d'), entry())).toEqual({ kind: 'unavailable', where: `${url} ${RK('d')}`, why: 'the store was closed' });
    m.remove(K('c'));
    expect(m.ping()).toBeNull();
    expect(await raw(url, (c) => c.exists([RK('c'), RK('d')]))).toBe(1);
    m.close();
    expect(m.downReason).toBe('the store was closed');
  });

  it('a full server (maxmemory reached, nothing to evict): MRG4093 with the entry size and the server reply', async () => {
    await raw(url, (c) => c.configSet('maxmemory', '1'));
    try {
      const m = memo(url);
      const put = m.put(K('e'), entry());
      expect(put.kind === 'refused' && put.diagnostic.code).toBe('MRG4093');
      expect(put.kind === 'refused' && put.diagnostic.message).toMatch(new RegExp(`^the result of f \\(\\d+ bytes\\) was not stored: ${url.replace(/[./]/g, '\\$&')} is full \\(OOM command not allowed when used memory > 'maxmemory'\\.\\)$`));
      expect(m.limits).toEqual({ maxEntryBytes: 64 * 2 ** 20, maxTotalBytes: 1, policy: 'Redis maxmemory-policy volatile-lru' });
      // The store stays up: a refusal is no lost connection.
      expect(m.downReason).toBe('');
      expect(m.head(K('e')).kind).toBe('missing');
    } finally {
      await raw(url, (c) => c.configSet('maxmemory', '0'));
    }
  });

  it('a read-only replica: MRG4032 naming the entry and the reply', async () => {
    const replica = await startRedis({ replicaof: '127.0.0.1 1' });
    try {
      const m = memo(replica.url);
      const put = m.put(K('f'), entry());
      expect(put.kind === 'refused' && [put.diagnostic.code, put.diagnostic.message]).toEqual(['MRG4032', `cannot write the memo entry ${replica.url} ${RK('f')}: READONLY You can't write against a read only replica.`]);
      expect(m.downReason).toBe('');
    } finally {
      await replica.stop();
    }
  });

  it('an entry its head read whole is not read again: deleted after its head, its rows are still there', async () => {
    const m = memo(url);
    m.put(K('o'), entry());
    const h = foundHead(m, K('o'));
    await raw(url, (c) => c.del(RK('o')));
    expect(h.fetch()).toMatchObject({ kind: 'hit', where: `${url} ${RK('o')}`, entry: entry() });
  });

  it('between head and fetch: a value grown to exactly the entry limit is read (and then is no entry)', async () => {
    const m = memo(url, { maxEntryBytes: 100_000 });
    m.put(K('p'), entry([[1n, 'v'.repeat(70_000)]]));
    const h = foundHead(m, K('p'));
    await raw(url, (c) => c.set(RK('p'), 'z'.repeat(100_000)));
    // No newline in its first 64 KiB.
    expect(h.fetch()).toEqual({ kind: 'corrupt', where: `${url} ${RK('p')}`, why: 'its first line is not an entry header' });
  });

  it('a user the server forbids CONFIG: nothing known of the server, entries stored under the entry limit alone', async () => {
    await raw(url, (c) => c.sendCommand(['ACL', 'SETUSER', 'dave', 'on', '>daves-password-123', '~*', '+@all', '-config']));
    const m = memo(url.replace('redis://', 'redis://dave:daves-password-123@'));
    expect(m.put(K('r'), entry()).kind).toBe('stored');
    expect(m.server).toEqual({ maxBulk: null, maxmemory: null, policy: null });
    expect(m.limits).toEqual({ maxEntryBytes: 64 * 2 ** 20, maxTotalBytes: null, policy: 'Redis expires entries after their TTL' });
  });

  it('a DEL that gets no answer in time is given up, the store stays up, and its late reply is not taken for the next command\'s', () => {
    const m = memo(url, { commandTimeoutMs: 1000 });
    expect(m.put(K('n'), entry()).kind).toBe('stored');
    execFileSync('kill', ['-STOP', String(s.pid)]);
    try {
      m.remove(K('n'));
    } finally {
      execFileSync('kill', ['-CONT', String(s.pid)]);
    }
    expect(m.downReason).toBe('');
    // The DEL ran once the server went on; the head's own reply says so.
    expect(m.head(K('n'))).toEqual({ kind: 'missing', where: `${url} ${RK('n')}` });
  });

  // Last: it freezes the file's server.
  it('frozen mid-run: each command gives up at its deadline and takes the store down for the rest of the run', () => {
    const ms = { commandTimeoutMs: 200 };
    const reader = memo(url, ms);
    const writer = memo(url, ms);
    const pinger = memo(url, ms);
    const fetcher = memo(url, ms);
    for (const m of [reader, writer, pinger]) expect(m.head(K('0')).kind).toBe('missing');
    // A found entry too large for its head's prefix: its rows are fetched after the freeze.
    fetcher.put(K('l'), entry([[1n, 'q'.repeat(70_000)]]));
    const found = fetcher.head(K('l'));
    execFileSync('kill', ['-STOP', String(s.pid)]);
    try {
      expect(found.kind === 'found' && found.fetch()).toEqual({ kind: 'unavailable', where: `${url} ${RK('l')}`, why: 'reading an entry got no answer within 0.2 s' });
      expect(reader.head(K('g'))).toEqual({ kind: 'unavailable', where: `${url} ${RK('g')}`, why: 'reading an entry got no answer within 0.2 s' });
      expect(reader.downReason).toBe('reading an entry got no answer within 0.2 s');
      expect(writer.put(K('g'), entry())).toEqual({ kind: 'unavailable', where: `${url} ${RK('g')}`, why: 'writing an entry got no answer within 0.2 s' });
      expect(pinger.ping()).toBeNull();
      expect(pinger.downReason).toBe('PING got no answer within 0.2 s');
      // Down stays down: no new connection is tried.
      expect(reader.head(K('g'))).toMatchObject({ kind: 'unavailable', why: 'reading an entry got no answer within 0.2 s' });
    } finally {
      execFileSync('kill', ['-CONT', String(s.pid)]);
    }
  });
});

describe.skipIf(!REDIS_SERVER)('RedisMemo that cannot connect', () => {
  it('nothing listening: unavailable with why, and it stays down without trying again', () => {
    const m = memo('redis://127.0.0.1:1/0');
    const why = 'cannot connect (connect ECONNREFUSED 127.0.0.1:1)';
    expect(m.head(K('a'))).toEqual({ kind: 'unavailable', where: `redis://127.0.0.1:1/0 ${RK('a')}`, why });
    expect(m.downReason).toBe(why);
    expect(m.put(K('a'), entry())).toEqual({ kind: 'unavailable', where: `redis://127.0.0.1:1/0 ${RK('a')}`, why });
    expect(m.ping()).toBeNull();
    expect(m.server).toBeNull();
  });

  it('a server that never answers: given up after the connect deadline', async () => {
    const silent: Server = createServer(() => {});
    const port = await new Promise<number>((res) => silent.listen(0, '127.0.0.1', () => res((silent.address() as { port: number }).port)));
    try {
      const m = memo(`redis://127.0.0.1:${port}/0`, { connectTimeoutMs: 200, commandTimeoutMs: 200 });
      const h = m.head(K('a'));
      expect(h.kind).toBe('unavailable');
      // TCP accepts at once (the client's connect timeout is over); no greeting ever comes: the store's own deadline.
      expect(m.downReason).toBe('it did not answer within 0.2 s');
    } finally {
      silent.close();
    }
  });
});

describe.skipIf(!REDIS_SERVER)('RedisMemo against a server of its own', () => {
  it('a server killed under open connections: each command finds the connection lost and takes its store down, saying what failed', async () => {
    await withOwnServer({}, async (t) => {
      const [reader, writer, pinger, fetcher] = [memo(t.url), memo(t.url), memo(t.url), memo(t.url)];
      for (const m of [reader, writer, pinger]) expect(m.head(K('0')).kind).toBe('missing');
      // A found entry too large for its head's prefix: its rows are fetched after the kill.
      fetcher.put(K('l'), entry([[1n, 'q'.repeat(70_000)]]));
      const found = foundHead(fetcher, K('l'));
      await t.kill();
      const lost = (what: string) => new RegExp(`^${what} failed: the connection was lost \\(.+\\)$`);
      const fetched = found.fetch();
      expect(fetched).toMatchObject({ kind: 'unavailable', where: `${t.url} ${RK('l')}` });
      expect(fetcher.downReason).toMatch(lost('reading an entry'));
      const read = reader.head(K('g'));
      expect(read).toMatchObject({ kind: 'unavailable', where: `${t.url} ${RK('g')}` });
      expect(read.kind === 'unavailable' && read.why).toMatch(lost('reading an entry'));
      expect(reader.downReason).toMatch(lost('reading an entry'));
      const wrote = writer.put(K('g'), entry());
      expect(wrote).toMatchObject({ kind: 'unavailable', where: `${t.url} ${RK('g')}` });
      expect(wrote.kind === 'unavailable' && wrote.why).toMatch(lost('writing an entry'));
      expect(pinger.ping()).toBeNull();
      expect(pinger.downReason).toMatch(lost('PING'));
    });
  });

  it('an entry over what the server accepts (proto-max-bulk-len 1 MiB): MRG4034 naming that limit', async () => {
    await withOwnServer({ 'proto-max-bulk-len': '1mb' }, async (t) => {
      const m = memo(t.url);
      // One row of 209 716 values of 5 bytes, + 2: 1 048 582 bytes, 6 past 1 MiB.
      const put = m.put(K('q'), entry([Array.from({ length: 209_716 }, () => 1n)]));
      expect(put.kind === 'refused' && [put.diagnostic.code, put.diagnostic.message]).toEqual(['MRG4034', `the result of f was not stored in ${t.url}: its entry would take at least 1048582 bytes, over the 1048576 bytes the server accepts (proto-max-bulk-len)`]);
      expect(m.server?.maxBulk).toBe(1_048_576);
      expect(m.put(K('q'), entry()).kind).toBe('stored');
    });
  });

  it('a write refused with any code (NOREPLICAS: too few replicas to write): MRG4032, and the store stays up', async () => {
    await withOwnServer({ 'min-replicas-to-write': '1' }, async (t) => {
      const m = memo(t.url);
      const put = m.put(K('s'), entry());
      expect(put.kind === 'refused' && [put.diagnostic.code, put.diagnostic.message]).toEqual(['MRG4032', `cannot write the memo entry ${t.url} ${RK('s')}: NOREPLICAS Not enough good replicas to write.`]);
      expect(m.downReason).toBe('');
      expect(m.head(K('s')).kind).toBe('missing');
    });
  });

  it('close ends the connection and its thread: the server sees the client go', async () => {
    await withOwnServer({}, async (t) => {
      // INFO's own connection is one of the clients.
      const clients = async () => Number(/connected_clients:(\d+)/.exec(await rawCommand(t.port, ['INFO', 'clients']))?.[1]);
      const m = memo(t.url);
      expect(m.ping()).not.toBeNull();
      expect(await clients()).toBe(2);
      m.close();
      await vi.waitFor(async () => expect(await clients()).toBe(1), { timeout: 5000, interval: 50 });
    });
  }, 15_000);
});
