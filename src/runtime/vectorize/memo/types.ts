// What the vectorize engine needs of a memo store (runtime.md §3), small on purpose so a folder and a
// shared store on a network engine (Redis) stand behind the same boundary. An entry is published with
// a header (its FnCost, row count and size, authenticated) that a store hands out before the rows, so
// the verdict can decide to compute without transferring them.
import type { Diagnostic } from '../../../diagnostics.js';
import type { FnCost } from '../../../coren/index.js';
import type { ScalarValue } from '../../../model/index.js';

export interface MemoEntry {
  /** The vectorized function's name (for people reading the store). */
  readonly fn: string;
  readonly cost: FnCost;
  readonly rows: readonly (readonly ScalarValue[])[];
}

/** What an entry's header publishes: enough for a verdict, without the rows. */
export interface MemoHeader {
  readonly fn: string;
  readonly cost: FnCost;
  readonly rows: number;
  /** The whole entry's size in the store (header and rows). */
  readonly bytes: number;
}

/** A store that cannot answer (unreachable, or lost during the run): the work is computed. */
export interface MemoUnavailable {
  readonly kind: 'unavailable';
  readonly where: string;
  readonly why: string;
}

export type MemoLookup =
  | { readonly kind: 'hit'; readonly entry: MemoEntry; readonly where: string; readonly bytes: number }
  | { readonly kind: 'missing'; readonly where: string }
  /** Unreadable, truncated, damaged, or not an entry of this format: ignore it, compute, replace it. */
  | { readonly kind: 'corrupt'; readonly where: string; readonly why: string }
  /** Well-formed, but not signed with this store's key (forged, or written with another key): never used. */
  | { readonly kind: 'poisoned'; readonly where: string; readonly why: string }
  | MemoUnavailable;

export type MemoHead =
  | { readonly kind: 'found'; readonly where: string; readonly header: MemoHeader; fetch(): MemoLookup }
  | Exclude<MemoLookup, { kind: 'hit' }>;

export type MemoPut =
  | { readonly kind: 'stored'; readonly bytes: number; readonly evicted: { readonly entries: number; readonly bytes: number } }
  /** Another writer stored the key first (the first complete write wins). */
  | { readonly kind: 'exists' }
  /** Not stored (too large, store full, not writable, store lost): the result is still used here. */
  | { readonly kind: 'refused'; readonly diagnostic: Diagnostic }
  | MemoUnavailable;

export interface PutOptions {
  /** Seconds the entry should live (stores that expire entries). */
  readonly ttlSec?: number;
  /** Overwrite what is there (it was found corrupt or poisoned). */
  readonly replace?: boolean;
}

export interface MemoStore {
  /** Where it is, for people: a folder, or a URL without its password. */
  readonly location: string;
  /** `disk` for a local folder, `network` for a shared store on another machine. */
  readonly transport: 'disk' | 'network';
  /** The limits it keeps (entry and total size), shown in reports. */
  readonly limits: MemoLimits;
  /** The entry's header; `fetch()` of a found one reads and verifies the rows. */
  head(key: string): MemoHead;
  put(key: string, entry: MemoEntry, opts?: PutOptions): MemoPut;
  /** Removes an entry (the store probe's own); missing is fine. */
  remove(key: string): void;
  /** Releases what the store holds open (a connection); optional. */
  close?(): void;
}

export interface MemoLimits {
  /** The largest entry stored or read. */
  readonly maxEntryBytes: number;
  /** The most the store may hold (the folder evicts its least recently used entries past it); null: no limit known. */
  readonly maxTotalBytes: number | null;
  /** What makes room, for people: `least recently used entries evicted first`, `Redis maxmemory-policy …`. */
  readonly policy: string;
}

/**
 * A measured model of fetching from a store (store-rates.ts): an entry of R result bytes holding V
 * values takes `latencySec + R·secPerByte + V·secPerValue` from asking to having its rows.
 */
export interface StoreRates {
  readonly latencySec: number;
  readonly secPerByte: number;
  readonly secPerValue: number;
}

/** An entry: its header, then its rows. */
export function lookup(store: MemoStore, key: string): MemoLookup {
  const h = store.head(key);
  return h.kind === 'found' ? h.fetch() : h;
}
