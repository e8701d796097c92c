// The user's folders (cache, config) per platform, and the one atomic-write helper.
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { writeFileAtomic } from '../src/atomic-write.js';
import { compileCacheDir, defaultMemoDir, machineCacheDir, userCacheDir, userConfigDir, userProfilesDir } from '../src/user-folders.js';

describe('user folders', () => {
  it('follow XDG on Linux, with the defaults XDG names', () => {
    expect(userCacheDir({}, 'linux')).toBe(join(homedir(), '.cache', 'merg-e'));
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux')).toBe('/x/cache/merg-e');
    expect(userConfigDir({}, 'linux')).toBe(join(homedir(), '.config', 'merg-e'));
    expect(userConfigDir({ XDG_CONFIG_HOME: '/x/config' }, 'linux')).toBe('/x/config/merg-e');
    expect(userCacheDir({ XDG_CACHE_HOME: '' }, 'freebsd')).toBe(join(homedir(), '.cache', 'merg-e'));
  });

  it("use the platform's folders on macOS and Windows", () => {
    expect(userCacheDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Caches', 'merg-e'));
    expect(userConfigDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'merg-e'));
    expect(userCacheDir({ LOCALAPPDATA: '/l' }, 'win32')).toBe(join('/l', 'merg-e', 'Cache'));
    expect(userConfigDir({ APPDATA: '/r' }, 'win32')).toBe(join('/r', 'merg-e'));
  });

  it('MERG_E_CACHE_DIR and MERG_E_CONFIG_DIR override every platform (relative paths made absolute)', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) {
      expect(userCacheDir({ MERG_E_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, p)).toBe('/c');
      expect(userConfigDir({ MERG_E_CONFIG_DIR: '/k' }, p)).toBe('/k');
    }
    expect(userCacheDir({ MERG_E_CACHE_DIR: 'rel' }, 'linux')).toBe(join(process.cwd(), 'rel'));
  });

  it('the machine, the memo store and the compile cache live in the cache folder; profiles in the config folder', () => {
    const env = { MERG_E_CACHE_DIR: '/c', MERG_E_CONFIG_DIR: '/k' };
    expect(machineCacheDir(env)).toBe('/c');
    expect(defaultMemoDir(env)).toBe('/c/memo');
    expect(compileCacheDir(env)).toBe('/c/compile');
    expect(userProfilesDir(env)).toBe('/k/runtimes');
  });
});

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'merg-e-atomic-'));

  it('writes the whole file and leaves no temporary file', () => {
    const file = join(dir, 'a.json');
    writeFileAtomic(file, '{"a":1}\n');
    writeFileAtomic(file, Buffer.from('{"a":2}\n'));
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('creates the folder on request only', () => {
    const nested = join(dir, 'x', 'y', 'b.json');
    expect(() => writeFileAtomic(nested, 'b')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    writeFileAtomic(nested, 'b', { mkdir: true });
    expect(readFileSync(nested, 'utf8')).toBe('b');
  });

  it('a failed write leaves the old file exactly as it was, and no temporary file', () => {
    if (process.platform === 'win32' || process.getuid?.() === 0) return; // root writes anywhere
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    writeFileSync(join(ro, 'keep.json'), 'old');
    chmodSync(ro, 0o555);
    try {
      expect(() => writeFileAtomic(join(ro, 'keep.json'), 'new')).toThrow(expect.objectContaining({ code: 'EACCES' }));
      expect(readFileSync(join(ro, 'keep.json'), 'utf8')).toBe('old');
      expect(readdirSync(ro)).toEqual(['keep.json']);
    } finally {
      chmodSync(ro, 0o755);
    }
  });

  it('a target that is a folder is refused without a trace', () => {
    mkdirSync(join(dir, 'isdir'));
    expect(() => writeFileAtomic(join(dir, 'isdir'), 'x')).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a folder that is a file is refused (ENOTDIR), nothing written', () => {
    writeFileSync(join(dir, 'plain'), 'p');
    expect(() => writeFileAtomic(join(dir, 'plain', 'c.json'), 'x')).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });
});
