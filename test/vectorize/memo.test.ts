// The memo store and the verdict: stored results are fetched when the machine's verdict says so,
// computed otherwise; a poisoned entry is refused, a truncated one ignored; W is the same every run.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import { lookup, shutdownWorkers, type MemoStore } from '../../src/runtime/vectorize/index.js';
import { dfRows, fixedMachine, folderMemo, HEAVY, runVec, tempDir } from './helpers.js';

/** Almost no work per row, an 8 KiB result: cheaper to compute than to read back. */
const TINY_BIG = `mutable string big = "x";
mutable int d = 0;
while d < 13 { big = big + big; d += 1; };
mutable dataframe inDf int32 x, string s;
mutable int i = 0;
while i < 8 { inDf(i big); i += 1; };
mutable dataframe outDf int32 x, string s;
function echo(x int32, s string)::{}{ return x s; };
mutable blocker b;
b += vectorize echo inDf outDf;
await_all b;
`;

/** An entry whose rows were rewritten by someone without the key: hash recomputed, signature kept. */
function forge(bytes: Buffer, edit: (rows: string[][]) => string[][]): Buffer {
  const text = bytes.toString('utf8');
  const nl = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, nl));
  const body = Buffer.from(JSON.stringify(edit(JSON.parse(text.slice(nl + 1)))));
  header.body = body.length;
  header.hash = createHash('sha256').update(body).digest('hex');
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), body]);
}

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

afterAll(async () => {
  await shutdownWorkers();
});

describe('memo store and verdict', () => {
  it('computes and stores on the first run, fetches on the second', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const first = runVec(HEAVY(), { memo });
    const a = first.engine.reports[0]!;
    expect([a.decision, a.reason, a.result, a.memo?.stored]).toEqual(['compute', 'no entry', 'computed', true]);
    expect(entries(dir)).toEqual([`${a.key}.memo`]);
    const second = runVec(HEAVY(), { memo });
    const b = second.engine.reports[0]!;
    expect([b.decision, b.reason, b.result, b.mode]).toEqual(['fetch', 'verdict', 'fetched', 'fetched']);
    expect(b.verdict?.action).toBe('fetch');
    expect(b.verdict?.score as number).toBeGreaterThan(0);
    expect(b.cost).toEqual(a.cost);
    expect(dfRows(second.r, 'outDf')).toEqual(dfRows(first.r, 'outDf'));
    expect(second.r.stdout).toBe('20\n');
    // Fetching evaluates none of f's operations.
    expect(first.r.steps - second.r.steps).toBe(Number(a.cost!.ops));
    expect(checkInvariants(second.r.memory!)).toEqual([]);
  });

  it('a fetched result goes through the membranes of outDf too: the longest fitting prefix, then quota_error', () => {
    const memo = folderMemo(tempDir());
    runVec(HEAVY(), { memo });
    const capped = HEAVY()
      .replace('mutable dataframe outDf int32 x, int64 s;', 'mutable dag store;\nmutable dag cap = membrane<quota<30, 30, 0>> store;\nmutable dataframe cap.outDf int32 x, int64 s;')
      .replace('b += vectorize heavy inDf outDf;', 'b += vectorize heavy inDf cap.outDf;')
      .replace('rows(outDf)', 'rows(cap.outDf)');
    const { r, engine } = runVec(capped, { memo });
    const rep = engine.reports[0]!;
    expect([rep.result, r.error?.name]).toEqual(['fetched', 'quota_error']);
    expect(rep.kept).toBeGreaterThan(0);
    expect(rep.kept).toBeLessThan(20);
    expect([rep.discarded, rep.abandoned]).toEqual([20 - rep.kept, 0]);
    expect(dfRows(r, 'outDf')).toHaveLength(rep.kept);
    expect(checkInvariants(r.memory!)).toEqual([]);
  });

  it('computes despite an entry when the verdict says so (tiny work, big result)', () => {
    const memo = folderMemo(tempDir());
    runVec(TINY_BIG, { memo });
    const { r, engine } = runVec(TINY_BIG, { memo });
    const rep = engine.reports[0]!;
    expect([rep.decision, rep.reason, rep.result, rep.memo?.stored]).toEqual(['compute', 'verdict', 'computed', false]);
    expect(rep.verdict?.action).toBe('compute');
    expect(rep.verdict?.tFetch as number).toBeGreaterThan(rep.verdict!.tCompute);
    expect(Number(rep.cost!.resultBytes)).toBe(8 * (4 + 8192));
    expect(dfRows(r, 'outDf')).toHaveLength(8);
  });

  it('ignores an entry whose rows were edited without its hash (MRG4030), computes the right rows and replaces it', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const first = runVec(HEAVY(), { memo });
    const key = first.engine.reports[0]!.key!;
    const file = join(dir, `${key}.memo`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('["i0",', '["i9",'));
    const { r, engine } = runVec(HEAVY(), { memo });
    expect(r.error).toBeNull();
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4030']);
    expect(engine.warnings[0]?.message).toBe(`memo entry ${file}: its rows do not match its hash (damaged after it was written); it was ignored and heavy computed`);
    expect(dfRows(r, 'outDf')).toEqual(dfRows(first.r, 'outDf'));
    expect(engine.reports[0]!.reason).toBe('entry ignored (corrupt)');
    expect(engine.memoSummary()?.counts.corrupt).toBe(1);
    expect(runVec(HEAVY(), { memo }).engine.reports[0]!.result).toBe('fetched');
  });

  it('refuses a forged entry (rows edited, hash recomputed, no key): MRG4031, never used, computed and replaced', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const first = runVec(HEAVY(), { memo });
    const key = first.engine.reports[0]!.key!;
    const file = join(dir, `${key}.memo`);
    writeFileSync(file, forge(readFileSync(file), (rows) => rows.map((r) => [r[0]!, 'i999'])));
    expect(lookup(memo, key).kind).toBe('poisoned');
    const { r, engine } = runVec(HEAVY(), { memo });
    expect(r.error).toBeNull();
    expect(engine.warnings.map((w) => [w.code, w.severity])).toEqual([['MRG4031', 'warning']]);
    expect(engine.warnings[0]?.message).toContain("it is not signed with this store's key");
    const rep = engine.reports[0]!;
    expect([rep.decision, rep.reason, rep.result, rep.memo?.stored]).toEqual(['compute', 'entry refused (poisoned)', 'computed', true]);
    expect(dfRows(r, 'outDf')).toEqual(dfRows(first.r, 'outDf'));
    expect(engine.memoSummary()?.counts).toMatchObject({ poisoned: 1, stored: 1, fetched: 0 });
    expect(lookup(memo, key).kind).toBe('hit');
  });

  it('an entry signed with another key is refused too (another user, or a key that was replaced)', () => {
    const dir = tempDir();
    runVec(HEAVY(), { memo: folderMemo(dir, { key: Buffer.from('another-key-0123456789abcdef0123456789') }) });
    const { engine } = runVec(HEAVY(), { memo: folderMemo(dir) });
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4031']);
    expect(engine.reports[0]!.result).toBe('computed');
  });

  it('an authentic entry whose rows do not fit outDf is ignored with MRG4030, not a type_error', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const first = runVec(HEAVY(), { memo });
    const key = first.engine.reports[0]!.key!;
    // Signed with the right key (a bug, or a writer of another version): a string in an int column.
    const entry = lookup(memo, key);
    if (entry.kind !== 'hit') throw new Error('no entry');
    memo.put(key, { ...entry.entry, rows: entry.entry.rows.map((r, i) => (i === 5 ? [r[0]!, 'seven'] : r)) });
    const { r, engine } = runVec(HEAVY(), { memo });
    expect(r.error).toBeNull();
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4030']);
    expect(engine.warnings[0]?.message).toMatch(/: its row 6 does not fit column s \(.*\); it was ignored and heavy computed$/);
    expect(dfRows(r, 'outDf')).toEqual(dfRows(first.r, 'outDf'));
  });

  it('ignores a truncated entry (MRG4030), computes, and writes a good one again', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const key = runVec(HEAVY(), { memo }).engine.reports[0]!.key!;
    const file = join(dir, `${key}.memo`);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const { r, engine } = runVec(HEAVY(), { memo });
    expect(r.error).toBeNull();
    expect(engine.warnings.map((w) => w.code)).toEqual(['MRG4030']);
    expect(engine.warnings[0]?.message).toContain('truncated');
    const rep = engine.reports[0]!;
    expect([rep.result, rep.reason, rep.memo?.stored]).toEqual(['computed', 'entry ignored (corrupt)', true]);
    expect(runVec(HEAVY(), { memo }).engine.reports[0]!.result).toBe('fetched');
  });

  it('gives the same FnCost W on every run, inline, deterministic and on threads', () => {
    const costs = [
      runVec(HEAVY()).engine.reports[0]!.cost,
      runVec(HEAVY()).engine.reports[0]!.cost,
      runVec(HEAVY(), { seed: 7, workers: 5, batchSize: 2 }).engine.reports[0]!.cost,
      runVec(HEAVY(), { threads: 'always', workers: 2 }).engine.reports[0]!.cost,
    ];
    expect(new Set(costs.map((c) => JSON.stringify(c))).size).toBe(1);
    expect(Number(costs[0]!.ops)).toBeGreaterThan(20 * 300);
  });

  it('keys on what f computes: not on where the code stands, but on the constants it reads', () => {
    const key = (src: string) => runVec(src, { memo: folderMemo(tempDir()) }).engine.reports[0]!.key;
    const base = key(HEAVY());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(key(`\n\n\`\`\`devdoc\nmoved down\n\`\`\`\n${HEAVY()}`)).toBe(base);
    expect(key(HEAVY(4))).not.toBe(base);
    expect(key(HEAVY().replace('i < 20', 'i < 21'))).not.toBe(base);
  });

  it('writes entries atomically: no temporary file is left, and a stray one is not an entry', () => {
    const dir = tempDir();
    const memo = folderMemo(dir);
    const key = runVec(HEAVY(), { memo }).engine.reports[0]!.key!;
    expect(entries(dir)).toEqual([`${key}.memo`]);
    writeFileSync(join(dir, `${key}.memo.123.abc.tmp`), '{"format":');
    expect(runVec(HEAVY(), { memo }).engine.reports[0]!.result).toBe('fetched');
  });

  it('a store reached over the network is judged on the network: none means compute', () => {
    const folder = folderMemo(tempDir());
    const remote: MemoStore = { location: 'remote', transport: 'network', limits: folder.limits, head: (k) => folder.head(k), put: (k, e) => folder.put(k, e), remove: (k) => folder.remove(k) };
    runVec(HEAVY(), { memo: remote });
    const rep = runVec(HEAVY(), { memo: remote, machine: fixedMachine({ netBytesPerSec: 0 }) }).engine.reports[0]!;
    expect([rep.decision, rep.verdict?.score, rep.verdict?.forced]).toEqual(['compute', '-inf', 'network']);
  });

  it('without a store every vectorize computes', () => {
    const rep = runVec(HEAVY()).engine.reports[0]!;
    expect([rep.decision, rep.reason, rep.key, rep.memo]).toEqual(['compute', 'no memo store', null, null]);
  });
});
