// The key memo entries are signed with (HMAC-SHA256). Whoever holds it can publish results every
// reader trusts; whoever does not cannot. It is, in order: $MERG_E_MEMO_KEY (the secret itself), the
// file $MERG_E_MEMO_KEY_FILE, or `memo.key` in the user's cache folder, created on first use (32
// random bytes as hex, mode 0600). Machines that share a store share the key (copy the file, or set
// the variable on each).
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { diagnostic, fail, type Diagnostic } from '../../../diagnostics.js';
import { readFailure, readTextFile } from '../../../read-file.js';

export const MEMO_KEY_FILE = 'memo.key';
/** Shorter secrets are refused: 32 characters (e.g. 16 random bytes as hex) or more. */
export const MIN_KEY_CHARS = 32;
const MAX_KEY_FILE_BYTES = 4096;

export interface MemoKey {
  readonly key: Buffer;
  /** Where it came from, for reports: `MERG_E_MEMO_KEY` or the file's path. */
  readonly source: string;
  /** Created by this call (first use). */
  readonly created: boolean;
  /** A key file others can read: they could sign entries too. */
  readonly warnings: readonly Diagnostic[];
}

function secret(text: string, from: string): Buffer {
  const s = text.trim();
  if (s.length < MIN_KEY_CHARS) fail('MRG4035', `the memo key in ${from} is too short (${s.length} characters; at least ${MIN_KEY_CHARS})`);
  return Buffer.from(s, 'utf8');
}

function readKeyFile(path: string, created: boolean): MemoKey {
  let text: string;
  let mode = 0;
  try {
    text = readTextFile(path, MAX_KEY_FILE_BYTES);
    mode = statSync(path).mode;
  } catch (e) {
    return fail('MRG4035', `cannot read the memo key file ${path}: ${readFailure(e)}`);
  }
  const warnings = (mode & 0o077) !== 0 && process.platform !== 'win32'
    ? [diagnostic('MRG4036', `the memo key file ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}): they can sign memo entries that every run trusts`, undefined, `Run 'chmod 600 ${path}'.`)]
    : [];
  return { key: secret(text, path), source: path, created, warnings };
}

/** Creates `path` with a new random key unless it exists; never replaces one (two first uses agree). */
function createKeyFile(path: string): boolean {
  if (existsSync(path)) return false;
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path); // atomic, and fails if another process created it first
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * The memo key. Throws MRG4035 for a key the user named that cannot be used, and MRG4036 (a warning's
 * code, as a MergeError) when the default key cannot be created: the caller then runs without a store.
 */
export function loadMemoKey(cacheDir: string, env: NodeJS.ProcessEnv = process.env): MemoKey {
  const inline = env['MERG_E_MEMO_KEY'];
  if (inline !== undefined && inline !== '') return { key: secret(inline, 'MERG_E_MEMO_KEY'), source: 'MERG_E_MEMO_KEY', created: false, warnings: [] };
  const named = env['MERG_E_MEMO_KEY_FILE'];
  if (named !== undefined && named !== '') return readKeyFile(named, false);
  const path = join(cacheDir, MEMO_KEY_FILE);
  let created = false;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    created = createKeyFile(path);
  } catch (e) {
    return fail('MRG4036', `cannot create the memo key ${path}: ${(e as Error).message}`);
  }
  return readKeyFile(path, created);
}
