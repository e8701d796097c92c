// merg-e run FILE: runs a Merg-E program; its output on stdout, an uncaught error on stderr (exit 1),
// and on request the membrane usage report (stderr) or one JSON document (stdout).
import { dirname, resolve } from 'node:path';

import { fail, formatDiagnostic } from '../diagnostics.js';
import { formatRunError, readSource, runProgram, runResultJson, type RunOptions } from '../runtime/run.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK } from './guard.js';
import type { Io } from './io.js';
import { formatRunReport } from './run-report.js';
import { VECTORIZE_RUN_HELP, VECTORIZE_RUN_OPTIONS, vectorizeForRun } from '../runtime/vectorize/run-options.js';

export const RUN_HELP = `usage: merg-e run [options] FILE

Runs a Merg-E program (.merge script or .mrg app; modules .mrm are read from
its folder). Its output goes to stdout; an uncaught error prints its name, code,
place and a source frame on stderr and exits 1.

options:
  --profile NAME        runtime profile from baskets/runtimes (default cpython-dev)
  --report              after the run, print the membrane usage table (T, D, O,
                        direct and below use, points by entity kind) on stderr
  --json                print one JSON document on stdout instead: ok, profile,
                        stdout, error, membranes, dataframes, ramPoints, bytes,
                        vectorize (per vectorize: FnCost, verdict, decision, …)
  --max-steps N         operations the run may evaluate (default 100000000)
  --timeout S           seconds the run may take (default 10)
  --max-call-depth N    nested calls (default 400)
${VECTORIZE_RUN_HELP}  -h, --help            show this help

exit status: 0 ran to the end, 1 a Merg-E error, 2 bad usage, 70 internal error

examples:
  merg-e run examples/primes.mrg
  merg-e run --report examples/quota-stack.merge
  merg-e run --json --profile jvm examples/dataframe-growth.merge
`;

/** The options `merg-e run` accepts (besides -h/--help). */
const RUN_OPTIONS = {
  profile: { type: 'string' },
  report: { type: 'boolean' },
  json: { type: 'boolean' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'max-call-depth': { type: 'string' },
  ...VECTORIZE_RUN_OPTIONS,
} as const;

type RunValues = ReturnType<typeof parseRunArgs>['values'];

function parseRunArgs(argv: string[]) {
  return parseCommandArgs('run', argv, RUN_OPTIONS);
}

function positive(name: string, v: string | undefined, scale = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) fail('MRG4002', `merg-e run: --${name} needs a number above 0, got '${v}'`);
  return Math.round(n * scale);
}

/** A count (steps, call depth): a whole number, not silently rounded. */
function count(name: string, v: string | undefined): number | undefined {
  const n = positive(name, v);
  if (n !== undefined && !Number.isSafeInteger(Number(v))) fail('MRG4002', `merg-e run: --${name} needs a whole number above 0, got '${v}'`);
  return n;
}

/** RunOptions from the command line (profile and limits; output callbacks are added by `run`). */
function runOptions(v: RunValues): RunOptions {
  return {
    profile: v.profile,
    maxSteps: count('max-steps', v['max-steps']),
    timeoutMs: positive('timeout', v.timeout, 1000),
    maxCallDepth: count('max-call-depth', v['max-call-depth']),
  };
}

export async function run(argv: string[], io: Io): Promise<number> {
  const parsed = parseRunArgs(argv);
  const v = parsed.values;
  if (v.help) {
    io.out(RUN_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) fail('MRG4002', 'merg-e run: name exactly one program file (.merge or .mrg)');
  if (v.json && v.report) fail('MRG4002', 'merg-e run: --json already holds the membranes and points; use --json or --report, not both');
  const file = parsed.positionals[0] as string;
  if (file.endsWith('.mrm')) fail('MRG4002', `merg-e run: ${file} is a module: it runs nothing by itself; run the program that merges it`);
  const json = v.json === true;
  const opts = runOptions(v);
  if (!json) {
    // Output is shown as the program writes it, so a long run shows progress.
    opts.stdout = (t) => io.out(t);
    opts.stderr = (t) => io.err(t);
  }
  const path = resolve(io.cwd, file);
  const source = readSource(path, file);
  const vec = await vectorizeForRun(v, path, source, io);
  const r = runProgram({ file, source }, { ...opts, moduleDir: dirname(path), vectorize: vec.engine.hook });
  for (const d of vec.warnings()) io.err(formatDiagnostic(d, { source: r.sources.get(d.span?.file ?? ''), color: io.colorErr }) + '\n');
  if (json) {
    io.out(JSON.stringify({ ...runResultJson(r), vectorize: vec.json() }) + '\n');
    return r.exitCode;
  }
  for (const d of r.diagnostics) {
    if (d.severity === 'warning') io.err(formatDiagnostic(d, { source: r.sources.get(d.span?.file ?? ''), color: io.colorErr }) + '\n');
  }
  if (r.error) io.err(formatRunError(r, { color: io.colorErr }) + '\n');
  if (v.report) io.err(formatRunReport(r) + vec.table());
  return r.exitCode;
}
