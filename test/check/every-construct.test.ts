// Every statement and expression kind the checker walks, each with an undeclared name in it, and every
// diagnostic's full text (what the user reads): a check that skipped a construct, or a message that
// lost its subject or its "why", fails here. Expected lines and columns are counted by hand.
import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/ast/parse.js';
import type { Program } from '../../src/ast/types.js';
import { checkModule, checkProgram, moduleLookup } from '../../src/check/index.js';
import { isModuleProblem } from '../../src/check/modules.js';
import { memoryModules } from '../../src/runtime/modules.js';

function check(source: string, modules: Record<string, string> = {}): string[] {
  const { program } = parseProgram(source, 'c.merge');
  const lookup = (name: string): Program | null => (modules[name] === undefined ? null : parseProgram(modules[name] as string, `${name}.mrm`).program);
  return checkProgram(program, { modules: lookup }).map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`);
}

const undeclared = (name: string, at: string) => `MRG2001 ${at} '${name}' is not declared here`;

describe('the checker walks into every construct', () => {
  it('while, if/else, else-if, switch, assert, await_all, unary, member, index, membrane, prune, scope.x', () => {
    const src = [
      'mutable int n = 0;',
      'while n < 1 { cout a1 endl; n += 1; };',
      'if n == 1 { cout a2 endl; } else { cout a3 endl; };',
      'if n == 1 { cout a4 endl; } else if n == 2 { cout a5 endl; };',
      'switch n { x : { cout a6 endl; }; };',
      'lang.assert a7;',
      'await_all a8;',
      'cout -a9 endl;',
      'cout a10.b endl;',
      'cout a11[0] endl;',
      'inert dag d = membrane<quota<1,0,0>> a12;',
      'inert dag e = prune a13.x;',
      'cout a14 + scope.a15 endl;',
    ].join('\n');
    expect(check(src)).toEqual([
      undeclared('a1', '2:20'),
      undeclared('a2', '3:18'),
      undeclared('a3', '3:41'),
      undeclared('a4', '4:18'),
      undeclared('a5', '4:51'),
      undeclared('a6', '5:23'),
      undeclared('a7', '6:13'),
      undeclared('a8', '7:11'),
      undeclared('a9', '8:7'),
      undeclared('a10', '9:6'),
      undeclared('a11', '10:6'),
      undeclared('a12', '11:38'),
      undeclared('a13', '12:21'),
      undeclared('a14', '13:6'),
      undeclared('a15', '13:12'),
    ]);
  });

  it('the three paths of a vectorize registered on a blocker', () => {
    expect(check('mutable blocker b;\nb += vectorize f1 i1 o1;')).toEqual([undeclared('f1', '2:16'), undeclared('i1', '2:19'), undeclared('o1', '2:22')]);
  });

  it('a handler block is checked like the body', () => {
    expect(check('mutable function f()::{}{ cout 1 endl; } !! { zz(1); };').filter((d) => d.startsWith('MRG2001'))).toEqual([undeclared('zz', '1:47')]);
  });
});

describe('every diagnostic says what, where and why', () => {
  it('MRG2004: argument counts, singular and plural, for statements, calls and initializers', () => {
    const src = 'inert function f(x int)::{}{ return x; };\ninert function g(x int, y int)::{}{ return x; };\ninert function h()::{}{ return 1; };\nf(1, 2);\ncout g(1) h(3) endl;\ninert int q = f();';
    expect(check(src)).toEqual([
      "MRG2004 4:1 'f' takes 1 argument, but 2 are given",
      "MRG2004 5:6 'g' takes 2 arguments, but 1 is given",
      "MRG2004 5:11 'h' takes 0 arguments, but 1 is given",
      "MRG2004 6:15 'f' takes 1 argument, but 0 are given",
    ]);
  });

  it('MRG2005 names the line of the first declaration', () => {
    expect(check('inert int a = 1;\ninert int a = 2;')).toEqual(["MRG2005 2:1 'a' is already declared in this block (line 1)"]);
  });

  it('MRG2006: changing, reading and using authority of an enclosing scope without capturing it', () => {
    const src = 'mutable int m = 1;\nmutable function f()::{}{ m = 2; cout m endl; };';
    expect(check(src)).toEqual([
      "MRG2006 2:27 'm' belongs to an enclosing scope; list it in this callable's capture block to change it",
      "MRG2006 2:34 'cout' is authority in an enclosing scope; list it in this callable's capture block",
      "MRG2006 2:39 'm' is mutable in an enclosing scope; list it in this callable's capture block",
    ]);
    // cerr is authority too, endl is not.
    expect(check('inert function g()::{}{ cerr 1 endl; };')).toEqual(["MRG2006 1:25 'cerr' is authority in an enclosing scope; list it in this callable's capture block"]);
  });

  it('MRG2002 says why: frozen, inert, an alias of an inert name, a captured constant', () => {
    expect(check('mutable int k = 1;\nfreeze k;\nk = 2;\ninert int j = 1;\nj = 3;')).toEqual(["MRG2002 3:1 'k' was frozen and cannot be assigned", "MRG2002 5:1 'j' is inert and cannot be assigned"]);
    expect(check('mutable int k = 1;\nalias k as kk;\nkk = 3;\ninert int i = 1;\nalias i as ii;\nii = 4;')).toEqual(["MRG2002 6:1 'ii' is inert and cannot be assigned"]);
    const mod = { m: 'function f()::{}{ k = 2; };' };
    expect(check('mutable int k = 1;\nmutable merge m.f as f()::{}{ k; };', mod)).toEqual(["MRG2002 1:19 'k' is a captured constant and cannot be assigned"]);
  });

  it('MRG2003 names the line of the move', () => {
    expect(check('mutable int v = 1;\ninert function f()::{ v; }{ v = 2; };\nv = 3;')).toEqual(["MRG2003 3:1 'v' was moved at line 2 and cannot be used any more"]);
  });

  it('MRG2006 for an app argument the host does not hand over', () => {
    const src = 'app a lang ambient other {\n  use ambient { io.cout as cout; };\n  mutable main ()::{ cout; }{ cout 1; };\n};';
    expect(check(src)).toEqual(["MRG2006 1:1 the host hands an app only 'lang' and 'ambient', not 'other'"]);
  });

  it('merges: a missing callable, parameter counts, a missing capture', () => {
    const mod = { m: 'function one(x int)::{}{ return x; };\nfunction two(x int, y int)::{ n; }{ n += x; };' };
    expect(check('mutable merge m.none as f()::{}{};', mod)).toEqual(["MRG2001 1:1 module 'm' has no callable 'none'"]);
    expect(check('mutable merge m.one as f()::{}{};', mod)).toEqual(['MRG2004 1:1 m.one takes 1 parameter, but the merge declares 0']);
    expect(check('shared mutable int n = 0;\nmutable merge m.two as f(x int)::{ n; }{};', mod)).toEqual(['MRG2004 2:1 m.two takes 2 parameters, but the merge declares 1']);
    expect(check('mutable merge m.two as f(x int, y int)::{}{};', mod)).toEqual(["MRG2001 1:1 m.two needs 'n'; hand it over in the merge's capture or constant block"]);
  });

  it('a module holds functions and inert declarations only (MRG1014)', () => {
    const { program } = parseProgram('```\ndoc\n```\nresolve_order lang;\ninert int k = 1;\nfunction f()::{}{ return k; };\nmutable int m = 1;\ninert int a.b = 2;\ncout 1 endl;', 'm.mrm');
    expect(checkModule(program).map((d) => `${d.code} ${d.span?.line} ${d.message} | ${d.hint}`)).toEqual([
      'MRG1014 7 a module holds functions and inert declarations only | Move the statement into a function of the module, or declare the constant inert.',
      'MRG1014 8 a module holds functions and inert declarations only | Move the statement into a function of the module, or declare the constant inert.',
      'MRG1014 9 a module holds functions and inert declarations only | Move the statement into a function of the module, or declare the constant inert.',
    ]);
  });
});

describe('moduleLookup', () => {
  it('reads a module once however often it is looked up, refuses a name that is not a module name, and names the first error, not a warning', () => {
    const reads: string[] = [];
    const texts = new Map([
      ['ok', 'function f()::{}{ return 1; };'],
      // line 1 lacks its ';' (a warning), line 2 is the one error
      ['bad', 'inert int k = 1\nfunction f(x int)::{ n; }{ n += ; };'],
    ]);
    const lookup = moduleLookup({
      read(name) {
        reads.push(name);
        const source = texts.get(name);
        return source === undefined ? null : { file: `${name}.mrm`, source };
      },
    });
    const ok = lookup('ok');
    expect(ok !== null && !isModuleProblem(ok) && ok.body.length).toBe(1);
    expect(lookup('ok')).toBe(ok);
    expect(lookup('bad')).toEqual({ kind: 'broken', file: 'bad.mrm', why: "2:33 MRG1010 expected an expression, found ';'", errors: 1 });
    expect(lookup('no')).toEqual({ kind: 'unreadable', file: 'no.mrm', why: 'no such file', errors: 0 });
    expect(lookup('a.b')).toMatchObject({ kind: 'unreadable', file: 'a.b.mrm', why: expect.stringMatching(/^it is not a module name/) });
    expect(reads).toEqual(['ok', 'bad', 'no']);
    // One error: no "(and N more)"; the hint says what to run.
    const { program } = parseProgram('mutable merge bad.f as f()::{}{};', 'p.merge');
    const ds = checkProgram(program, { modules: moduleLookup(memoryModules(texts)) });
    expect(ds.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['MRG2008', "module 'bad' (bad.mrm) has errors; the first: 2:33 MRG1010 expected an expression, found ';'", 'Run merg-e check on bad.mrm and fix it.'],
    ]);
  });
});
