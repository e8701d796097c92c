// The one place where a thrown value becomes an exit status: a MergeError prints its diagnostic,
// anything else is an internal error reported as such (never a raw stack trace).
import { CODES, diagnosticJson, formatDiagnostic, MergeError, diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Command, Io } from './io.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** `--json` among the options (before a `--`): the caller reads stdout as one JSON document. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * With --json, a command that fails before it could print its own document still prints one:
 * `{"ok":false,"error":{"code","severity","message","file","line","column","endLine","endColumn","hint"}}`.
 */
export function errorDocument(d: Diagnostic): string {
  const { code, severity, message, ...at } = diagnosticJson(d);
  return JSON.stringify({ ok: false, error: { code, severity, message, file: d.span?.file ?? null, ...at, hint: d.hint ?? CODES[d.code].hint } }) + '\n';
}

export async function guard(command: Command, argv: string[], io: Io): Promise<number> {
  try {
    return await command(argv, io);
  } catch (e) {
    let d: Diagnostic;
    let status: number;
    if (e instanceof MergeError) {
      d = e.diagnostic;
      status = e.code === 'MRG4002' ? EXIT_USAGE : EXIT_ERROR;
    } else {
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      d = diagnostic('MRG3099', `internal error: ${what}`, undefined, CODES.MRG3099.hint);
      status = EXIT_INTERNAL;
      if (process.env['MERGE_DEBUG']) io.err(String(e instanceof Error ? e.stack : e) + '\n');
    }
    io.err(formatDiagnostic(d, { color: io.colorErr }) + '\n');
    if (wantsJson(argv)) io.out(errorDocument(d));
    return status;
  }
}
