import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/ast/parse.js';
import type { Program } from '../../src/ast/types.js';
import { checkModule, checkProgram, checkSource } from '../../src/check/index.js';

function check(source: string, modules: Record<string, string> = {}) {
  const { program, diagnostics } = parseProgram(source, 'c.merge');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const lookup = (name: string): Program | null => (modules[name] === undefined ? null : parseProgram(modules[name] as string, `${name}.mrm`).program);
  return checkProgram(program, { modules: lookup }).map((d) => ({ code: d.code, line: d.span?.line, message: d.message }));
}

describe('MRG2001 undefined names', () => {
  it('reports a name used before or without its declaration, with its place', () => {
    expect(check('cout x endl;\ninert int x = 1;')).toEqual([{ code: 'MRG2001', line: 1, message: "'x' is not declared here" }]);
  });

  it('knows cout, cerr, endl and lang in a script, and scope', () => {
    expect(check('cout lang.version.major endl;\ncerr "e" endl;\nmutable function f()::{}{ return scope.exceptions; };')).toEqual([]);
  });

  it('a name declared in a block is not visible after it', () => {
    expect(check('while false { inert int y = 1; };\ncout y endl;').map((d) => d.code)).toEqual(['MRG2001']);
  });

  it('a merged callable sees only its blocks and its module\'s constants', () => {
    const mod = { m: 'inert int k = 2;\nfunction f(x int)::{ n; }{ n += x * k * outside; };' };
    const ds = check('shared mutable int n = 0;\ninert int outside = 1;\nmutable merge m.f as f(x int)::{ n; }{};', mod);
    expect(ds).toEqual([{ code: 'MRG2001', line: 2, message: "'outside' is not declared here" }]);
  });

  it('a merge that does not hand over what the module callable captures is reported', () => {
    const mod = { m: 'function f(x int)::{ n; }{ n += x; };' };
    expect(check('inert int q = 1;\nmutable merge m.f as f(x int)::{}{ q; };', mod).map((d) => d.code)).toEqual(['MRG2001']);
  });
});

describe('MRG2002 assignment to an inert name', () => {
  it('reports undecorated and inert declarations', () => {
    expect(check('int a = 1;\ninert int b = 1;\na = 2;\nb += 1;').map((d) => [d.code, d.line])).toEqual([
      ['MRG2002', 3],
      ['MRG2002', 4],
    ]);
  });

  it('reports parameters, captured constants and frozen names', () => {
    const src = 'mutable int x = 1;\nfreeze x;\nx = 2;\ninert function f(p int)::{}{ p = 1; };';
    expect(check(src).map((d) => [d.code, d.line])).toEqual([
      ['MRG2002', 3],
      ['MRG2002', 4],
    ]);
    const mod = { m: 'function f()::{}{ k = 2; };' };
    expect(check('mutable int k = 1;\nmutable merge m.f as f()::{}{ k; };', mod).map((d) => d.code)).toEqual(['MRG2002']);
  });

  it('mutable names may change', () => {
    expect(check('mutable int a = 1;\na = 2;\na += 3;')).toEqual([]);
  });
});

describe('MRG2003 use after a visible move', () => {
  it('reports use after ent of a mutable name', () => {
    expect(check('mutable dag d;\nmutable int x = 1;\nent d x as X;\ncout x endl;')).toEqual([{ code: 'MRG2003', line: 4, message: "'x' was moved at line 3 and cannot be used any more" }]);
  });

  it('reports use after a capture moved it', () => {
    expect(check('mutable int x = 1;\nmutable function f()::{ x; }{ x += 1; };\nx = 2;').map((d) => [d.code, d.line])).toEqual([['MRG2003', 3]]);
  });

  it('does not report shared or inert values, or moves that may not have happened', () => {
    expect(check('shared mutable int x = 1;\nmutable function f()::{ x; }{ x += 1; };\nx = 2;')).toEqual([]);
    expect(check('inert int x = 1;\nmutable dag d;\nent d x as X;\ncout x endl;')).toEqual([]);
    expect(check('mutable dag d;\nmutable int x = 1;\nif false { ent d x as X; };\ncout x endl;')).toEqual([]);
  });
});

describe('MRG2004 wrong number of arguments', () => {
  it('reports calls, call statements, commands and blocker registrations', () => {
    const src = 'inert function f(a int, b int)::{}{ return a; };\ncout f(1) endl;\nf(1, 2, 3);\nf 1;\nmutable blocker bl;\nbl += f(1);';
    expect(check(src).map((d) => [d.code, d.line])).toEqual([
      ['MRG2004', 2],
      ['MRG2004', 3],
      ['MRG2004', 4],
      ['MRG2004', 6],
    ]);
  });

  it('reports a merge whose parameters disagree in number with the module', () => {
    const mod = { m: 'function f(x int, y int)::{}{ return x; };' };
    expect(check('mutable merge m.f as f(x int)::{}{};', mod).map((d) => d.code)).toEqual(['MRG2004']);
  });
});

describe('MRG2005 and MRG2006', () => {
  it('reports a duplicate declaration in one block', () => {
    expect(check('inert int a = 1;\ninert int a = 2;').map((d) => [d.code, d.line])).toEqual([['MRG2005', 2]]);
  });

  it('reports authority or mutable state reached without a capture', () => {
    const src = 'mutable int n = 0;\ninert function f()::{}{ cout "x" endl; return n; };';
    expect(check(src).map((d) => [d.code, d.line])).toEqual([
      ['MRG2006', 2],
      ['MRG2006', 2],
    ]);
  });

  it('reports app arguments the host does not hand out', () => {
    expect(check('app a lang ambient disk {\n};').map((d) => d.code)).toEqual(['MRG2006']);
  });

  it('accepts the primes app as written', () => {
    const { program } = parseProgram(require_('examples/primes.mrg'), 'examples/primes.mrg');
    const utils = parseProgram(require_('examples/utils.mrm'), 'examples/utils.mrm').program;
    expect(checkProgram(program, { modules: (n) => (n === 'utils' ? utils : null) })).toEqual([]);
  });
});

describe('checkSource (merg-e check)', () => {
  it('reads modules from the file\'s folder and checks a module for its shape only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-check-'));
    writeFileSync(join(dir, 'm.mrm'), 'function f(x int)::{ n; }{ n += x; };\nmutable int bad = 1;\n');
    const main = 'shared mutable int n = 0;\nmutable merge m.f as f(x int, y int)::{ n; }{};\n';
    expect(checkSource(main, join(dir, 'main.merge')).map((d) => d.code)).toEqual(['MRG2004']);
    expect(checkSource(require_(join(dir, 'm.mrm')), join(dir, 'm.mrm')).map((d) => [d.code, d.span?.line])).toEqual([['MRG1014', 2]]);
    expect(checkModule(parseProgram('function f()::{}{};', 'x.mrm').program)).toEqual([]);
  });
});

function require_(path: string): string {
  return readFileSync(path, 'utf8');
}

describe('an alias in a capture block', () => {
  it('an alias of a name captures that name: a later use of the name is MRG2003, also through an alias of the alias and one body down', () => {
    expect(check('mutable int n = 1;\nalias n as k;\nfunction f()::{ k; }{ k += 1; };\ncout n endl;')).toEqual([{ code: 'MRG2003', line: 4, message: "'n' was moved at line 3 and cannot be used any more" }]);
    expect(check('mutable int n = 1;\nalias n as k;\nalias k as j;\nfunction f()::{ j; }{ j += 1; };\ncout n endl;')).toEqual([{ code: 'MRG2003', line: 5, message: "'n' was moved at line 4 and cannot be used any more" }]);
    const nested = 'mutable int n = 1;\nalias n as k;\nfunction g()::{ k; cout; endl; }{\n  alias k as j;\n  function h()::{ j; }{ j += 1; };\n  cout k endl;\n};\ncout n endl;';
    expect(check(nested)).toEqual([
      { code: 'MRG2003', line: 6, message: "'k' was moved at line 5 and cannot be used any more" },
      { code: 'MRG2003', line: 8, message: "'n' was moved at line 3 and cannot be used any more" },
    ]);
  });

  it('an alias of a shared or inert name moves nothing; one of an alias of a place is MRG2001, naming what to capture', () => {
    expect(check('shared mutable int n = 1;\nalias n as k;\nfunction f()::{ k; }{ k += 1; };\ncout n endl;')).toEqual([]);
    expect(check('mutable dag d;\nmutable int d.x = 1;\nalias d.x as y;\nalias y as z;\nfunction f()::{ z; }{ };')).toEqual([
      { code: 'MRG2001', line: 5, message: "'z' is an alias of d.x, a place inside a DAG; capture d and reach the rest inside" },
    ]);
  });
});

describe('lang in a capture block', () => {
  it('lang and aliases of it are not captured (the run refuses them too); an alias of it is read in every scope', () => {
    expect(check('function f()::{ lang; }{ };')).toEqual([{ code: 'MRG2001', line: 1, message: "'lang' is the language, which every scope reads: it is not captured; leave it out of the capture block" }]);
    expect(check('alias lang as l;\nalias l as m;\nalias lang.version as ver;\nfunction g()::{ m; ver; }{ };')).toEqual([
      { code: 'MRG2001', line: 4, message: "'m' is an alias of lang, the language, which every scope reads: it is not captured; leave it out of the capture block" },
      { code: 'MRG2001', line: 4, message: "'ver' is an alias of lang.version, a part of the language, which every scope reads: it is not captured; leave it out of the capture block" },
    ]);
    expect(check('alias lang as l;\nalias lang.version as ver;\nfunction f()::{ cout; endl; }{ cout l.version.major ver.minor endl; };')).toEqual([]);
  });
});

describe('assignments and app arguments (round 11, behind check.ts survivors)', () => {
  const assignInFn = "'y' belongs to an enclosing scope; list it in this callable's capture block to change it";

  it('an assignment through a mutable alias of an enclosing body is MRG2006, as the run refuses it (the checks accepted it)', () => {
    expect(check('mutable int x = 1;\nalias x as y;\nmutable function f()::{}{ y = 2; };')).toEqual([{ code: 'MRG2006', line: 3, message: assignInFn }]);
    expect(check('mutable dag d;\nmutable int d.v = 1;\nalias d.v as y;\nmutable function f()::{}{ y = 2; };')).toEqual([{ code: 'MRG2006', line: 4, message: assignInFn }]);
    // In its own body the alias writes what it names; captured, it writes the captured name.
    expect(check('mutable int x = 1;\nalias x as y;\ny = 2;\nmutable dag d;\nmutable int d.v = 1;\nalias d.v as z;\nz = 3;')).toEqual([]);
    expect(check('mutable int x = 1;\nalias x as y;\nmutable function f()::{ y; }{ y = 2; };')).toEqual([]);
  });

  it('scope.NAME = … assigns NAME; scope itself is not a name; a path inside a DAG is left to the run', () => {
    expect(check('inert int x = 1;\nscope.x = 2;\nscope = 3;\ninert dag e;\ne.x = 1;\nscope.e.y = 2;')).toEqual([
      { code: 'MRG2002', line: 2, message: "'x' is inert and cannot be assigned" },
      { code: 'MRG2001', line: 3, message: "'scope' is not declared here" },
    ]);
  });

  it('an app argument the host does not hand out is refused with how to declare the app, and is an authority to the callables in it', () => {
    const { program } = parseProgram('app a lang foo {\n  function f()::{}{ inert int y = foo; };\n};', 'c.merge');
    expect(checkProgram(program, { modules: () => null }).map((d) => [d.code, d.span?.line, d.message, d.hint])).toEqual([
      ['MRG2006', 1, "the host hands an app only 'lang' and 'ambient', not 'foo'", 'Declare the app as `app NAME lang ambient { … };`.'],
      ['MRG2006', 2, "'foo' is authority in an enclosing scope; list it in this callable's capture block", undefined],
    ]);
  });
});
