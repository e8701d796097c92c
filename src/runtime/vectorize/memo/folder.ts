// The embedded memo store: a folder (by default `memo/` in the user's cache folder) holding one
// `KEY.memo` file per entry (entry.ts). Entries are written to a temporary file, flushed and renamed
// into place, so a crash mid-write never leaves an entry that reads as valid. The folder is bounded:
// no entry over `maxEntryBytes`, and before a write the least recently used entries (a fetch touches
// its entry) are removed until the new one fits under `maxTotalBytes` — a program that vectorizes
// endlessly cannot fill the disk. Only files named like entries (and stale temporaries) are removed.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import { diagnostic } from '../../../diagnostics.js';
import { readFailure, readFileBytes, readFileHead } from '../../../read-file.js';
import { MAX_HEADER_BYTES, encodeEntry, parseBody, parseHeader } from './entry.js';
import type { MemoEntry, MemoHead, MemoLimits, MemoLookup, MemoPut, MemoStore } from './types.js';

export const DEFAULT_MAX_ENTRY_BYTES = 64 * 2 ** 20;
export const DEFAULT_MAX_TOTAL_BYTES = 2 ** 30;

const KEY = /^[0-9a-f]{64}$/;
const ENTRY_FILE = /^[0-9a-f]{64}\.memo$/;
const TEMP_FILE = /^[0-9a-f]{64}\.memo\.\d+\.[0-9a-f]+\.tmp$/;
/** A temporary file this old was left by a writer that died. */
const STALE_TEMP_MS = 10 * 60_000;
/** Other processes write to the same folder: their entries are counted again this often. */
const RESCAN_MS = 2000;

export interface FolderMemoOptions {
  /** The key entries are signed with (see key.ts); a function is called on first use. */
  readonly key: Buffer | (() => Buffer);
  readonly maxEntryBytes?: number;
  readonly maxTotalBytes?: number;
}

interface FileInfo {
  name: string;
  bytes: number;
  mtimeMs: number;
}

/** Space a file takes on disk: its size rounded up to the blocks it holds (small files take a block). */
function diskBytes(st: { size: number; blocks?: number }): number {
  return Math.max(st.size, (st.blocks ?? 0) * 512);
}

/** The space a new file of `size` bytes will take (4 KiB blocks). */
function inBlocks(size: number): number {
  return Math.ceil(size / 4096) * 4096;
}

export class FolderMemo implements MemoStore {
  readonly transport = 'disk';
  readonly limits: MemoLimits;
  private macKey: Buffer | null;
  private readonly keySource: (() => Buffer) | null;
  /** Bytes the folder's entries take, as of the last scan plus this process's writes since. */
  private used: number | null = null;
  private scannedAt = 0;

  constructor(
    readonly location: string,
    opts: FolderMemoOptions,
  ) {
    const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    const maxTotalBytes = opts.maxTotalBytes ?? Math.max(DEFAULT_MAX_TOTAL_BYTES, maxEntryBytes);
    if (!(Number.isSafeInteger(maxEntryBytes) && maxEntryBytes > 0 && Number.isSafeInteger(maxTotalBytes) && maxTotalBytes >= maxEntryBytes)) {
      throw new RangeError(`memo limits must be whole numbers of bytes with 0 < maxEntryBytes <= maxTotalBytes, got ${maxEntryBytes} and ${maxTotalBytes}`);
    }
    this.limits = { maxEntryBytes, maxTotalBytes, policy: 'least recently used entries evicted first' };
    this.macKey = typeof opts.key === 'function' ? null : opts.key;
    this.keySource = typeof opts.key === 'function' ? opts.key : null;
  }

  private key(): Buffer {
    this.macKey ??= (this.keySource as () => Buffer)();
    return this.macKey;
  }

  private file(key: string): string {
    if (!KEY.test(key)) throw new Error(`memo key must be 64 hex digits, got '${key}'`);
    return join(this.location, `${key}.memo`);
  }

  head(key: string): MemoHead {
    const where = this.file(key);
    let prefix: Buffer;
    let size: number;
    try {
      ({ bytes: prefix, size } = readFileHead(where, this.limits.maxEntryBytes, MAX_HEADER_BYTES));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', where };
      if (code === 'EFBIG') return { kind: 'corrupt', where, why: `it is larger than the ${this.limits.maxEntryBytes}-byte entry limit` };
      return { kind: 'corrupt', where, why: `it cannot be read (${readFailure(e)})` };
    }
    const h = parseHeader(prefix, key, this.key(), where, size);
    if ('kind' in h) return h;
    return { kind: 'found', where, header: h, fetch: () => this.fetch(where, h, prefix) };
  }

  private fetch(where: string, h: Parameters<typeof parseBody>[1], prefix: Buffer): MemoLookup {
    let all = prefix;
    if (prefix.length < h.bytes) {
      try {
        all = readFileBytes(where, this.limits.maxEntryBytes);
      } catch (e) {
        return { kind: 'corrupt', where, why: `it cannot be read (${readFailure(e)})` };
      }
    }
    const got = parseBody(all, h, where);
    if (got.kind === 'hit') {
      // Least recently *used* goes first when the folder is full.
      const now = new Date();
      try {
        utimesSync(where, now, now);
      } catch {
        /* a read-only store still serves */
      }
    }
    return got;
  }

  put(key: string, entry: MemoEntry): MemoPut {
    const where = this.file(key);
    const max = this.limits.maxEntryBytes;
    const bytes = encodeEntry(key, entry, this.key(), max);
    if (!Buffer.isBuffer(bytes)) {
      return { kind: 'refused', diagnostic: diagnostic('MRG4034', `the result of ${entry.fn} was not stored: its entry would take at least ${bytes.tooLarge} bytes, over the ${max}-byte entry limit of ${this.location}`) };
    }
    const tmp = `${where}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let evicted = { entries: 0, bytes: 0 };
    try {
      mkdirSync(this.location, { recursive: true, mode: 0o700 });
      evicted = this.makeRoom(`${key}.memo`, bytes.length);
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, where);
    } catch (e) {
      // The folder may not be one (`--memo FILE`): then there is no temporary file to remove either.
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* nothing was written */
      }
      return { kind: 'refused', diagnostic: diagnostic('MRG4032', `cannot write the memo entry ${where}: ${(e as Error).message}`) };
    }
    if (this.used !== null) this.used += inBlocks(bytes.length);
    return { kind: 'stored', bytes: bytes.length, evicted };
  }

  remove(key: string): void {
    rmSync(this.file(key), { force: true });
  }

  /** The folder's entries (and removes temporaries a dead writer left). */
  private scan(): FileInfo[] {
    const files: FileInfo[] = [];
    const now = Date.now();
    for (const name of readdirSync(this.location)) {
      const entry = ENTRY_FILE.test(name);
      if (!entry && !TEMP_FILE.test(name)) continue;
      try {
        const st = statSync(join(this.location, name));
        if (!st.isFile()) continue;
        if (entry) files.push({ name, bytes: diskBytes(st), mtimeMs: st.mtimeMs });
        else if (now - st.mtimeMs > STALE_TEMP_MS) rmSync(join(this.location, name), { force: true });
      } catch {
        /* removed by another process meanwhile */
      }
    }
    this.used = files.reduce((a, f) => a + f.bytes, 0);
    this.scannedAt = now;
    return files;
  }

  /** Removes least recently used entries until `incoming` bytes fit under the total limit. */
  private makeRoom(name: string, incoming: number): { entries: number; bytes: number } {
    const max = this.limits.maxTotalBytes as number;
    const need = inBlocks(incoming);
    if (this.used !== null && this.used + need <= max && Date.now() - this.scannedAt < RESCAN_MS) return { entries: 0, bytes: 0 };
    const files = this.scan().sort((a, b) => a.mtimeMs - b.mtimeMs);
    // The entry being replaced goes away with the rename.
    let used = (this.used as number) - (files.find((f) => f.name === name)?.bytes ?? 0);
    const evicted = { entries: 0, bytes: 0 };
    for (const f of files) {
      if (used + need <= max) break;
      if (f.name === name) continue;
      try {
        rmSync(join(this.location, f.name), { force: true });
      } catch {
        continue;
      }
      used -= f.bytes;
      evicted.entries++;
      evicted.bytes += f.bytes;
    }
    this.used = used;
    return evicted;
  }
}
