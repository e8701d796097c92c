// The one way this project reads a file it did not just write: bounded and never blocking. A path may
// name anything — a FIFO (open() blocks until a writer comes, whatever --timeout says), a device
// (/dev/zero never ends), a symbolic link to either, or a file far larger than anything we parse —
// so only regular files are read, and at most `max` bytes of them. Sources, modules, profiles,
// baskets, counts, machine specs, caches and memo entries all come through here.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** The most a project JSON file (profile, basket, counts, machine spec, cache) may hold. */
export const MAX_JSON_BYTES = 4 * 2 ** 20;

/** `O_NONBLOCK` where the platform has it: opening a FIFO then returns at once instead of waiting. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * A refused read, shaped like Node's fs errors (a `code`) so callers can tell them apart:
 * `EFBIG` larger than the limit, `EISDIR` a folder, `ENOTREG` a FIFO, device or socket, `ENOTTEXT`
 * a source that is not UTF-8 text (src/source-file.ts).
 */
export class FileReadError extends Error {
  constructor(
    readonly code: 'EFBIG' | 'EISDIR' | 'ENOTREG' | 'ENOTTEXT',
    /** Why, without the path: `it is a FIFO (named pipe), not a regular file`. */
    readonly why: string,
    path: string,
  ) {
    super(`${path}: ${why}`);
  }
}

/** What a non-regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

function refuseNonRegular(st: Stats, path: string): void {
  if (st.isDirectory()) throw new FileReadError('EISDIR', 'it is a directory', path);
  if (!st.isFile()) throw new FileReadError('ENOTREG', `it is ${kindOf(st)}, not a regular file`, path);
}

function tooBig(path: string, max: number): FileReadError {
  return new FileReadError('EFBIG', `it is larger than ${formatLimit(max)}`, path);
}

/** `16 MiB`, `4 KiB`, `100 bytes`. */
export function formatLimit(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 2 ** 10 && bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10} KiB`;
  return `${bytes} bytes`;
}

/**
 * The file's bytes. Throws FileReadError for a folder, a non-regular file (checked before opening,
 * and again on the open descriptor, so a file swapped for a FIFO in between is still refused) and a
 * file longer than `max` bytes (checked by size first, and while reading: /proc files say 0);
 * other failures are Node's fs errors (ENOENT, EACCES, …).
 */
export function readFileBytes(path: string, max: number): Buffer {
  refuseNonRegular(statSync(path), path);
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    refuseNonRegular(st, path);
    if (st.size > max) throw tooBig(path, max);
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(Math.min(1 << 20, max + 1));
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > max) throw tooBig(path, max);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * The first `head` bytes of a file of at most `max` bytes, and its size (what readFileBytes
 * refuses, this refuses too): a reader that only needs a header does not read the rest.
 */
export function readFileHead(path: string, max: number, head: number): { bytes: Buffer; size: number } {
  refuseNonRegular(statSync(path), path);
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    refuseNonRegular(st, path);
    if (st.size > max) throw tooBig(path, max);
    const want = Math.min(head, st.size);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: buf.subarray(0, got), size: st.size };
  } finally {
    closeSync(fd);
  }
}

/** The file's text as UTF-8 (see readFileBytes for what is refused). */
export function readTextFile(path: string, max: number): string {
  return readFileBytes(path, max).toString('utf8');
}

/** Why a read failed, in words fit for a diagnostic: `no such file`, `it is a FIFO …`, `EACCES`. */
export function readFailure(e: unknown): string {
  if (e instanceof FileReadError) return e.why;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a folder on its path is a file';
  return code ?? (e as Error).message;
}
