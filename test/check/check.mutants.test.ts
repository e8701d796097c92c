// The checks' flags as they pass from a declaration to a capture, a callable's own name and a merge,
// each pinned by a program whose diagnostics differ when the flag is lost (written for the survivors
// of Stryker's check.ts run, round 11; TESTING.md › Survivors).
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import type { Program } from '../../src/ast/types.js';
import { checkProgram } from '../../src/check/index.js';

function check(source: string, modules?: Record<string, string>) {
  const { program, diagnostics } = parseProgram(source, 'c.merge');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const lookup = modules && ((name: string): Program | null => (modules[name] === undefined ? null : parseProgram(modules[name] as string, `${name}.mrm`).program));
  return checkProgram(program, lookup ? { modules: lookup } : {}).map((d) => [d.code, d.span?.line, d.message]);
}

const moved = (name: string, at: number, line: number) => ['MRG2003', line, `'${name}' was moved at line ${at} and cannot be used any more`];

describe('a callable\'s modifiers', () => {
  it('a mutable callable moves into the callable that captures it; a shared mutable or an inert one does not', () => {
    expect(check('mutable function g()::{}{};\nmutable function f()::{ g; }{ g(); };\ng();')).toEqual([moved('g', 2, 3)]);
    expect(check('shared mutable function g()::{}{};\nmutable function f()::{ g; }{ g(); };\ng();')).toEqual([]);
    expect(check('inert function g()::{}{};\nmutable function f()::{ g; }{ g(); };\ng();')).toEqual([]);
  });

  it('so does a merged one', () => {
    const m = { m: 'function g()::{}{};' };
    expect(check('mutable merge m.g as g()::{}{};\nmutable function f()::{ g; }{ g(); };\ng();', m)).toEqual([moved('g', 2, 3)]);
    expect(check('shared mutable merge m.g as g()::{}{};\nmutable function f()::{ g; }{ g(); };\ng();', m)).toEqual([]);
  });
});

describe('what a capture keeps of the captured name', () => {
  it('shared: capturing it again inside moves nothing', () => {
    expect(check('shared mutable int n = 0;\nmutable function f()::{ n; }{ mutable function g()::{ n; }{ n += 1; }; n += 1; };')).toEqual([]);
  });

  it('authority: a callable further in must capture it again', () => {
    expect(check('mutable function f()::{ cout; }{ inert function g()::{}{ cout "x" endl; }; };')).toEqual([
      ['MRG2006', 1, "'cout' is authority in an enclosing scope; list it in this callable's capture block"],
    ]);
  });

  it('arity: a captured callable and a callable\'s own name are called with their parameter counts', () => {
    expect(check('inert function g(a int)::{}{};\nmutable function f()::{ g; }{ g(1, 2); };')).toEqual([['MRG2004', 2, "'g' takes 1 argument, but 2 are given"]]);
    expect(check('inert function f(a int)::{}{ return f(1, 2); };')).toEqual([['MRG2004', 1, "'f' takes 1 argument, but 2 are given"]]);
  });

  it('a capture of an undeclared name is that one error, and the capture is inert in the body', () => {
    expect(check('mutable function f()::{ q; }{ q = 1; };')).toEqual([
      ['MRG2001', 1, "'q' is not declared here"],
      ['MRG2002', 1, "'q' is inert and cannot be assigned"],
    ]);
  });

  it('a constant block copies: the name stays usable', () => {
    const m = { m: 'function f()::{}{ return k; };' };
    expect(check('mutable int k = 1;\nmutable merge m.f as f()::{}{ k; };\nk = 2;', m)).toEqual([]);
  });
});

describe('names in expressions and commands', () => {
  it('an undeclared callee is MRG2001 once, in a call and as a command\'s head', () => {
    expect(check('cout nope(1) endl;\nnope 1;')).toEqual([
      ['MRG2001', 1, "'nope' is not declared here"],
      ['MRG2001', 2, "'nope' is not declared here"],
    ]);
  });

  it('a program\'s own name scope is a DAG like any other: scope.v reads it', () => {
    expect(check('mutable dag scope;\nmutable int scope.v = 1;\ncout scope.v endl;')).toEqual([]);
  });
});

describe('merges', () => {
  it('a module named by several parts is looked up by all of them', () => {
    expect(check('mutable merge a.b.f as f()::{}{};', { 'a.b': 'function f(x int)::{}{};' })).toEqual([['MRG2004', 1, 'a.b.f takes 1 parameter, but the merge declares 0']]);
  });

  it('without a module reader a merge is not looked into', () => {
    expect(check('mutable merge m.f as f()::{}{};')).toEqual([]);
  });

  it('each merged callable is checked once, by module and name', () => {
    const m = { m: 'function f()::{}{};\nfunction g()::{}{ return nope; };' };
    expect(check('mutable merge m.f as f()::{}{};\nmutable merge m.g as g()::{}{};\nmutable merge m.g as h()::{}{};', m)).toEqual([['MRG2001', 2, "'nope' is not declared here"]]);
  });
});

describe('more shapes the checks must keep (round 11, the rerun\'s survivors)', () => {
  it('a mutable dataframe moves into the callable that captures it; a shared one does not', () => {
    expect(check('mutable dataframe df int32 a;\nmutable function f()::{ df; }{ df(1); };\ndf(2);')).toEqual([moved('df', 2, 3)]);
    expect(check('shared mutable dataframe df int32 a;\nmutable function f()::{ df; }{ df(1); };\ndf(2);')).toEqual([]);
  });

  it('an app after a documentation block is checked as an app', () => {
    expect(check('```userdoc\nx\n```\napp a lang ambient {\n  x = 1;\n};')).toEqual([['MRG2001', 5, "'x' is not declared here"]]);
  });

  it('two mains in an app are a duplicate named main', () => {
    expect(check('app a lang ambient {\n  mutable main ()::{}{ };\n  mutable main ()::{}{ };\n};')).toEqual([['MRG2005', 3, "'main' is already declared in this block (line 2)"]]);
  });

  it('a name moved again in a block is still moved, from the first move, after the block', () => {
    expect(check('mutable int x = 1;\nmutable dag d;\nent d x as A;\nif true { ent d x as B; };\ncout x endl;')).toEqual([moved('x', 3, 4), moved('x', 3, 5)]);
  });

  it('a move of an enclosing body\'s name inside a nested callable\'s block is undone where that body\'s block ends', () => {
    const src = 'mutable int x = 1;\nif true {\n  inert function f()::{}{\n    if true { mutable function g()::{ x; }{ }; };\n  };\n};\nx = 2;';
    expect(check(src)).toEqual([['MRG2006', 4, "'x' is mutable in an enclosing scope; list it in this callable's capture block"]]);
  });

  it('after MRG2001 for a name, what stands on it adds no error: an alias of it captured, a use binding from it, a capture of it', () => {
    expect(check('alias nope as y;\nmutable function f()::{ y; }{ };')).toEqual([['MRG2001', 1, "'nope' is not declared here"]]);
    expect(check('use nope { a as b; };\ninert function f()::{}{ return b; };')).toEqual([['MRG2001', 1, "'nope' is not declared here"]]);
    expect(check('mutable function f()::{ q; }{ inert function g()::{}{ return q; }; };')).toEqual([['MRG2001', 1, "'q' is not declared here"]]);
  });

  it('a freeze of a place inside a DAG freezes no name; calls and commands through a path are left to the run', () => {
    expect(check('mutable dag d;\nmutable int d.x = 1;\nfreeze d.x;\nmutable dag e;\nd = e;')).toEqual([]);
    expect(check('inert function log(a int)::{}{ };\nmutable dag box;\nbox.log 1 2;')).toEqual([]);
    expect(check('inert function f(a int)::{}{ };\nf.x(1, 2);\nmutable dag d;\ncout d.f(1, 2) endl;')).toEqual([]);
  });
});

describe('lang, declared or the language (round 11)', () => {
  it('an app may capture its lang argument; a program\'s own name lang is captured through an alias like any name', () => {
    expect(check('app a lang ambient {\n  inert function f()::{ lang; }{ lang.assert lang.version.major == 0; };\n};')).toEqual([]);
    expect(check('inert int lang = 1;\nalias lang as l;\nmutable function f()::{ l; cout; endl; }{ cout l endl; };')).toEqual([]);
  });

  it('a merge finds the module\'s function, not another statement of the same name', () => {
    expect(check('mutable merge m.f as f()::{}{};', { m: 'alias k as f;\nfunction f()::{}{ };' })).toEqual([]);
  });
});
