// A program named on the command line: a file, or `-` for standard input (as in cat and tsc).
import { dirname, resolve } from 'node:path';

import { fail, MergeError } from '../diagnostics.js';
import { decodeSource, MAX_SOURCE_BYTES, readSourceText, unreadable } from '../source-file.js';
import type { Io } from './io.js';

/** How standard input is named in messages and reports. */
export const STDIN_NAME = '<stdin>';

export interface ProgramText {
  /** The name shown in diagnostics: the argument as given, or `<stdin>`. */
  file: string;
  source: string;
  /** Where its modules (.mrm) are looked up: the file's folder, or the current folder for stdin. */
  dir: string;
  /** The absolute path, or null for stdin. */
  path: string | null;
}

/** At most one `-` among a command's files: standard input can be read once. */
export function checkOneStdin(program: string, files: readonly string[]): void {
  if (files.filter((f) => f === '-').length > 1) fail('MRG4002', `${program}: '-' (standard input) is named more than once`);
}

/** Reads the program `arg` (a path, or `-`); an unreadable one is MRG4001 naming it (exit 2). */
export async function readProgram(arg: string, io: Io): Promise<ProgramText> {
  if (arg === '-') {
    try {
      return { file: STDIN_NAME, source: decodeSource(await io.readStdin(MAX_SOURCE_BYTES)), dir: io.cwd, path: null };
    } catch (e) {
      throw new MergeError(unreadable(STDIN_NAME, e));
    }
  }
  const path = resolve(io.cwd, arg);
  try {
    return { file: arg, source: readSourceText(path), dir: dirname(path), path };
  } catch (e) {
    throw new MergeError(unreadable(arg, e));
  }
}
