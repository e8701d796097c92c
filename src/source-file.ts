// Reading a source file with a size limit: parsing takes about 80 bytes of memory per source byte,
// so a 50 MB file exhausts Node's heap (a fatal crash, not a diagnostic), and an endless one
// (/dev/zero) is read until the process dies. Past the limit the read stops and says why.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

import { diagnostic, type Diagnostic } from './diagnostics.js';

/** The most a .merge / .mrg / .mrm file may hold. */
export const MAX_SOURCE_BYTES = 16 * 2 ** 20;

/** An error whose `code` is EFBIG: the file is longer than `max` bytes. */
function tooBig(path: string, max: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path} is larger than ${max / 2 ** 20} MiB`), { code: 'EFBIG' });
}

/** The file's text (UTF-8); throws fs errors as readFileSync does, and EFBIG past `max` bytes. */
export function readSourceText(path: string, max = MAX_SOURCE_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    if (st.isFile() && st.size > max) throw tooBig(path, max);
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > max) throw tooBig(path, max);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** MRG4001 for a source that could not be read, saying why (and, when it is too large, what to do). */
export function unreadable(shown: string, e: unknown): Diagnostic {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EFBIG') {
    const why = `it is larger than ${MAX_SOURCE_BYTES / 2 ** 20} MiB, the most a source file may hold`;
    return diagnostic('MRG4001', `cannot read '${shown}': ${why}`, undefined, 'Split the program: move functions into modules (.mrm files it merges).');
  }
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
  return diagnostic('MRG4001', `cannot read '${shown}': ${why}`);
}
