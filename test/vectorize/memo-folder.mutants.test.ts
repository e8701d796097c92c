// The folder memo store with hand-computed expectations: its limits and their refusal, the key checked
// and asked for once, each way a head or a fetch ends (missing, not a folder, too large, unreadable,
// an entry longer than its header prefix), the stored bytes and file modes, full texts of MRG4034 and
// MRG4032, and the eviction arithmetic on a 4 KiB-block file system (a tiny entry takes one block).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

import { FnCost } from '../../src/coren/index.js';
import { DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, FolderMemo, lookup, type MemoEntry } from '../../src/runtime/vectorize/memo/index.js';
import { folderMemo, tempDir, TEST_KEY } from './helpers.js';

const cost = FnCost.new(10n, 20n, 30n, 40n);
const tiny = (v: bigint): MemoEntry => ({ fn: 'f', cost, rows: [[v]] });
const K = (c: string) => c.repeat(64);
const BLOCK = 4096;

/** Sets a file's times `agoSec` seconds back. */
function age(file: string, agoSec: number): void {
  const t = new Date(Date.now() - agoSec * 1000);
  utimesSync(file, t, t);
}

describe('FolderMemo limits', () => {
  it('defaults: 64 MiB an entry, 1 GiB in all; a larger entry limit raises the total to it', () => {
    expect([DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES]).toEqual([67_108_864, 1_073_741_824]);
    const m = folderMemo('/nowhere');
    expect(m.limits).toEqual({ maxEntryBytes: 67_108_864, maxTotalBytes: 1_073_741_824, policy: 'least recently used entries evicted first' });
    expect([m.transport, m.location]).toEqual(['disk', '/nowhere']);
    expect(folderMemo('/nowhere', { maxEntryBytes: 2 ** 31 }).limits.maxTotalBytes).toBe(2 ** 31);
    expect(folderMemo('/nowhere', { maxEntryBytes: 1, maxTotalBytes: 1 }).limits).toMatchObject({ maxEntryBytes: 1, maxTotalBytes: 1 });
  });

  it('refuses limits that are not whole positive bytes with entry <= total', () => {
    const bad: [number | undefined, number | undefined, string][] = [
      [0, 10, '0 and 10'],
      [-1, 10, '-1 and 10'],
      [1.5, 10, '1.5 and 10'],
      [10, 9, '10 and 9'],
      [10, 10.5, '10 and 10.5'],
      [2 ** 53, 2 ** 53, '9007199254740992 and 9007199254740992'],
      [4096, 2 ** 53, '4096 and 9007199254740992'],
    ];
    for (const [maxEntryBytes, maxTotalBytes, got] of bad) {
      expect(() => new FolderMemo('/x', { key: TEST_KEY, ...(maxEntryBytes !== undefined ? { maxEntryBytes } : {}), ...(maxTotalBytes !== undefined ? { maxTotalBytes } : {}) })).toThrow(
        new RangeError(`memo limits must be whole numbers of bytes with 0 < maxEntryBytes <= maxTotalBytes, got ${got}`),
      );
    }
  });
});

describe('FolderMemo keys', () => {
  it('a key is 64 lower-case hex digits, else an error naming it (nothing is touched)', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    for (const k of ['abc', K('A'), `${K('a')}0`, `x${K('a').slice(1)}`, `${K('a').slice(1)}g`, '']) {
      expect(() => m.head(k)).toThrow(`memo key must be 64 hex digits, got '${k}'`);
      expect(() => m.put(k, tiny(1n))).toThrow(`memo key must be 64 hex digits, got '${k}'`);
      expect(() => m.remove(k)).toThrow(`memo key must be 64 hex digits, got '${k}'`);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a key given as a function is asked for once, on first use', () => {
    const dir = tempDir();
    let asked = 0;
    const m = new FolderMemo(dir, { key: () => (asked++, TEST_KEY) });
    expect(asked).toBe(0);
    expect(m.put(K('a'), tiny(1n)).kind).toBe('stored');
    expect(lookup(m, K('a')).kind).toBe('hit');
    expect(asked).toBe(1);
    // Entries signed through the function verify with the same key given directly.
    expect(lookup(folderMemo(dir), K('a')).kind).toBe('hit');
  });
});

describe('FolderMemo head and fetch', () => {
  it('no folder, no entry, or a file where the folder should be: missing, with where it looked', () => {
    const dir = tempDir();
    expect(folderMemo(join(dir, 'none')).head(K('a'))).toEqual({ kind: 'missing', where: join(dir, 'none', `${K('a')}.memo`) });
    expect(folderMemo(dir).head(K('a'))).toEqual({ kind: 'missing', where: join(dir, `${K('a')}.memo`) });
    writeFileSync(join(dir, 'file'), 'x');
    expect(folderMemo(join(dir, 'file')).head(K('a'))).toEqual({ kind: 'missing', where: join(dir, 'file', `${K('a')}.memo`) });
  });

  it('a stored entry: found with its header, fetched with its rows, the size of its file', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    const put = m.put(K('b'), { fn: 'g', cost, rows: [[1n, 'one'], [2n, 'two']] });
    const file = join(dir, `${K('b')}.memo`);
    expect(put).toEqual({ kind: 'stored', bytes: statSync(file).size, evicted: { entries: 0, bytes: 0 } });
    const h = m.head(K('b'));
    if (h.kind !== 'found') throw new Error(h.kind);
    expect([h.where, h.header.fn, h.header.rows, h.header.bytes, h.header.cost.toJSON()]).toEqual([file, 'g', 2, statSync(file).size, cost.toJSON()]);
    expect(h.fetch()).toEqual({ kind: 'hit', where: file, bytes: statSync(file).size, entry: { fn: 'g', cost, rows: [[1n, 'one'], [2n, 'two']] } });
    // Owner-only: the entry 0600, a folder it creates 0700.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const nested = join(dir, 'a', 'b');
    expect(folderMemo(nested).put(K('c'), tiny(1n)).kind).toBe('stored');
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(readdirSync(nested)).toEqual([`${K('c')}.memo`]);
  });

  it('an entry longer than the header prefix (64 KiB) is read whole when fetched', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    const long = 'z'.repeat(70_000);
    expect(m.put(K('d'), { fn: 'f', cost, rows: [[long]] }).kind).toBe('stored');
    const got = lookup(m, K('d'));
    expect(got.kind === 'hit' && got.entry.rows).toEqual([[long]]);
  });

  it('an entry that goes between its head and its fetch is corrupt: it cannot be read', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    m.put(K('d'), { fn: 'f', cost, rows: [['z'.repeat(70_000)]] });
    const h = m.head(K('d'));
    if (h.kind !== 'found') throw new Error(h.kind);
    rmSync(h.where);
    expect(h.fetch()).toEqual({ kind: 'corrupt', where: h.where, why: 'it cannot be read (no such file)' });
  });

  it('a file over the entry limit is corrupt by its size; a directory in its place cannot be read', () => {
    const dir = tempDir();
    const m = folderMemo(dir, { maxEntryBytes: 100, maxTotalBytes: 1000 });
    writeFileSync(join(dir, `${K('a')}.memo`), Buffer.alloc(101, 32));
    expect(m.head(K('a'))).toEqual({ kind: 'corrupt', where: join(dir, `${K('a')}.memo`), why: 'it is larger than the 100-byte entry limit' });
    writeFileSync(join(dir, `${K('b')}.memo`), Buffer.alloc(100, 32));
    expect(m.head(K('b'))).toMatchObject({ kind: 'corrupt', why: 'it is not complete (truncated in its header)' });
    mkdirSync(join(dir, `${K('c')}.memo`));
    const c = m.head(K('c'));
    expect(c.kind === 'corrupt' && c.why.startsWith('it cannot be read (')).toBe(true);
  });

  it('a fetched hit is touched (used now); a header that is not this key is passed on as parsed', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    m.put(K('e'), tiny(5n));
    const file = join(dir, `${K('e')}.memo`);
    age(file, 3600);
    expect(lookup(m, K('e')).kind).toBe('hit');
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(600_000);
    writeFileSync(join(dir, `${K('f')}.memo`), readFileSync(file));
    expect(m.head(K('f'))).toEqual({ kind: 'corrupt', where: join(dir, `${K('f')}.memo`), why: 'it holds another key' });
    // The head already knows the file's size: bytes past the entry's end are found before any fetch.
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('extra')]));
    expect(m.head(K('e'))).toEqual({ kind: 'corrupt', where: file, why: 'it has 5 bytes past its end' });
  });
});

describe('FolderMemo put', () => {
  it('an entry over the entry limit: MRG4034 with the least it would take (one value `i1`: 2 + 3 + 2 = 7 bytes)', () => {
    const dir = tempDir();
    const put = folderMemo(dir, { maxEntryBytes: 6, maxTotalBytes: 6 }).put(K('a'), tiny(1n));
    expect(put.kind).toBe('refused');
    if (put.kind !== 'refused') return;
    expect([put.diagnostic.code, put.diagnostic.message]).toEqual(['MRG4034', `the result of f was not stored: its entry would take at least 7 bytes, over the 6-byte entry limit of ${dir}`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a store that is not a folder: MRG4032 naming the entry and why, and no temporary file anywhere', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const where = join(dir, 'file', `${K('a')}.memo`);
    const put = folderMemo(join(dir, 'file')).put(K('a'), tiny(1n));
    expect(put.kind === 'refused' && [put.diagnostic.code, put.diagnostic.message]).toEqual(['MRG4032', `cannot write the memo entry ${where}: EEXIST: file already exists, mkdir '${join(dir, 'file')}'`]);
    const under = folderMemo(join(dir, 'file', 'sub')).put(K('a'), tiny(1n));
    expect(under.kind === 'refused' && under.diagnostic.message).toBe(`cannot write the memo entry ${join(dir, 'file', 'sub', `${K('a')}.memo`)}: ENOTDIR: not a directory, mkdir '${join(dir, 'file', 'sub')}'`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('an entry that cannot be renamed into place leaves no temporary file behind', () => {
    const dir = tempDir();
    mkdirSync(join(dir, `${K('a')}.memo`, 'inside'), { recursive: true });
    const put = folderMemo(dir).put(K('a'), tiny(1n));
    expect(put.kind === 'refused' && put.diagnostic.code).toBe('MRG4032');
    expect(readdirSync(dir)).toEqual([`${K('a')}.memo`]);
  });

  it('evicts the least recently used entries, one 4 KiB block each, until the new one fits', () => {
    const dir = tempDir();
    const m = folderMemo(dir, { maxEntryBytes: BLOCK, maxTotalBytes: 3 * BLOCK });
    // Used last: b, then a; c longest ago.
    const ago = new Map([['a', 200], ['b', 100], ['c', 300]]);
    for (const [c, sec] of ago) {
      expect(m.put(K(c), tiny(BigInt(sec)))).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
      age(join(dir, `${K(c)}.memo`), sec);
    }
    // A fresh store scans the folder: three blocks used, one needed: the least recently used goes.
    const fresh = folderMemo(dir, { maxEntryBytes: BLOCK, maxTotalBytes: 3 * BLOCK });
    expect(fresh.put(K('d'), tiny(3n))).toMatchObject({ kind: 'stored', evicted: { entries: 1, bytes: BLOCK } });
    expect(['a', 'b', 'c', 'd'].map((c) => existsSync(join(dir, `${K(c)}.memo`)))).toEqual([true, true, false, true]);
    // It counts its own writes: the next one evicts again, without waiting for a rescan.
    expect(fresh.put(K('e'), tiny(4n))).toMatchObject({ kind: 'stored', evicted: { entries: 1, bytes: BLOCK } });
    expect(['a', 'b', 'd', 'e'].map((c) => existsSync(join(dir, `${K(c)}.memo`)))).toEqual([false, true, true, true]);
  });

  it('a put that needs two blocks evicts two entries', () => {
    const dir = tempDir();
    const m = folderMemo(dir, { maxEntryBytes: 2 * BLOCK, maxTotalBytes: 3 * BLOCK });
    ['a', 'b', 'c'].forEach((c, i) => {
      m.put(K(c), tiny(BigInt(i)));
      age(join(dir, `${K(c)}.memo`), 300 - i * 10);
    });
    // ~5 KiB of rows: two blocks.
    const put = folderMemo(dir, { maxEntryBytes: 2 * BLOCK, maxTotalBytes: 3 * BLOCK }).put(K('d'), { fn: 'f', cost, rows: [['y'.repeat(5000)]] });
    expect(put).toMatchObject({ kind: 'stored', evicted: { entries: 2, bytes: 2 * BLOCK } });
    expect(readdirSync(dir).sort()).toEqual([`${K('c')}.memo`, `${K('d')}.memo`]);
  });

  it('replacing an entry counts its old file as gone: nothing else is evicted for it', () => {
    const dir = tempDir();
    const m = folderMemo(dir, { maxEntryBytes: 2 * BLOCK, maxTotalBytes: 2 * BLOCK });
    m.put(K('a'), tiny(1n));
    m.put(K('b'), tiny(2n));
    age(join(dir, `${K('a')}.memo`), 100);
    expect(m.put(K('a'), tiny(3n))).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
    expect(readdirSync(dir).sort()).toEqual([`${K('a')}.memo`, `${K('b')}.memo`]);
    const a = lookup(m, K('a'));
    expect(a.kind === 'hit' && a.entry.rows).toEqual([[3n]]);
    // Replaced by one of two blocks, the oldest other entry goes, never the one being replaced.
    age(join(dir, `${K('a')}.memo`), 200);
    const put = folderMemo(dir, { maxEntryBytes: 2 * BLOCK, maxTotalBytes: 2 * BLOCK }).put(K('a'), { fn: 'f', cost, rows: [['y'.repeat(5000)]] });
    expect(put).toMatchObject({ kind: 'stored', evicted: { entries: 1, bytes: BLOCK } });
    expect(readdirSync(dir)).toEqual([`${K('a')}.memo`]);
  });

  it('a full folder of files that are not entries is not emptied: they neither count nor go', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'x'.repeat(3 * BLOCK));
    writeFileSync(join(dir, `${K('a').toUpperCase()}.memo`), 'x');
    writeFileSync(join(dir, `${K('a')}.memo.bak`), 'x');
    writeFileSync(join(dir, `x${K('a')}.memo`), 'x');
    mkdirSync(join(dir, `${K('b')}.memo`));
    const m = folderMemo(dir, { maxEntryBytes: BLOCK, maxTotalBytes: BLOCK });
    expect(m.put(K('c'), tiny(1n))).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
    expect(readdirSync(dir).sort()).toEqual([`${K('A')}.memo`, `${K('a')}.memo.bak`, `${K('b')}.memo`, `${K('c')}.memo`, `x${K('a')}.memo`, 'notes.txt'].sort());
  });

  it('a temporary file is removed when older than 10 minutes, kept when younger (its writer may live)', () => {
    const dir = tempDir();
    const old = join(dir, `${K('e')}.memo.123.abcd.tmp`);
    const young = join(dir, `${K('f')}.memo.456.ef01.tmp`);
    // Named otherwise than this store names its temporaries: not its own, so never removed.
    const others = [`${K('e')}.memo.x.abcd.tmp`, `x${K('e')}.memo.1.ab.tmp`, `${K('e')}.memo.1.ab.tmp.keep`];
    for (const f of [old, young, ...others.map((o) => join(dir, o))]) writeFileSync(f, 'partial');
    for (const f of [old, ...others.map((o) => join(dir, o))]) age(f, 11 * 60);
    age(young, 9 * 60);
    expect(folderMemo(dir).put(K('a'), tiny(1n)).kind).toBe('stored');
    expect(readdirSync(dir).sort()).toEqual([`${K('a')}.memo`, `${K('f')}.memo.456.ef01.tmp`, ...others].sort());
  });

  it('a directory named like an entry takes no room: the next put still fits without a rescan', () => {
    const dir = tempDir();
    mkdirSync(join(dir, `${K('b')}.memo`));
    age(join(dir, `${K('b')}.memo`), 600);
    const m = folderMemo(dir, { maxEntryBytes: BLOCK, maxTotalBytes: 2 * BLOCK });
    expect(m.put(K('c'), tiny(1n))).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
    expect(m.put(K('d'), tiny(2n))).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
    expect(readdirSync(dir).sort()).toEqual([`${K('b')}.memo`, `${K('c')}.memo`, `${K('d')}.memo`]);
  });

  it("another process's entries are counted again two seconds after a scan", () => {
    const dir = tempDir();
    const opts = { maxEntryBytes: BLOCK, maxTotalBytes: 3 * BLOCK };
    const a = folderMemo(dir, opts);
    const b = folderMemo(dir, opts);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.now();
      a.put(K('a'), tiny(1n));
      b.put(K('b'), tiny(2n));
      b.put(K('c'), tiny(3n));
      ['a', 'b', 'c'].forEach((c, i) => age(join(dir, `${K(c)}.memo`), 300 - i * 10));
      // Within two seconds `a` trusts its own count (two blocks): no eviction, the folder is over by one.
      vi.setSystemTime(start + 1000);
      expect(a.put(K('d'), tiny(4n))).toMatchObject({ kind: 'stored', evicted: { entries: 0, bytes: 0 } });
      age(join(dir, `${K('d')}.memo`), 200);
      expect(readdirSync(dir)).toHaveLength(4);
      // Two seconds after its scan it counts the folder again: four blocks and one more need two to go, the oldest.
      vi.setSystemTime(start + 2000);
      expect(a.put(K('e'), tiny(5n))).toMatchObject({ kind: 'stored', evicted: { entries: 2, bytes: 2 * BLOCK } });
      expect(readdirSync(dir).sort()).toEqual(['c', 'd', 'e'].map((c) => `${K(c)}.memo`));
    } finally {
      vi.useRealTimers();
    }
  });

  it('remove: the entry goes; a missing one is fine', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    m.put(K('a'), tiny(1n));
    m.remove(K('a'));
    m.remove(K('b'));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('FolderMemo, what is left behind', () => {
  it('a fetch that finds the rows damaged does not count as a use (its time stays)', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    m.put(K('a'), tiny(1n));
    const file = join(dir, `${K('a')}.memo`);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('[["i1"]]', '[["i2"]]'));
    age(file, 3600);
    const before = statSync(file).mtimeMs;
    expect(lookup(m, K('a'))).toEqual({ kind: 'corrupt', where: file, why: 'its rows do not match its hash (damaged after it was written)' });
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('puts and fetches close every file they open', () => {
    const dir = tempDir();
    const m = folderMemo(dir);
    const open = () => readdirSync('/proc/self/fd').length;
    m.put(K('0'), tiny(0n));
    lookup(m, K('0'));
    const before = open();
    for (let i = 1; i <= 20; i++) {
      m.put(K(i.toString(16).padStart(1, '0').slice(-1)), tiny(BigInt(i)));
      lookup(m, K('0'));
    }
    expect(open()).toBe(before);
  });

  it('a temporary file exactly 10 minutes old is kept; a millisecond more and it goes', () => {
    const dir = tempDir();
    const tmp = join(dir, `${K('e')}.memo.1.ab.tmp`);
    writeFileSync(tmp, 'partial');
    const t = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    utimesSync(tmp, new Date(t), new Date(t));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(t + 600_000);
      folderMemo(dir).put(K('a'), tiny(1n));
      expect(existsSync(tmp)).toBe(true);
      vi.setSystemTime(t + 600_001);
      folderMemo(dir).put(K('b'), tiny(1n));
      expect(existsSync(tmp)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
