// Loading modules at run time (modules.ts), with the static checks off (`check: false`) so the
// interpreter's own loader speaks: a module file beside the program is read, a missing one and one
// that cannot be read (a folder named NAME.mrm) are MRG3008 with their reason, a source path whose
// module part is not a name is MRG3008, a module that does not parse gives its first error (not a
// warning before it) at its own file, line and column, a module with a statement other than
// functions and inert declarations is MRG1014, and of two functions of the same name the first is
// the one merged.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { folderModules } from '../../src/runtime/modules.js';
import { runProgram } from '../../src/runtime/run.js';
import { err, NO_CHECK, out } from './helpers.js';

const G = 'merge m.f as g()::{ cout; endl; }{};\ng();\n';
const where = (e: ReturnType<typeof err>) => [e.name, e.code, e.message, e.file, e.line, e.column];

describe('modules in the folder beside the program', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'merg-e-modules-'));
    writeFileSync(join(dir, 'm.mrm'), 'function f()::{ cout; endl; }{ cout "from disk" endl; };\n');
    mkdirSync(join(dir, 'sub.mrm'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const runIn = (source: string) => runProgram({ file: join(dir, 'main.merge'), source }, NO_CHECK);

  it('reads NAME.mrm; a missing one is no module, and one that cannot be read says why', () => {
    const mods = folderModules(dir);
    expect(mods.read('m')).toEqual({ file: join(dir, 'm.mrm'), source: 'function f()::{ cout; endl; }{ cout "from disk" endl; };\n' });
    expect(mods.read('nope')).toBeNull();
    expect(mods.read('sub')).toEqual({ file: join(dir, 'sub.mrm'), failure: 'it is a directory' });
  });

  it('a run merges from it, and says MRG3008 for a missing module and for a folder in its place', () => {
    const ok = runIn(G);
    expect([ok.error, ok.stdout]).toEqual([null, 'from disk\n']);
    const missing = runIn(G.replace('m.f', 'nope.f')).error;
    expect([missing?.name, missing?.code, missing?.message, missing?.line, missing?.column]).toEqual([
      'io_error',
      'MRG3008',
      "cannot read module 'nope' (nope.mrm beside the program)",
      1,
      1,
    ]);
    const folder = runIn(G.replace('m.f', 'sub.f')).error;
    expect([folder?.name, folder?.code, folder?.message, folder?.line, folder?.column]).toEqual([
      'io_error',
      'MRG3008',
      "cannot read module 'sub' (sub.mrm beside the program): it is a directory",
      1,
      1,
    ]);
  });
});

describe('modules handed in', () => {
  it('a source path whose module part is not a name is MRG3008', () => {
    const e = err('merge a.b.f as g()::{}{};\n', { ...NO_CHECK, mods: { 'a.b': 'function f()::{}{};\n' } });
    expect(where(e)).toEqual(['io_error', 'MRG3008', "'a.b' is not a module name: modules are files NAME.mrm in the program's folder", 'test.merge', 1, 1]);
  });

  it('a module that does not parse is its first error, not the missing-; warning on the line before', () => {
    const m = 'function f()::{ cout; endl; }{ cout "one" endl; }\nfunction f(::{}{};\n';
    expect(where(err(G, { ...NO_CHECK, mods: { m } }))).toEqual(['syntax_error', 'MRG1010', "expected ')', found '::'", 'm.mrm', 2, 12]);
  });

  it('a module with a statement that is not a function or an inert declaration is MRG1014', () => {
    const m = 'mutable int k = 1;\nfunction f()::{ cout; endl; }{ cout "one" endl; };\n';
    expect(where(err(G, { ...NO_CHECK, mods: { m } }))).toEqual([
      'syntax_error',
      'MRG1014',
      'a module holds functions and inert declarations only',
      'm.mrm',
      1,
      1,
    ]);
  });

  it('of two functions with one name, the first is merged', () => {
    const m = 'function f()::{ cout; endl; }{ cout "first" endl; };\nfunction f()::{ cout; endl; }{ cout "second" endl; };\n';
    expect(out(G, { ...NO_CHECK, mods: { m } })).toBe('first\n');
    expect(out(G, { mods: { m } })).toBe('first\n');
  });
});
