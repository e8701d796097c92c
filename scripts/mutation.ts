// npm run mutation [-- --mutate PATH ...] [--concurrency N] [--force] [--whole] [--no-checker] [--summary] [--survivors]
// StrykerJS over the project's source folders. A named target (model, coren, vectorize, check, runtime)
// runs one Stryker run per file by default, so the results of a long run are kept file by file; each
// run keeps its own incremental file in node_modules/.cache/merg-e-sim/stryker/ (git-ignored, per
// checkout: a rerun tests only mutants whose code or covering tests changed) and writes its HTML and
// JSON reports to reports/mutation/. The scores per target are summed from those JSON reports.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { PartialStrykerOptions } from '@stryker-mutator/api/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reportsDir = join(root, 'reports', 'mutation');
const cacheDir = join(root, 'node_modules', '.cache', 'merg-e-sim', 'stryker');

/**
 * The folders the project scores (src/runtime without its vectorize folder), each with the tests
 * that exercise it: a mutant only counts as killed by these, so a score never leans on slow
 * end-to-end tests of other parts (and a run stays within hours on two shared cores).
 */
interface Target {
  readonly name: string;
  readonly folder: string;
  readonly exclude?: string;
  /** Globs without commas (they are handed on comma-separated). */
  readonly tests: readonly string[];
}

const TARGETS: readonly Target[] = [
  { name: 'model', folder: 'src/model', tests: ['test/model/**/*.test.ts', 'test/golden.test.ts', 'test/cross-profile.test.ts', 'test/runtime/seed.test.ts', 'test/runtime/statements.test.ts', 'test/runtime/straightline.property.test.ts'] },
  { name: 'coren', folder: 'src/coren', tests: ['test/coren/**/*.test.ts'] },
  { name: 'vectorize', folder: 'src/runtime/vectorize', tests: ['test/vectorize/**/*.test.ts', 'test/golden.test.ts'] },
  // The static checks run before every program, so every runtime test reaches every check mutant: the
  // slow runtime properties and timing tests (two thirds of the time) are left out; the programs of
  // these tests exercise each check, and golden runs every example.
  {
    name: 'check',
    folder: 'src/check',
    tests: [
      'test/check/**/*.test.ts',
      'test/cli/check.test.ts',
      'test/cli/program-errors.test.ts',
      'test/golden.test.ts',
      ...['errors', 'statements', 'lifetime', 'callables.qa', 'seed', 'appends', 'unawaited-deep.qa', 'alias'].map((f) => `test/runtime/${f}.test.ts`),
    ],
  },
  {
    name: 'runtime',
    folder: 'src/runtime',
    exclude: 'src/runtime/vectorize',
    // Beside the runtime tests: the CLI tests that are the only ones to reach a runtime file
    // (heap-profile: profile; basket-fit: basket-fit; portability: run-portability, compare) and
    // interp-rate's own test, which lives with the vectorize tests that use its rate.
    tests: [
      'test/runtime/**/*.test.ts',
      'test/golden.test.ts',
      'test/cross-profile.test.ts',
      ...['run', 'compare', 'basket', 'basket-fit', 'run-portability', 'profile'].map((f) => `test/cli/${f}.test.ts`),
      'test/vectorize/engine.test.ts',
      'test/vectorize/interp-rate.test.ts',
    ],
  },
];

/** The share of each property test's cases a mutation run uses (MERG_E_RUNS_FACTOR overrides it). */
const PROPERTY_FRACTION = 0.2;

const USAGE = `usage: npm run mutation [-- --mutate PATH ...] [--concurrency N] [--force] [--whole] [--no-checker]
       npm run mutation -- --summary | --survivors

Mutation testing with StrykerJS. Each Stryker run runs its tests once, then the tests covering each
mutant. Without --mutate: every target (${TARGETS.map((t) => t.name).join(', ')}), one file at a time.

  --mutate PATH     a target name (one run per file of it), a folder or file (one run, tested by
                    the tests of the target it lies in, else by the whole suite), or a Stryker glob
                    (file.ts:10-20 for lines); may be repeated
  --whole           a named target as one run instead of one per file
  --concurrency N   processes (default 2: a type checker and a test runner; the cores are shared)
  --force           test every mutant again instead of reusing the incremental results
  --no-checker      skip the TypeScript checker (most of a run's CPU time): a mutant that would not
                    compile then runs as JavaScript and counts like any other, so the score is
                    over all mutants, not only the ones that compile
  --summary         print the scores per target from the reports in reports/mutation/, run nothing
  --survivors       list the surviving and uncovered mutants of those reports, run nothing
  --help            this text

Property tests run ${PROPERTY_FRACTION} of their cases (MERG_E_RUNS_FACTOR=1 for all of them).

examples:
  npm run mutation -- --mutate model
  npm run mutation -- --mutate src/model/memory.ts
  npm run mutation -- --mutate src/runtime/vectorize --concurrency 1
  npm run mutation -- --summary`;

/** The target whose folder holds a path (the most specific one). */
function targetOf(path: string): Target | undefined {
  const p = path.replace(/\/+$/, '');
  const inside = (t: Target) => (p === t.folder || p.startsWith(`${t.folder}/`)) && !(t.exclude && (p === t.exclude || p.startsWith(`${t.exclude}/`)));
  return TARGETS.find(inside);
}

function filesOf(t: Target): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (p !== t.exclude) walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(t.folder);
  return out.sort();
}

interface Run {
  /** Names the reports and the incremental file. */
  label: string;
  mutate: string[];
  tests: readonly string[];
}

function runsFor(arg: string, whole: boolean): Run[] {
  const named = TARGETS.find((t) => t.name === arg);
  if (named) {
    if (whole) return [{ label: named.name, mutate: [`${named.folder}/**/*.ts`, ...(named.exclude ? [`!${named.exclude}/**/*.ts`] : [])], tests: named.tests }];
    return filesOf(named).map((f) => ({ label: f, mutate: [f], tests: named.tests }));
  }
  const glob = /[*?{}!]|:\d/.test(arg) || arg.endsWith('.ts') ? arg : `${arg.replace(/\/+$/, '')}/**/*.ts`;
  return [{ label: arg, mutate: [glob], tests: targetOf(arg.replace(/:.*$/, ''))?.tests ?? [] }];
}

function slug(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'all';
}

// ------------------------------------------------------------------ reading the reports

interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

interface FileReport {
  mutants: ReportMutant[];
  source: string;
  at: number;
}

/**
 * Every mutant of every JSON report, by file; a file in several reports counts from the newest, and
 * a file no longer in the checkout (moved or removed) does not count. Reports of one file on the same
 * source are merged mutant by mutant (the newer result wins), so runs over line ranges of a file
 * (`--mutate file.ts:1-200`, then `:201-400`) add up to the whole file.
 */
function readReports(): Map<string, FileReport> {
  const byFile = new Map<string, FileReport>();
  if (!existsSync(reportsDir)) return byFile;
  for (const f of readdirSync(reportsDir)) {
    if (!f.endsWith('.json') || f === 'summary.json') continue;
    const text = readFileSync(join(reportsDir, f), 'utf8');
    let report: { files?: Record<string, { mutants: ReportMutant[]; source: string }> };
    try {
      report = JSON.parse(text) as typeof report;
    } catch {
      continue;
    }
    const at = statSync(join(reportsDir, f)).mtimeMs;
    for (const [file, data] of Object.entries(report.files ?? {})) {
      const path = relative(root, join(root, file)).replace(/^.*?(src\/)/, '$1');
      if (!existsSync(join(root, path))) continue;
      const old = byFile.get(path);
      if (old && old.source === data.source) byFile.set(path, { mutants: mergeMutants(old, { ...data, at }), source: data.source, at: Math.max(old.at, at) });
      else if (!old || old.at <= at) byFile.set(path, { mutants: data.mutants, source: data.source, at });
    }
  }
  return byFile;
}

/** The mutants of two reports of one source, each place and change from the newer report that has it. */
function mergeMutants(a: FileReport, b: FileReport): ReportMutant[] {
  const [older, newer] = a.at <= b.at ? [a, b] : [b, a];
  const key = (m: ReportMutant) => `${m.location.start.line}:${m.location.start.column}:${m.mutatorName}:${m.replacement ?? ''}`;
  const fresh = new Set(newer.mutants.map(key));
  return [...older.mutants.filter((m) => !fresh.has(key(m))), ...newer.mutants];
}

export interface Score {
  target: string;
  files: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Compile errors, runtime errors and ignored (static) mutants: not in the score. */
  excluded: number;
  /** Detected (killed + timeout) over valid mutants, in percent. */
  score: number;
  /** Files whose newest report was taken on other source than the checkout's (a rerun is due). */
  stale: number;
}

export function score(target: string, files: number, mutants: readonly { status: string }[], stale = 0): Score {
  const n = (s: string) => mutants.filter((m) => m.status === s).length;
  const [killed, timeout, survived, noCoverage] = [n('Killed'), n('Timeout'), n('Survived'), n('NoCoverage')];
  const valid = killed + timeout + survived + noCoverage;
  return { target, files, killed, timeout, survived, noCoverage, excluded: mutants.length - valid, score: valid === 0 ? 100 : (100 * (killed + timeout)) / valid, stale };
}

/** The score of each target, and under it the score of each of its files. */
function summary(): { target: Score; files: Score[] }[] {
  const reports = readReports();
  return TARGETS.map((t) => {
    const files = [...reports.keys()].filter((f) => targetOf(f) === t).sort();
    const mutantsOf = (f: string) => reports.get(f)?.mutants ?? [];
    const isStale = (f: string): number => (reports.get(f)?.source !== readFileSync(join(root, f), 'utf8') ? 1 : 0);
    const stale = files.map(isStale);
    return { target: score(t.name, files.length, files.flatMap(mutantsOf), stale.reduce((a, b) => a + b, 0)), files: files.map((f, i) => score(f, 1, mutantsOf(f), stale[i])) };
  }).filter((s) => s.target.files > 0);
}

function staleNote(s: Score): string {
  if (s.stale === 0) return '';
  return s.files === 1 ? ' (measured on older source)' : ` (${s.stale} measured on older source)`;
}

function printSummary(): void {
  const scores = summary();
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'summary.json'), `${JSON.stringify(scores, null, 2)}\n`);
  const line = (s: Score, indent: string) =>
    `${indent}${s.target.padEnd(44 - indent.length)}${s.score.toFixed(1).padStart(6)}%  ${s.files > 1 ? `${s.files} files: ` : ''}killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage}, excluded ${s.excluded}${staleNote(s)}`;
  const text = scores.map((s) => [line(s.target, '  '), ...s.files.map((f) => line(f, '    '))].join('\n')).join('\n');
  process.stdout.write(`mutation scores (detected / valid mutants, from reports/mutation/), per target and file:\n${text || '  no reports yet'}\n`);
}

function printSurvivors(): void {
  const reports = readReports();
  for (const [file, { mutants, source }] of [...reports].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = source.split('\n');
    for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage').sort((a, b) => a.location.start.line - b.location.start.line)) {
      const l = m.location.start.line;
      process.stdout.write(`${file}:${l}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${(lines[l - 1] ?? '').trim().slice(0, 100)}  =>  ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}\n`);
    }
  }
}

// ------------------------------------------------------------------ running

/**
 * Stryker leaves a file with no mutants out of its report: each file the run named by its path gets
 * an empty entry, so an older report's mutants of that file stop counting.
 */
function recordMutantFree(reportFile: string, mutate: readonly string[]): void {
  if (!existsSync(reportFile)) return;
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { files?: Record<string, { language: string; source: string; mutants: ReportMutant[] }> };
  const files = (report.files ??= {});
  const named = mutate.filter((m) => m.endsWith('.ts') && !/[*?{}!]|:\d/.test(m) && existsSync(join(root, m)));
  const missing = named.filter((m) => !Object.keys(files).some((f) => f === m || f.endsWith(`/${m}`)));
  if (missing.length === 0) return;
  for (const m of missing) files[m] = { language: 'typescript', source: readFileSync(join(root, m), 'utf8'), mutants: [] };
  writeFileSync(reportFile, JSON.stringify(report));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      mutate: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      force: { type: 'boolean' },
      whole: { type: 'boolean' },
      'no-checker': { type: 'boolean' },
      summary: { type: 'boolean' },
      survivors: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.summary || values.survivors) {
    if (values.survivors) printSurvivors();
    if (values.summary) printSummary();
    return 0;
  }
  const concurrency = values.concurrency === undefined ? 2 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency must be a whole number >= 1, got '${values.concurrency}'`);
  const runs = (values.mutate ?? TARGETS.map((t) => t.name)).flatMap((arg) => runsFor(arg, values.whole ?? false));
  // Stryker's own modules are loaded only when mutation testing really runs.
  const { Stryker } = await import('@stryker-mutator/core');
  mkdirSync(cacheDir, { recursive: true });
  for (const [i, run] of runs.entries()) {
    const name = slug(run.label);
    // Read by vitest.mutation.config.ts in Stryker's test processes (they inherit the environment).
    process.env['MERG_E_MUTATION_TESTS'] = run.tests.join(',');
    // Every mutant reruns the property tests that reach it: a fraction of their cases (same fixed seed).
    process.env['MERG_E_RUNS_FACTOR'] ??= String(PROPERTY_FRACTION);
    const options: PartialStrykerOptions = {
      configFile: join(root, 'stryker.config.mjs'),
      mutate: run.mutate,
      concurrency,
      force: values.force ?? false,
      ...(values['no-checker'] ? { checkers: [] } : {}),
      incrementalFile: join(cacheDir, `${name}.json`),
      htmlReporter: { fileName: join(reportsDir, `${name}.html`) },
      jsonReporter: { fileName: join(reportsDir, `${name}.json`) },
    };
    process.stderr.write(`mutation ${i + 1}/${runs.length}: ${run.mutate.join(' ')} (tests: ${run.tests.join(' ') || 'all'})\n`);
    await new Stryker(options).runMutationTest();
    recordMutantFree(join(reportsDir, `${name}.json`), run.mutate);
  }
  printSummary();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`mutation: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
