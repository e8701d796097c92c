// The memo store (runtime.md §3): content-addressed entries, one per key, each holding the result
// rows, their FnCost and a hash over both. The embedded store is a folder (`.merg-e/memo/` beside the
// program by default): entries are written to a temporary file, flushed and renamed into place, so a
// crash mid-write never leaves an entry that reads as valid. A corrupt or truncated entry is reported
// and ignored; one whose content does not match its hash is refused (never used).
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { diagnostic, MergeError } from '../../diagnostics.js';
import { FnCost } from '../../coren/index.js';
import type { ScalarValue } from '../../model/index.js';
import { readFailure, readTextFile } from '../../read-file.js';
import { decodeScalar, encodeScalar, MEMO_FORMAT } from './canon.js';

export interface MemoEntry {
  /** The vectorized function's name (for people reading the folder). */
  readonly fn: string;
  readonly cost: FnCost;
  readonly rows: readonly (readonly ScalarValue[])[];
}

export type MemoLookup =
  | { readonly kind: 'hit'; readonly entry: MemoEntry; readonly where: string }
  | { readonly kind: 'missing'; readonly where: string }
  /** Unreadable, truncated, or not an entry of this format: ignore it and compute. */
  | { readonly kind: 'corrupt'; readonly where: string; readonly why: string }
  /** Well-formed, but the content does not match its hash: never use it. */
  | { readonly kind: 'poisoned'; readonly where: string; readonly why: string };

/**
 * What the vectorize engine needs of a store. Small on purpose, so a shared store on a distributed
 * engine can stand behind it; `transport` says what a fetch costs (a local disk read or the network).
 */
export interface MemoStore {
  readonly location: string;
  readonly transport: 'disk' | 'network';
  get(key: string): MemoLookup;
  /** Stores an entry atomically. Throws MergeError MRG4032 when it cannot be written. */
  put(key: string, entry: MemoEntry): void;
}

const KEY = /^[0-9a-f]{64}$/;
/** The largest entry read back; a larger file (or a device) is reported as corrupt, never read forever. */
const MAX_ENTRY_BYTES = 256 * 2 ** 20;

/** The hash an entry carries: over its key, function name, cost and encoded rows. */
function entryHash(key: string, fn: string, cost: unknown, rows: readonly (readonly string[])[]): string {
  return createHash('sha256').update(JSON.stringify([MEMO_FORMAT, key, fn, cost, rows])).digest('hex');
}

export class FolderMemo implements MemoStore {
  readonly transport = 'disk';

  constructor(readonly location: string) {}

  private file(key: string): string {
    if (!KEY.test(key)) throw new Error(`memo key must be 64 hex digits, got '${key}'`);
    return join(this.location, `${key}.json`);
  }

  get(key: string): MemoLookup {
    const where = this.file(key);
    let text: string;
    try {
      text = readTextFile(where, MAX_ENTRY_BYTES);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', where };
      return { kind: 'corrupt', where, why: `it cannot be read (${readFailure(e)})` };
    }
    return parseEntry(text, key, where);
  }

  put(key: string, entry: MemoEntry): void {
    const where = this.file(key);
    const rows = entry.rows.map((r) => r.map(encodeScalar));
    const cost = entry.cost.toJSON();
    const doc = { format: MEMO_FORMAT, key, fn: entry.fn, cost, rows, hash: entryHash(key, entry.fn, cost, rows) };
    const tmp = `${where}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(this.location, { recursive: true });
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, JSON.stringify(doc));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, where);
    } catch (e) {
      // The folder may not be one (`--memo FILE`): then there is no temp file to remove either.
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* nothing was written */
      }
      throw new MergeError(diagnostic('MRG4032', `cannot write the memo entry ${where}: ${(e as Error).message}`));
    }
  }
}

/** Reads an entry's text: a hit only when every field is well-formed and the hash matches. */
export function parseEntry(text: string, key: string, where: string): MemoLookup {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', where, why: text.length === 0 ? 'it is empty' : 'it is not complete JSON (truncated?)' };
  }
  const bad = (why: string): MemoLookup => ({ kind: 'corrupt', where, why });
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return bad('it is not a memo entry');
  const o = doc as Record<string, unknown>;
  if (o['format'] !== MEMO_FORMAT) return bad(`its format is ${JSON.stringify(o['format'])}, not ${MEMO_FORMAT}`);
  if (o['key'] !== key) return bad('it holds another key');
  const fn = o['fn'];
  if (typeof fn !== 'string') return bad('its function name is missing');
  if (typeof o['hash'] !== 'string') return bad('its hash is missing');
  const raw = o['rows'];
  if (!Array.isArray(raw) || !raw.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'string'))) return bad('its rows are not lists of encoded values');
  let cost: FnCost;
  try {
    cost = FnCost.fromJSON(o['cost'], `memo entry ${where}`);
  } catch (e) {
    return bad(`its cost is invalid (${(e as Error).message})`);
  }
  const encoded = raw as string[][];
  if (entryHash(key, fn, o['cost'], encoded) !== o['hash']) {
    return { kind: 'poisoned', where, why: 'its content does not match its hash (edited or damaged after it was written)' };
  }
  const rows: ScalarValue[][] = [];
  for (const r of encoded) {
    const row: ScalarValue[] = [];
    for (const x of r) {
      const v = decodeScalar(x);
      if (v === null) return bad(`it holds a value that is not an encoded scalar: ${JSON.stringify(x).slice(0, 40)}`);
      row.push(v);
    }
    rows.push(row);
  }
  return { kind: 'hit', where, entry: { fn, cost, rows } };
}
