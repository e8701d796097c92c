// The bytes of a memo entry, the same in every store (a folder file, a Redis value):
//
//   {"format":"merg-e-memo/2","key":…,"fn":…,"cost":{…},"rows":N,"body":B,"hash":…,"mac":…}\n
//   [["i1","sfoo"],…]                                    (B bytes: the rows, values tagged as in canon.ts)
//
// `hash` is the sha256 of the body; `mac` is an HMAC-SHA256, with the store's key, over the header's
// other fields (so over the hash, and through it the rows). A reader checks the header alone first —
// its FnCost is what the verdict needs — and the body only when it fetches: a header that is not
// signed with the key is *poisoned* (never used), anything unreadable, truncated or not matching its
// hash is *corrupt* (recomputed). Hashing the body's bytes as stored means no re-serialization.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { FnCost } from '../../../coren/index.js';
import type { ScalarValue } from '../../../model/index.js';
import { decodeScalar, encodeScalar, MEMO_FORMAT } from '../canon.js';
import type { MemoEntry, MemoHeader, MemoLookup } from './types.js';

/** The most a header line may take; a longer "header" is not an entry. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Values are written as `"…",`: this much more than their encoded text. */
const VALUE_OVERHEAD = 3;

/** A header read and authenticated: where the body starts and what it must hash to. */
export interface ParsedHeader extends MemoHeader {
  readonly bodyStart: number;
  readonly bodyBytes: number;
  readonly hash: string;
}

type Bad = { readonly kind: 'corrupt' | 'poisoned'; readonly where: string; readonly why: string };

function macOf(macKey: Buffer, key: string, fn: string, cost: unknown, rows: number, bodyBytes: number, hash: string): string {
  return createHmac('sha256', macKey).update(JSON.stringify([MEMO_FORMAT, key, fn, cost, rows, bodyBytes, hash])).digest('hex');
}

/**
 * The entry's bytes, or the size it would at least take when that is over `maxBytes` (the rows are
 * not serialized past the limit, so a huge result costs no huge string).
 */
export function encodeEntry(key: string, entry: MemoEntry, macKey: Buffer, maxBytes: number): Buffer | { tooLarge: number } {
  let estimate = 0;
  const rows: string[][] = new Array(entry.rows.length);
  for (let i = 0; i < entry.rows.length; i++) {
    const r = entry.rows[i] as readonly ScalarValue[];
    const out: string[] = new Array(r.length);
    for (let j = 0; j < r.length; j++) {
      const e = encodeScalar(r[j] as ScalarValue);
      out[j] = e;
      estimate += e.length + VALUE_OVERHEAD;
    }
    rows[i] = out;
    estimate += 2;
    if (estimate > maxBytes) return { tooLarge: estimate };
  }
  let body: Buffer;
  try {
    body = Buffer.from(JSON.stringify(rows), 'utf8');
  } catch {
    return { tooLarge: estimate }; // past V8's longest string
  }
  const cost = entry.cost.toJSON();
  const hash = createHash('sha256').update(body).digest('hex');
  const mac = macOf(macKey, key, entry.fn, cost, rows.length, body.length, hash);
  const header = Buffer.from(JSON.stringify({ format: MEMO_FORMAT, key, fn: entry.fn, cost, rows: rows.length, body: body.length, hash, mac }) + '\n', 'utf8');
  const total = header.length + body.length;
  if (total > maxBytes) return { tooLarge: total };
  return Buffer.concat([header, body], total);
}

const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Reads and authenticates the header from the entry's first bytes (at least its first line).
 * `totalBytes` is the entry's full size when the store knows it.
 */
export function parseHeader(prefix: Buffer, key: string, macKey: Buffer, where: string, totalBytes: number | null): ParsedHeader | Bad {
  const corrupt = (why: string): Bad => ({ kind: 'corrupt', where, why });
  if (prefix.length === 0) return corrupt('it is empty');
  const nl = prefix.indexOf(10);
  if (nl < 0) return corrupt(prefix.length >= MAX_HEADER_BYTES || (totalBytes !== null && totalBytes > prefix.length) ? 'its first line is not an entry header' : 'it is not complete (truncated in its header)');
  let doc: unknown;
  try {
    doc = JSON.parse(prefix.subarray(0, nl).toString('utf8'));
  } catch {
    return corrupt('its header is not JSON');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return corrupt('its header is not an entry header');
  const o = doc as Record<string, unknown>;
  if (o['format'] !== MEMO_FORMAT) return corrupt(`its format is ${JSON.stringify(o['format'] ?? null).slice(0, 40)}, not ${MEMO_FORMAT}`);
  if (o['key'] !== key) return corrupt('it holds another key');
  const { fn, rows, body, hash, mac } = o;
  if (typeof fn !== 'string') return corrupt('its function name is missing');
  if (!count(rows) || !count(body)) return corrupt('its row count or size is missing');
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return corrupt('its hash is missing');
  let cost: FnCost;
  try {
    cost = FnCost.fromJSON(o['cost'], `memo entry ${where}`);
  } catch (e) {
    return corrupt(`its cost is invalid (${(e as Error).message})`);
  }
  const want = macOf(macKey, key, fn, cost.toJSON(), rows, body, hash);
  if (typeof mac !== 'string' || mac.length !== want.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(want))) {
    return { kind: 'poisoned', where, why: typeof mac === 'string' ? 'it is not signed with this store\'s key (forged, or written with another key)' : 'it carries no signature' };
  }
  const bytes = nl + 1 + body;
  if (totalBytes !== null && totalBytes !== bytes) return corrupt(totalBytes < bytes ? `it is truncated (${totalBytes} of ${bytes} bytes)` : `it has ${totalBytes - bytes} bytes past its end`);
  return { fn, cost, rows, bytes, bodyStart: nl + 1, bodyBytes: body, hash };
}

/** The rows of a whole entry whose header was parsed: checked against the hash, then decoded. */
export function parseBody(all: Buffer, h: ParsedHeader, where: string): MemoLookup {
  const corrupt = (why: string): MemoLookup => ({ kind: 'corrupt', where, why });
  if (all.length !== h.bytes) return corrupt(all.length < h.bytes ? `it is truncated (${all.length} of ${h.bytes} bytes)` : `it has ${all.length - h.bytes} bytes past its end`);
  const body = all.subarray(h.bodyStart);
  if (createHash('sha256').update(body).digest('hex') !== h.hash) return corrupt('its rows do not match its hash (damaged after it was written)');
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return corrupt('its rows are not JSON');
  }
  if (!Array.isArray(raw) || raw.length !== h.rows) return corrupt(`it does not hold the ${h.rows} rows its header says`);
  const rows: ScalarValue[][] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as unknown;
    if (!Array.isArray(r)) return corrupt(`its row ${i + 1} is not a list of values`);
    const row: ScalarValue[] = new Array(r.length);
    for (let j = 0; j < r.length; j++) {
      const v = decodeScalar(r[j]);
      if (v === null) return corrupt(`it holds a value that is not an encoded scalar: ${JSON.stringify(r[j]).slice(0, 40)}`);
      row[j] = v;
    }
    rows[i] = row;
  }
  return { kind: 'hit', where, bytes: all.length, entry: { fn: h.fn, cost: h.cost, rows } };
}

/** Parses a whole entry (header and rows): what a store does when it has all the bytes at once. */
export function parseEntry(all: Buffer, key: string, macKey: Buffer, where: string): MemoLookup {
  const h = parseHeader(all.subarray(0, MAX_HEADER_BYTES), key, macKey, where, all.length);
  return 'kind' in h ? h : parseBody(all, h, where);
}
