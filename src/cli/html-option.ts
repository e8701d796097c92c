// `--html OUT` of merg-e run and compare: checked before anything runs, written after the command has
// done its usual work. The report module (and Vega with it) is imported only when --html is given,
// so the commands' start-up does not pay for it.
import { resolve } from 'node:path';

import { fail, formatDiagnostic, MergeError } from '../diagnostics.js';
import type { CompareReportInput, RunReportInput } from '../report/index.js';
import { EXIT_ERROR, EXIT_OK } from './guard.js';
import type { Io } from './io.js';

export const HTML_OPTION = { html: { type: 'string' } } as const;

export const HTML_HELP = `  --html OUT            also write a self-contained HTML report to OUT (charts,
                        membrane bars; opens offline, no script)
`;

/**
 * The absolute path of OUT, checked: not a Merg-E source (a forgotten OUT would take the program's
 * name and overwrite it), not standard output, in a folder that exists and can be written.
 */
export async function htmlTarget(command: string, out: string | undefined, io: Io): Promise<string | null> {
  if (out === undefined) return null;
  if (out === '-' || out === '') fail('MRG4002', `${command}: --html needs a file name to write the report to, got '${out}'`);
  if (/\.(merge|mrg|mrm)$/i.test(out)) fail('MRG4002', `${command}: --html ${out} would overwrite a Merg-E source; name the report file first: --html OUT.html FILE`);
  const path = resolve(io.cwd, out);
  const { checkReportPath } = await import('../report/write.js');
  checkReportPath(path, out);
  return path;
}

function done(io: Io, out: string, json: boolean): void {
  if (!json) io.err(`HTML report written to ${out}\n`);
}

export async function writeRunHtml(path: string, out: string, input: RunReportInput, io: Io, json: boolean): Promise<void> {
  const { runReportHtml, writeReport } = await import('../report/index.js');
  writeReport(path, await runReportHtml(input), out);
  done(io, out, json);
}

export async function writeCompareHtml(path: string, out: string, input: CompareReportInput, io: Io, json: boolean): Promise<void> {
  const { compareReportHtml, writeReport } = await import('../report/index.js');
  writeReport(path, await compareReportHtml(input), out);
  done(io, out, json);
}

/**
 * With --json the one document is already out when the report is written: a failed write is told on
 * stderr only (exit 1), so stdout still holds exactly one JSON document.
 */
export async function jsonThenReport(status: number, report: () => Promise<void>, io: Io): Promise<number> {
  try {
    await report();
    return status;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    io.err(formatDiagnostic(e.diagnostic, { color: io.colorErr }) + '\n');
    return status === EXIT_OK ? EXIT_ERROR : status;
  }
}
