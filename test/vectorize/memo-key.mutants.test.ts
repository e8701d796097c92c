// The memo key (src/runtime/vectorize/memo/key.ts), each source on its own: MERG_E_MEMO_KEY, the file
// MERG_E_MEMO_KEY_FILE names, and memo.key in the cache folder made on first use — with every
// message in full, the 32-character minimum at its edge, and the file modes that warn and that do not.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadMemoKey, MEMO_KEY_FILE, MIN_KEY_CHARS } from '../../src/runtime/vectorize/memo/key.js';
import { thrown } from '../support/errors.js';
import { tempDir } from './helpers.js';

const root = tempDir('merg-e-key-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `d${n++}`);

const S32 = '0123456789abcdef0123456789abcdef'; // exactly 32 characters
const S31 = S32.slice(1);

describe('MERG_E_MEMO_KEY', () => {
  it('is the key itself, trimmed, from 32 characters on', () => {
    expect(MEMO_KEY_FILE).toBe('memo.key');
    expect(MIN_KEY_CHARS).toBe(32);
    const dir = fresh();
    const k = loadMemoKey(dir, { MERG_E_MEMO_KEY: `  ${S32}\n` });
    expect({ ...k, key: k.key.toString('utf8') }).toEqual({ key: S32, source: 'MERG_E_MEMO_KEY', created: false, warnings: [] });
    expect(existsSync(dir)).toBe(false); // nothing is written when the key is given
  });

  it('wins over MERG_E_MEMO_KEY_FILE', () => {
    const k = loadMemoKey(fresh(), { MERG_E_MEMO_KEY: S32, MERG_E_MEMO_KEY_FILE: join(root, 'no-such.key') });
    expect(k.source).toBe('MERG_E_MEMO_KEY');
  });

  it('of 31 characters (after trimming) is refused with MRG4035', () => {
    const e = thrown(() => loadMemoKey(fresh(), { MERG_E_MEMO_KEY: ` ${S31} ` }));
    expect(e.code).toBe('MRG4035');
    expect(e.message).toBe('the memo key in MERG_E_MEMO_KEY is too short (31 characters; at least 32)');
  });

  it('when empty counts as not set', () => {
    const file = join(root, `named${n++}.key`);
    writeFileSync(file, S32, { mode: 0o600 });
    expect(loadMemoKey(fresh(), { MERG_E_MEMO_KEY: '', MERG_E_MEMO_KEY_FILE: file }).source).toBe(file);
  });
});

describe('MERG_E_MEMO_KEY_FILE', () => {
  it('is read, trimmed, and not created', () => {
    const file = join(root, `named${n++}.key`);
    writeFileSync(file, `\n${S32}  \n`, { mode: 0o600 });
    const k = loadMemoKey(fresh(), { MERG_E_MEMO_KEY_FILE: file });
    expect({ ...k, key: k.key.toString('utf8') }).toEqual({ key: S32, source: file, created: false, warnings: [] });
  });

  it('when empty counts as not set: the cache folder’s key is used', () => {
    const dir = fresh();
    expect(loadMemoKey(dir, { MERG_E_MEMO_KEY_FILE: '' }).source).toBe(join(dir, MEMO_KEY_FILE));
  });

  it('that is missing is MRG4035 saying so', () => {
    const file = join(root, 'missing.key');
    const e = thrown(() => loadMemoKey(fresh(), { MERG_E_MEMO_KEY_FILE: file }));
    expect(e.code).toBe('MRG4035');
    expect(e.message).toBe(`cannot read the memo key file ${file}: no such file`);
  });

  it('holding a short key is MRG4035 naming the file', () => {
    const file = join(root, `short${n++}.key`);
    writeFileSync(file, `${S31}\n`, { mode: 0o600 });
    const e = thrown(() => loadMemoKey(fresh(), { MERG_E_MEMO_KEY_FILE: file }));
    expect(e.code).toBe('MRG4035');
    expect(e.message).toBe(`the memo key in ${file} is too short (31 characters; at least 32)`);
  });

  it.each([
    [0o640, '640'],
    [0o604, '604'],
    [0o610, '610'],
  ])('readable or usable by others (mode %o) gives the MRG4036 warning in full', (mode, shown) => {
    const file = join(root, `open${n++}.key`);
    writeFileSync(file, S32);
    chmodSync(file, mode);
    expect(loadMemoKey(fresh(), { MERG_E_MEMO_KEY_FILE: file }).warnings).toEqual([
      {
        code: 'MRG4036',
        severity: 'warning',
        message: `the memo key file ${file} can be read by other users (mode ${shown}): they can sign memo entries that every run trusts`,
        hint: `Run 'chmod 600 ${file}'.`,
      },
    ]);
  });

  it.each([[0o600], [0o400], [0o700]])('of its owner only (mode %o) gives no warning', (mode) => {
    const file = join(root, `own${n++}.key`);
    writeFileSync(file, S32);
    chmodSync(file, mode);
    expect(loadMemoKey(fresh(), { MERG_E_MEMO_KEY_FILE: file }).warnings).toEqual([]);
  });
});

describe('memo.key in the cache folder', () => {
  it('is made on first use: a new folder of mode 700, a file of mode 600 holding 32 random bytes as hex, no temporary file left', () => {
    const dir = join(fresh(), 'cache');
    const k = loadMemoKey(dir, {});
    const file = join(dir, MEMO_KEY_FILE);
    expect([k.source, k.created, k.warnings]).toEqual([file, true, []]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(k.key.toString('utf8')).toBe(text.trim());
    expect(readdirSync(dir)).toEqual([MEMO_KEY_FILE]);
  });

  it('that exists is read and never replaced', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, MEMO_KEY_FILE), `${S32}\n`, { mode: 0o600 });
    const k = loadMemoKey(dir, {});
    expect([k.key.toString('utf8'), k.created]).toEqual([S32, false]);
    expect(readFileSync(join(dir, MEMO_KEY_FILE), 'utf8')).toBe(`${S32}\n`);
  });

  it('a dangling link where the key should be is not replaced: the link stays and the key cannot be read (MRG4035)', () => {
    const dir = fresh();
    mkdirSync(dir);
    const file = join(dir, MEMO_KEY_FILE);
    symlinkSync(join(dir, 'gone.key'), file);
    const e = thrown(() => loadMemoKey(dir, {}));
    expect([e.code, e.message]).toEqual(['MRG4035', `cannot read the memo key file ${file}: no such file`]);
    expect(readlinkSync(file)).toBe(join(dir, 'gone.key'));
    expect(readdirSync(dir)).toEqual([MEMO_KEY_FILE]);
  });

  it('that cannot be made is MRG4036 naming the key’s path', () => {
    const blocker = join(root, `file${n++}`);
    writeFileSync(blocker, '');
    const dir = join(blocker, 'cache');
    const e = thrown(() => loadMemoKey(dir, {}));
    expect(e.code).toBe('MRG4036');
    expect(e.message.startsWith(`cannot create the memo key ${join(dir, MEMO_KEY_FILE)}: ENOTDIR`)).toBe(true);
  });
});
