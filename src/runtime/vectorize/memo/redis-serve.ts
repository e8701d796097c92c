// The Redis memo store's connection thread, as a function of its port and signal (redis-worker.ts
// runs it on a thread of its own; tests run it on the main thread): the interpreter is synchronous,
// so the main thread sends a request and sleeps on the shared counter (Atomics.wait) with a
// deadline, while this side talks to Redis with node-redis (@redis/client). Each reply bumps the
// counter; a reply that comes after its deadline is ignored there. The client is loaded here only
// when a connect arrives, so a run without a Redis store never loads it.
import type { MessagePort } from 'node:worker_threads';

import type { RedisRequest, RedisReply } from './redis-wire.js';

type Client = {
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error', f: (e: Error) => void): unknown;
  sendCommand<T>(args: readonly (string | Buffer)[], options?: object): Promise<T>;
  readonly isReady: boolean;
};

/** An error's message, with the system error code (ECONNREFUSED, …) when the message lacks it. */
function describe(e: unknown): string {
  const err = e as Error & { code?: string; errors?: Error[] };
  // Node reports a refused connection to localhost as an AggregateError over its IPv4 and IPv6 tries.
  const inner = err.errors?.[0] ?? err;
  const code = (inner as { code?: string }).code;
  return code && !inner.message.includes(code) ? `${inner.message} (${code})` : inner.message || String(e);
}

/** A Buffer's bytes as a transferable ArrayBuffer of exactly that length. */
function own(b: Buffer): ArrayBuffer {
  const copy = new Uint8Array(b.length);
  copy.set(b);
  return copy.buffer;
}

/** Answers the requests sent on `port` (one Redis connection), bumping `signal[0]` after each reply. */
export function serveRedis(port: MessagePort, signal: Int32Array): void {
  let client: Client | null = null;
  let lastError: Error | null = null;
  let bufferReplies: object = {};
  /**
   * A reply error from Redis (the command ran and was refused), as opposed to a lost connection:
   * node-redis makes every error reply an ErrorReply (SimpleError, BlobError), whatever its code.
   * Nothing is one before the client is loaded.
   */
  let isReplyError: (e: unknown) => boolean = () => false;

  function send(msg: RedisReply, transfer: ArrayBuffer[] = []): void {
    port.postMessage(msg, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  }

  async function connect(id: number, url: string, connectTimeoutMs: number): Promise<void> {
    const { createClient, ErrorReply, RESP_TYPES } = await import('@redis/client');
    send({ id, ok: true, op: 'started' });
    isReplyError = (e) => e instanceof ErrorReply;
    bufferReplies = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
    const c = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: false } }) as unknown as Client;
    c.on('error', (e) => {
      lastError = e;
    });
    await c.connect();
    client = c;
  }

  function ready(): Client {
    if (!client || !client.isReady) throw new Error(lastError ? `the connection was lost (${describe(lastError)})` : 'the connection was lost');
    return client;
  }

  async function handle(msg: RedisRequest): Promise<void> {
    const id = msg.id;
    try {
      switch (msg.op) {
        case 'connect': {
          await connect(id, msg.url, msg.connectTimeoutMs);
          const c = ready();
          // What the server accepts and holds; a server that forbids CONFIG is fine.
          const config = async (name: string): Promise<string | null> => {
            try {
              // node-redis answers CONFIG GET with an object of name: value.
              const r = await c.sendCommand<unknown>(['CONFIG', 'GET', name]);
              const v = (r as Record<string, unknown> | null)?.[name];
              return typeof v === 'string' ? v : null;
            } catch {
              return null;
            }
          };
          const [bulk, maxmemory, policy] = await Promise.all([config('proto-max-bulk-len'), config('maxmemory'), config('maxmemory-policy')]);
          send({ id, ok: true, op: 'connect', maxBulk: bulk === null ? null : Number(bulk), maxmemory: maxmemory === null ? null : Number(maxmemory), policy });
          return;
        }
        case 'ping': {
          await ready().sendCommand(['PING']);
          send({ id, ok: true, op: 'ping' });
          return;
        }
        case 'head': {
          const c = ready();
          // One round trip: the three are pipelined, and nothing runs between them on the server.
          const [exists, size, prefix] = await Promise.all([
            c.sendCommand<number>(['EXISTS', msg.key]),
            c.sendCommand<number>(['STRLEN', msg.key]).catch((e: unknown) => (isReplyError(e) ? -1 : Promise.reject(e))),
            c.sendCommand<Buffer>(['GETRANGE', msg.key, '0', String(msg.bytes - 1)], bufferReplies).catch((e: unknown) => (isReplyError(e) ? Buffer.alloc(0) : Promise.reject(e))),
          ]);
          // A Buffer always (bufferReplies maps bulk strings to Buffers; a refused GETRANGE gives an empty one).
          const buf = own(prefix);
          send({ id, ok: true, op: 'head', exists: exists === 1, size, prefix: buf }, [buf]);
          return;
        }
        case 'get': {
          const c = ready();
          // The size first (pipelined with the value), so the main thread can wait as long as a large value needs.
          // Awaited together: when both are refused (a key that holds no string), neither rejection is left unhandled.
          const strlen = c.sendCommand<number>(['STRLEN', msg.key]).then((n) => send({ id, ok: true, op: 'size', size: n }));
          const [, value] = await Promise.all([strlen, c.sendCommand<Buffer | null>(['GET', msg.key], bufferReplies)]);
          if (value === null) {
            send({ id, ok: true, op: 'get', value: null });
            return;
          }
          const buf = own(value);
          send({ id, ok: true, op: 'get', value: buf }, [buf]);
          return;
        }
        case 'set': {
          const args = ['SET', msg.key, Buffer.from(msg.value), ...(msg.nx ? ['NX'] : []), ...(msg.pxMs > 0 ? ['PX', String(msg.pxMs)] : [])];
          const r = await ready().sendCommand<string | null>(args);
          send({ id, ok: true, op: 'set', stored: r !== null });
          return;
        }
        case 'del': {
          await ready().sendCommand(['DEL', msg.key]);
          send({ id, ok: true, op: 'del' });
          return;
        }
        case 'close': {
          const c = client;
          client = null;
          c?.destroy();
          send({ id, ok: true, op: 'close' });
          return;
        }
      }
    } catch (e) {
      const reply = isReplyError(e);
      const why = describe(e);
      send({ id, ok: false, reply, error: reply || msg.op === 'connect' || why.startsWith('the connection was lost') ? why : `the connection was lost (${why})` });
    }
  }

  port.on('message', (msg: RedisRequest) => {
    void handle(msg);
  });
}
