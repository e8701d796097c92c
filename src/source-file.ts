// Reading and decoding a source file. The size limit keeps parsing within Node's heap (a 50 MB file
// exhausted it: a fatal crash, not a diagnostic); the bounded, non-blocking read itself is
// src/read-file.ts (a FIFO or a device is refused before anything is read).
//
// Decoding (README, "Files"): sources are UTF-8. A file that is clearly not UTF-8 text — a NUL byte,
// a UTF-16/UTF-32 byte-order mark, or mostly invalid bytes — is refused as a whole (MRG4001, with the
// byte offset), since lexing it would only bury the one real problem under thousands of errors.
// Scattered invalid bytes in an otherwise UTF-8 file are kept, one character each, as lone surrogates
// U+DC80–U+DCFF (Python's "surrogateescape"): no valid UTF-8 decodes to one, so the parser can report
// each place (the MRG1022 warning, src/ast/decoding.ts) and then reads it as U+FFFD. Every way a
// source arrives (a file, a module, standard input) goes through decodeSource.
import { isUtf8 } from 'node:buffer';

import { diagnostic, type Diagnostic } from './diagnostics.js';
import { FileReadError, readFailure, readFileBytes } from './read-file.js';

/** The most a .merge / .mrg / .mrm file may hold. */
export const MAX_SOURCE_BYTES = 16 * 2 ** 20;

/** A file with more invalid bytes than one in this many (and at least MIN_BINARY_BYTES) is not text. */
const BINARY_SHARE = 8;
const MIN_BINARY_BYTES = 8;

/** The file's text (see decodeSource); throws fs errors as readFileSync does, and FileReadError (EFBIG, ENOTREG, EISDIR, ENOTTEXT). */
export function readSourceText(path: string, max = MAX_SOURCE_BYTES): string {
  return decodeSource(readFileBytes(path, max), path);
}

function notText(why: string, path: string): FileReadError {
  return new FileReadError('ENOTTEXT', `it is not UTF-8 text: ${why}`, path);
}

/** What a byte-order mark at the start says the file is, or null. */
function byteOrderMark(b: Uint8Array): string | null {
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 (big-endian byte-order mark 00 00 FE FF at byte 0)';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'UTF-32 (little-endian byte-order mark FF FE 00 00 at byte 0)';
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian byte-order mark FF FE at byte 0)';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian byte-order mark FE FF at byte 0)';
  return null;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * A source's bytes as text: the one decoding for files, modules and standard input. Valid UTF-8 is
 * decoded as is (a UTF-8 byte-order mark stays, and the lexer reads it as whitespace); each byte that
 * is not part of valid UTF-8 becomes the lone surrogate U+DC00 + byte. Throws FileReadError ENOTTEXT
 * (shown as MRG4001 by `unreadable`) for a file that is not UTF-8 text at all.
 */
export function decodeSource(bytes: Uint8Array, path = ''): string {
  const bom = byteOrderMark(bytes);
  if (bom !== null) throw notText(bom, path);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw notText(`it holds a NUL byte at byte offset ${nul} (UTF-16 text or a binary file)`, path);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer)) return buffer.toString('utf8');
  const parts: string[] = [];
  let invalid = 0;
  let first = -1;
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (start < i) parts.push(buffer.toString('utf8', start, i));
    parts.push(String.fromCharCode(0xdc00 + bytes[i]!));
    if (first < 0) first = i;
    invalid++;
    start = ++i;
  }
  if (invalid >= MIN_BINARY_BYTES && invalid * BINARY_SHARE > bytes.length) {
    throw notText(`${invalid} of its ${bytes.length} bytes are not UTF-8, the first at byte offset ${first} (a binary file, or text in another encoding)`, path);
  }
  if (start < bytes.length) parts.push(buffer.toString('utf8', start));
  return parts.join('');
}

/** MRG4001 for a source that could not be read, saying why (and, when it is too large or not text, what to do). */
export function unreadable(shown: string, e: unknown): Diagnostic {
  // FileReadError from a file, or the same code from standard input (src/cli/io.ts).
  if ((e as FileReadError | NodeJS.ErrnoException).code === 'EFBIG') {
    const why = `it is larger than ${MAX_SOURCE_BYTES / 2 ** 20} MiB, the most a source file may hold`;
    return { ...diagnostic('MRG4001', `cannot read '${shown}': ${why}`, undefined, 'Split the program: move functions into modules (.mrm files it merges).'), file: shown };
  }
  if (e instanceof FileReadError && e.code === 'ENOTTEXT') {
    return { ...diagnostic('MRG4001', `cannot read '${shown}': ${e.why}`, undefined, 'Merg-E sources are UTF-8 text: save the file as UTF-8 (without a UTF-16 byte-order mark), or name the right file.'), file: shown };
  }
  return { ...diagnostic('MRG4001', `cannot read '${shown}': ${readFailure(e)}`), file: shown };
}
