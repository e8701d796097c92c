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
const CLI = join(here, '..', 'src', 'cli', 'merg-e.js');
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

/** The first report of a fresh process: Vega is imported cold, as for a user's `--html`. */
function coldReportMs(file: string): number {
  const script = `
    const { runProgram } = await import(${JSON.stringify(RUN_MODULE)});
    const r = runProgram({ file: ${JSON.stringify(file)} }, { timeline: true });
    const t0 = performance.now();
    const { runReportHtml } = await import(${JSON.stringify(REPORT_MODULE)});
    await runReportHtml({ file: 'x', result: r });
    process.stdout.write(String(performance.now() - t0));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`cold report failed: ${out.stderr}`);
  return Number(out.stdout);
}

function spawnMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio: 'ignore' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`merg-e ${args.join(' ')} exited ${r.status}`);
  return ms;
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
  const cold = Math.min(...[0, 1, 2].map(() => coldReportMs(p.file)));
  const out = join(dir, 'report.html');
  let cliPlain = Infinity;
  let cliHtml = Infinity;
  for (let i = 0; i < 5; i++) {
    cliPlain = Math.min(cliPlain, spawnMs(['run', p.file]));
    cliHtml = Math.min(cliHtml, spawnMs(['run', '--html', out, p.file]));
  }
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
        fmt(m.cold, 0),
        fmt(m.warm, 0),
        `${fmt(m.cliPlain, 0)} → ${fmt(m.cliHtml, 0)} (+${fmt(m.cliHtml - m.cliPlain, 0)})`,
        `${fmt(m.bytes / 1024, 1)} KiB`,
      ]);
      const verdict = results.map(({ p, m }) => {
        const added = m.cliHtml - m.cliPlain;
        return [p.label, `${fmt(added, 0)} ms on top of the run`, added < TARGET_MS ? 'met' : '**missed**', `${fmt(m.bytes / 1024, 1)} KiB`, m.bytes < TARGET_BYTES ? 'met' : '**missed**'];
      });
      return [
        `Load average at the start: ${load} (2 cores, shared). Best of 5 (cold: of 3 fresh processes).`,
        '',
        table(['program', 'charges', 'run (ms)', 'run with timeline (ms)', 'report, cold process (ms)', 'report, warm (ms)', '`merg-e run` → `run --html` (ms)', 'report size'], rows),
        '',
        '*run with timeline*: `runProgram` with the charge observer the report needs (`timeline: true`) against without it, interleaved. *report, cold*: `runReportHtml` as the first thing a fresh process does after the run (Vega and Vega-Lite imported, every chart compiled and rendered to SVG); *warm*: the same call again in one process. The last columns are whole commands: `merg-e run FILE` against `merg-e run --html OUT FILE` (Node start-up, the run, the report and the atomic write).',
        '',
        table(['program', 'report time', `target < ${TARGET_MS} ms`, 'size', 'target < 1 MiB'], verdict),
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
