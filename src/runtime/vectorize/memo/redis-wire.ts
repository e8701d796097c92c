// The messages between the Redis memo store (main thread) and its connection thread.

export type RedisRequest = { readonly id: number } & (
  | { readonly op: 'connect'; readonly url: string; readonly connectTimeoutMs: number }
  | { readonly op: 'ping' }
  /** Whether the key exists, its size, and its first `bytes` bytes (one round trip). */
  | { readonly op: 'head'; readonly key: string; readonly bytes: number }
  | { readonly op: 'get'; readonly key: string }
  /** SET, only if absent with `nx`, expiring after `pxMs` (0: never). */
  | { readonly op: 'set'; readonly key: string; readonly value: Uint8Array; readonly nx: boolean; readonly pxMs: number }
  | { readonly op: 'del'; readonly key: string }
  | { readonly op: 'close' }
);

export type RedisReply =
  | ({ readonly id: number; readonly ok: true } & (
      | { readonly op: 'connect'; readonly maxBulk: number | null; readonly maxmemory: number | null; readonly policy: string | null }
      | { readonly op: 'ping' | 'del' | 'close' }
      /** A connect has loaded the client and starts connecting: its own deadline starts now. */
      | { readonly op: 'started' }
      /** `size` is -1 for a key that holds no string. */
      | { readonly op: 'head'; readonly exists: boolean; readonly size: number; readonly prefix: ArrayBuffer }
      /** Sent before the value of a `get`: the main thread waits longer for a large one. */
      | { readonly op: 'size'; readonly size: number }
      | { readonly op: 'get'; readonly value: ArrayBuffer | null }
      | { readonly op: 'set'; readonly stored: boolean }
    ))
  /** `reply`: Redis refused the command (an error reply); otherwise the connection failed. */
  | { readonly id: number; readonly ok: false; readonly reply: boolean; readonly error: string };
