// The one way the project writes a file: to a temporary file in the same folder, flushed to disk
// (fsync), then renamed over the target. A reader sees the old file or the new one, never half of
// one, and a failed write (full disk, a crash) leaves the old file as it was.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of a new file (default 0o644, less the umask). */
  mode?: number;
  /** Create the folder (and its parents) when it does not exist. */
  mkdir?: boolean;
}

/** Flushes a folder's entry list, so the rename survives a power cut (not possible on Windows). */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a folder; the rename itself has happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `data` to `path` atomically. Throws the file system's error (with its `code`) when it
 * cannot; the caller turns that into its coded diagnostic. The temporary file never outlives a call.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  if (opts.mkdir) mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      rmSync(tmp, { force: true });
    } catch {
      // No temporary file could be made (the folder is missing or is a file): nothing to remove.
    }
    throw e;
  }
  syncFolder(dir);
}
