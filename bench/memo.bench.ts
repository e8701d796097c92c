// memo: the two memo stores side by side — a folder and a loopback Redis (started here, in a temporary
// folder) — for a large result (long strings), many small values and a compute-heavy vectorize:
// computing against fetching, and the verdict's predicted tFetch (from the store's measured figures)
// against the measured fetch (target: every ratio within 2x, median within 1.4x). Runs alternate
// between stores and programs so each sees the same machine load.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { formatBandwidth, formatBytes, formatCount, MachCap } from '../src/coren/index.js';
import { runProgram } from '../src/runtime/run.js';
import { measureInterpreter } from '../src/runtime/interp-rate.js';
import { FolderMemo, measureStore, parseRedisUrl, RedisMemo, shutdownWorkers, VectorizeEngine, type InterpreterSpeed, type MeasuredRates, type MemoStore, type VectorizeReport } from '../src/runtime/vectorize/index.js';
import { REDIS_SERVER, startRedis } from '../scripts/redis-server.js';
import { machineCacheDir } from '../src/user-folders.js';
import { mixVectorize } from './programs.js';
import { fmt, table, type Bench } from './timing.js';

const TRIALS = 5;
const KEY = Buffer.from('bench-memo-key-0123456789abcdef0123456789');

interface Shape {
  name: string;
  what: string;
  source: (salt: number) => string;
}

/** f echoes each row: computing is cheap, the result (rows × 2 KiB strings) is large. */
const STRINGS: Shape = {
  name: 'large result (strings)',
  what: '2,000 rows of (int64, 2 KiB string): about 4 MB of result, almost no work',
  // The salt goes into x (so each trial has its own key), not into the strings: every trial is 2 KiB a row.
  source: (salt) => `mutable string pad = "y";
mutable int d = 0;
while d < 11 { pad = pad + pad; d += 1; };
mutable dataframe inDf int64 x, string p;
mutable int i = 0;
while i < 2000 { inDf(i + ${salt} * 100000, pad); i += 1; };
mutable dataframe outDf int64 x, string p;
function echo(x int64, p string)::{}{ return x p; };
mutable blocker b;
b += vectorize echo inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`,
};

/** Many small values: decoding them costs more than their bytes say. */
const VALUES: Shape = {
  name: 'large result (small ints)',
  what: '20,000 rows of 4 int64: 640 KB of result in 80,000 values, little work',
  source: (salt) => `mutable dataframe inDf int64 x;
mutable int i = 0;
while i < 20000 { inDf(i + ${salt}); i += 1; };
mutable dataframe outDf int64 a, int64 b, int64 c, int64 d;
function spread(x int64)::{}{ mutable int64 a = x * 3; mutable int64 c = x % 7; mutable int64 d = x * x; return x a c d; };
mutable blocker b;
b += vectorize spread inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`,
};

/** About 15,000 interpreter operations a row, 12 bytes of result. */
const HEAVY: Shape = {
  name: 'compute-heavy',
  what: '400 rows × a 1,500-step loop (about 6 M operations), 12 bytes a row',
  source: (salt) => mixVectorize(400, salt),
};

const SHAPES = [STRINGS, VALUES, HEAVY];

/** A machine on which every fetch wins (so fetches can be timed); the verdict's tFetch does not depend on it. */
const FETCHING = MachCap.fixed({ opsPerSec: 1, memBytesPerSec: 1, netBytesPerSec: 1e9, cores: 1 });

function vectorize(source: string, memo: MemoStore | null, machine: MachCap, rates: MeasuredRates | null, interpreter: InterpreterSpeed | null = null): VectorizeReport {
  const engine = new VectorizeEngine({ machine, memo, storeRates: rates, interpreter, threads: 'never', workers: 1 });
  const r = runProgram({ file: 'bench.merge', source }, { vectorize: engine.hook, timeoutMs: 600_000 });
  if (r.error) throw new Error(`bench program failed: ${r.error.message}`);
  return engine.reports[0] as VectorizeReport;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

const spread = (ratio: number) => Math.max(ratio, 1 / ratio);

const bench: Bench = {
  name: 'memo',
  title: 'memo: folder and Redis stores, fetch against compute, predicted against measured tFetch',
  async run() {
    if (!REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install redis-server): the memo bench needs one');
    const loadBefore = loadavg()[0] as number;
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-bench-memo-'));
    const redisServer = await startRedis();
    // This machine as merg-e run sees it (coren's measurement, cached in the user's cache folder).
    mkdirSync(machineCacheDir(), { recursive: true });
    const machine = await MachCap.read(machineCacheDir());
    // And the interpreter's speed, as merg-e run measures it (here afresh), which prices tCompute.
    const interp = measureInterpreter();
    const interpreter: InterpreterSpeed = { opsPerSec: interp.opsPerSec, secPerRow: interp.secPerRow };
    const redis = new RedisMemo(parseRedisUrl(redisServer.url), { key: KEY });
    const folder = new FolderMemo(join(dir, 'memo'), { key: KEY });
    const stores: [string, MemoStore][] = [
      ['folder', folder],
      ['Redis (loopback)', redis],
    ];
    try {
      const rates = new Map<MemoStore, MeasuredRates>();
      for (const [, s] of stores) rates.set(s, measureStore(s));
      // Compute (no store) and fetch (a stored entry) of each shape, alternating, best and median of TRIALS.
      const compute = new Map<Shape, number[]>();
      const fetched = new Map<string, { fetch: number[]; whole: number[]; report: VectorizeReport }>();
      for (let t = 0; t <= TRIALS; t++) {
        for (const shape of SHAPES) {
          const c = vectorize(shape.source(t), null, machine, null);
          if (t > 0) compute.set(shape, [...(compute.get(shape) ?? []), c.seconds]);
          for (const [name, s] of stores) {
            const source = shape.source(1000 + t);
            const stored = vectorize(source, s, machine, rates.get(s) as MeasuredRates, interpreter);
            if (!stored.memo?.stored) throw new Error(`${name}: the ${shape.name} result was not stored`);
            const f = vectorize(source, s, FETCHING, rates.get(s) as MeasuredRates);
            if (f.result !== 'fetched' || f.memo?.fetchSec === null || f.memo === null) throw new Error(`${name}: the ${shape.name} result was not fetched`);
            if (t === 0) continue; // warm-up
            const k = `${name} ${shape.name}`;
            const prev = fetched.get(k);
            fetched.set(k, { fetch: [...(prev?.fetch ?? []), f.memo.fetchSec as number], whole: [...(prev?.whole ?? []), f.seconds], report: stored });
          }
        }
      }
      const loadAfter = loadavg()[0] as number;
      const rows: string[][] = [];
      const ratios: number[] = [];
      for (const shape of SHAPES) {
        const c = median(compute.get(shape) as number[]);
        for (const [name] of stores) {
          const got = fetched.get(`${name} ${shape.name}`)!;
          const rep = got.report;
          const fetch = median(got.fetch);
          const predicted = rep.verdict?.tFetch as number;
          const ratio = predicted / fetch;
          ratios.push(ratio);
          rows.push([
            name,
            shape.name,
            formatBytes(BigInt(rep.cost?.resultBytes ?? '0')),
            `${fmt(c * 1000, 1)} ms`,
            `${fmt(median(got.whole) * 1000, 1)} ms`,
            `${fmt(fetch * 1000, 2)} ms (${fmt(Math.min(...got.fetch) * 1000, 2)}–${fmt(Math.max(...got.fetch) * 1000, 2)})`,
            `${fmt(predicted * 1000, 2)} ms`,
            `${fmt(ratio, 2)}`,
            spread(ratio) <= 2 ? 'within 2x' : 'MISSED',
            rep.verdict ? `${rep.verdict.action}` : '-',
          ]);
        }
      }
      // tCompute does not depend on the store: one row per program.
      const computeRows = SHAPES.map((shape) => {
        const c = median(compute.get(shape) as number[]);
        const rep = fetched.get(`${stores[0]![0]} ${shape.name}`)!.report;
        const predicted = rep.verdict?.tCompute as number;
        return [shape.name, formatCount(BigInt(rep.cost?.ops ?? '0')), `${fmt(c * 1000, 1)} ms`, `${fmt(predicted * 1000, 1)} ms`, fmt(predicted / c, 2), spread(predicted / c) <= 2 ? 'within 2x' : 'MISSED'];
      });
      const worst = Math.max(...ratios.map(spread));
      const med = median(ratios.map(spread));
      const ratesRows = stores.map(([name, s]) => {
        const r = rates.get(s) as MeasuredRates;
        return [name, r.rttSec === null ? '-' : `${fmt(r.rttSec * 1000, 3)} ms`, `${fmt(r.latencySec * 1000, 3)} ms`, formatBandwidth(1 / r.secPerByte), `${formatCount(BigInt(Math.round(1 / r.secPerValue)))}/s`, formatBytes(BigInt(r.probeBytes)), `${fmt(r.seconds, 2)} s`];
      });
      return [
        `Load average ${fmt(loadBefore)} before, ${fmt(loadAfter)} after: the 2 cores are shared with other work, so absolute times move from run to run; every row is measured alternately in the same loop.`,
        '',
        'Each store measured once (as `merg-e run` does on first use): round trip (PING), a tiny entry\'s fetch, bytes and values per second of fetching (probe entries written, fetched back, deleted).',
        '',
        table(['store', 'round trip', 'tiny fetch', 'result bytes', 'values', 'largest probe', 'measuring took'], ratesRows),
        '',
        `Programs: ${SHAPES.map((s) => `**${s.name}** — ${s.what}`).join('; ')}. Medians of ${TRIALS} alternating trials after a warm-up. *compute* is the vectorize computing its rows (no store); *fetch, whole vectorize* is the vectorize fetching them (header, rows, verification, appending to outDf); *fetch* is the store's part (header to checked rows), which the verdict's tFetch predicts. *verdict here* is what this machine decides for that entry (coren's measurement, the store's figures and the interpreter's speed).`,
        '',
        table(['store', 'vectorize', 'R', 'compute', 'fetch, whole vectorize', 'fetch (min–max)', 'predicted tFetch', 'predicted / measured', 'target', 'verdict here'], rows),
        '',
        `Predicted against measured fetch time: worst ${fmt(worst, 2)}x (target within 2x: ${worst <= 2 ? 'met' : 'MISSED'}), median ${fmt(med, 2)}x (target within 1.4x: ${med <= 1.4 ? 'met' : 'MISSED'}).`,
        '',
        `The other side of the verdict: tCompute = W / opsPerSec + rows · secPerRow, the interpreter's measured speed (${formatCount(BigInt(Math.round(interp.opsPerSec)))} operations/s and ${fmt(interp.secPerRow * 1e6, 1)} µs a row, one thread, measured in ${fmt(interp.seconds, 2)} s) against the measured compute time (the vectorize computing its rows on one thread, median of ${TRIALS}).`,
        '',
        table(['vectorize', 'W', 'compute', 'predicted tCompute', 'predicted / measured', 'target'], computeRows),
      ].join('\n');
    } finally {
      redis.close();
      await redisServer.stop();
      await shutdownWorkers();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
