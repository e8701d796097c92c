// The long fuzz campaign: `npm run fuzz -- --runs 100000`. Draws cases from a seed (printed, so a
// campaign replays), checks every oracle of harness.ts, prints progress, and saves each distinct
// failure, shrunk by fast-check, under fuzz-failures/ (the case as a file, and a note saying what
// broke and how to replay it). A watchdog ends the process, saving the case, if one ever hangs.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import fc from 'fast-check';

import { shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { caseText, DEFAULT_FUZZ_LIMITS, examples, fuzzCases, runCase, type FuzzCase, type FuzzLimits, type Oracle } from './harness.js';
import { Watchdog } from './watchdog.js';

const HELP = `usage: npm run fuzz -- [--runs N] [--cpu-seconds S] [--seed S] [--out DIR] [--max-steps N] [--timeout MS]

Runs N fuzz cases (default 10000; with --cpu-seconds, it stops sooner once the process has used that
much CPU time, checked every 500 cases, so a campaign on a shared machine stays bounded): generated Merg-E programs, vectorize programs, and token and byte
mutations of the examples. Every case is checked for: no escaped exception, no internal error
(MRG3099), diagnostics inside the file, the model's invariants, the same result inline, seeded and
on worker threads, and each run ending within the timeout + 1 s. Each distinct failure is shrunk and saved
in DIR (default fuzz-failures/); a failure seen before is counted and the campaign goes on. The last
line counts the cases, each kind of failure (crashes, hangs, invariant breaks, schedule differences,
spans outside the file, wrong exit statuses) and how the cases ended. Exit status 1 when anything
failed.
`;

/** The oracles as the summary names them. */
const ORACLES: readonly [Oracle, string][] = [
  ['crash', 'crashes'],
  ['hang', 'hangs'],
  ['invariant', 'invariant breaks'],
  ['schedule', 'schedule differences'],
  ['span', 'spans outside the file'],
  ['exit', 'wrong exit statuses'],
];

/** Cases per fast-check run: a failure ends its chunk (after shrinking), the campaign goes on. */
const CHUNK = 500;

function whole(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`fuzz: --${name} needs a whole number >= ${min}, got '${text}'\n`);
    process.exit(2);
  }
  return n;
}

function save(out: string, c: FuzzCase, why: string, seed: number, replay: string): string {
  mkdirSync(out, { recursive: true });
  const bytes = c.kind === 'bytes' ? Buffer.from(c.bytes) : Buffer.from(c.source, 'utf8');
  const name = `${c.kind}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
  writeFileSync(join(out, `${name}.merge`), bytes);
  const note = [`fuzz failure (${c.kind} case), chunk seed ${seed}`, `replay: ${replay}`, `modules beside it: the examples' .mrm files (merge utils.… needs examples/utils.mrm)`, '', why, ''].join('\n');
  writeFileSync(join(out, `${name}.txt`), note);
  return join(out, `${name}.merge`);
}

/** A violation's gist, numbers and quoted text left out, so one bug is saved once. */
function signature(why: string): string {
  return (why.split('\n')[0] ?? '').replace(/"[^"]*"|'[^']*'|\d+/g, '#').slice(0, 160);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, 'cpu-seconds': { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, 'max-steps': { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const runs = whole('runs', values.runs, 10_000, 1);
  const seed = whole('seed', values.seed, (Date.now() ^ (process.pid << 16)) >>> 1, 0);
  const cpuSeconds = whole('cpu-seconds', values['cpu-seconds'], Number.MAX_SAFE_INTEGER, 1);
  const cpuUsed = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const out = resolve(values.out ?? 'fuzz-failures');
  const limits: FuzzLimits = { maxSteps: whole('max-steps', values['max-steps'], DEFAULT_FUZZ_LIMITS.maxSteps, 1), timeoutMs: whole('timeout', values.timeout, DEFAULT_FUZZ_LIMITS.timeoutMs, 1) };
  const { seeds, modules } = examples();
  const arb = fuzzCases(seeds);
  const dog = new Watchdog({ afterMs: limits.timeoutMs * 3 + 10_000, save: out });
  const endings = new Map<string, number>();
  const kinds = new Map<string, number>();
  const broken = new Map<Oracle, number>();
  const saved = new Map<string, string>();
  let failures = 0;
  let done = 0;
  // Off while fast-check shrinks a failure (its replays are not cases of the campaign).
  let counting = true;
  const t0 = performance.now();
  process.stdout.write(`fuzz: ${runs} cases from seed ${seed} (replay: npm run fuzz -- --runs ${runs} --seed ${seed}); failures go to ${out}\n`);
  try {
    for (let chunk = 0; done < runs && cpuUsed() < cpuSeconds; chunk++) {
      const n = Math.min(CHUNK, runs - done);
      const chunkSeed = (seed + chunk * 7919) >>> 0;
      let last: FuzzCase | null = null;
      const property = fc.property(arb, (c) => {
        last = c;
        dog.watch(caseText(c));
        const o = runCase(c, modules, limits);
        if (!counting) {
          if (o.violations.length > 0) throw new Error(o.violations.map((v) => v.text).join('\n'));
          return;
        }
        endings.set(o.ending, (endings.get(o.ending) ?? 0) + 1);
        kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
        if (o.violations.length === 0) return;
        failures++;
        for (const oracle of new Set(o.violations.map((v) => v.oracle))) broken.set(oracle, (broken.get(oracle) ?? 0) + 1);
        const why = o.violations.map((v) => v.text).join('\n');
        const before = saved.get(signature(why));
        // A failure seen before is counted only; a new one ends the chunk, to be shrunk and saved.
        if (before !== undefined) {
          process.stdout.write(`fuzz: failure again: ${why.split('\n')[0]} (saved before as ${before})\n`);
          return;
        }
        throw new Error(why);
      });
      const first = fc.check(property, { seed: chunkSeed, numRuns: n, endOnFailure: true });
      done += first.failed ? first.numRuns : n;
      if (first.failed) {
        const why = first.errorInstance instanceof Error ? first.errorInstance.message : String(first.errorInstance);
        counting = false;
        const shrunk = fc.check(property, { seed: chunkSeed, path: first.counterexamplePath ?? undefined, numRuns: 1 });
        counting = true;
        const c = (shrunk.counterexample?.[0] as FuzzCase | undefined) ?? (first.counterexample?.[0] as FuzzCase | undefined) ?? last;
        const shrunkWhy = shrunk.errorInstance instanceof Error ? shrunk.errorInstance.message : why;
        if (c) {
          const replay = `npm run fuzz -- --runs ${n} --seed ${seed} (chunk seed ${chunkSeed}, path ${first.counterexamplePath ?? '?'})`;
          const file = save(out, c, shrunkWhy, chunkSeed, replay);
          saved.set(signature(why), file);
          process.stdout.write(`fuzz: FAILURE (shrunk in ${shrunk.numShrinks} steps) saved as ${file}\n  ${shrunkWhy.split('\n')[0]}\n`);
        }
      }
      const sec = (performance.now() - t0) / 1000;
      process.stdout.write(`fuzz: ${done}/${runs} cases, ${failures} failure${failures === 1 ? '' : 's'}, ${(done / sec).toFixed(1)} cases/s, ${sec.toFixed(0)} s wall, ${cpuUsed().toFixed(0)} s CPU\n`);
    }
  } finally {
    dog.stop();
    await shutdownWorkers();
  }
  const tally = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const sec = (performance.now() - t0) / 1000;
  const oracles = ORACLES.map(([o, name]) => `${broken.get(o) ?? 0} ${name}`).join(', ');
  process.stdout.write(`fuzz: done: ${done} cases in ${sec.toFixed(0)} s wall, ${cpuUsed().toFixed(0)} s CPU (${tally(kinds)}); ${failures} failing case${failures === 1 ? '' : 's'} (${saved.size} distinct): ${oracles}\n`);
  process.stdout.write(`fuzz: endings: ${tally(endings)}\n`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
