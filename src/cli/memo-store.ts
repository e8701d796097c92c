// The memo store a command line names (`merg-e run --memo`, `coren --store`): a folder, or a Redis
// server by URL; either signs its entries with the memo key (src/runtime/vectorize/memo/key.ts).
import { resolve } from 'node:path';

import { FolderMemo, isStoreUrl, parseRedisUrl, RedisMemo, storeRates, type MeasuredRates, type MemoStore } from '../runtime/vectorize/memo/index.js';

export interface StoreLimits {
  maxEntryBytes?: number;
  maxTotalBytes?: number;
}

/** `text` is a folder (relative to `cwd`) or redis://…; nothing connects until the store is first asked. */
export function openMemoStore(text: string, cwd: string, key: Buffer | (() => Buffer), limits: StoreLimits = {}): MemoStore {
  if (isStoreUrl(text)) return new RedisMemo(parseRedisUrl(text), { key, ...(limits.maxEntryBytes !== undefined ? { maxEntryBytes: limits.maxEntryBytes } : {}) });
  return new FolderMemo(resolve(cwd, text), { key, ...limits });
}

export type StoreFigures =
  | { readonly kind: 'measured'; readonly rates: MeasuredRates; readonly fromCache: boolean; readonly saveError: Error | null }
  /** The store did not answer (not a measurement failure: the store is down). */
  | { readonly kind: 'down'; readonly why: string }
  | { readonly kind: 'failed'; readonly why: string };

/** The store's fetch figures: cached beside the machine's (unless `refresh`), else measured now. */
export function storeFigures(memo: MemoStore, cacheDir: string, refresh = false): StoreFigures {
  let saveError: Error | null = null;
  try {
    const got = storeRates(memo, cacheDir, { refresh, onSaveError: (e) => (saveError = e) });
    return { kind: 'measured', rates: got.rates, fromCache: got.fromCache, saveError };
  } catch (e) {
    if (memo instanceof RedisMemo && memo.downReason !== '') return { kind: 'down', why: memo.downReason };
    return { kind: 'failed', why: (e as Error).message };
  }
}
