// `merg-e check` end to end on generated programs of growing size (is it linear?), its speed on the
// largest after start-up, and its peak memory per source byte on a file of 100k declarations.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { declarations, denseStatements, generateProgram, UTILS_MODULE } from './programs.js';
import { fmt, table, type Bench } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The executable a user runs (package.json "bin"): the bundled command line, with its compile cache. */
const CLI = join(here, '..', '..', 'bin', 'merg-e.js');
const PROBE = join(here, 'rss-probe.js');

const SIZES_MB = [0.25, 0.5, 1, 4];
const TARGET_RATIO = 4.5;
const TARGET_MBS = 5;
/** Peak RSS per source byte of the 100k-declaration check before this bench's work: 83 (issue text). */
const RSS_BEFORE = 83;

interface Sample {
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
}

/** Runs `merg-e COMMAND FILE` once under the probe: wall time, CPU time and peak RSS of the process, and how it ended. */
function commandOnce(command: 'check' | 'run', file: string, probeOut: string): Sample & { status: number | null; signal: string | null; output: string } {
  writeFileSync(probeOut, '');
  const t0 = performance.now();
  // The compile cache goes to the bench's own folder, not the user's.
  const env = { ...process.env, MERGE_BENCH_PROBE: probeOut, MERG_E_CACHE_DIR: join(dirname(probeOut), 'cache') };
  const r = spawnSync(process.execPath, ['--import', PROBE, CLI, command, file], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = performance.now() - t0;
  const probe = readFileSync(probeOut, 'utf8').trim();
  const { maxRssBytes, cpuMs } = probe === '' ? { maxRssBytes: NaN, cpuMs: NaN } : (JSON.parse(probe) as { maxRssBytes: number; cpuMs: number });
  return { wallMs, maxRssBytes, cpuMs, status: r.status, signal: r.signal, output: r.stdout + r.stderr };
}

/** Runs `merg-e check FILE` once under the probe; it must succeed. */
function checkOnce(file: string, probeOut: string): Sample {
  const r = commandOnce('check', file, probeOut);
  if (r.status !== 0) throw new Error(`merg-e check ${file} exited ${r.status}: ${r.output.slice(-2000)}`);
  return r;
}

/** How a command on the largest source a program may be ended: exit status, or the signal that killed it, and its first diagnostic (else its last line). */
function ending(r: { status: number | null; signal: string | null; output: string }): string {
  const lines = r.output.trim().split('\n');
  const last = lines.find((l) => /MRG\d{4}/.test(l)) ?? lines.pop() ?? '';
  const said = last.length > 90 ? `${last.slice(0, 90)}…` : last;
  return `${r.signal !== null ? `killed (${r.signal})` : `exit ${r.status}`}${said === '' ? '' : `: ${said.replace(/\|/g, '\\|')}`}`;
}

function mb(bytes: number): string {
  return fmt(bytes / 1e6, 2);
}

const bench: Bench = {
  name: 'check',
  title: '`merg-e check`: linear in the program, speed and memory',
  async run() {
    const loadBefore = loadavg()[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'merge-check-bench-'));
    const probeOut = join(dir, 'probe.jsonl');
    try {
      writeFileSync(join(dir, 'utils.mrm'), UTILS_MODULE);
      const tiny = join(dir, 'tiny.merge');
      writeFileSync(tiny, 'mutable int x = 1;\ncout "x is " x endl;\n');
      const files = SIZES_MB.map((size) => {
        const file = join(dir, `program-${size}mb.merge`);
        const source = generateProgram(size * 1e6);
        writeFileSync(file, source);
        return { label: `generated, ${size} MB`, file, bytes: Buffer.byteLength(source) };
      });
      const decls = join(dir, 'declarations.merge');
      const declSource = declarations(100_000);
      writeFileSync(decls, declSource);
      const dense = join(dir, 'dense.merge');
      const denseSource = denseStatements(4 * 2 ** 20);
      writeFileSync(dense, denseSource);
      const memoryFiles = [
        { label: '100,000 declarations', file: decls, bytes: Buffer.byteLength(declSource) },
        { label: '4 MiB of dense `x=1;` statements', file: dense, bytes: Buffer.byteLength(denseSource) },
      ];

      // The largest source a file may be (16 MiB) of the densest code: once each, check and run (a run
      // of 4 M assignments). Either crashed with V8's heap exhaustion before the tokens were dropped
      // as statements are parsed.
      const huge = join(dir, 'dense-16mib.merge');
      const hugeSource = denseStatements(16 * 2 ** 20 - 64);
      writeFileSync(huge, hugeSource);
      const hugeBytes = Buffer.byteLength(hugeSource);
      const hugeRuns = (['check', 'run'] as const).map((command) => ({ command, r: commandOnce(command, huge, probeOut) }));

      // Interleaved rounds, so machine noise hits every size alike; the best of each is kept.
      const all = [{ label: 'tiny (start-up)', file: tiny, bytes: 0 }, ...files, ...memoryFiles];
      const best = new Map<string, Sample>();
      for (let round = 0; round < 3; round++) {
        for (const f of all) {
          const s = checkOnce(f.file, probeOut);
          const b = best.get(f.file);
          best.set(f.file, b === undefined ? s : { wallMs: Math.min(b.wallMs, s.wallMs), cpuMs: Math.min(b.cpuMs, s.cpuMs), maxRssBytes: Math.min(b.maxRssBytes, s.maxRssBytes) });
        }
      }
      const loadAfter = loadavg()[0]!;
      const startup = best.get(tiny)!;
      const after = (f: { file: string }) => best.get(f.file)!.wallMs - startup.wallMs;
      const rows = all.map((f) => {
        const s = best.get(f.file)!;
        const net = s.wallMs - startup.wallMs;
        const netCpu = s.cpuMs - startup.cpuMs;
        const sized = (text: string) => (f.bytes === 0 ? '' : text);
        return [f.label, sized(mb(f.bytes)), fmt(s.wallMs, 0), fmt(s.cpuMs, 0), sized(fmt(net, 0)), sized(fmt(f.bytes / 1e6 / (net / 1000), 1)), sized(fmt(f.bytes / 1e6 / (netCpu / 1000), 1)), fmt(s.maxRssBytes / 2 ** 20, 0), sized(fmt(s.maxRssBytes / f.bytes, 1))];
      });
      const hugeRows = hugeRuns.map(({ command, r }) => [`\`merg-e ${command}\``, fmt(r.wallMs / 1000, 1), fmt(r.cpuMs / 1000, 1), fmt(r.maxRssBytes / 2 ** 20, 0), fmt(r.maxRssBytes / hugeBytes, 1), ending(r)]);

      const quarter = files[0]!;
      const one = files[2]!;
      const four = files[3]!;
      const ratio = best.get(one.file)!.wallMs / best.get(quarter.file)!.wallMs;
      const netRatio = after(one) / after(quarter);
      const fourMbs = four.bytes / 1e6 / (after(four) / 1000);
      const fourCpuMbs = four.bytes / 1e6 / ((best.get(four.file)!.cpuMs - startup.cpuMs) / 1000);
      const rssPerByte = best.get(decls)!.maxRssBytes / memoryFiles[0]!.bytes;
      const densePerByte = best.get(dense)!.maxRssBytes / memoryFiles[1]!.bytes;
      const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
      return [
        `Load average (1 min) on this ${availableParallelism()}-core machine: ${fmt(loadBefore, 2)} before, ${fmt(loadAfter, 2)} after: other work shares the cores, so compare within one run.`,
        '',
        table(['`merg-e check` on', 'MB', 'wall ms (best of 3)', 'CPU ms', 'wall ms after start-up', 'MB/s after start-up (wall)', 'MB/s after start-up (CPU)', 'peak RSS MiB', 'peak RSS / source byte'], rows),
        '',
        "Each file is checked by a fresh `node bin/merg-e.js check FILE`, the executable a user runs (the bundled command line with its compile cache; exit 0: the generated programs are the examples' statement",
        'forms, with `utils.mrm` beside them, and check without errors); sizes are measured in interleaved rounds. "After start-up" subtracts',
        'the tiny file\'s time. Peak RSS is the process\'s own `maxRSS` (read at exit by `bench/rss-probe.ts`), Node\'s start-up included.',
        'CPU time counts V8\'s collector threads too; wall time counts the waits for a core on this shared machine.',
        '',
        `The largest source a file may hold, ${mb(hugeBytes)} MB (16 MiB) of dense \`x=1;\` statements, once each:`,
        '',
        table(['command', 'wall s', 'CPU s', 'peak RSS MiB', 'peak RSS / source byte', 'ended'], hugeRows),
        '',
        table(
          ['target', 'measured', 'verdict'],
          [
            [`t(1 MB) / t(0.25 MB) <= ${TARGET_RATIO}`, `${fmt(ratio, 2)} (after start-up: ${fmt(netRatio, 2)})`, verdict(ratio <= TARGET_RATIO)],
            [`check >= ${TARGET_MBS} MB/s on the 4 MB file after start-up`, `${fmt(fourMbs, 1)} MB/s by wall time, ${fmt(fourCpuMbs, 1)} MB/s by CPU time`, `${verdict(fourMbs >= TARGET_MBS)} (wall), ${verdict(fourCpuMbs >= TARGET_MBS)} (CPU)`],
            [`peak RSS on 100k declarations <= 2/3 of ${RSS_BEFORE} bytes per source byte`, `${fmt(rssPerByte, 1)} bytes per source byte (${fmt(rssPerByte / RSS_BEFORE, 2)}x)`, verdict(rssPerByte <= (RSS_BEFORE * 2) / 3)],
            ['dense `x=1;` statements: memory per source byte', `${fmt(densePerByte, 1)} bytes per source byte (was over 250)`, ''],
            ...hugeRuns.map(({ command, r }) => [`\`merg-e ${command}\` on 16 MiB of dense statements ends without a crash`, ending(r), verdict(r.signal === null && r.status !== null && r.status < 70 && !/heap|FATAL/i.test(r.output))]),
          ],
        ),
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
