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

/** The folders issue 15 scores, each its own run (src/runtime without its vectorize folder). */
const TARGETS: ReadonlyMap<string, readonly string[]> = new Map([
  ['model', ['src/model/**/*.ts']],
  ['coren', ['src/coren/**/*.ts']],
  ['vectorize', ['src/runtime/vectorize/**/*.ts']],
  ['check', ['src/check/**/*.ts']],
  ['runtime', ['src/runtime/**/*.ts', '!src/runtime/vectorize/**/*.ts']],
]);

const USAGE = `usage: npm run mutation [-- --mutate PATH ...] [--concurrency N] [--force]

Mutation testing with StrykerJS, one target at a time (each runs the whole test suite once, then
the tests covering each mutant). Without --mutate: ${[...TARGETS.keys()].join(', ')}.

  --mutate PATH     a target name (${[...TARGETS.keys()].join(', ')}), a folder (every .ts file below
                    it), a file, or a Stryker glob (file.ts:10-20 for lines); may be repeated
  --concurrency N   test processes (default 2; the machine's cores are shared)
  --force           test every mutant again instead of reusing the incremental results
  --help            this text

examples:
  npm run mutation -- --mutate model
  npm run mutation -- --mutate src/model/memory.ts
  npm run mutation -- --mutate src/runtime/vectorize --concurrency 1`;

/** A target's mutate globs from what the user typed. */
function globsFor(path: string): readonly string[] {
  const named = TARGETS.get(path);
  if (named) return named;
  if (/[*?{}!]|:\d/.test(path) || path.endsWith('.ts')) return [path];
  return [`${path.replace(/\/+$/, '')}/**/*.ts`];
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
    const options: PartialStrykerOptions = {
      configFile: join(root, 'stryker.config.mjs'),
      mutate: [...globsFor(target)],
      concurrency,
      force: values.force ?? false,
      incrementalFile: join(cache, `${name}.json`),
      htmlReporter: { fileName: join(reports, `${name}.html`) },
      jsonReporter: { fileName: join(reports, `${name}.json`) },
    };
    process.stderr.write(`mutation: ${target} (${options.mutate?.join(' ')})\n`);
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
