// merg-e run FILE: runs a Merg-E program; its output on stdout, an uncaught error on stderr (exit 1),
// and on request the membrane usage report (stderr) or one JSON document (stdout).
import { fail, formatDiagnostic } from '../diagnostics.js';
import { runProgram, type RunOptions } from '../runtime/run.js';
import { decimalOption, parseOptions } from './args.js';
import { EXIT_OK, EXIT_STATUS_HELP } from './guard.js';
import { HTML_HELP, HTML_OPTION, htmlTarget, jsonThenReport, writeRunHtml } from './html-option.js';
import { readProgram } from './input.js';
import type { Io } from './io.js';
import { resolveProfile } from '../runtime/profiles.js';
import { runResultJson } from './json-documents.js';
import { runPortabilityText } from './portability-text.js';
import { formatRunError, formatRunReport } from './run-report.js';
import { basketPricing, resolveBasket, type BasketInUse } from '../runtime/basket.js';
import { catalogPricings, runPortability, usableProfiles } from '../runtime/portability.js';
import { VECTORIZE_RUN_HELP, VECTORIZE_RUN_OPTIONS, vectorizeForRun } from './vectorize-options.js';

export const RUN_HELP = `usage: merg-e run [options] FILE
       merg-e FILE [options]

Runs a Merg-E program (.merge script or .mrg app; modules .mrm are read from
its folder). FILE '-' reads the program from standard input (its modules from
the current folder). Its output goes to stdout; an uncaught error prints its
name, code, place and a source frame on stderr and exits 1. A script whose
first line is #!/usr/bin/env merg-e runs as an executable.

options:
  --profile NAME|FILE   runtime profile: a name (see merg-e profile list) or a
                        profile file (default cpython-dev)
  --basket NAME|DIR     the basket RAM-points are normalized over: a name
                        (yours from merg-e basket fit --write, or shipped) or
                        a basket folder (default standard); its "portability"
                        blend is honoured
  --report              after the run, print the membrane usage table (T, D, O,
                        direct and below use, points by entity kind) on stderr
  --json                print one JSON document on stdout instead: ok, profile,
                        stdout, error, membranes, dataframes, ramPoints, bytes,
                        vectorize (per vectorize: FnCost, verdict, decision, …)
${HTML_HELP}  --max-steps N         operations the run may evaluate (default 100000000)
  --timeout S           seconds the run may take (default 10)
  --max-call-depth N    nested calls (default 400)
${VECTORIZE_RUN_HELP}  -h, --help            show this help

${EXIT_STATUS_HELP}
examples:
  merg-e run examples/primes.mrg
  merg-e run --report examples/quota-stack.merge
  merg-e run --json --profile jvm examples/dataframe-growth.merge
  merg-e run --html report.html examples/quota-stack.merge
  echo 'cout "hi" endl;' | merg-e run -
`;

/** The options `merg-e run` accepts (besides -h/--help). */
const RUN_OPTIONS = {
  profile: { type: 'string' },
  basket: { type: 'string' },
  report: { type: 'boolean' },
  json: { type: 'boolean' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'max-call-depth': { type: 'string' },
  ...HTML_OPTION,
  ...VECTORIZE_RUN_OPTIONS,
} as const;

type RunValues = ReturnType<typeof parseOptions<typeof RUN_OPTIONS>>['values'];

function number(name: string, v: string | undefined, integer: boolean): number | undefined {
  return v === undefined ? undefined : decimalOption('merg-e run', `--${name}`, v, { integer, above: 0 });
}

/** RunOptions from the command line (profile and limits; output callbacks are added by `run`). */
function runOptions(v: RunValues, cwd: string, basket: BasketInUse): RunOptions {
  const timeout = number('timeout', v.timeout, false);
  const profile = resolveProfile(v.profile ?? 'cpython-dev', cwd);
  return {
    pricing: basketPricing(profile, basket, basket.basket.portability === 0 ? [] : usableProfiles(basket)),
    maxSteps: number('max-steps', v['max-steps'], true),
    timeoutMs: timeout === undefined ? undefined : Math.max(1, Math.round(timeout * 1000)),
    maxCallDepth: number('max-call-depth', v['max-call-depth'], true),
  };
}

export async function run(argv: string[], io: Io): Promise<number> {
  const parsed = parseOptions('merg-e run', argv, RUN_OPTIONS);
  const v = parsed.values;
  if (v.help) {
    io.out(RUN_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) fail('MRG4002', 'merg-e run: name exactly one program file (.merge or .mrg)');
  if (v.json && v.report) fail('MRG4002', 'merg-e run: --json already holds the membranes and points; use --json or --report, not both');
  const arg = parsed.positionals[0]!;
  if (arg.endsWith('.mrm')) fail('MRG4002', `merg-e run: ${arg} is a module: it runs nothing by itself; run the program that merges it`);
  const json = v.json === true;
  const basket = resolveBasket(v.basket, io.cwd);
  const opts = runOptions(v, io.cwd, basket);
  const html = await htmlTarget('merg-e run', v.html, io);
  // The report draws each quota membrane's use over the run: the model records it only when asked.
  if (html !== null) opts.timeline = true;
  if (!json) {
    // Output is shown as the program writes it, so a long run shows progress.
    opts.stdout = (t) => io.out(t);
    opts.stderr = (t) => io.err(t);
  }
  const program = await readProgram(arg, io);
  const vec = await vectorizeForRun(v, program, io);
  let r: ReturnType<typeof runProgram>;
  try {
    r = runProgram({ file: program.file, source: program.source }, { ...opts, moduleDir: program.dir, vectorize: vec.engine.hook });
  } finally {
    vec.close();
  }
  for (const d of vec.warnings()) io.err(formatDiagnostic(d, { source: r.sources.get(d.span?.file ?? ''), color: io.colorErr }) + '\n');
  const report = html === null ? null : () => writeRunHtml(html, v.html as string, { file: program.file, result: r, vectorize: vec.engine.reports }, io, json);
  if (json) {
    io.out(JSON.stringify({ ...runResultJson(r), vectorize: vec.json(), memo: vec.memoJson() }) + '\n');
    return report === null ? r.exitCode : jsonThenReport(r.exitCode, report, io);
  }
  // Every diagnostic in place order (all syntax errors, as check shows them); the run's error as run errors are shown.
  for (const d of r.diagnostics) {
    if (d === r.error?.diagnostic) io.err(formatRunError(r, { color: io.colorErr }) + '\n');
    else io.err(formatDiagnostic(d, { source: r.sources.get(d.span?.file ?? ''), color: io.colorErr }) + '\n');
  }
  if (r.error && !r.diagnostics.includes(r.error.diagnostic)) io.err(formatRunError(r, { color: io.colorErr }) + '\n');
  if (v.report) {
    io.err(formatRunReport(r) + vec.table());
    if (r.memory) {
      const p = runPortability(program.file, r, catalogPricings(basket, r.memory.pricing), basket.basket.warnSpread);
      io.err(runPortabilityText(p));
      if (p.warning) io.err(formatDiagnostic(p.warning, { color: io.colorErr }) + '\n');
    }
  }
  await report?.();
  return r.exitCode;
}

