import { describe, expect, it } from 'vitest';
import { runProgram } from '../../src/runtime/run.js';
import { err, out, run } from './helpers.js';

describe('declarations and assignment', () => {
  it('declares scalars of every family with their zero values', () => {
    expect(out('inert int a;\ninert float64 b;\ninert string c;\ninert bool d;\ncout a " " b " [" c "] " d endl;')).toBe('0 0.0 [] false\n');
  });

  it('assigns with =, += and -= on mutable names', () => {
    expect(out('mutable int x = 10;\nx += 5;\nx -= 3;\ncout x endl;\nx = 1;\ncout x endl;')).toBe('12\n1\n');
  });

  it('concatenates strings with + and +=', () => {
    expect(out('mutable string s = "ab";\ns += "cd";\ncout s + "!" endl;')).toBe('abcd!\n');
  });

  it('rounds floats to their declared width and prints the shortest form', () => {
    expect(out('inert float32 f = 3.14159;\ninert float16 h = 0.1;\ninert float256 g = 3.14159;\ncout f " " h " " g endl;')).toBe('3.14159 0.1 3.14159\n');
  });

  it('keeps integer arithmetic exact beyond 64 bits', () => {
    expect(out('mutable int x = 1;\nmutable int i = 0;\nwhile i < 70 { x = x * 2; i += 1; };\ncout x endl;')).toBe('1180591620717411303424\n');
  });

  it('divides integers toward zero and floats exactly', () => {
    expect(out('cout 7 / 2 " " (0 - 7) / 2 " " 7 % 3 " " 7.0 / 2 endl;')).toBe('3 -3 1 3.5\n');
  });

  it('declares a scalar at a DAG path, creating the missing nodes', () => {
    expect(out('mutable dag d;\ninert int32 d.a.b = 7;\nmutable int32 d.a.c = 1;\nd.a.c += 4;\ncout d.a.b " " d.a.c endl;')).toBe('7 5\n');
  });

  it('a declaration in a loop body makes a fresh binding each time', () => {
    expect(out('mutable int i = 0;\nmutable int sum = 0;\nwhile i < 3 { inert int sq = i * i; sum += sq; i += 1; };\ncout sum endl;')).toBe('5\n');
  });

  it('names declared in a block stay inside it', () => {
    const e = err('if true { inert int inside = 1; };\ncout inside endl;');
    expect(e.code).toBe('MRG2001');
    expect(e.line).toBe(2);
  });
});

describe('expressions', () => {
  it('follows precedence and associativity', () => {
    expect(out('cout 7 * 4 * 13 + 1 " " 10 - 3 - 2 " " 2 + 3 * 4 endl;')).toBe('365 5 14\n');
  });

  it('short-circuits && and ||', () => {
    // The right side would be a division by zero if it ran.
    expect(out('cout false && 1 / 0 == 1 " " true || 1 / 0 == 1 endl;')).toBe('false true\n');
  });

  it('compares numbers of both kinds and strings', () => {
    expect(out('cout 1 < 1.5 " " 2 == 2.0 " " "a" < "b" " " "x" != "y" endl;')).toBe('true true true true\n');
  });

  it('indexes scope.exceptions from either end', () => {
    const src = 'mutable function f()::{ cout; endl; }{ lang.assert false; }!!{ cout scope.exceptions[0].name " " scope.exceptions[-1].code endl; };\nf();';
    expect(out(src)).toBe('range_error MRG3009\n');
  });
});

describe('control flow', () => {
  it('runs while loops', () => {
    expect(out('mutable int i = 0;\nwhile i < 5 { i += 1; };\ncout i endl;')).toBe('5\n');
  });

  it('runs if / else if / else', () => {
    const prog = (n: number) => `inert int a = ${n};\nif a < 10 { cout "small" endl; } else if a < 100 { cout "medium" endl; } else { cout "large" endl; };`;
    expect(out(prog(1))).toBe('small\n');
    expect(out(prog(50))).toBe('medium\n');
    expect(out(prog(500))).toBe('large\n');
  });

  it('switches on strings, with default', () => {
    const prog = (s: string) => `inert string k = "${s}";\nswitch k { apple : { cout "A" endl; }; default : { cout "?" endl; }; };`;
    expect(out(prog('apple'))).toBe('A\n');
    expect(out(prog('pear'))).toBe('?\n');
  });

  it('refuses a condition that is not a bool', () => {
    const e = err('while 1 { };');
    expect(e.name).toBe('type_error');
  });

  it('return ends a function with its value; several values make a row', () => {
    expect(out('inert function f(x int)::{}{ if x > 0 { return 1; }; return 0; };\ninert function g(x int)::{}{ return x x + 1; };\ncout f(5) f(0) " " g(1) endl;')).toBe('10 1 2\n');
  });
});

describe('output', () => {
  it('cout writes its parts to stdout and endl ends the line', () => {
    expect(out('inert int n = 3;\ncout "counted " n " primes" endl;')).toBe('counted 3 primes\n');
  });

  it('cerr writes to stderr', () => {
    const r = run('cerr "oops" endl;\ncout "ok" endl;');
    expect(r.stdout).toBe('ok\n');
    expect(r.stderr).toBe('oops\n');
  });

  it('prints bools, floats and rows', () => {
    expect(out('inert function g()::{}{ return 1 "a" true; };\ncout true " " 2.5 " " g() endl;')).toBe('true 2.5 1 a true\n');
  });
});

describe('functions and captures', () => {
  it('reads inert names of the enclosing scope without a capture', () => {
    expect(out('inert int base = 10;\ninert function f(x int)::{}{ return base + x; };\ncout f(1) endl;')).toBe('11\n');
  });

  it('changes captured mutable state (moved into the function)', () => {
    expect(out('mutable int n = 0;\nmutable function bump()::{ n; }{ n += 1; return n; };\nbump();\ncout bump() endl;')).toBe('2\n');
  });

  it('shares a shared mutable capture with the declaring scope', () => {
    expect(out('shared mutable int n = 0;\nmutable function bump()::{ n; }{ n += 1; };\nbump();\nbump();\ncout n endl;')).toBe('2\n');
  });

  it('renames captures with inner: outer', () => {
    expect(out('shared mutable int total = 0;\nmutable function add(x int)::{ t: total; }{ t += x; };\nadd(4);\nadd(5);\ncout total endl;')).toBe('9\n');
  });

  it('recurses by its own name', () => {
    expect(out('inert function fact(n int)::{}{ if n < 2 { return 1; }; return n * fact(n - 1); };\ncout fact(25) endl;')).toBe('15511210043330985984000000\n');
  });

  it('calls with juxtaposition in statement position', () => {
    expect(out('inert function show(a int, b int)::{ cout; endl; }{ cout a + b endl; };\nshow 2 3;')).toBe('5\n');
  });

  it('checks parameter types at the call', () => {
    expect(err('inert function f(x int8)::{}{ return x; };\ncout f(300) endl;').name).toBe('range_error');
    expect(err('inert function f(x int8)::{}{ return x; };\ncout f("a") endl;').name).toBe('type_error');
  });

  it('a handler catches the body\'s error and the call returns normally', () => {
    const src = 'mutable function f()::{ cout; endl; }{ inert int8 x = 200; }!!{ switch scope.exceptions[-1] { range_error : { cout "handled" endl; }; }; };\nf();\ncout "after" endl;';
    expect(out(src)).toBe('handled\nafter\n');
  });

  it('an error no case of the handler names goes on to the caller', () => {
    const src = 'mutable function f()::{ cout; endl; }{ inert int8 x = 200; }!!{ switch scope.exceptions[-1] { quota_error : { cout "quota" endl; }; }; };\nf();';
    const e = err(src);
    expect(e.name).toBe('range_error');
    expect(e.line).toBe(1);
  });
});

describe('blockers', () => {
  it('runs registered calls at await_all, in order, and empties the blocker', () => {
    const src = [
      'shared mutable int log = 0;',
      'mutable function step(x int)::{ log; }{ log = log * 10 + x; };',
      'mutable blocker b;',
      'b += step(1);',
      'b += step(2);',
      'cout "before " log endl;',
      'await_all b;',
      'cout "after " log endl;',
      'await_all b;',
      'cout "again " log endl;',
    ].join('\n');
    expect(out(src)).toBe('before 0\nafter 12\nagain 12\n');
  });

  it('await_all runs everything, then raises the first error', () => {
    const src = [
      'shared mutable int ran = 0;',
      'mutable function f(x int)::{ ran; }{ ran += 1; lang.assert x != 2; inert int8 y = x * 100; };',
      'mutable blocker b;',
      'b += f(1);',
      'b += f(2);',
      'b += f(3);',
      'mutable function w()::{ b; ran; cout; endl; }{ await_all b; }!!{ cout ran " " scope.exceptions[-1].code endl; };',
      'w();',
    ].join('\n');
    expect(out(src)).toBe('3 MRG3009\n');
  });

  it('refuses anything but a call on a blocker', () => {
    expect(err('mutable blocker b;\nb += 1;').name).toBe('type_error');
  });
});

describe('merge of modules', () => {
  const utils = 'function twice(x int)::{ hits; }{ hits += 1; return x * factor; };\ninert int unused = 1;';

  it('merges a module callable with its capture and constant blocks', () => {
    const src = 'shared mutable int hits = 0;\ninert int factor = 2;\nmutable merge utils.twice as twice(x int)::{ hits; }{ factor; };\ncout twice(4) " " twice(5) " " hits endl;';
    expect(out(src, { mods: { utils } })).toBe('8 10 2\n');
  });

  it('renames with inner: outer in both blocks', () => {
    const src = 'shared mutable int n = 0;\ninert int f = 3;\nmutable merge utils.twice as t(x int)::{ hits: n; }{ factor: f; };\ncout t(2) " " n endl;';
    expect(out(src, { mods: { utils } })).toBe('6 1\n');
  });

  it('a merged callable reaches nothing of the program lexically', () => {
    const r = run('shared mutable int hits = 0;\ninert int factor = 2;\nmutable merge utils.twice as twice(x int)::{ hits; }{};\ncout twice(1) endl;', { mods: { utils } });
    expect(r.error?.code).toBe('MRG2001');
    expect(r.error?.file).toBe('utils.mrm');
  });

  it('reports a missing module as io_error at the merge', () => {
    const e = err('mutable merge nope.f as f(x int)::{}{};', { check: false });
    expect(e.name).toBe('io_error');
    expect(e.line).toBe(1);
  });

  it('refuses a merge whose parameters disagree with the module', () => {
    const e = err('shared mutable int hits = 0;\ninert int factor = 2;\nmutable merge utils.twice as twice(x int8)::{ hits; }{ factor; };', { mods: { utils } });
    expect(e.name).toBe('type_error');
  });

  it('the primes app counts 25 primes (its module read from its folder)', () => {
    const r = runProgram({ file: 'examples/primes.mrg' });
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('counted 25 prime numbers\n');
  });
});

describe('app form', () => {
  const app = (body: string) => `app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n${body}\n};`;

  it('runs main after the app block with what use bound', () => {
    expect(out(app('  mutable main ()::{ cout; endl; }{ cout "hello" endl; };\n  lang.assert lang.version.major == 0;'))).toBe('hello\n');
  });

  it('main only reaches authority through its capture block', () => {
    const e = err(app('  mutable main ()::{ endl; }{ cout "hello" endl; };'));
    expect(e.code).toBe('MRG2006');
  });

  it('refuses ambient paths the host does not hand out', () => {
    const e = err('app demo lang ambient {\n  use ambient { fs.root as root; };\n};');
    expect(e.name).toBe('capability_error');
  });

  it('refuses app arguments other than lang and ambient', () => {
    expect(err('app demo lang ambient network {\n};').code).toBe('MRG2006');
  });
});

describe('language built-ins', () => {
  it('lang.version is 0.3', () => {
    expect(out('cout lang.version.major "." lang.version.minor endl;')).toBe('0.3\n');
  });

  it('lang.assert raises range_error when false', () => {
    const e = err('lang.assert 1 == 2;');
    expect(e.name).toBe('range_error');
    expect(e.code).toBe('MRG3009');
  });

  it('lang.dataframe.rows counts rows', () => {
    expect(out('mutable dataframe d int32 x;\nd(1);\nd(2);\ncout lang.dataframe.rows(d) endl;')).toBe('2\n');
  });

  it('lang.types and lang.type name the same types', () => {
    expect(out('cout lang.types.int2048 " " lang.type.int128 endl;')).toBe('int2048 int128\n');
  });

  it('resolve_order and documentation fences are recorded, not run', () => {
    expect(out('resolve_order lang.flow lang.type lang imported;\n```devdoc\nnotes\n```\ncout "ok" endl;')).toBe('ok\n');
  });
});

describe('dataframes, freeze and alias', () => {
  it('appends rows in column order and freezes', () => {
    const e = err('mutable dataframe d string id, int32 v;\nd("a" 1);\nfreeze d;\nd("b" 2);');
    expect(e.name).toBe('freeze_error');
    expect(e.line).toBe(4);
    expect(e.result.dataframes).toEqual([{ name: 'd', rows: 1, frozen: true }]);
  });

  it('type-checks row values against the columns', () => {
    expect(err('mutable dataframe d int8 v;\nd(1000);').name).toBe('range_error');
    expect(err('mutable dataframe d int8 v;\nd("x");').name).toBe('type_error');
  });

  it('freezing a scalar makes later assignment a freeze_error', () => {
    const e = err('mutable int x = 1;\nfreeze x;\nx = 2;');
    expect(e.code).toBe('MRG2002');
  });

  it('alias gives a second name to a DAG spot, without a copy', () => {
    expect(out('mutable dag d;\nmutable int32 d.a.v = 1;\nalias d.a.v as v;\nv = 5;\ncout d.a.v " " v endl;')).toBe('5 5\n');
  });
});
