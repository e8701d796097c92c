// Mutation survivors of src/runtime/profiles.ts: the catalog's order, files and shadow flags, and
// the MRG4011 text that lists every name (the user's marked "(yours)").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { defaultRuntimesDir } from '../../src/model/index.js';
import { profileCatalog, profileFile } from '../../src/runtime/profiles.js';
import { thrown } from '../support/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A user profile folder holding empty `.json` files of these names (the catalog never reads them). */
function userDir(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'merg-e-profiles-'));
  dirs.push(dir);
  for (const n of names) writeFileSync(join(dir, `${n}.json`), '{}');
  return dir;
}

const shipped = defaultRuntimesDir();

describe('profileCatalog', () => {
  it('lists shipped profiles with their .json file, none shadowing', () => {
    const cat = profileCatalog(join(tmpdir(), 'merg-e-no-such-folder-xyz'));
    expect(cat).toEqual([
      { name: 'cpython-dev', file: join(shipped, 'cpython-dev.json'), origin: 'shipped', shadows: false },
      { name: 'jvm', file: join(shipped, 'jvm.json'), origin: 'shipped', shadows: false },
      { name: 'native-compact', file: join(shipped, 'native-compact.json'), origin: 'shipped', shadows: false },
      { name: 'v8-measured', file: join(shipped, 'v8-measured.json'), origin: 'shipped', shadows: false },
    ]);
  });

  it('sorts user profiles in among the shipped ones by name; a same-named one shadows', () => {
    const dir = userDir('zz-last', 'jvm', 'aa-first', 'mm-middle');
    const cat = profileCatalog(dir);
    expect(cat.map((e) => e.name)).toEqual(['aa-first', 'cpython-dev', 'jvm', 'mm-middle', 'native-compact', 'v8-measured', 'zz-last']);
    expect(cat.map((e) => e.origin)).toEqual(['user', 'shipped', 'user', 'user', 'shipped', 'shipped', 'user']);
    expect(cat.map((e) => e.shadows)).toEqual([false, false, true, false, false, false, false]);
    expect(cat[2]!.file).toBe(join(dir, 'jvm.json'));
    expect(cat[0]!.file).toBe(join(dir, 'aa-first.json'));
  });

  it('sorts a catalog whose user names all come before the shipped ones', () => {
    const cat = profileCatalog(userDir('b', 'a'));
    expect(cat.map((e) => e.name)).toEqual(['a', 'b', 'cpython-dev', 'jvm', 'native-compact', 'v8-measured']);
  });
});

describe('profileFile', () => {
  it('names every profile, marking the user\'s, when the name is unknown', () => {
    const cat = profileCatalog(userDir('mine', 'jvm'));
    const e = thrown(() => profileFile('nope', '/x', cat));
    expect(e.code).toBe('MRG4011');
    expect(e.diagnostic.message).toBe("no runtime profile named 'nope' (have: cpython-dev, jvm (yours), mine (yours), native-compact, v8-measured)");
    expect(e.diagnostic.hint).toContain(`The shipped profiles are in ${shipped}, yours in `);
    expect(e.diagnostic.hint).toContain('or name a profile file (a path ending in .json).');
  });

  it('says "none" when the catalog is empty', () => {
    const e = thrown(() => profileFile('jvm', '/x', []));
    expect(e.diagnostic.message).toBe("no runtime profile named 'jvm' (have: none)");
  });

  it('returns the catalog entry\'s file, or a path resolved against cwd', () => {
    const dir = userDir('jvm');
    expect(profileFile('jvm', '/x', profileCatalog(dir))).toBe(join(dir, 'jvm.json'));
    expect(profileFile('p/my.json', '/x')).toBe(join('/x', 'p/my.json'));
  });
});
