// Reading a source file with a size limit: parsing takes about 80 bytes of memory per source byte,
// so a 50 MB file exhausts Node's heap (a fatal crash, not a diagnostic). The bounded, non-blocking
// read itself is src/read-file.ts (a FIFO or a device is refused before anything is read).
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { FileReadError, readFailure, readFileBytes } from './read-file.js';

/** The most a .merge / .mrg / .mrm file may hold. */
export const MAX_SOURCE_BYTES = 16 * 2 ** 20;

/** A source's bytes as text (UTF-8): the one decoding for files and standard input alike. */
export function decodeSource(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/** The file's text (UTF-8); throws fs errors as readFileSync does, and FileReadError (EFBIG, ENOTREG, EISDIR). */
export function readSourceText(path: string, max = MAX_SOURCE_BYTES): string {
  return decodeSource(readFileBytes(path, max));
}

/** MRG4001 for a source that could not be read, saying why (and, when it is too large, what to do). */
export function unreadable(shown: string, e: unknown): Diagnostic {
  // FileReadError from a file, or the same code from standard input (src/cli/io.ts).
  if ((e as FileReadError | NodeJS.ErrnoException).code === 'EFBIG') {
    const why = `it is larger than ${MAX_SOURCE_BYTES / 2 ** 20} MiB, the most a source file may hold`;
    return { ...diagnostic('MRG4001', `cannot read '${shown}': ${why}`, undefined, 'Split the program: move functions into modules (.mrm files it merges).'), file: shown };
  }
  return { ...diagnostic('MRG4001', `cannot read '${shown}': ${readFailure(e)}`), file: shown };
}
