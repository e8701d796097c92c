// HTML reports: what `--html` adds to a run, for the seed example and for a run of 100,000 charges —
// the report's generation in a fresh process (Vega loaded cold) and in a warm one, the cost of the
// charge timeline the report needs, `merg-e run --html` against `merg-e run` as whole commands, and
// the size of each report. Things compared are measured alternately in this one run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { runReportHtml } from '../src/report/index.js';
import { runProgram, type RunOptions } from '../src/runtime/run.js';
import { fmt, table, type Bench } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
// The executable a user runs: the bundled command line, with Vega from its own bundle (dist/bin/charts.cjs).
const CLI = join(ROOT, 'bin', 'merg-e.js');
const REPORT_MODULE = join(here, '..', 'src', 'report', 'index.js');
const RUN_MODULE = join(here, '..', 'src', 'runtime', 'run.js');

const TARGET_MS = 1000;
const TARGET_BYTES = 1024 * 1024;
const CHARGES = 100_000;

/** 100,000 rows appended to a dataframe under a quota membrane: one charge each. */
const CHARGE_LOOP = `mutable dag store;
mutable dag box = membrane<quota<1000000, 1000000, 0>> store;
mutable dataframe box.log int32 n;
mutable int32 i = 0;
while i < ${CHARGES} {
  i += 1;
  box.log(i);
};
`;

interface Program {
  label: string;
  file: string;
}

/** Best wall time of `fn` in ms, the runs of several functions interleaved so they share the load. */
function interleaved(rounds: number, fns: (() => void)[]): number[] {
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      best[i] = Math.min(best[i] as number, performance.now() - t0);
    });
  }
  return best;
}

interface Timed {
  wall: number;
  cpu: number;
}

const best = (xs: Timed[]): Timed => ({ wall: Math.min(...xs.map((x) => x.wall)), cpu: Math.min(...xs.map((x) => x.cpu)) });

/** The first report of a fresh process (wall and CPU ms): Vega is imported cold, as for a user's `--html`. */
function coldReport(file: string): Timed {
  const script = `
    const { runProgram } = await import(${JSON.stringify(RUN_MODULE)});
    const r = runProgram({ file: ${JSON.stringify(file)} }, { timeline: true });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { runReportHtml } = await import(${JSON.stringify(REPORT_MODULE)});
    await runReportHtml({ file: 'x', result: r });
    const c = process.cpuUsage(c0);
    process.stdout.write(JSON.stringify({ wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 }));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`cold report failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as Timed;
}

/** A whole `merg-e` command: wall time, and the CPU time of its process (bash's `times` for children). */
function command(args: string[]): Timed {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null 2>&1 || exit 9; times`], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`merg-e ${args.join(' ')} failed (${r.status})`);
  const children = (r.stdout.trim().split('\n')[1] ?? '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60_000 + Number(m[2]) * 1000 : 0;
  });
  return { wall, cpu: children.reduce((a, b) => a + b, 0) };
}

async function measure(p: Program, dir: string) {
  const run = (opts: RunOptions) => runProgram({ file: p.file }, opts);
  const [plain, timed] = interleaved(5, [() => run({}), () => run({ timeline: true })]) as [number, number];
  const r = run({ timeline: true });
  if (!r.ok) throw new Error(`${p.label} failed: ${r.error?.message}`);
  let warm = Infinity;
  let html = '';
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    html = await runReportHtml({ file: p.label, result: r });
    warm = Math.min(warm, performance.now() - t0);
  }
  const cold = best([0, 1, 2].map(() => coldReport(p.file)));
  const out = join(dir, 'report.html');
  const plainRuns: Timed[] = [];
  const htmlRuns: Timed[] = [];
  for (let i = 0; i < 5; i++) {
    plainRuns.push(command(['run', p.file]));
    htmlRuns.push(command(['run', '--html', out, p.file]));
  }
  const [cliPlain, cliHtml] = [best(plainRuns), best(htmlRuns)];
  const bytes = statSync(out).size;
  void html;
  const charges = r.timeline?.charges ?? 0;
  return { plain, timed, warm, cold, cliPlain, cliHtml, bytes, charges, steps: r.steps, points: r.timeline?.series.reduce((n, s) => n + s.points.length, 0) ?? 0 };
}

const bench: Bench = {
  name: 'report',
  title: 'HTML reports: generation time and size',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-bench-report-'));
    try {
      const loop = join(dir, 'charges.merge');
      writeFileSync(loop, CHARGE_LOOP);
      const programs: Program[] = [
        { label: 'examples/seed-part17.merge', file: join(ROOT, 'examples', 'seed-part17.merge') },
        { label: `${CHARGES.toLocaleString('en-US')} charges (rows appended under a quota)`, file: loop },
      ];
      const load = loadavg().map((x) => x.toFixed(2)).join(', ');
      const results = [];
      for (const p of programs) results.push({ p, m: await measure(p, dir) });
      const rows = results.map(({ p, m }) => [
        p.label,
        m.charges.toLocaleString('en-US'),
        fmt(m.plain, 1),
        `${fmt(m.timed, 1)} (${fmt(m.timed / m.plain, 2)}x)`,
        `${fmt(m.cold.wall, 0)} (CPU ${fmt(m.cold.cpu, 0)})`,
        fmt(m.warm, 0),
        `${fmt(m.cliPlain.wall, 0)} → ${fmt(m.cliHtml.wall, 0)} (+${fmt(m.cliHtml.wall - m.cliPlain.wall, 0)})`,
        `${fmt(m.cliPlain.cpu, 0)} → ${fmt(m.cliHtml.cpu, 0)} (+${fmt(m.cliHtml.cpu - m.cliPlain.cpu, 0)})`,
        `${fmt(m.bytes / 1024, 1)} KiB`,
      ]);
      const verdict = results.map(({ p, m }) => {
        const added = m.cliHtml.wall - m.cliPlain.wall;
        const addedCpu = m.cliHtml.cpu - m.cliPlain.cpu;
        const met = (x: number) => (x < TARGET_MS ? 'met' : '**missed**');
        return [p.label, `+${fmt(added, 0)} ms wall, +${fmt(addedCpu, 0)} ms CPU`, met(added), met(addedCpu), `${fmt(m.bytes / 1024, 1)} KiB`, m.bytes < TARGET_BYTES ? 'met' : '**missed**'];
      });
      return [
        `Load average at the start: ${load} (2 cores, shared). Best of 5 (cold: of 3 fresh processes).`,
        '',
        table(['program', 'charges', 'run (ms)', 'run with timeline (ms)', 'report, cold process (ms)', 'report, warm (ms)', '`merg-e run` → `run --html`, wall (ms)', 'the same, CPU (ms)', 'report size'], rows),
        '',
        '*run with timeline*: `runProgram` with the charge observer the report needs (`timeline: true`) against without it, interleaved. *report, cold*: the library’s `runReportHtml` (Vega and Vega-Lite as ES modules from node_modules) as the first thing a fresh process does after the run (Vega and Vega-Lite imported, every chart compiled and rendered to SVG); *warm*: the same call again in one process. Then whole commands of the installed executable `bin/merg-e.js`, alternately: `merg-e run FILE` against `merg-e run --html OUT FILE` (Node start-up, the run, Vega and Vega-Lite loaded from their bundle `dist/bin/charts.cjs` with the compile cache, the report and the atomic write), wall time and the CPU time of the command’s processes; on a loaded machine the CPU time is the steadier of the two.',
        '',
        table(['program', 'what --html adds to the command', `< ${TARGET_MS} ms, wall`, `< ${TARGET_MS} ms, CPU`, 'size', 'target < 1 MiB'], verdict),
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
