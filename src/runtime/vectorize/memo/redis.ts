// A memo store on Redis, shared by every machine that points at it: the same entries as the folder
// store (entry.ts: rows, FnCost, format, hash, signed with the shared key) under the keys
// `merg-e-memo/2:KEY`, written with SET NX (the first complete write wins; a duplicate is harmless)
// and an expiry from coren's suggestTtl. The connection lives on a thread of its own (redis-worker.ts)
// that this class waits on synchronously, with short deadlines: a dead store never hangs a run, and
// whatever fails is `unavailable` (the engine then computes), never an error of the run.
import { performance } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

import { diagnostic } from '../../../diagnostics.js';
import { MEMO_FORMAT } from '../canon.js';
import { workerEntry } from '../worker-entry.js';
import { DEFAULT_MAX_ENTRY_BYTES } from './folder.js';
import { encodeEntry, MAX_HEADER_BYTES, parseEntry, parseHeader } from './entry.js';
import type { RedisReply, RedisRequest } from './redis-wire.js';
import type { RedisAddress } from './store-url.js';
import type { MemoEntry, MemoHead, MemoLimits, MemoLookup, MemoPut, MemoStore, PutOptions } from './types.js';

/** How long connecting may take (TCP, TLS, AUTH, SELECT). */
export const CONNECT_TIMEOUT_MS = 2000;
/** How long a command may take, plus the time its value needs at MIN_BYTES_PER_SEC. */
export const COMMAND_TIMEOUT_MS = 2000;
const MIN_BYTES_PER_SEC = 1e6;
/** How long the connection thread may take to start (it loads the client). */
const START_TIMEOUT_MS = 30_000;
const WAIT_SLICE_MS = 50;

export interface RedisMemoOptions {
  /** The key entries are signed with (shared by every machine using the store); a function is called on first use. */
  readonly key: Buffer | (() => Buffer);
  readonly maxEntryBytes?: number;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

/** What the server said about itself when connecting. */
export interface RedisServerInfo {
  /** proto-max-bulk-len: the largest value it accepts. */
  readonly maxBulk: number | null;
  /** maxmemory (0: no limit) and its policy, when CONFIG is allowed. */
  readonly maxmemory: number | null;
  readonly policy: string | null;
}

type Timeout = { readonly timeout: true };
type Request = RedisRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class RedisMemo implements MemoStore {
  readonly transport = 'network';
  readonly location: string;
  private macKey: Buffer | null;
  private readonly keySource: (() => Buffer) | null;
  private readonly maxEntryBytes: number;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private signal: Int32Array | null = null;
  private seq = 0;
  private state: 'new' | 'up' | 'down' = 'new';
  private downWhy = '';
  server: RedisServerInfo | null = null;

  constructor(
    readonly address: RedisAddress,
    opts: RedisMemoOptions,
  ) {
    this.location = address.shown;
    this.macKey = typeof opts.key === 'function' ? null : opts.key;
    this.keySource = typeof opts.key === 'function' ? opts.key : null;
    this.maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.commandTimeoutMs = opts.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
  }

  get limits(): MemoLimits {
    const mm = this.server?.maxmemory ?? null;
    return { maxEntryBytes: this.maxEntryBytes, maxTotalBytes: mm !== null && mm > 0 ? mm : null, policy: this.server?.policy ? `Redis maxmemory-policy ${this.server.policy}` : 'Redis expires entries after their TTL' };
  }

  private key(): Buffer {
    this.macKey ??= (this.keySource as () => Buffer)();
    return this.macKey;
  }

  /** The Redis key of an entry: the format is part of it, so entries of other formats are never read. */
  static redisKey(key: string): string {
    return `${MEMO_FORMAT}:${key}`;
  }

  private where(key: string): string {
    return `${this.location} ${RedisMemo.redisKey(key)}`;
  }

  /** Connects on first use; false once the store is down (it then stays down for this process). */
  private ensure(): boolean {
    if (this.state === 'up') return true;
    if (this.state === 'down') return false;
    this.signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(workerEntry(import.meta.url, './redis-worker'), { workerData: { port: port2, signal: this.signal }, transferList: [port2] });
    this.worker.unref();
    port1.unref();
    this.port = port1;
    const r = this.call({ op: 'connect', url: this.address.url, connectTimeoutMs: this.connectTimeoutMs }, this.connectTimeoutMs + this.commandTimeoutMs, START_TIMEOUT_MS);
    if ('timeout' in r) return this.down(`it did not answer within ${this.connectTimeoutMs / 1000} s`);
    if (!r.ok) return this.down(connectFailure(r.error));
    if (r.op === 'connect') this.server = { maxBulk: r.maxBulk, maxmemory: r.maxmemory, policy: r.policy };
    this.state = 'up';
    return true;
  }

  private down(why: string): false {
    this.state = 'down';
    this.downWhy = why;
    this.close();
    return false;
  }

  private unavailable(key: string): { kind: 'unavailable'; where: string; why: string } {
    return { kind: 'unavailable', where: this.where(key), why: this.downWhy };
  }

  /**
   * Sends a request and waits for its reply: at most `timeoutMs` (a connect: `startMs` until the
   * thread has loaded the client and starts connecting), extended for a large value when the thread
   * reports its size.
   */
  private call(req: Request, timeoutMs: number, startMs = timeoutMs): RedisReply | Timeout {
    const port = this.port as MessagePort;
    const signal = this.signal as Int32Array;
    const id = ++this.seq;
    port.postMessage({ ...req, id });
    let deadline = performance.now() + Math.max(timeoutMs, startMs);
    for (;;) {
      const seen = Atomics.load(signal, 0);
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const reply = m.message as RedisReply;
        if (reply.id !== id) continue; // the late reply of a request that timed out
        if (reply.ok && reply.op === 'size') {
          deadline = Math.max(deadline, performance.now() + timeoutMs + (reply.size / MIN_BYTES_PER_SEC) * 1000);
          continue;
        }
        if (reply.ok && reply.op === 'started') {
          deadline = performance.now() + timeoutMs;
          continue;
        }
        return reply;
      }
      const left = deadline - performance.now();
      if (left <= 0) return { timeout: true };
      Atomics.wait(signal, 0, seen, Math.min(left, WAIT_SLICE_MS));
    }
  }

  /** A failed command: a lost or silent connection takes the store down for the rest of the run. */
  private failed(r: RedisReply | Timeout, what: string): string {
    if ('timeout' in r) {
      this.down(`${what} got no answer within ${this.commandTimeoutMs / 1000} s`);
    } else if (!r.ok && !r.reply) {
      this.down(`${what} failed: ${r.error}`);
    }
    return this.downWhy;
  }

  head(key: string): MemoHead {
    if (!this.ensure()) return this.unavailable(key);
    const where = this.where(key);
    const r = this.call({ op: 'head', key: RedisMemo.redisKey(key), bytes: MAX_HEADER_BYTES }, this.commandTimeoutMs);
    if ('timeout' in r || !r.ok || r.op !== 'head') {
      if (!('timeout' in r) && !r.ok && r.reply) return { kind: 'corrupt', where, why: `it cannot be read (${r.error})` };
      this.failed(r, 'reading an entry');
      return this.unavailable(key);
    }
    if (!r.exists) return { kind: 'missing', where };
    if (r.size < 0) return { kind: 'corrupt', where, why: 'it is not a string value' };
    if (r.size > this.maxEntryBytes) return { kind: 'corrupt', where, why: `it is larger than the ${this.maxEntryBytes}-byte entry limit` };
    const prefix = Buffer.from(r.prefix);
    const h = parseHeader(prefix, key, this.key(), where, r.size);
    if ('kind' in h) return h;
    return { kind: 'found', where, header: h, fetch: () => (prefix.length >= h.bytes ? parseEntry(prefix, key, this.key(), where) : this.fetch(key, where)) };
  }

  private fetch(key: string, where: string): MemoLookup {
    const r = this.call({ op: 'get', key: RedisMemo.redisKey(key) }, this.commandTimeoutMs);
    if ('timeout' in r || !r.ok || r.op !== 'get') {
      if (!('timeout' in r) && !r.ok && r.reply) return { kind: 'corrupt', where, why: `it cannot be read (${r.error})` };
      this.failed(r, 'reading an entry');
      return this.unavailable(key);
    }
    // Expired (or replaced by nothing) between its header and its rows.
    if (r.value === null) return { kind: 'missing', where };
    if (r.value.byteLength > this.maxEntryBytes) return { kind: 'corrupt', where, why: `it is larger than the ${this.maxEntryBytes}-byte entry limit` };
    return parseEntry(Buffer.from(r.value), key, this.key(), where);
  }

  put(key: string, entry: MemoEntry, opts: PutOptions = {}): MemoPut {
    if (!this.ensure()) return this.unavailable(key);
    const serverMax = this.server?.maxBulk ?? null;
    const max = serverMax !== null && serverMax > 0 ? Math.min(this.maxEntryBytes, serverMax) : this.maxEntryBytes;
    const bytes = encodeEntry(key, entry, this.key(), max);
    if (!Buffer.isBuffer(bytes)) {
      const which = max < this.maxEntryBytes ? `the ${max} bytes the server accepts (proto-max-bulk-len)` : `the ${max}-byte entry limit`;
      return { kind: 'refused', diagnostic: diagnostic('MRG4034', `the result of ${entry.fn} was not stored in ${this.location}: its entry would take at least ${bytes.tooLarge} bytes, over ${which}`) };
    }
    const pxMs = opts.ttlSec !== undefined ? Math.max(1, Math.round(opts.ttlSec * 1000)) : 0;
    const r = this.call({ op: 'set', key: RedisMemo.redisKey(key), value: bytes, nx: !opts.replace, pxMs }, this.commandTimeoutMs + (bytes.length / MIN_BYTES_PER_SEC) * 1000);
    if (!('timeout' in r) && r.ok && r.op === 'set') return r.stored ? { kind: 'stored', bytes: bytes.length, evicted: { entries: 0, bytes: 0 } } : { kind: 'exists' };
    if (!('timeout' in r) && !r.ok && r.reply) {
      if (/^OOM\b/.test(r.error)) return { kind: 'refused', diagnostic: diagnostic('MRG4093', `the result of ${entry.fn} (${bytes.length} bytes) was not stored: ${this.location} is full (${r.error})`) };
      return { kind: 'refused', diagnostic: diagnostic('MRG4032', `cannot write the memo entry ${this.where(key)}: ${r.error}`) };
    }
    return { kind: 'unavailable', where: this.where(key), why: this.failed(r, 'writing an entry') };
  }

  remove(key: string): void {
    if (this.state === 'up') this.call({ op: 'del', key: RedisMemo.redisKey(key) }, this.commandTimeoutMs);
  }

  /** Round trips to the server (for measuring it); null once the store is down. */
  ping(): number | null {
    if (!this.ensure()) return null;
    const t0 = performance.now();
    const r = this.call({ op: 'ping' }, this.commandTimeoutMs);
    if ('timeout' in r || !r.ok) {
      this.failed(r, 'PING');
      return null;
    }
    return (performance.now() - t0) / 1000;
  }

  /** Why the store is down ('' while it is not). */
  get downReason(): string {
    return this.state === 'down' ? this.downWhy : '';
  }

  /** Ends the connection and its thread (the process does not need it: both are unref'd). */
  close(): void {
    if (this.state !== 'down') {
      this.state = 'down';
      this.downWhy = 'the store was closed';
    }
    const w = this.worker;
    this.worker = null;
    this.port?.close();
    this.port = null;
    if (w) void w.terminate();
  }
}

/** Why a connection failed, in the user's terms: a refused login says which part of the URL to fix. */
export function connectFailure(error: string): string {
  if (/^WRONGPASS\b/.test(error)) return `the server refused the user name or password of the URL (${error.split(' ')[0]})`;
  if (/^NOAUTH\b/.test(error)) return 'the server requires a password and the URL gives none (NOAUTH): write it as redis://:PASSWORD@host:port or redis://USER:PASSWORD@host:port';
  if (/^NOPERM\b/.test(error)) return `the server's access list does not let this user connect (${error})`;
  return `cannot connect (${error})`;
}
