// The memo store and the verdict: stored results are fetched when the machine's verdict says so,
// computed otherwise; a poisoned entry is refused, a truncated one ignored; W is the same every run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import { FolderMemo, parseEntry, shutdownWorkers, type MemoStore } from '../../src/runtime/vectorize/index.js';
import { dfRows, fixedMachine, runVec, tempDir } from './helpers.js';

/** Much work per row (a 300-step loop), a small result: worth fetching. */
const HEAVY = (k = 3) => `mutable dataframe inDf int32 x;
mutable int i = 0;
while i < 20 { inDf(i); i += 1; };
mutable dataframe outDf int32 x, int64 s;
inert int k = ${k};
function heavy(x int32)::{}{
  mutable int s = 0;
  mutable int j = 0;
  while j < 300 { s += (x * j + k) % 11; j += 1; };
  return x s;
};
mutable blocker b;
b += vectorize heavy inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;

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

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

afterAll(async () => {
  await shutdownWorkers();
});

describe('memo store and verdict', () => {
  it('computes and stores on the first run, fetches on the second', () => {
    const dir = tempDir();
    const memo = new FolderMemo(dir);
    const first = runVec(HEAVY(), { memo });
    const a = first.engine.reports[0]!;
    expect([a.decision, a.reason, a.result, a.memo?.stored]).toEqual(['compute', 'no entry', 'computed', true]);
    expect(entries(dir)).toEqual([`${a.key}.json`]);
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
    const memo = new FolderMemo(tempDir());
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
    const memo = new FolderMemo(tempDir());
    runVec(TINY_BIG, { memo });
    const { r, engine } = runVec(TINY_BIG, { memo });
    const rep = engine.reports[0]!;
    expect([rep.decision, rep.reason, rep.result, rep.memo?.stored]).toEqual(['compute', 'verdict', 'computed', false]);
    expect(rep.verdict?.action).toBe('compute');
    expect(rep.verdict?.tFetch as number).toBeGreaterThan(rep.verdict!.tCompute);
    expect(Number(rep.cost!.resultBytes)).toBe(8 * (4 + 8192));
    expect(dfRows(r, 'outDf')).toHaveLength(8);
  });

  it('refuses a poisoned entry (result edited, hash kept): MRG4031, nothing appended', () => {
    const dir = tempDir();
    const memo = new FolderMemo(dir);
    const key = runVec(HEAVY(), { memo }).engine.reports[0]!.key!;
    const file = join(dir, `${key}.json`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.rows[3][1] = 'i999';
    writeFileSync(file, JSON.stringify(doc));
    const { r } = runVec(HEAVY(), { memo });
    expect(r.error?.code).toBe('MRG4031');
    expect(r.error?.message).toContain(file);
    expect(r.exitCode).toBe(1);
    expect(dfRows(r, 'outDf')).toEqual([]);
    expect(parseEntry(readFileSync(file, 'utf8'), key, file).kind).toBe('poisoned');
  });

  it('ignores a truncated entry (MRG4030), computes, and writes a good one again', () => {
    const dir = tempDir();
    const memo = new FolderMemo(dir);
    const key = runVec(HEAVY(), { memo }).engine.reports[0]!.key!;
    const file = join(dir, `${key}.json`);
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
    const key = (src: string) => runVec(src, { memo: new FolderMemo(tempDir()) }).engine.reports[0]!.key;
    const base = key(HEAVY());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(key(`\n\n\`\`\`devdoc\nmoved down\n\`\`\`\n${HEAVY()}`)).toBe(base);
    expect(key(HEAVY(4))).not.toBe(base);
    expect(key(HEAVY().replace('i < 20', 'i < 21'))).not.toBe(base);
  });

  it('writes entries atomically: no temporary file is left, and a stray one is not an entry', () => {
    const dir = tempDir();
    const memo = new FolderMemo(dir);
    const key = runVec(HEAVY(), { memo }).engine.reports[0]!.key!;
    expect(entries(dir)).toEqual([`${key}.json`]);
    writeFileSync(join(dir, `${key}.json.123.abc.tmp`), '{"format":');
    expect(runVec(HEAVY(), { memo }).engine.reports[0]!.result).toBe('fetched');
  });

  it('a store reached over the network is judged on the network: none means compute', () => {
    const folder = new FolderMemo(tempDir());
    const remote: MemoStore = { location: 'remote', transport: 'network', get: (k) => folder.get(k), put: (k, e) => folder.put(k, e) };
    runVec(HEAVY(), { memo: remote });
    const rep = runVec(HEAVY(), { memo: remote, machine: fixedMachine({ netBytesPerSec: 0 }) }).engine.reports[0]!;
    expect([rep.decision, rep.verdict?.score, rep.verdict?.forced]).toEqual(['compute', '-inf', 'network']);
  });

  it('without a store every vectorize computes', () => {
    const rep = runVec(HEAVY()).engine.reports[0]!;
    expect([rep.decision, rep.reason, rep.key, rep.memo]).toEqual(['compute', 'no memo store', null, null]);
  });
});
