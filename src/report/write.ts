// Writing a report where the user asked (--html OUT): atomically (src/atomic-write.ts), so OUT is the
// old file or the whole new one, never half of one; a failure is MRG4080 saying what and why.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';

import { writeFileAtomic } from '../atomic-write.js';
import { fail, MergeError } from '../diagnostics.js';

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'its folder does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'the folder is not writable';
  if (code === 'ENOSPC') return 'the disk is full';
  return code ?? (e as Error).message;
}

/**
 * Refuses (MRG4080) a report path that cannot be written: a missing or unwritable folder, or a
 * folder as OUT. Called before a command runs, so a long run is not wasted on an impossible write.
 */
export function checkReportPath(path: string, shown = path): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // Not there yet: the usual case.
  }
  if (isDir) fail('MRG4080', `cannot write the HTML report ${shown}: it is a folder`);
  try {
    if (!statSync(dirname(path)).isDirectory()) fail('MRG4080', `cannot write the HTML report ${shown}: its folder is a file`);
    accessSync(dirname(path), constants.W_OK);
  } catch (e) {
    if (e instanceof MergeError) throw e;
    fail('MRG4080', `cannot write the HTML report ${shown}: ${why(e)}`);
  }
}

/** Writes the page to `path` (`shown` names it in messages); MRG4080 when it cannot. */
export function writeReport(path: string, html: string, shown = path): void {
  try {
    writeFileAtomic(path, html);
  } catch (e) {
    fail('MRG4080', `cannot write the HTML report ${shown}: ${why(e)}`);
  }
}
