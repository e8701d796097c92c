// npm run mutation [-- --mutate PATH ...] [--concurrency N] [--force]: StrykerJS over one folder at a time.
// Each target keeps its own incremental file in node_modules/.cache/merg-e-sim/stryker/ (git-ignored,
// per checkout: a rerun only tests mutants whose code or covering tests changed) and writes its HTML
// and JSON reports to reports/mutation/. Prints the mutation score per target at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The folders the project scores, each its own run (src/runtime without its vectorize folder), with
 * the tests that exercise it: a mutant only counts as killed by these, so a score never leans on
 * slow end-to-end tests of other parts (and a run stays within hours on two shared cores).
 */
interface Target {
  readonly mutate: readonly string[];
  readonly tests: readonly string[];
}

const TARGETS: ReadonlyMap<string, Target> = new Map([
  ['model', { mutate: ['src/model/**/*.ts'], tests: ['test/model/**/*.test.ts', 'test/golden.test.ts', 'test/cross-profile.test.ts', 'test/runtime/seed.test.ts', 'test/runtime/statements.test.ts', 'test/runtime/straightline.property.test.ts'] }],
  ['coren', { mutate: ['src/coren/**/*.ts'], tests: ['test/coren/**/*.test.ts'] }],
  ['vectorize', { mutate: ['src/runtime/vectorize/**/*.ts'], tests: ['test/vectorize/**/*.test.ts', 'test/golden.test.ts'] }],
  ['check', { mutate: ['src/check/**/*.ts'], tests: ['test/check/**/*.test.ts', 'test/cli/check.test.ts', 'test/runtime/**/*.test.ts', 'test/golden.test.ts'] }],
  ['runtime', { mutate: ['src/runtime/**/*.ts', '!src/runtime/vectorize/**/*.ts'], tests: ['test/runtime/**/*.test.ts', 'test/golden.test.ts', 'test/cross-profile.test.ts', 'test/cli/run.test.ts', 'test/cli/compare.test.ts', 'test/cli/basket.test.ts', 'test/vectorize/engine.test.ts'] }],
]);

/** The share of each property test's cases a mutation run uses (MERG_E_RUNS_FACTOR overrides it). */
const PROPERTY_FRACTION = 0.2;

const USAGE = `usage: npm run mutation [-- --mutate PATH ...] [--concurrency N] [--force]

Mutation testing with StrykerJS, one target at a time (each runs the whole test suite once, then
the tests covering each mutant). Without --mutate: ${[...TARGETS.keys()].join(', ')}.

  --mutate PATH     a target name (${[...TARGETS.keys()].join(', ')}: each with its own tests), or a
                    folder (every .ts file below it), a file, or a Stryker glob (file.ts:10-20 for
                    lines), tested by the whole suite; may be repeated
  --concurrency N   test processes (default 2; the machine's cores are shared)
  --force           test every mutant again instead of reusing the incremental results

Property tests run ${PROPERTY_FRACTION} of their cases (MERG_E_RUNS_FACTOR=1 for all of them).
  --help            this text

examples:
  npm run mutation -- --mutate model
  npm run mutation -- --mutate src/model/memory.ts
  npm run mutation -- --mutate src/runtime/vectorize --concurrency 1`;

/** A target from what the user typed: a name, or a path or glob (tested by the whole suite). */
function targetFor(path: string): Target {
  const named = TARGETS.get(path);
  if (named) return named;
  if (/[*?{}!]|:\d/.test(path) || path.endsWith('.ts')) return { mutate: [path], tests: [] };
  return { mutate: [`${path.replace(/\/+$/, '')}/**/*.ts`], tests: [] };
}

function slug(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'all';
}

export interface Score {
  target: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Compile errors, runtime errors and ignored (static) mutants: not in the score. */
  excluded: number;
  /** Detected (killed + timeout) over valid mutants, in percent. */
  score: number;
}

export function score(target: string, results: readonly MutantResult[]): Score {
  const n = (s: string) => results.filter((r) => r.status === s).length;
  const [killed, timeout, survived, noCoverage] = [n('Killed'), n('Timeout'), n('Survived'), n('NoCoverage')];
  const valid = killed + timeout + survived + noCoverage;
  return { target, killed, timeout, survived, noCoverage, excluded: results.length - valid, score: valid === 0 ? 100 : (100 * (killed + timeout)) / valid };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { mutate: { type: 'string', multiple: true }, concurrency: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const concurrency = values.concurrency === undefined ? 2 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency must be a whole number >= 1, got '${values.concurrency}'`);
  const targets = values.mutate ?? [...TARGETS.keys()];
  // Stryker's own modules are loaded only when mutation testing really runs.
  const { Stryker } = await import('@stryker-mutator/core');
  const scores: Score[] = [];
  for (const target of targets) {
    const name = slug(target);
    const reports = join(root, 'reports', 'mutation');
    const cache = join(root, 'node_modules', '.cache', 'merg-e-sim', 'stryker');
    mkdirSync(cache, { recursive: true });
    const t = targetFor(target);
    // Read by vitest.mutation.config.ts in Stryker's test processes (they inherit the environment).
    process.env['MERG_E_MUTATION_TESTS'] = t.tests.join(',');
    // Every mutant reruns the property tests that reach it: a fifth of their cases (same fixed seed).
    process.env['MERG_E_RUNS_FACTOR'] ??= String(PROPERTY_FRACTION);
    const options: PartialStrykerOptions = {
      configFile: join(root, 'stryker.config.mjs'),
      mutate: [...t.mutate],
      concurrency,
      force: values.force ?? false,
      incrementalFile: join(cache, `${name}.json`),
      htmlReporter: { fileName: join(reports, `${name}.html`) },
      jsonReporter: { fileName: join(reports, `${name}.json`) },
    };
    process.stderr.write(`mutation: ${target} (${t.mutate.join(' ')}; tests: ${t.tests.join(' ') || 'all'})\n`);
    const results = await new Stryker(options).runMutationTest();
    const s = score(target, results);
    scores.push(s);
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, `${name}.summary.json`), `${JSON.stringify(s, null, 2)}\n`);
  }
  const line = (s: Score) =>
    `  ${s.target.padEnd(24)}${s.score.toFixed(1).padStart(7)}%  killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage}, excluded ${s.excluded}`;
  process.stdout.write(`mutation scores (detected / valid mutants):\n${scores.map(line).join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`mutation: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
