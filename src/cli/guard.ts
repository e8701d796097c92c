// The one place where a thrown value becomes an exit status: a MergeError prints its diagnostic,
// anything else is an internal error reported as such (never a raw stack trace).
import { CODES, diagnosticJson, formatDiagnostic, MergeError, diagnostic, type Code, type Diagnostic } from '../diagnostics.js';
import type { Command, Io } from './io.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** The exit statuses, as every command's --help lists them. */
export const EXIT_STATUS_HELP = `exit status:
  0   success
  1   the program failed, or a file has errors
  2   bad usage, or an input that cannot be read (a missing file, an unknown
      profile or basket)
  70  internal error (a bug in merg-e-sim; please report it)
`;

/** Codes that mean "the command could not start on what it was given": exit 2. */
const USAGE_CODES: ReadonlySet<Code> = new Set<Code>(['MRG4001', 'MRG4002', 'MRG4011', 'MRG4021', 'MRG4035', 'MRG4090']);

/** The exit status of a refused command. */
export function exitStatusOf(code: Code): number {
  return USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_ERROR;
}

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
  return JSON.stringify({ ok: false, error: diagnosticJson(d) }) + '\n';
}

export async function guard(command: Command, argv: string[], io: Io): Promise<number> {
  try {
    return await command(argv, io);
  } catch (e) {
    let d: Diagnostic;
    let status: number;
    if (e instanceof MergeError) {
      d = e.diagnostic;
      status = exitStatusOf(e.code);
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
