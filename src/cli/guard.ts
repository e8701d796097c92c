// The one place where a thrown value becomes an exit status: a MergeError prints its diagnostic,
// anything else is an internal error reported as such (never a raw stack trace).
import { CODES, formatDiagnostic, MergeError, diagnostic } from '../diagnostics.js';
import type { Command, Io } from './io.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export async function guard(command: Command, argv: string[], io: Io): Promise<number> {
  try {
    return await command(argv, io);
  } catch (e) {
    if (e instanceof MergeError) {
      io.err(formatDiagnostic(e.diagnostic, { color: io.colorErr }) + '\n');
      return e.code === 'MRG4002' ? EXIT_USAGE : EXIT_ERROR;
    }
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const d = diagnostic('MRG3099', `internal error: ${what}`, undefined, CODES.MRG3099.hint);
    io.err(formatDiagnostic(d, { color: io.colorErr }) + '\n');
    if (process.env['MERGE_DEBUG']) io.err(String(e instanceof Error ? e.stack : e) + '\n');
    return EXIT_INTERNAL;
  }
}
