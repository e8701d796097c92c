// coren: the machine probes (FMA rate, triad bandwidth on one and all cores, the WebAssembly SIMD
// triad) against the same loops written plainly in their own Node process and a C -O2 triad
// (measured alternately in the same run); the time of a full measurement and of a cached read; and the
// calibration of the model against real kernels, with and without the fitted constants, run as a
// user runs it (`coren calibrate --json` in its own process, after `coren` measured).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { formatBandwidth, formatOpsRate, MachCap, type CalibrationJson } from '../src/coren/index.js';
import { median } from '../src/coren/calibrate.js';
import { compileCTriad } from './c-triad.js';
import { fmt, table, type Bench } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const corenBin = join(here, '..', '..', 'bin', 'coren.js');
const plainKernels = join(here, 'plain-kernels.js');
/** Trials of each plain loop; the best counts, as in the MachCap probe. */
const PLAIN_TRIALS = 5;
const ROUNDS = 3;
const TARGET_JS = 0.9;
const TARGET_WASM_VS_C = 0.75;

/** `coren ARGS` as a user runs it, reading the machine cache the bench's measurement wrote in `dir`. */
function runCoren(args: string[], dir: string): { ms: number; out: string } {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [corenBin, ...args], { encoding: 'utf8', env: { ...process.env, MERG_E_CACHE_DIR: dir } });
  return { ms: performance.now() - t0, out };
}

/** One plain loop in a fresh Node process: its best rate (bytes/s for triads, ops/s for FMA). */
function plain(kind: 'triad' | 'staggered' | 'fma', size: number): number {
  return (JSON.parse(execFileSync(process.execPath, [plainKernels, kind, String(size), String(PLAIN_TRIALS)], { encoding: 'utf8' })) as { rate: number }).rate;
}

/** One round: a full MachCap measurement, then the plain loops at its sizes. */
interface Round {
  triad1: number;
  fma1: number;
  /** Three separate Float64Arrays (4K-aliased streams) and one staggered buffer (as MachCap's). */
  naiveTriad: number;
  plainTriad: number;
  plainFma: number;
  /** MachCap's WebAssembly SIMD triad. */
  wasm: number;
  c: number | null;
}

async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'coren-bench-'));
  const cTriad = compileCTriad();
  try {
    const loadBefore = loadavg()[0] as number;
    const full: number[] = [];
    const rounds: Round[] = [];
    let cap: MachCap | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      cap = await MachCap.read(dir, { refresh: true });
      full.push((performance.now() - t0) / 1000);
      const f = cap.figures;
      rounds.push({
        triad1: f.memBytesPerSec1,
        fma1: f.opsPerSec,
        naiveTriad: plain('triad', f.triadElements),
        plainTriad: plain('staggered', f.triadElements),
        plainFma: plain('fma', f.fmaIterations),
        wasm: f.memBytesPerSecSimd ?? NaN,
        c: cTriad ? cTriad.run(f.triadElements, PLAIN_TRIALS) : null,
      });
    }
    const loadAfter = loadavg()[0] as number;
    const c = (cap as MachCap).toJSON();
    // Cached reads, in this process (modules already loaded) and as a whole `coren --json` process.
    const cached: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const again = await MachCap.read(dir);
      cached.push(performance.now() - t0);
      if (!again.fromCache) throw new Error('the cached read measured again');
    }
    const cli = [0, 1, 2].map(() => runCoren(['--json'], dir).ms);
    // Calibration in a fresh process, against the constants fitted by the measurement above.
    const cal = JSON.parse(runCoren(['calibrate', '--json'], dir).out) as CalibrationJson;
    if (cal.kernels.some((k) => k.factor !== c.kernels[k.name])) throw new Error('coren calibrate did not read the constants the bench measured');

    const r = c.roofline;
    const probes = table(
      ['probe', '1 thread', `all (${(cap as MachCap).figures.workers} workers)`, 'all / 1'],
      [
        ['FMA-style loop', formatOpsRate(r.opsPerSec), formatOpsRate(r.opsPerSecAll), `${fmt(r.opsPerSecAll / r.opsPerSec)}x`],
        [`STREAM triad (${(c.measured.triadElements / 2 ** 20).toFixed(0)} Mi doubles per array)`, formatBandwidth(r.memBytesPerSec1), formatBandwidth(r.memBytesPerSecAll), `${fmt(r.memBytesPerSecAll / r.memBytesPerSec1)}x`],
      ],
    );

    const med = (f: (x: Round) => number) => median(rounds.map(f));
    const each = (f: (x: Round) => number) => rounds.map((x) => fmt(f(x))).join(', ');
    // The reference is the faster of the two plain layouts in each round.
    const bestPlain = (x: Round) => Math.max(x.plainTriad, x.naiveTriad);
    const triadRatio = med((x) => x.triad1 / bestPlain(x));
    const fmaRatio = med((x) => x.fma1 / x.plainFma);
    const against = table(
      ['loop', 'MachCap, 1 thread (median)', 'plain JS, own process (median)', 'ratio: median (each round)', 'target'],
      [
        [`STREAM triad, ${fmt(c.measured.triadElements / 2 ** 20, 0)} Mi doubles per array`, formatBandwidth(med((x) => x.triad1)), `${formatBandwidth(med(bestPlain))} (staggered ${formatBandwidth(med((x) => x.plainTriad))}, three arrays ${formatBandwidth(med((x) => x.naiveTriad))})`, `${fmt(triadRatio)}x (${each((x) => x.triad1 / bestPlain(x))})`, `>= ${TARGET_JS}x: ${triadRatio >= TARGET_JS ? 'met' : 'MISSED'}`],
        [`FMA-style loop, ${fmt(c.measured.fmaIterations / 1e6, 0)}M iterations`, formatOpsRate(med((x) => x.fma1)), formatOpsRate(med((x) => x.plainFma)), `${fmt(fmaRatio)}x (${each((x) => x.fma1 / x.plainFma)})`, `>= ${TARGET_JS}x: ${fmaRatio >= TARGET_JS ? 'met' : 'MISSED'}`],
      ],
    );
    const hasC = rounds.every((x) => x.c !== null);
    const vsC = (f: (x: Round) => number) => (hasC ? `${fmt(med((x) => f(x) / (x.c as number)))}x` : 'no gcc');
    const wasmVsC = hasC ? med((x) => x.wasm / (x.c as number)) : null;
    const machine = table(
      ['triad (same array size)', 'rate (median)', 'vs C', 'target'],
      [
        ['C, gcc -O2', hasC ? formatBandwidth(med((x) => x.c as number)) : 'no gcc', hasC ? '1.00x' : '-', ''],
        ['MachCap probe, WebAssembly SIMD (f64x2), 1 thread', formatBandwidth(med((x) => x.wasm)), vsC((x) => x.wasm), wasmVsC === null ? '' : `>= ${TARGET_WASM_VS_C}x: ${wasmVsC >= TARGET_WASM_VS_C ? 'met' : 'MISSED'}`],
        ['plain JS, staggered buffer, own process', formatBandwidth(med((x) => x.plainTriad)), vsC((x) => x.plainTriad), ''],
        ['plain JS, three new Float64Arrays, own process', formatBandwidth(med((x) => x.naiveTriad)), vsC((x) => x.naiveTriad), ''],
        ['MachCap probe, JS, 1 thread', formatBandwidth(med((x) => x.triad1)), vsC((x) => x.triad1), ''],
      ],
    );

    const disk = `Disk in ${tmpdir()}: write ${formatBandwidth(r.diskWriteBytesPerSec)} (fsync per 8 MiB chunk), read ${formatBandwidth(r.diskReadBytesPerSec)} (${r.diskReadUncached ? 'O_DIRECT, around the page cache' : 'buffered: the page cache may serve it'}); worker pool start ${fmt(c.measured.workerStartSec * 1000, 1)} ms.`;
    const times = table(
      ['operation', 'best', 'median', 'worst', 'target'],
      [
        ['full measurement `MachCap.read(dir, {refresh: true})`', `${fmt(Math.min(...full))} s`, `${fmt(median(full))} s`, `${fmt(Math.max(...full))} s`, `<= 3 s: ${Math.max(...full) <= 3 ? 'met' : 'MISSED'}`],
        ['cached `MachCap.read(dir)`', `${fmt(Math.min(...cached))} ms`, `${fmt(median(cached))} ms`, `${fmt(Math.max(...cached))} ms`, `<= 20 ms: ${median(cached) <= 20 ? 'met' : 'MISSED'}`],
        ['`coren --json` process, cached (incl. Node start-up)', `${fmt(Math.min(...cli), 0)} ms`, `${fmt(median(cli), 0)} ms`, `${fmt(Math.max(...cli), 0)} ms`, ''],
      ],
    );
    const calRows = table(
      ['kernel', 'size', 'constant', 'predicted', 'measured', 'ratio', 'roofline alone', 'ratio'],
      cal.kernels.map((k) => [k.label, `${k.size} ${k.unit}`, `x${fmt(k.factor)}`, `${fmt(k.predictedSec * 1000, 2)} ms`, `${fmt(k.measuredSec * 1000, 2)} ms`, fmt(k.ratio, 3), `${fmt(k.rooflineSec * 1000, 2)} ms`, fmt(k.rooflineRatio, 3)]),
    );
    const calOk = cal.median <= 1.4 && cal.worst <= 2;
    return [
      `Machine: ${c.machine.cores} cores, ${c.deviceClass}, ${c.machine.cpuModel}, ${c.machine.runtime}. Rates are what JavaScript attains here, not hardware peaks. Load average ${fmt(loadBefore)} before the probes, ${fmt(loadAfter)} after (the cores are shared with other work).`,
      '',
      probes,
      '',
      `MachCap against the same loops written plainly, each in a fresh Node process right after each of the ${ROUNDS} full measurements (best of ${PLAIN_TRIALS} runs; a run counts the smaller of its wall and CPU time, on both sides). The plain triad runs over three new Float64Arrays and over one buffer with the arrays staggered within their pages as MachCap lays them out; the faster counts:`,
      '',
      against,
      '',
      'What the machine gives other code, measured in the same rounds (`coren` reports the WebAssembly SIMD rate beside the JS rates; verdicts use the JS rates):',
      '',
      machine,
      '',
      disk,
      '',
      times,
      '',
      'Calibration (`coren calibrate --json` in a fresh process; constants fitted at other sizes during the measurement; ratio = predicted / measured, with the fitted constant and for the roofline alone):',
      '',
      calRows,
      '',
      `With the constants: median ${fmt(cal.median, 3)}x, worst ${fmt(cal.worst, 3)}x off (over max(ratio, 1/ratio)); target median <= 1.4x and none beyond 2x: ${calOk ? 'met' : 'MISSED'}. The roofline alone: median ${fmt(cal.roofline.median, 3)}x, worst ${fmt(cal.roofline.worst, 3)}x off. Calibration took ${fmt(cal.seconds)} s.`,
    ].join('\n');
  } finally {
    cTriad?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = { name: 'coren', title: 'coren: machine probes against plain code, measurement time, calibration', run };
export default bench;
