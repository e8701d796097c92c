// coren: the machine probes (FMA rate, triad bandwidth on one and all cores), the time of a full
// measurement and of a cached read, and the calibration of the model against real kernels, run as
// a user runs it (`coren calibrate --json` in its own process, after `coren` measured).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { formatBandwidth, formatOpsRate, MachCap, type CalibrationJson } from '../src/coren/index.js';
import { median } from '../src/coren/calibrate.js';
import { fmt, table, type Bench } from './timing.js';

const corenBin = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'coren.js');

function runCoren(args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [corenBin, ...args], { encoding: 'utf8' });
  return { ms: performance.now() - t0, out };
}

async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'coren-bench-'));
  try {
    // Full measurements, in this process.
    const full: number[] = [];
    let cap: MachCap | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      cap = await MachCap.read(dir, { refresh: true });
      full.push((performance.now() - t0) / 1000);
    }
    const c = cap!.toJSON();
    // Cached reads, in this process (modules already loaded) and as a whole `coren --json` process.
    const cached: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const again = await MachCap.read(dir);
      cached.push(performance.now() - t0);
      if (!again.fromCache) throw new Error('the cached read measured again');
    }
    const cli = [0, 1, 2].map(() => runCoren(['--json', '--dir', dir]).ms);
    // Calibration in a fresh process, against the constants fitted by the measurement above.
    const cal = JSON.parse(runCoren(['calibrate', '--json', '--dir', dir]).out) as CalibrationJson;

    const r = c.roofline;
    const probes = table(
      ['probe', '1 thread', `all (${cap!.figures.workers} workers)`, 'all / 1'],
      [
        ['FMA-style loop', formatOpsRate(r.opsPerSec), formatOpsRate(r.opsPerSecAll), `${fmt(r.opsPerSecAll / r.opsPerSec)}x`],
        [`STREAM triad (${(c.measured.triadElements / 2 ** 20).toFixed(0)} Mi doubles per array)`, formatBandwidth(r.memBytesPerSec1), formatBandwidth(r.memBytesPerSecAll), `${fmt(r.memBytesPerSecAll / r.memBytesPerSec1)}x`],
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
      ['kernel', 'size', 'constant', 'predicted', 'measured', 'ratio'],
      cal.kernels.map((k) => [k.label, `${k.size} ${k.unit}`, `x${fmt(k.factor)}`, `${fmt(k.predictedSec * 1000, 2)} ms`, `${fmt(k.measuredSec * 1000, 2)} ms`, fmt(k.ratio, 3)]),
    );
    const calOk = cal.median <= 1.4 && cal.worst <= 2;
    return [
      `Machine: ${c.machine.cores} cores, ${c.deviceClass}, ${c.machine.cpuModel}, ${c.machine.runtime}. Rates are what JavaScript attains here, not hardware peaks.`,
      '',
      probes,
      '',
      disk,
      '',
      times,
      '',
      `Calibration (\`coren calibrate --json\` in a fresh process; constants fitted at other sizes during the measurement; ratio = predicted / measured):`,
      '',
      calRows,
      '',
      `Median ${fmt(cal.median, 3)}x, worst ${fmt(cal.worst, 3)}x off (over max(ratio, 1/ratio)); target median <= 1.4x and none beyond 2x: ${calOk ? 'met' : 'MISSED'}. Calibration took ${fmt(cal.seconds)} s.`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = { name: 'coren', title: 'coren: machine probes, measurement time, calibration', run };
export default bench;
