// The folder store's bounds and its key: an entry over the entry limit is not stored (MRG4034), the
// folder stays under its total limit by evicting the least recently used entries, special files
// never block, and the signing key is created once (0600) or taken from the environment.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { FnCost } from '../../src/coren/index.js';
import { loadMemoKey, lookup, MEMO_KEY_FILE, shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { folderMemo, runVec, tempDir } from './helpers.js';

afterAll(async () => {
  await shutdownWorkers();
});

/** `n` vectorizes whose inputs differ (so n keys), each returning 4 rows of 2^`doublings` characters. */
function filler(n: number, doublings: number): string {
  return `mutable string pad = "x";
mutable int d = 0;
while d < ${doublings} { pad = pad + pad; d += 1; };
function widen(x int32, p string)::{}{ return x p; };
mutable int k = 0;
while k < ${n} {
  mutable dataframe inDf int32 x, string p;
  mutable int i = 0;
  while i < 4 { inDf(i + k * 100, pad); i += 1; };
  mutable dataframe outDf int32 x, string p;
  mutable blocker b;
  b += vectorize widen inDf outDf;
  await_all b;
  k += 1;
};
cout "done" endl;
`;
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((a, f) => a + Math.ceil(statSync(join(dir, f)).size / 4096) * 4096, 0);
}

const cost = FnCost.new(1000n, 10n, 10n, 10n);

describe('folder store limits', () => {
  it('an entry over the entry limit is not stored: MRG4034, the result is still used', () => {
    const dir = tempDir();
    const memo = folderMemo(dir, { maxEntryBytes: 4096, maxTotalBytes: 1 << 20 });
    const { r, engine } = runVec(filler(1, 13), { memo });
    expect(r.stdout).toBe('done\n');
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4034']);
    expect(engine.warnings[0]?.message).toMatch(/^the result of widen was not stored: its entry would take at least \d+ bytes, over the 4096-byte entry limit of /);
    expect(engine.reports[0]?.memo?.stored).toBe(false);
    expect(engine.memoSummary()?.counts.notStored).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a program that vectorizes endlessly cannot fill the disk: the folder stays under its limit, oldest evicted', () => {
    const dir = tempDir();
    const max = 64 * 1024;
    const memo = folderMemo(dir, { maxEntryBytes: 32 * 1024, maxTotalBytes: max });
    const { r, engine } = runVec(filler(40, 12), { memo });
    expect(r.stdout).toBe('done\n');
    expect(engine.warnings).toEqual([]);
    expect(folderBytes(dir)).toBeLessThanOrEqual(max);
    const c = engine.memoSummary()!.counts;
    expect(c.stored).toBe(40);
    expect(c.evictedEntries).toBeGreaterThan(20);
    expect(c.evictedBytes).toBeGreaterThan(0);
    // The last results are the ones kept; the evictions are reported where they happened.
    const last = engine.reports[engine.reports.length - 1]!;
    expect(lookup(memo, last.key!).kind).toBe('hit');
    expect(lookup(memo, engine.reports[0]!.key!).kind).toBe('missing');
    expect(engine.reports.some((rep) => (rep.memo?.evicted?.entries ?? 0) > 0)).toBe(true);
  });

  it('evicts the least recently used entry: a fetch keeps an old entry alive', () => {
    const dir = tempDir();
    const memo = folderMemo(dir, { maxEntryBytes: 8192, maxTotalBytes: 3 * 4096 });
    const keys = ['a', 'b', 'c'].map((c) => c.repeat(64));
    const old = new Date(Date.now() - 60_000);
    keys.forEach((k, i) => {
      expect(memo.put(k, { fn: 'f', cost, rows: [[BigInt(i)]] }).kind).toBe('stored');
      utimesSync(join(dir, `${k}.memo`), new Date(old.getTime() + i * 1000), new Date(old.getTime() + i * 1000));
    });
    expect(lookup(memo, keys[0]!).kind).toBe('hit'); // 'a' is now the most recently used
    const put = memo.put('d'.repeat(64), { fn: 'f', cost, rows: [[3n]] });
    expect(put).toMatchObject({ kind: 'stored', evicted: { entries: 1 } });
    expect(['a', 'b', 'c', 'd'].map((c) => existsSync(join(dir, `${c.repeat(64)}.memo`)))).toEqual([true, false, true, true]);
  });

  it('removes only its own files: other files stay, a stale temporary file of a dead writer goes', () => {
    const dir = tempDir();
    const memo = folderMemo(dir, { maxEntryBytes: 4096, maxTotalBytes: 4096 });
    writeFileSync(join(dir, 'notes.txt'), 'x'.repeat(10_000));
    const stale = join(dir, `${'e'.repeat(64)}.memo.123.abcd.tmp`);
    writeFileSync(stale, 'partial');
    utimesSync(stale, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    expect(memo.put('a'.repeat(64), { fn: 'f', cost, rows: [[1n]] }).kind).toBe('stored');
    expect(memo.put('b'.repeat(64), { fn: 'f', cost, rows: [[2n]] })).toMatchObject({ kind: 'stored', evicted: { entries: 1 } });
    expect(readdirSync(dir).sort()).toEqual([`${'b'.repeat(64)}.memo`, 'notes.txt']);
  });

  it('a FIFO or a folder where an entry should be is reported as corrupt, never waited on', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    execFileSync('mkfifo', [join(dir, `${'a'.repeat(64)}.memo`)]);
    mkdirSync(join(dir, `${'b'.repeat(64)}.memo`));
    const a = lookup(memo, 'a'.repeat(64));
    const b = lookup(memo, 'b'.repeat(64));
    expect([a.kind, b.kind]).toEqual(['corrupt', 'corrupt']);
    expect(a.kind === 'corrupt' && a.why).toMatch(/not a regular file/);
  });

  it('an entry file larger than the entry limit is not read', () => {
    const dir = tempDir();
    const memo = folderMemo(dir, { maxEntryBytes: 4096 });
    writeFileSync(join(dir, `${'a'.repeat(64)}.memo`), Buffer.alloc(5000, 32));
    const got = lookup(memo, 'a'.repeat(64));
    expect(got.kind === 'corrupt' && got.why).toBe('it is larger than the 4096-byte entry limit');
  });
});

describe('the memo key', () => {
  it('is created on first use in the cache folder, readable by its owner only, and the same afterwards', () => {
    const dir = join(tempDir(), 'cache');
    const first = loadMemoKey(dir, {});
    expect(first.created).toBe(true);
    expect(first.source).toBe(join(dir, MEMO_KEY_FILE));
    expect(statSync(first.source).mode & 0o777).toBe(0o600);
    expect(first.key.length).toBeGreaterThanOrEqual(32);
    const again = loadMemoKey(dir, {});
    expect([again.created, again.key.equals(first.key), again.warnings]).toEqual([false, true, []]);
  });

  it('MERG_E_MEMO_KEY and MERG_E_MEMO_KEY_FILE name a shared key; a short one is refused (MRG4035)', () => {
    const dir = tempDir();
    const secret = 'shared-secret-of-the-build-farm-0123456789';
    expect(loadMemoKey(dir, { MERG_E_MEMO_KEY: secret }).key.toString()).toBe(secret);
    expect(existsSync(join(dir, MEMO_KEY_FILE))).toBe(false);
    const file = join(dir, 'farm.key');
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    expect(loadMemoKey(dir, { MERG_E_MEMO_KEY_FILE: file }).key.toString()).toBe(secret);
    expect(() => loadMemoKey(dir, { MERG_E_MEMO_KEY: 'short' })).toThrow(MergeError);
    try {
      loadMemoKey(dir, { MERG_E_MEMO_KEY: 'short' });
    } catch (e) {
      expect((e as MergeError).code).toBe('MRG4035');
      expect((e as MergeError).message).toBe('the memo key in MERG_E_MEMO_KEY is too short (5 characters; at least 32)');
    }
  });

  it('warns when others can read the key file (MRG4036); a FIFO as key file is refused, not waited on', () => {
    const dir = tempDir();
    const file = join(dir, 'open.key');
    writeFileSync(file, 'k'.repeat(40), { mode: 0o644 });
    const k = loadMemoKey(dir, { MERG_E_MEMO_KEY_FILE: file });
    expect(k.warnings.map((w) => w.code)).toEqual(['MRG4036']);
    expect(k.warnings[0]?.message).toContain('(mode 644)');
    const fifo = join(dir, 'fifo.key');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadMemoKey(dir, { MERG_E_MEMO_KEY_FILE: fifo })).toThrow(/not a regular file/);
  });

  it('an unwritable cache folder is MRG4036: the caller runs without a store', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    try {
      loadMemoKey(join(dir, 'file', 'cache'), {});
      expect.unreachable();
    } catch (e) {
      expect((e as MergeError).code).toBe('MRG4036');
    }
  });
});
