// The memo store: the boundary the engine uses (types.ts), the entry format every store shares
// (entry.ts), the signing key (key.ts), the folder store (folder.ts) and the row check (fit.ts).
export { lookup, type MemoEntry, type MemoHead, type MemoHeader, type MemoLimits, type MemoLookup, type MemoPut, type MemoStore, type MemoUnavailable, type PutOptions, type StoreRates } from './types.js';
export { encodeEntry, parseEntry, parseHeader, parseBody, MAX_HEADER_BYTES, type ParsedHeader } from './entry.js';
export { loadMemoKey, MEMO_KEY_FILE, MIN_KEY_CHARS, type MemoKey } from './key.js';
export { DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, FolderMemo, type FolderMemoOptions } from './folder.js';
export { firstMisfit } from './fit.js';
export { CONNECT_TIMEOUT_MS, COMMAND_TIMEOUT_MS, RedisMemo, type RedisMemoOptions, type RedisServerInfo } from './redis.js';
export { isStoreUrl, parseRedisUrl, redact, type RedisAddress } from './store-url.js';
export { cachedStoreRates, interpreterRate, measureStore, saveStoreRates, storeRates, storeRatesPath, STORE_RATES_FILE, STORE_RATES_MAX_AGE_MS, type CachedInterpreterRate, type MeasuredRates, type RatesRead } from './store-rates.js';
