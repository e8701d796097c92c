// The Redis memo store's connection side (serveRedis), run on the main thread against a real
// redis-server with known settings: each request's replies in order, exactly as the store reads them,
// and the errors — refused by Redis (a reply error) or a connection that is gone.
import { createServer, type Server, type Socket } from 'node:net';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RedisReply, RedisRequest } from '../../src/runtime/vectorize/memo/redis-wire.js';
import { serveRedis } from '../../src/runtime/vectorize/memo/redis-serve.js';
import { freePort, rawCommand, REDIS_SERVER, startRedis, type RedisServer } from '../support/redis.js';

type Req = RedisRequest extends infer R ? (R extends RedisRequest ? Omit<R, 'id'> : never) : never;

const open: { port: MessagePort; close: () => void }[] = [];

/** A served connection: `ask` sends one request and resolves with its `n` replies. */
function served() {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const got: RedisReply[] = [];
  let wake = () => {};
  port2.on('message', (m: RedisReply) => {
    got.push(m);
    wake();
  });
  serveRedis(port1, signal);
  let ids = 0;
  const conn = {
    signal,
    ask(req: Req, n = 1): Promise<RedisReply[]> {
      const id = ++ids;
      port2.postMessage({ id, ...req });
      return new Promise((resolve) => {
        const check = () => {
          const mine = got.filter((r) => r.id === id);
          if (mine.length >= n) resolve(mine);
        };
        wake = check;
        check();
      });
    },
  };
  open.push({
    port: port2,
    close: () => {
      port1.close();
      port2.close();
    },
  });
  return conn;
}

const bytes = (b: ArrayBuffer | null | undefined) => (b ? Buffer.from(b).toString('latin1') : b);
let s: RedisServer;

beforeAll(async () => {
  if (REDIS_SERVER) s = await startRedis({ maxmemory: '67108864', 'maxmemory-policy': 'allkeys-lru', 'proto-max-bulk-len': '2097152' });
});
afterAll(async () => {
  await s?.stop();
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
});

/**
 * A Redis look-alike on loopback: answers each command with `answer(args)` (RESP text), or closes the
 * connection when that gives null.
 */
async function fakeRedis(answer: (args: string[]) => string | null): Promise<{ port: number; server: Server; commands: string[][] }> {
  const commands: string[][] = [];
  const server = createServer((sock: Socket) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      // Whole commands only: *N then N bulk strings.
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (!m) return;
        let at = m[0].length;
        const args: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const h = /^\$(\d+)\r\n/.exec(buf.slice(at));
          if (!h || buf.length < at + h[0].length + Number(h[1]) + 2) return;
          args.push(buf.slice(at + h[0].length, at + h[0].length + Number(h[1])));
          at += h[0].length + Number(h[1]) + 2;
        }
        buf = buf.slice(at);
        commands.push(args);
        const reply = answer(args);
        if (reply === null) {
          sock.destroy();
          return;
        }
        sock.write(reply);
      }
    });
  });
  const port = await new Promise<number>((res) => server.listen(0, '127.0.0.1', () => res((server.address() as { port: number }).port)));
  return { port, server, commands };
}

async function connected() {
  const c = served();
  const r = await c.ask({ op: 'connect', url: s.url, connectTimeoutMs: 5000 }, 2);
  expect(r[1]).toMatchObject({ ok: true, op: 'connect' });
  return c;
}

describe.skipIf(!REDIS_SERVER)('serveRedis', () => {
  it('connect: started, then what the server accepts and holds; one signal bump per reply', async () => {
    const c = served();
    const r = await c.ask({ op: 'connect', url: s.url, connectTimeoutMs: 5000 }, 2);
    expect(r).toEqual([
      { id: 1, ok: true, op: 'started' },
      { id: 1, ok: true, op: 'connect', maxBulk: 2097152, maxmemory: 67108864, policy: 'allkeys-lru' },
    ]);
    expect(Atomics.load(c.signal, 0)).toBe(2);
    expect(await c.ask({ op: 'ping' })).toEqual([{ id: 2, ok: true, op: 'ping' }]);
    expect(Atomics.load(c.signal, 0)).toBe(3);
  });

  it('a user the server forbids CONFIG: connected all the same, with nothing known of its limits', async () => {
    await rawCommand(s.port, ['ACL', 'SETUSER', 'noconf', 'on', '>pw', '~*', '+@all', '-config']);
    const c = served();
    const r = await c.ask({ op: 'connect', url: `redis://noconf:pw@127.0.0.1:${s.port}`, connectTimeoutMs: 5000 }, 2);
    expect(r[1]).toEqual({ id: 1, ok: true, op: 'connect', maxBulk: null, maxmemory: null, policy: null });
    expect(await c.ask({ op: 'ping' })).toEqual([{ id: 2, ok: true, op: 'ping' }]);
  });

  it('set: stored unless NX finds the key; PX sets an expiry in ms, none without it', async () => {
    const c = await connected();
    const v = (t: string) => new Uint8Array(Buffer.from(t, 'latin1'));
    expect(await c.ask({ op: 'set', key: 'serve:a', value: v('hello'), nx: false, pxMs: 0 })).toMatchObject([{ ok: true, op: 'set', stored: true }]);
    expect(await c.ask({ op: 'set', key: 'serve:a', value: v('other'), nx: true, pxMs: 0 })).toMatchObject([{ ok: true, op: 'set', stored: false }]);
    expect(await rawCommand(s.port, ['GET', 'serve:a'])).toBe('$5\r\nhello');
    expect(await rawCommand(s.port, ['PTTL', 'serve:a'])).toBe(':-1');
    expect(await c.ask({ op: 'set', key: 'serve:a', value: v('again'), nx: false, pxMs: 600_000 })).toMatchObject([{ stored: true }]);
    const pttl = Number((await rawCommand(s.port, ['PTTL', 'serve:a'])).slice(1));
    expect(pttl).toBeGreaterThan(590_000);
    expect(pttl).toBeLessThanOrEqual(600_000);
    expect(await rawCommand(s.port, ['GET', 'serve:a'])).toBe('$5\r\nagain');
  });

  it('head: whether the key exists, its size and its first bytes; -1 and no bytes for a key that holds no string', async () => {
    const c = await connected();
    await rawCommand(s.port, ['SET', 'serve:h', 'abcdefgh']);
    await rawCommand(s.port, ['RPUSH', 'serve:list', 'x']);
    const [found] = await c.ask({ op: 'head', key: 'serve:h', bytes: 3 });
    expect(found).toMatchObject({ ok: true, op: 'head', exists: true, size: 8 });
    expect(bytes((found as { prefix: ArrayBuffer }).prefix)).toBe('abc');
    const [all] = await c.ask({ op: 'head', key: 'serve:h', bytes: 100 });
    expect(bytes((all as { prefix: ArrayBuffer }).prefix)).toBe('abcdefgh');
    const [missing] = await c.ask({ op: 'head', key: 'serve:none', bytes: 3 });
    expect(missing).toMatchObject({ ok: true, op: 'head', exists: false, size: 0 });
    expect(bytes((missing as { prefix: ArrayBuffer }).prefix)).toBe('');
    const [list] = await c.ask({ op: 'head', key: 'serve:list', bytes: 3 });
    expect(list).toMatchObject({ ok: true, op: 'head', exists: true, size: -1 });
    expect((list as { prefix: ArrayBuffer }).prefix.byteLength).toBe(0);
  });

  it('get: the size first, then the value (null when missing); a key that holds no string is a reply error', async () => {
    const c = await connected();
    await rawCommand(s.port, ['SET', 'serve:g', 'value\u00ff']);
    const got = await c.ask({ op: 'get', key: 'serve:g' }, 2);
    expect(got[0]).toEqual({ id: 2, ok: true, op: 'size', size: 7 });
    expect(got[1]).toMatchObject({ id: 2, ok: true, op: 'get' });
    expect(Buffer.from((got[1] as { value: ArrayBuffer }).value)).toEqual(Buffer.from('value\u00ff', 'utf8'));
    expect(await c.ask({ op: 'get', key: 'serve:nothing' }, 2)).toEqual([
      { id: 3, ok: true, op: 'size', size: 0 },
      { id: 3, ok: true, op: 'get', value: null },
    ]);
    await rawCommand(s.port, ['RPUSH', 'serve:glist', 'x']);
    expect(await c.ask({ op: 'get', key: 'serve:glist' })).toEqual([{ id: 4, ok: false, reply: true, error: 'WRONGTYPE Operation against a key holding the wrong kind of value' }]);
    // The connection is still fine after a refused command.
    expect(await c.ask({ op: 'ping' })).toEqual([{ id: 5, ok: true, op: 'ping' }]);
  });

  it('del removes the key; close ends the connection, and every later command finds it lost', async () => {
    const c = await connected();
    await rawCommand(s.port, ['SET', 'serve:d', 'x']);
    expect(await c.ask({ op: 'del', key: 'serve:d' })).toEqual([{ id: 2, ok: true, op: 'del' }]);
    expect(await rawCommand(s.port, ['EXISTS', 'serve:d'])).toBe(':0');
    expect(await c.ask({ op: 'close' })).toEqual([{ id: 3, ok: true, op: 'close' }]);
    expect(await c.ask({ op: 'ping' })).toEqual([{ id: 4, ok: false, reply: false, error: 'the connection was lost' }]);
    expect(await c.ask({ op: 'close' })).toEqual([{ id: 5, ok: true, op: 'close' }]);
  });

  it('a command before any connect finds the connection lost', async () => {
    const c = served();
    expect(await c.ask({ op: 'head', key: 'k', bytes: 1 })).toEqual([{ id: 1, ok: false, reply: false, error: 'the connection was lost' }]);
  });

  it('a write Redis refuses (maxmemory reached, no eviction) is a reply error, not a lost connection', async () => {
    const t = await startRedis({ maxmemory: '1', 'maxmemory-policy': 'noeviction' });
    try {
      const c = served();
      await c.ask({ op: 'connect', url: t.url, connectTimeoutMs: 5000 }, 2);
      const [r] = await c.ask({ op: 'set', key: 'k', value: new Uint8Array(10), nx: false, pxMs: 0 });
      expect(r).toEqual({ id: 2, ok: false, reply: true, error: "OOM command not allowed when used memory > 'maxmemory'." });
    } finally {
      await t.stop();
    }
  });

  it('nothing listening: the connect fails with the system error, after started', async () => {
    const port = await freePort();
    const c = served();
    const r = await c.ask({ op: 'connect', url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 5000 }, 2);
    expect(r).toEqual([
      { id: 1, ok: true, op: 'started' },
      { id: 1, ok: false, reply: false, error: `connect ECONNREFUSED 127.0.0.1:${port}` },
    ]);
    // Where localhost is both ::1 and 127.0.0.1, Node's AggregateError has no message of its own and the first try's is shown.
    const [, l] = await c.ask({ op: 'connect', url: `redis://localhost:${port}`, connectTimeoutMs: 5000 }, 2);
    expect(l).toMatchObject({ ok: false, reply: false });
    expect((l as { error: string }).error).toMatch(new RegExp(`^connect ECONNREFUSED (::1|127\\.0\\.0\\.1):${port}$`));
  });

  it('a server killed under an open connection: the next command finds it lost, saying why', async () => {
    const t = await startRedis();
    const c = served();
    await c.ask({ op: 'connect', url: t.url, connectTimeoutMs: 5000 }, 2);
    await t.kill();
    // Until the client sees the socket close, a ping may still be written to it; both end the same way.
    let r: RedisReply | undefined;
    for (let i = 0; i < 100 && (r === undefined || r.ok); i++) [r] = await c.ask({ op: 'ping' });
    expect(r).toMatchObject({ ok: false, reply: false });
    expect((r as { error: string }).error).toMatch(/^the connection was lost \(.+\)$/);
    await t.stop();
  });

  it('a refusal whatever its code is a reply error (NOREPLICAS: too few replicas to write), and the connection stays', async () => {
    const t = await startRedis({ 'min-replicas-to-write': '1' });
    try {
      const c = served();
      await c.ask({ op: 'connect', url: t.url, connectTimeoutMs: 5000 }, 2);
      expect(await c.ask({ op: 'set', key: 'k', value: new Uint8Array(1), nx: false, pxMs: 0 })).toEqual([{ id: 2, ok: false, reply: true, error: 'NOREPLICAS Not enough good replicas to write.' }]);
      expect(await c.ask({ op: 'ping' })).toEqual([{ id: 3, ok: true, op: 'ping' }]);
    } finally {
      await t.stop();
    }
  });

  it('a URL the client cannot read: the error with its code, after started', async () => {
    const c = served();
    expect(await c.ask({ op: 'connect', url: 'redis://127.0.0.1:99999', connectTimeoutMs: 5000 }, 2)).toEqual([
      { id: 1, ok: true, op: 'started' },
      { id: 1, ok: false, reply: false, error: 'Invalid URL (ERR_INVALID_URL)' },
    ]);
  });

  it('a server that knows none of the settings (as Redis before 4.0 lacked proto-max-bulk-len) and drops the connection at a PING', async () => {
    const fake = await fakeRedis((args) => (args[0] === 'PING' ? null : args[0] === 'CONFIG' ? '*0\r\n' : '+OK\r\n'));
    try {
      const c = served();
      const r = await c.ask({ op: 'connect', url: `redis://127.0.0.1:${fake.port}`, connectTimeoutMs: 5000 }, 2);
      expect(r[1]).toEqual({ id: 1, ok: true, op: 'connect', maxBulk: null, maxmemory: null, policy: null });
      expect(fake.commands.filter((a) => a[0] === 'CONFIG')).toEqual([
        ['CONFIG', 'GET', 'proto-max-bulk-len'],
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'GET', 'maxmemory-policy'],
      ]);
      // The PING was sent and its connection closed under it; the next command finds the connection gone, saying why.
      expect(await c.ask({ op: 'ping' })).toEqual([{ id: 2, ok: false, reply: false, error: 'the connection was lost (Socket closed unexpectedly)' }]);
      expect(await c.ask({ op: 'ping' })).toEqual([{ id: 3, ok: false, reply: false, error: 'the connection was lost (Socket closed unexpectedly)' }]);
      expect(fake.commands.filter((a) => a[0] === 'PING')).toEqual([['PING']]);
    } finally {
      fake.server.close();
    }
  });
});
