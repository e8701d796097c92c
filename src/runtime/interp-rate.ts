// How fast this machine runs vectorized work: seconds per interpreter operation (the unit of a
// vectorize's W, the meter's steps) and per row (calling f, building and appending its result), on
// one thread. coren's roofline counts W as multiply-adds, hundreds of times faster than interpreted
// operations, so a verdict priced on it would compute results it could fetch far sooner; `merg-e run`
// measures this instead, once per host (cached beside the stores' figures).
import { performance } from 'node:perf_hooks';

import { MachCap } from '../coren/index.js';
import { runProgram } from './run.js';
import { VectorizeEngine } from './vectorize/engine.js';

/** A vectorize whose rows each run a `loop`-step integer loop in f's isolated runtime, where W is counted. */
const PROGRAM = (rows: number, loop: number) => `mutable dataframe inDf int64 x;
mutable int i = 0;
while i < ${rows} { inDf(i); i += 1; };
mutable dataframe outDf int64 h;
function mix(x int64)::{}{
  mutable int h = x;
  mutable int j = 0;
  while j < ${loop} { h = (h * 31 + j) % 1000003; j += 1; };
  return h;
};
mutable blocker b;
b += vectorize mix inDf outDf;
await_all b;
`;

export interface InterpreterRate {
  /** Interpreter operations per second, one thread, rows aside. */
  readonly opsPerSec: number;
  /** Seconds each row costs beside its operations. */
  readonly secPerRow: number;
  /** Seconds the measurement took. */
  readonly seconds: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The engine's machine only sizes the pool, which is one inline worker here. */
const CALLER = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 0, cores: 1 });
/** Untimed runs first: the JIT compiles the interpreter's hot paths over the first few. */
const WARM_UP = 1;

/** Median seconds and the W of a vectorize of `rows` rows of `loop` steps (one thread, no store). */
function time(rows: number, loop: number, trials: number): { sec: number; ops: number } {
  const source = PROGRAM(rows, loop);
  const secs: number[] = [];
  let ops = 0;
  for (let t = -WARM_UP; t < trials; t++) {
    const engine = new VectorizeEngine({ machine: CALLER, memo: null, threads: 'never', workers: 1 });
    const r = runProgram({ file: 'interpreter-rate.merge', source }, { vectorize: engine.hook });
    const rep = engine.reports[0];
    if (r.error || !rep?.cost) throw new Error(`the measuring vectorize failed${r.error ? `: ${r.error.message}` : ''}`);
    ops = Number(rep.cost.ops);
    if (t >= 0) secs.push(rep.seconds);
  }
  return { sec: median(secs), ops };
}

/**
 * Two vectorizes — many rows of little work, and few rows of a long loop — each run once untimed and
 * `trials` times timed (medians); their times t = rows·secPerRow + W·secPerOp give both unknowns.
 */
export function measureInterpreter(opts: { scale?: number; trials?: number } = {}): InterpreterRate {
  const start = performance.now();
  const k = opts.scale ?? 1;
  const trials = opts.trials ?? 3;
  const rowsA = Math.max(2, Math.round(2000 * k));
  const a = time(rowsA, 1, trials);
  const rowsB = Math.max(2, Math.round(20 * k));
  const b = time(rowsB, 3000, trials);
  const det = rowsA * b.ops - rowsB * a.ops;
  let secPerOp = (rowsA * b.sec - rowsB * a.sec) / det;
  let secPerRow = (a.sec * b.ops - b.sec * a.ops) / det;
  // Noise can push one below zero: then the probe that is mostly that cost says it alone.
  if (!(secPerOp > 0)) secPerOp = b.sec / b.ops;
  if (!(secPerRow > 0)) secPerRow = Math.max(0, (a.sec - a.ops * secPerOp) / rowsA);
  return { opsPerSec: 1 / secPerOp, secPerRow, seconds: (performance.now() - start) / 1000 };
}
