// vectorize: the real mode's speed-up with 2 worker threads over 1 (the calling thread) on a CPU-bound
// f (target >= 1.7x on 2 cores), and a fetched run against a computed one when the verdict says fetch
// (target <= 10% of the time). Runs are interleaved so both sides see the same machine load.
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { MachCap } from '../src/coren/index.js';
import { runProgram } from '../src/runtime/run.js';
import { FolderMemo, shutdownWorkers, VectorizeEngine, type VectorizeOptions, type VectorizeReport } from '../src/runtime/vectorize/index.js';
import { fmt, table, type Bench } from './timing.js';

const TARGET_SPEEDUP = 1.7;
const TARGET_FETCH = 0.1;
const ROWS = 2000;
const TRIALS = 6;

/** About 15,000 interpreter operations a row, 12 bytes of result: CPU-bound, worth fetching. */
const PROGRAM = `mutable dataframe inDf int64 x;
mutable int i = 0;
while i < ${ROWS} { inDf(i * 7919 % 100003); i += 1; };
mutable dataframe outDf int64 x, int32 h;
function mix(x int64)::{}{
  mutable int h = x;
  mutable int j = 0;
  while j < 1500 { h = (h * 31 + j) % 1000003; j += 1; };
  return x h;
};
mutable blocker b;
b += vectorize mix inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;

/** coren-like figures of a 2-core desktop, fixed so the verdict is the same wherever this runs. */
const MACHINE = MachCap.fixed({ opsPerSec: 9e9, memBytesPerSec: 6.4e9, netBytesPerSec: 12.5e6, diskReadBytesPerSec: 1e9, cores: 2 });

/** One run: wall time, and the process's CPU time (all threads) over it — cpu/ms is the parallelism attained. */
function once(opts: VectorizeOptions): { ms: number; cpu: number; report: VectorizeReport } {
  const engine = new VectorizeEngine({ machine: MACHINE, ...opts });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = runProgram({ file: 'bench.merge', source: PROGRAM }, { vectorize: engine.hook, timeoutMs: 600_000 });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (r.error || r.stdout !== `${ROWS}\n`) throw new Error(`bench program failed: ${r.error?.message ?? r.stdout}`);
  return { ms, cpu: (c.user + c.system) / 1000, report: engine.reports[0] as VectorizeReport };
}

/** Best of TRIALS for each configuration, run alternately after one warm-up each. */
function interleaved(configs: (() => VectorizeOptions)[]): ReturnType<typeof once>[] {
  const best = configs.map((c) => once(c()));
  for (let t = 0; t < TRIALS; t++) {
    configs.forEach((c, k) => {
      const got = once(c());
      if (got.ms < (best[k] as { ms: number }).ms) best[k] = got;
    });
  }
  return best;
}

const bench: Bench = {
  name: 'vectorize',
  title: 'vectorize (worker threads, memo fetch)',
  async run() {
    const loadBefore = loadavg()[0] as number;
    const [one, two] = interleaved([() => ({ workers: 1, threads: 'never' }), () => ({ workers: 2, threads: 'always' })]) as [ReturnType<typeof once>, ReturnType<typeof once>];
    const speedup = one.ms / two.ms;
    const memoDir = join(tmpdir(), `merg-e-bench-memo-${process.pid}`);
    const memo = new FolderMemo(memoDir, { key: Buffer.from('bench-memo-key-0123456789abcdef012345') });
    // Pairs: with an empty store the run computes and stores; the next one finds the entry.
    let computed = { ms: Infinity } as ReturnType<typeof once>;
    let fetched = { ms: Infinity } as ReturnType<typeof once>;
    for (let t = 0; t <= TRIALS; t++) {
      rmSync(memoDir, { recursive: true, force: true });
      const c = once({ memo });
      const f = once({ memo });
      if (t === 0) continue;
      if (c.ms < computed.ms) computed = c;
      if (f.ms < fetched.ms) fetched = f;
    }
    rmSync(memoDir, { recursive: true, force: true });
    await shutdownWorkers();
    if (fetched.report.result !== 'fetched' || computed.report.result !== 'computed') throw new Error('the memo runs did not fetch / compute as planned');
    const ratio = fetched.ms / computed.ms;
    const loadAfter = loadavg()[0] as number;
    const W = Number(one.report.cost?.ops ?? 0);
    return [
      `Load average ${fmt(loadBefore)} before, ${fmt(loadAfter)} after: the 2 cores are shared with other work. CPU is the process's CPU time over a run, all threads; with 2 workers it reaches twice the wall time only when both cores are free.`,
      '',
      `A CPU-bound f (\`mix\`: a 1,500-step loop a row, ${ROWS} rows, W = ${fmt(W / 1e6, 1)}M interpreter operations); whole \`runProgram\` runs, best of ${TRIALS} after a warm-up, alternating. Machine: ${availableParallelism()} cores (shared with other work).`,
      '',
      table(
        ['run', 'mode', 'time (ms)', 'CPU (ms)', 'vectorize (s)', 'ratio', 'target'],
        [
          ['1 worker', one.report.mode ?? '-', fmt(one.ms, 0), fmt(one.cpu, 0), fmt(one.report.seconds, 3), '1.00x', ''],
          ['2 workers', `${two.report.mode} (batches of ${two.report.batchSize})`, fmt(two.ms, 0), fmt(two.cpu, 0), fmt(two.report.seconds, 3), `${fmt(speedup)}x speed-up`, `>= ${TARGET_SPEEDUP}x ${speedup >= TARGET_SPEEDUP ? 'met' : 'MISSED'}`],
          ['computed (no entry; stores it)', computed.report.mode ?? '-', fmt(computed.ms, 0), fmt(computed.cpu, 0), fmt(computed.report.seconds, 3), '1.00', ''],
          ['fetched (verdict: fetch)', fetched.report.mode ?? '-', fmt(fetched.ms, 1), fmt(fetched.cpu, 1), fmt(fetched.report.seconds, 3), `${fmt(ratio * 100, 1)}% of computed`, `<= ${TARGET_FETCH * 100}% ${ratio <= TARGET_FETCH ? 'met' : 'MISSED'}`],
        ],
      ),
      '',
      `The fetched run's verdict: ${fetched.report.verdict?.text ?? '-'} (W = ${fmt(W, 0)} ops on a fixed 9 G ops/s machine against ${fetched.report.cost?.resultBytes ?? '?'} bytes read back from the local store at 1 GB/s). Both memo runs include parsing, filling the ${ROWS}-row input and hashing it for the key; the computed one also writes the entry.`,
    ].join('\n');
  },
};

export default bench;
