// The vectorize engine with hand-worked expectations: how the pool and its batches are sized, which
// pool a mode picks, what the report and the error say, and every path through a memo store — driven
// by a scripted store whose answers the test chooses, on a fixed machine, so every verdict, TTL and
// count below is worked out by hand.
//
// SQUARES(n) (helpers.ts): inDf int32 x holds 0 … n−1, `sq(x) = x * x` into outDf int64 y, the
// vectorize on line 7. One row of sq is 4 operations (return, *, x, x), reads 4 bytes (int32) and
// writes 8 (int64): the whole job's FnCost is W = 4n, Q = M = 12n, R = 8n.
// fixedMachine(): 1e9 ops/s, 1e10 B/s memory, 1e8 B/s network (no latency), 1e9 B/s disk read,
// 2 cores, a desktop, workers start in 0.03 s (MachCap.fixed's default).
import { afterAll, describe, expect, it } from 'vitest';

import { FnCost, MachCap } from '../../src/coren/index.js';
import { fakeProbes } from '../coren/fakes.js';
import { diagnostic } from '../../src/diagnostics.js';
import { DEFAULT_TTL_SEC } from '../../src/runtime/vectorize/engine.js';
import { shutdownWorkers, type MemoEntry, type MemoHead, type MemoPut, type MemoStore, type PutOptions, type VectorizeOptions } from '../../src/runtime/vectorize/index.js';
import { runProgram } from '../../src/runtime/run.js';
import { VectorizeEngine } from '../../src/runtime/vectorize/index.js';
import { dfRows, fixedMachine, PRICING, runVec, SQUARES, tempDir } from './helpers.js';

afterAll(() => shutdownWorkers());

const LIMITS = { maxEntryBytes: 1 << 20, maxTotalBytes: null, policy: 'scripted' };
const STORED: MemoPut = { kind: 'stored', bytes: 100, evicted: { entries: 0, bytes: 0 } };

/** A store that answers what the test scripts and records what it was asked. */
class ScriptedStore implements MemoStore {
  readonly location = 'scripted://store';
  readonly limits = LIMITS;
  heads = 0;
  readonly puts: { key: string; entry: MemoEntry; opts: PutOptions | undefined }[] = [];
  constructor(
    readonly transport: 'disk' | 'network',
    private readonly headOf: (n: number) => MemoHead,
    private readonly putOf: (n: number) => MemoPut = () => STORED,
  ) {}
  head(_key: string): MemoHead {
    return this.headOf(this.heads++);
  }
  put(key: string, entry: MemoEntry, opts?: PutOptions): MemoPut {
    this.puts.push({ key, entry, opts });
    return this.putOf(this.puts.length - 1);
  }
  remove(): void {}
}

const MISSING: MemoHead = { kind: 'missing', where: 'scripted://store/e' };
const DOWN: MemoHead = { kind: 'unavailable', where: 'scripted://store/e', why: 'connection refused' };

/** A found entry of `rows` rows with the given header cost; fetch() answers `fetched`. */
function found(rows: number, cost: FnCost, fetched: ReturnType<Extract<MemoHead, { kind: 'found' }>['fetch']>, bytes = 321): MemoHead {
  return { kind: 'found', where: 'scripted://store/e', header: { fn: 'sq', cost, rows, bytes }, fetch: () => fetched };
}

/** Worth fetching on the fixed machine: 1 s of compute against 1 µs from the disk. */
const DEAR = FnCost.new(1_000_000_000n, 0n, 0n, 1000n);
/** Not worth it: 1 ns of compute against 1 ms from the disk. */
const CHEAP = FnCost.new(1n, 0n, 0n, 1_000_000n);
const hit = (rows: bigint[][], cost = DEAR) => ({ kind: 'hit' as const, entry: { fn: 'sq', cost, rows }, where: 'scripted://store/e', bytes: 321 });

/** SQUARES(n) and then a second vectorize of the same rows (line 11) into outDf2. */
const TWICE = (n: number) => `${SQUARES(n)}mutable dataframe outDf2 int64 y;
mutable blocker c;
c += vectorize sq inDf outDf2;
await_all c;
`;

describe('sizing the pool (deterministic mode: the first row\'s FnCost sizes it)', () => {
  it('10 rows, no workers given: the 9 rows after the probe are a job shorter than starting workers, so one simulated worker takes all 9', () => {
    // perItem = (W 4, Q 12): 4 ns a row; 9 rows take 36 ns < 2 × 0.03 s → inline: 1 worker,
    // batch min(0.02 s / 4 ns, ⌈9 / 1⌉) = 9.
    const { r, engine } = runVec(SQUARES(10), { seed: 1 });
    expect(r.stdout).toBe('10\n');
    expect(engine.reports[0]).toMatchObject({ mode: 'deterministic', workers: 1, batchSize: 9, seed: 1, kept: 10, discarded: 0, abandoned: 0, failedRow: null, reason: 'no memo store', key: null, memo: null });
    expect(engine.reports[0]?.cost).toEqual({ ops: '40', memBytes: '120', peakMem: '120', resultBytes: '80' });
  });

  it('11 rows on 3 workers given: batches are an even share of the 10 rows left, rounded up (4, not 3)', () => {
    const { engine } = runVec(SQUARES(11), { seed: 1, workers: 3 });
    expect(engine.reports[0]).toMatchObject({ mode: 'deterministic', workers: 3, batchSize: 4 });
    expect(engine.reports[0]?.cost).toEqual({ ops: '44', memBytes: '132', peakMem: '132', resultBytes: '88' });
  });

  it('given counts are whole numbers of at least 1: workers 2.9 → 2, batchSize 2.7 → 2, 0 → 1', () => {
    expect(runVec(SQUARES(11), { seed: 1, workers: 2.9, batchSize: 2.7 }).engine.reports[0]).toMatchObject({ workers: 2, batchSize: 2 });
    expect(runVec(SQUARES(11), { seed: 1, workers: 0, batchSize: 0 }).engine.reports[0]).toMatchObject({ workers: 1, batchSize: 1 });
    expect(runVec(SQUARES(11), { seed: 1, workers: 4, batchSize: 5 }).engine.reports[0]).toMatchObject({ workers: 4, batchSize: 5 });
  });

  it('no rows: nothing runs, the cost is zero and no pool was sized', () => {
    const { r, engine } = runVec(SQUARES(0), { seed: 1 });
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('0\n');
    expect(engine.reports[0]).toMatchObject({ result: 'computed', mode: null, workers: 0, batchSize: 0, rows: 0, kept: 0 });
    expect(engine.reports[0]?.cost).toEqual({ ops: '0', memBytes: '0', peakMem: '0', resultBytes: '0' });
  });

  it('a failure in the first row stops before any pool: deterministic or threads, one row ran on the calling thread', () => {
    const src = SQUARES(5).replace('return x * x;', 'lang.assert x != 0; return x * x;');
    for (const [vec, mode] of [[{ seed: 3, workers: 4 }, 'deterministic'], [{ threads: 'always', workers: 4 }, 'inline']] as const) {
      const { r, engine } = runVec(src, vec as VectorizeOptions);
      expect(r.error?.message).toBe('lang.assert failed: the condition is false (vectorize sq: sq raised on row 1 of 5; kept 0 of 5 rows)');
      expect(engine.reports[0]).toMatchObject({ mode, workers: 1, batchSize: 1, kept: 0, discarded: 1, abandoned: 4, failedRow: 0 });
    }
  });
});

describe('which pool runs the rows (real mode)', () => {
  it('auto: a job the budget calls too small runs inline; the same job with workers given goes to threads', () => {
    expect(runVec(SQUARES(6)).engine.reports[0]).toMatchObject({ mode: 'inline', workers: 1, batchSize: 1 });
    const given = runVec(SQUARES(6), { workers: 2 });
    expect(given.r.stdout).toBe('6\n');
    expect(given.engine.reports[0]).toMatchObject({ mode: 'threads', workers: 2 });
    expect(dfRows(given.r, 'outDf')).toEqual([[0n], [1n], [4n], [9n], [16n], [25n]]);
  });

  it('auto: a job the budget does not call small (workers start in no time) goes to threads, one per core', () => {
    // With workerStartSec 0 no job is shorter than starting workers: 2 cores, 2 threads.
    // 200 rows: more than the probe takes (at most 64), so the budget sizes a pool for the rest.
    const { r, engine } = runVec(SQUARES(200), { machine: fixedMachine({ workerStartSec: 0 }) });
    expect(r.stdout).toBe('200\n');
    expect(engine.reports[0]).toMatchObject({ mode: 'threads', workers: 2 });
  });

  it('the probed row\'s bytes bound the pool and its batches by RAM (peak 4 + 8 bytes a row, result 8)', () => {
    // ramAvailable 100: half usable (50) → ⌊50 / 12⌋ = 4 workers allowed, 2 cores → 2; each worker's
    // share 25 bytes holds ⌊25 / 8⌋ = 3 results → batches of 3.
    const roomy = runVec(SQUARES(200), { machine: fixedMachine({ workerStartSec: 0, ramAvailable: 100 }) });
    expect(roomy.engine.reports[0]).toMatchObject({ mode: 'threads', workers: 2, batchSize: 3 });
    expect(roomy.r.stdout).toBe('200\n');
    // ramAvailable 40: 20 usable bytes hold one row of 12 (two of 8, were the input left out): one worker, no threads.
    const tight = runVec(SQUARES(200), { machine: fixedMachine({ workerStartSec: 0, ramAvailable: 40 }) });
    expect(tight.engine.reports[0]).toMatchObject({ mode: 'inline', workers: 1, batchSize: 1 });
  });

  it('auto with one worker, and never with four: inline, tasks of one row', () => {
    expect(runVec(SQUARES(6), { workers: 1 }).engine.reports[0]).toMatchObject({ mode: 'inline', workers: 1, batchSize: 1 });
    expect(runVec(SQUARES(6), { threads: 'never', workers: 4, batchSize: 3 }).engine.reports[0]).toMatchObject({ mode: 'inline', workers: 1, batchSize: 1 });
  });

  it('always with one worker: a pool of one thread', () => {
    const { r, engine } = runVec(SQUARES(6), { threads: 'always', workers: 1 });
    expect(r.stdout).toBe('6\n');
    expect(engine.reports[0]).toMatchObject({ mode: 'threads', workers: 1 });
  });
});

describe('the report and the error of a failed vectorize', () => {
  it('f raising on the only row: "row 1 of 1; kept 0 of 1 row", at f\'s line; the report keeps f\'s own diagnostic', () => {
    const one = 'mutable dataframe inDf int32 x;\ninDf(5);\nmutable dataframe outDf int64 y;\nfunction f(x int32)::{}{\n  lang.assert x != 5;\n  return x;\n};\nmutable blocker b;\nb += vectorize f inDf outDf;\nawait_all b;\n';
    const { r, engine } = runVec(one);
    expect(r.error).toMatchObject({ name: 'range_error', code: 'MRG3009', line: 5, column: 3, message: 'lang.assert failed: the condition is false (vectorize f: f raised on row 1 of 1; kept 0 of 1 row)' });
    const rep = engine.reports[0]!;
    expect(rep).toMatchObject({ line: 9, rows: 1, cost: null, result: 'computed', kept: 0, discarded: 1, abandoned: 0, failedRow: 0 });
    expect(rep.error).toMatchObject({ code: 'MRG3009', message: 'lang.assert failed: the condition is false', line: 5, column: 3, name: 'range_error' });
  });

  it('a result outDf refuses: the error is at the vectorize line, names the row and outDf, and the result is not stored', () => {
    // The last row is refused, so (deterministic mode: no stop after the probe) every row was computed.
    const src = SQUARES(3).replace('return x * x;', 'if x == 2 { return "two"; }; return x * x;');
    const store = new ScriptedStore('disk', () => MISSING);
    const { r, engine } = runVec(src, { memo: store, seed: 1 });
    expect(r.error?.line).toBe(7);
    expect(r.error?.message).toMatch(/ \(vectorize sq: row 3 of 3 did not fit outDf; kept 2 of 3 rows\)$/);
    expect(dfRows(r, 'outDf')).toEqual([[0n], [1n]]);
    expect(engine.reports[0]).toMatchObject({ kept: 2, failedRow: 2 });
    // Rows 0 and 1: if, ==, x, 2 and return, *, x, x (8 operations); row 2: if, ==, x, 2, return, "two"
    // (6). Q = 3 × 4 input bytes + 8 + 8 + 3 result bytes = 31. Rows outDf refuses are not worth
    // keeping (they would fail again): not stored.
    expect(engine.reports[0]?.cost).toEqual({ ops: '22', memBytes: '31', peakMem: '31', resultBytes: '19' });
    expect(store.puts).toEqual([]);
  });

  it('rows that use exactly the steps left end the run at the vectorize (MRG3010 at its line), not at a later statement', () => {
    // A run whose rows overrun reports the steps spent before them (they are not charged).
    const before = runVec(SQUARES(10), { seed: 1 }, { maxSteps: 120 }).r.steps;
    // The 10 rows cost 4 operations each: a budget of exactly before + 40 is spent by the vectorize.
    const { r, engine } = runVec(SQUARES(10), { seed: 1 }, { maxSteps: before + 40 });
    expect(r.error).toMatchObject({ code: 'MRG3010', line: 7, message: `the program ran ${before + 40} steps without finishing` });
    expect(engine.reports[0]).toMatchObject({ kept: 10, failedRow: null, error: null });
    expect(dfRows(r, 'outDf')).toHaveLength(10);
  });

  it('a quota refusal keeps its membrane, limit kind and limit in the error', () => {
    const src = `mutable dataframe inDf int32 x;
mutable int i = 0;
while i < 5 { inDf(i); i += 1; };
mutable dag results;
mutable dag capped = membrane<quota<10, 10, 0>> results;
mutable dataframe capped.outDf int32 y;
function f(x int32)::{}{ return x; };
mutable blocker b;
b += vectorize f inDf capped.outDf;
await_all b;
`;
    const { r } = runVec(src, { seed: 1 });
    expect(r.error).toMatchObject({ name: 'quota_error', code: 'MRG3006', line: 9, membrane: 'capped', limitKind: 'direct', limit: 10 });
    expect(r.error?.message).toMatch(/ \(vectorize f: row 1 of 5 did not fit capped\.outDf; kept 0 of 5 rows\)$/);
  });

  it('the step limit inside the rows: MRG3010 in the report too, with no error name', () => {
    const { r, engine } = runVec(SQUARES(10), { seed: 1 }, { maxSteps: 120 });
    expect(r.error).toMatchObject({ code: 'MRG3010', line: 7, message: 'the program ran 120 steps without finishing' });
    const rep = engine.reports[0]!;
    expect(rep.error).toMatchObject({ code: 'MRG3010', message: 'the program ran 120 steps without finishing', line: 7, name: null });
    expect(rep.failedRow).not.toBeNull();
    expect(rep.kept).toBe(rep.failedRow);
    // The rows past the budget are not charged: the run never reports more steps than its limit.
    expect(r.steps).toBeLessThanOrEqual(120);
  });

  it('a row that outlives the run\'s time: the run\'s own MRG3011 at the vectorize, its limit as given; the report keeps the row\'s', () => {
    // A row may use the time the run has left (a little under 300 ms): its own limit is not the run's.
    const src = SQUARES(3).replace('return x * x;', 'mutable int k = 0; while true { k += 1; }; return x;');
    const { r, engine } = runVec(src, { seed: 1 }, { timeoutMs: 300 });
    expect(r.error).toMatchObject({ code: 'MRG3011', name: null, line: 7, message: 'the program ran longer than 300 ms' });
    const rep = engine.reports[0]!;
    expect(rep).toMatchObject({ failedRow: 0, kept: 0, cost: null });
    expect(rep.error).toMatchObject({ code: 'MRG3011', name: null, line: 5 });
    expect(rep.error?.message).toMatch(/^the program ran longer than \d+ ms$/);
  });

  it('a row may nest as many calls as the run has left: 20 at the top level, 18 two calls deep (MRG3012)', () => {
    // d recurses x times; x = 30 is deeper than any budget here.
    const fns = 'function d(n int32)::{}{ if n == 0 { return 0; }; return d(n - 1); };\nfunction f(x int32)::{ d; }{ return d(x); };\n';
    const body = 'mutable dataframe inDf int32 x;\ninDf(30);\nmutable dataframe outDf int32 y;\nmutable blocker b;\nb += vectorize f inDf outDf;\nawait_all b;\n';
    const top = runVec(`${fns}${body}`, { seed: 1 }, { maxCallDepth: 20 });
    expect(top.r.error).toMatchObject({ code: 'MRG3012', line: 1, message: 'calls nested deeper than 20' });
    expect(top.engine.reports[0]?.error).toMatchObject({ code: 'MRG3012', line: 1, column: 58, message: 'calls nested deeper than 20', name: null });
    const nested = runVec(`${fns}function go()::{}{\n${body}};\nfunction go2()::{}{ go(); };\ngo2();\n`, { seed: 1 }, { maxCallDepth: 20 });
    expect(nested.r.error).toMatchObject({ code: 'MRG3012', message: 'calls nested deeper than 18' });
  });

  it('dataframes are named as the program wrote them, in messages and the report', () => {
    const src = SQUARES(2).replace('function sq(x int32)', 'function sq(x int32, y int32)');
    expect(runVec(src).r.error?.message).toBe("sq takes 2 parameters but inDf has 1 column: vectorize passes each row's columns as the arguments");
    const two = SQUARES(2).replace('mutable dataframe inDf int32 x;', 'mutable dataframe inDf int32 x, int32 z;').replace('inDf(i)', 'inDf(i i)');
    expect(runVec(two).r.error?.message).toBe("sq takes 1 parameter but inDf has 2 columns: vectorize passes each row's columns as the arguments");
    const notIn = SQUARES(2).replace('vectorize sq inDf outDf', 'vectorize sq i outDf');
    expect(runVec(notIn).r.error?.message).toBe('vectorize reads its rows from a dataframe, but got an integer');
    const notOut = SQUARES(2).replace('vectorize sq inDf outDf', 'vectorize sq inDf i');
    expect(runVec(notOut).r.error?.message).toBe('vectorize appends its results to a dataframe, but got an integer');
    // A function where a dataframe goes, and a built-in where a function goes.
    expect(runVec(SQUARES(2).replace('vectorize sq inDf outDf', 'vectorize sq sq outDf')).r.error?.message).toBe('vectorize reads its rows from a dataframe, but got a callable');
    expect(runVec(SQUARES(2).replace('vectorize sq inDf outDf', 'vectorize sq inDf sq')).r.error?.message).toBe('vectorize appends its results to a dataframe, but got a callable');
    expect(runVec(SQUARES(2).replace('vectorize sq inDf', 'vectorize lang.dataframe.rows inDf')).r.error?.message).toBe('vectorize applies a function to every row, but it was given a builtin');
  });
});

describe('the machine the report names', () => {
  it('nominal without one, fixed for given figures, measured for a machine coren measured', async () => {
    expect(runVec(SQUARES(2), { machine: undefined, seed: 1 }).engine.reports[0]?.machine).toBe('nominal');
    expect(runVec(SQUARES(2), { seed: 1 }).engine.reports[0]?.machine).toBe('fixed');
    const measured = await MachCap.read(tempDir(), { probes: fakeProbes() });
    expect(runVec(SQUARES(2), { machine: measured, seed: 1 }).engine.reports[0]?.machine).toBe('measured');
  });
});

describe('names without the program\'s spelling (a library caller of the hook)', () => {
  it('a dataframe is named by its world path without the scope nodes (#…): go().results.outDf', () => {
    const engine = new VectorizeEngine({ machine: fixedMachine(), seed: 1 });
    const src = `function go()::{ cout; endl; }{
  mutable dataframe inDf int32 x;
  inDf(1);
  mutable dag results;
  mutable dag capped = membrane<quota<60, 60, 0>> results;
  mutable dataframe capped.outDf int32 y;
  function f(x int32)::{}{ return "s"; };
  mutable blocker b;
  b += vectorize f inDf capped.outDf;
  await_all b;
};
go();
`;
    const r = runProgram({ file: 't.merge', source: src }, { pricing: PRICING, vectorize: (fn, i, o, span, caller, rt) => engine.hook(fn, i, o, span, caller, rt) });
    expect(r.error?.message).toBe('an int32 cannot hold a string (s) (vectorize f: row 1 of 1 did not fit go().results.outDf; kept 0 of 1 row)');
    expect([engine.reports[0]?.input, engine.reports[0]?.output]).toEqual(['inDf', 'go().results.outDf']);
    // Through the interpreter the names are as written.
    const written = runVec(src);
    expect(written.r.error?.message).toBe('an int32 cannot hold a string (s) (vectorize f: row 1 of 1 did not fit capped.outDf; kept 0 of 1 row)');
    expect(written.engine.reports[0]?.output).toBe('capped.outDf');
  });
});

describe('progress', () => {
  it('without a sink nothing is shown, however soon', () => {
    const { r } = runVec(SQUARES(300), { seed: 1, progressAfterMs: 0 });
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('300\n');
  });

  it('a line every 256 rows evaluated and after each batch (at most one in 100 ms), then cleared', () => {
    // Deterministic mode, 300 rows: the probe's row, then one simulated worker takes the other 299
    // in one batch; the 256th row evaluated ticks while only the probe's row is delivered.
    const lines: (string | null)[] = [];
    const { r } = runVec(SQUARES(300), { seed: 1, progressAfterMs: 0, progress: (l) => lines.push(l) });
    expect(r.stdout).toBe('300\n');
    expect(lines[0]).toMatch(/^vectorize sq: 1\/300 rows \(0%\), \d+\.\d s$/);
    expect(lines.slice(1, -1).every((l) => /^vectorize sq: 300\/300 rows \(100%\), \d+\.\d s$/.test(l ?? ''))).toBe(true);
    expect(lines[lines.length - 1]).toBeNull();
  });

  it('batches of 3 rows of 10: the first line after the first batch says 4 of 10 (40%)', () => {
    const lines: (string | null)[] = [];
    runVec(SQUARES(10), { seed: 1, batchSize: 3, progressAfterMs: 0, progress: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/^vectorize sq: 4\/10 rows \(40%\), \d+\.\d s$/);
    expect(lines[lines.length - 1]).toBeNull();
  });
});

describe('with a memo store', () => {
  it('no entry (disk): computed and stored with replace off and no TTL; the verdict is the one a next run would make', () => {
    const store = new ScriptedStore('disk', () => MISSING);
    const { r, engine } = runVec(SQUARES(10), { memo: store, seed: 1 });
    expect(r.stdout).toBe('10\n');
    const rep = engine.reports[0]!;
    expect(rep).toMatchObject({ decision: 'compute', reason: 'no entry', result: 'computed' });
    expect(rep.memo).toEqual({ location: 'scripted://store', entry: 'scripted://store/e', stored: true, bytes: 100, fetchSec: null, ttlSec: null, evicted: null });
    expect(store.puts).toHaveLength(1);
    expect(store.puts[0]!.opts).toEqual({ replace: false });
    expect(store.puts[0]!.key).toBe(rep.key);
    expect(store.puts[0]!.entry.fn).toBe('sq');
    expect(store.puts[0]!.entry.rows).toEqual([[0n], [1n], [4n], [9n], [16n], [25n], [36n], [49n], [64n], [81n]]);
    expect(store.puts[0]!.entry.cost.toJSON()).toEqual({ ops: '40', memBytes: '120', peakMem: '120', resultBytes: '80' });
    // A folder is a disk read: tFetch = R / 1e9 = 80 ns; tCompute = max(40 / 1e9, 120 / 1e10) = 40 ns.
    expect(rep.verdict).toMatchObject({ action: 'compute', tFetch: 8e-8, tCompute: 4e-8, forced: null });
    expect(engine.memoSummary()).toMatchObject({ state: 'up', ttlBaseSec: null, lostAt: null, counts: { missing: 1, stored: 1, notStored: 0 } });
  });

  it('a network store without measured rates is judged on the machine\'s network: tFetch = R / 1e8', () => {
    const store = new ScriptedStore('network', () => MISSING);
    const rep = runVec(SQUARES(10), { memo: store, seed: 1 }).engine.reports[0]!;
    expect(rep.verdict).toMatchObject({ action: 'compute', tFetch: 8e-7, tCompute: 4e-8 });
  });

  it('a network store gives each entry a TTL: the base scaled by tCompute / tFetch (here 5), the default base one day', () => {
    // opsPerSec 1e7: tCompute = 40 / 1e7 = 4 µs; tFetch = 80 / 1e8 = 0.8 µs; ratio 5.
    const machine = fixedMachine({ opsPerSec: 1e7 });
    const store = new ScriptedStore('network', () => MISSING);
    const { engine } = runVec(SQUARES(10), { memo: store, seed: 1, machine, memoTtlSec: 1000 });
    expect(store.puts[0]!.opts).toEqual({ ttlSec: 5000, replace: false });
    expect(engine.reports[0]!.memo?.ttlSec).toBe(5000);
    expect(engine.memoSummary()?.ttlBaseSec).toBe(1000);
    const byDefault = new ScriptedStore('network', () => MISSING);
    const d = runVec(SQUARES(10), { memo: byDefault, seed: 1, machine }).engine;
    expect(DEFAULT_TTL_SEC).toBe(86_400);
    expect(byDefault.puts[0]!.opts).toEqual({ ttlSec: 432_000, replace: false });
    expect(d.memoSummary()?.ttlBaseSec).toBe(86_400);
  });

  it('an entry the verdict likes is fetched: its rows go into outDf, none of f\'s operations run', () => {
    const store = new ScriptedStore('disk', () => found(3, DEAR, hit([[7n], [8n], [9n]])));
    const computed = runVec(SQUARES(3), { seed: 1 });
    const { r, engine } = runVec(SQUARES(3), { memo: store, seed: 1 });
    expect(dfRows(r, 'outDf')).toEqual([[7n], [8n], [9n]]);
    // sq is 4 operations a row: 12 fewer steps.
    expect(computed.r.steps - r.steps).toBe(12);
    const rep = engine.reports[0]!;
    expect(rep).toMatchObject({ decision: 'fetch', reason: 'verdict', result: 'fetched', mode: 'fetched', kept: 3 });
    expect(rep.cost).toEqual({ ops: '1000000000', memBytes: '0', peakMem: '0', resultBytes: '1000' });
    // tCompute = 1e9 / 1e9 = 1 s; tFetch = 1000 / 1e9 (disk) = 1 µs.
    expect(rep.verdict).toMatchObject({ action: 'fetch', tCompute: 1, tFetch: 1e-6 });
    expect(rep.memo).toMatchObject({ stored: false, bytes: 321 });
    expect(rep.memo?.fetchSec as number).toBeGreaterThanOrEqual(0);
    expect(store.puts).toEqual([]);
    expect(engine.memoSummary()?.counts).toMatchObject({ fetched: 1, stored: 0, missing: 0 });
  });

  it('an entry the verdict does not like stays: computed, not replaced, counted as declined', () => {
    const store = new ScriptedStore('disk', () => found(3, CHEAP, hit([[7n], [8n], [9n]], CHEAP)));
    const { r, engine } = runVec(SQUARES(3), { memo: store, seed: 1 });
    expect(dfRows(r, 'outDf')).toEqual([[0n], [1n], [4n]]);
    const rep = engine.reports[0]!;
    expect(rep).toMatchObject({ decision: 'compute', reason: 'verdict', result: 'computed' });
    // The verdict shown is the entry's: tCompute 1 ns, tFetch 1e6 / 1e9 = 1 ms.
    expect(rep.verdict).toMatchObject({ action: 'compute', tCompute: 1e-9, tFetch: 1e-3 });
    expect(store.puts).toEqual([]);
    expect(engine.memoSummary()?.counts).toMatchObject({ declined: 1, stored: 0 });
  });

  it('an entry of another row count, or one that vanishes or fails between header and rows: MRG4030 or MRG4031, computed, replaced', () => {
    const cases: [MemoHead, string, string][] = [
      [found(5, DEAR, hit([])), 'MRG4030', 'memo entry scripted://store/e: it holds 5 rows for 3 input rows; it was ignored and sq computed'],
      [found(3, DEAR, { kind: 'missing', where: 'x' }), 'MRG4030', 'memo entry scripted://store/e: it vanished between its header and its rows; it was ignored and sq computed'],
      [found(3, DEAR, { kind: 'corrupt', where: 'x', why: 'truncated at byte 9' }), 'MRG4030', 'memo entry scripted://store/e: truncated at byte 9; it was ignored and sq computed'],
      [found(3, DEAR, { kind: 'poisoned', where: 'x', why: 'bad signature' }), 'MRG4031', 'memo entry scripted://store/e for sq: bad signature; it was not used: sq computed and the entry replaced'],
      [{ kind: 'corrupt', where: 'scripted://store/e', why: 'not an entry' }, 'MRG4030', 'memo entry scripted://store/e: not an entry; it was ignored and sq computed'],
      [{ kind: 'poisoned', where: 'scripted://store/e', why: 'unsigned' }, 'MRG4031', 'memo entry scripted://store/e for sq: unsigned; it was not used: sq computed and the entry replaced'],
      [found(3, DEAR, hit([[1n], ['two' as unknown as bigint], [3n]])), 'MRG4030', 'memo entry scripted://store/e: its row 2 does not fit column y (an int64 cannot hold a string (two)); it was ignored and sq computed'],
    ];
    for (const [head, code, message] of cases) {
      const store = new ScriptedStore('disk', () => head);
      const { r, engine } = runVec(SQUARES(3), { memo: store, seed: 1 });
      expect(dfRows(r, 'outDf'), message).toEqual([[0n], [1n], [4n]]);
      expect(engine.warnings.map((w) => [w.code, w.message, w.span?.line]), message).toEqual([[code, message, 7]]);
      const rep = engine.reports[0]!;
      expect(rep.reason).toBe(code === 'MRG4030' ? 'entry ignored (corrupt)' : 'entry refused (poisoned)');
      expect(rep.warnings.map((w) => w.code)).toEqual([code]);
      expect(store.puts.map((p) => p.opts)).toEqual([{ replace: true }]);
      expect(engine.memoSummary()?.counts).toMatchObject({ corrupt: code === 'MRG4030' ? 1 : 0, poisoned: code === 'MRG4031' ? 1 : 0, stored: 1, fetched: 0 });
    }
  });

  it('a store that never answers: MRG4091 once, every vectorize computes without asking again, and no verdict can fetch', () => {
    const store = new ScriptedStore('network', () => DOWN);
    let asked = 0;
    const { r, engine } = runVec(TWICE(3), { memo: store, seed: 1, storeRates: () => (asked++, { latencySec: 0, secPerByte: 1e-9, secPerValue: 0 }) });
    expect(r.error).toBeNull();
    expect(dfRows(r, 'outDf2')).toEqual([[0n], [1n], [4n]]);
    expect(store.heads).toBe(1);
    expect(store.puts).toEqual([]);
    expect(asked).toBe(0);
    expect(engine.warnings.map((w) => [w.code, w.message, w.span?.line])).toEqual([['MRG4091', 'memo store scripted://store: connection refused; every vectorize of this run computes (vectorize sq)', 7]]);
    expect(engine.reports.map((x) => x.reason)).toEqual(['store unreachable', 'store unreachable']);
    expect(engine.reports[1]!.verdict).toMatchObject({ action: 'compute', score: '-inf', forced: 'network' });
    expect(engine.memoSummary()).toMatchObject({ state: 'unreachable', rates: null, lostAt: { fn: 'sq', line: 7, why: 'connection refused' }, counts: { unavailable: 2, stored: 0, notStored: 0 } });
  });

  it('a store lost while writing: MRG4092, and the next vectorize neither asks nor writes', () => {
    const store = new ScriptedStore('disk', () => MISSING, () => ({ kind: 'unavailable', where: 'x', why: 'connection reset' }));
    const { r, engine } = runVec(TWICE(3), { memo: store, seed: 1 });
    expect(r.error).toBeNull();
    expect(store.heads).toBe(1);
    expect(store.puts).toHaveLength(1);
    expect(engine.warnings.map((w) => [w.code, w.message])).toEqual([['MRG4092', 'memo store scripted://store: connection reset; from here on every vectorize computes (vectorize sq)']]);
    expect(engine.reports.map((x) => x.reason)).toEqual(['no entry', 'store lost']);
    expect(engine.reports[0]!.memo?.stored).toBe(false);
    expect(engine.memoSummary()).toMatchObject({ state: 'lost', lostAt: { fn: 'sq', line: 7, why: 'connection reset' }, counts: { missing: 1, notStored: 1, unavailable: 1, stored: 0 } });
  });

  it('a store lost between header and rows: MRG4092 ("lost": it had answered)', () => {
    const store = new ScriptedStore('disk', () => found(3, DEAR, { kind: 'unavailable', where: 'x', why: 'timed out' }));
    const { engine } = runVec(SQUARES(3), { memo: store, seed: 1 });
    expect(engine.warnings.map((w) => [w.code, w.message])).toEqual([['MRG4092', 'memo store scripted://store: timed out; from here on every vectorize computes (vectorize sq)']]);
    expect(engine.reports[0]!.reason).toBe('store lost');
    expect(store.puts).toEqual([]);
    expect(engine.memoSummary()?.state).toBe('lost');
  });

  it('a write another writer won, one refused, and one that evicted others are counted', () => {
    const refusal = diagnostic('MRG4032', 'memo entry too large');
    const puts: MemoPut[] = [{ kind: 'exists' }, { kind: 'refused', diagnostic: refusal }, { kind: 'stored', bytes: 90, evicted: { entries: 2, bytes: 300 } }];
    for (const [i, put] of puts.entries()) {
      const store = new ScriptedStore('disk', () => MISSING, () => put);
      const { engine } = runVec(SQUARES(3), { memo: store, seed: 1 });
      const rep = engine.reports[0]!;
      const counts = engine.memoSummary()!.counts;
      if (i === 0) {
        expect([rep.memo?.stored, counts.raced, counts.stored, counts.notStored, engine.warnings]).toEqual([false, 1, 0, 0, []]);
      } else if (i === 1) {
        expect([rep.memo?.stored, counts.raced, counts.stored, counts.notStored]).toEqual([false, 0, 0, 1]);
        expect(engine.warnings.map((w) => [w.code, w.message, w.span?.line])).toEqual([['MRG4032', 'memo entry too large', 7]]);
        expect(rep.warnings.map((w) => w.code)).toEqual(['MRG4032']);
      } else {
        expect(rep.memo).toMatchObject({ stored: true, bytes: 90, evicted: { entries: 2, bytes: 300 } });
        expect(counts).toMatchObject({ stored: 1, evictedEntries: 2, evictedBytes: 300 });
      }
    }
  });

  it('measured store rates price the fetch; an entry of no result bytes costs only the latency', () => {
    // R = 0: tFetch = 0.5 s latency, tCompute = 1 s → fetch, saving 0.5 s.
    const empty = FnCost.new(1_000_000_000n, 0n, 0n, 0n);
    const store = new ScriptedStore('disk', () => found(3, empty, hit([[7n], [8n], [9n]], empty)));
    const { engine } = runVec(SQUARES(3), { memo: store, seed: 1, storeRates: { latencySec: 0.5, secPerByte: 1e-8, secPerValue: 1e-6 } });
    expect(engine.reports[0]).toMatchObject({ result: 'fetched' });
    expect(engine.reports[0]!.verdict).toMatchObject({ action: 'fetch', tFetch: 0.5, tCompute: 1, score: 0.5, forced: null });
  });

  it('a rates function is asked once, when the store first answers, and the header is then asked again', () => {
    const store = new ScriptedStore('disk', () => MISSING);
    let asked = 0;
    const rates = { latencySec: 0.001, secPerByte: 1e-9, secPerValue: 0 };
    const { engine } = runVec(TWICE(3), { memo: store, seed: 1, storeRates: () => (asked++, rates) });
    expect(asked).toBe(1);
    // First vectorize: head, rates measured, head again; second: one head.
    expect(store.heads).toBe(3);
    expect(engine.memoSummary()?.rates).toEqual(rates);
    const plain = new ScriptedStore('disk', () => MISSING);
    runVec(TWICE(3), { memo: plain, seed: 1, storeRates: rates });
    expect(plain.heads).toBe(2);
  });

  it('the summary before any vectorize: unused, the given rates and interpreter copied, a function\'s rates not yet known', () => {
    const store = new ScriptedStore('network', () => MISSING);
    const rates = { latencySec: 0.001, secPerByte: 1e-9, secPerValue: 0 };
    const interpreter = { opsPerSec: 5e6, secPerRow: 1e-6 };
    const { engine } = runVec('cout 1 endl;\n', { memo: store, storeRates: rates, interpreter, memoTtlSec: 60 });
    expect(engine.memoSummary()).toEqual({
      location: 'scripted://store',
      transport: 'network',
      limits: LIMITS,
      rates,
      ttlBaseSec: 60,
      interpreter,
      state: 'unused',
      lostAt: null,
      counts: { fetched: 0, declined: 0, missing: 0, corrupt: 0, poisoned: 0, unavailable: 0, stored: 0, raced: 0, notStored: 0, evictedEntries: 0, evictedBytes: 0 },
    });
    expect(runVec('cout 1 endl;\n', { memo: store, storeRates: () => rates }).engine.memoSummary()?.rates).toBeNull();
    expect(runVec('cout 1 endl;\n').engine.memoSummary()).toBeNull();
  });

  it('an entry of no operations priced at the interpreter\'s speed: tCompute 0, so it computes', () => {
    // W = 0: no rate can be derived from it; the interpreter's own rate prices it (0 s).
    const w0 = FnCost.new(0n, 0n, 0n, 1000n);
    const store = new ScriptedStore('disk', () => found(3, w0, hit([[7n], [8n], [9n]], w0)));
    const rep = runVec(SQUARES(3), { memo: store, seed: 1, interpreter: { opsPerSec: 1e6, secPerRow: 1e-3 } }).engine.reports[0]!;
    expect(rep).toMatchObject({ decision: 'compute', result: 'computed' });
    expect(rep.verdict).toMatchObject({ action: 'compute', tCompute: 0, tFetch: 1e-6 });
  });

  it('the interpreter\'s measured speed prices W: tCompute = W / opsPerSec + rows · secPerRow', () => {
    // Entry of 3 rows, W = 2e6: 2e6 / 1e6 + 3 × 1e-3 = 2.003 s.
    const w = FnCost.new(2_000_000n, 0n, 0n, 1000n);
    const store = new ScriptedStore('disk', () => found(3, w, hit([[7n], [8n], [9n]], w)));
    const rep = runVec(SQUARES(3), { memo: store, seed: 1, interpreter: { opsPerSec: 1e6, secPerRow: 1e-3 } }).engine.reports[0]!;
    expect(rep.verdict!.tCompute).toBeCloseTo(2.003, 12);
    const noRow = runVec(SQUARES(3), { memo: new ScriptedStore('disk', () => found(3, w, hit([[7n], [8n], [9n]], w))), seed: 1, interpreter: { opsPerSec: 1e6 } }).engine.reports[0]!;
    expect(noRow.verdict!.tCompute).toBeCloseTo(2, 12);
  });
});
