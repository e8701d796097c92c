// Mutation survivors of src/runtime/statements.ts (TESTING.md › Survivors): the statement forms of
// language.md §3 as a user sees them — where each statement counts its step (the step budget stops
// there), what a block releases when it ends or fails (§5: a block's locals live until it ends), the
// exact words of each refusal with the static checks off, blockers (§5), and printing widths.
import { describe, expect, it } from 'vitest';

import { err, NO_CHECK, out, refused, run, stops, where } from './helpers.js';


describe('every statement counts its step where it is written', () => {
  it('switch (then the case that runs) and use (its namespace is read at the statement)', () => {
    expect(stops('inert string k = "b";\nswitch k { a : { }; b : { cout 1 endl; }; };\n')).toBe('1:1 1:18 2:1 2:8 2:27 2:27 2:32 2:34 ok 8');
    expect(stops('app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  cout 1 endl;\n};\n')).toBe('2:3 2:3 3:3 3:3 3:8 3:10 ok 6');
  });

  it('declarations of every kind, ent of a value and of a name, freeze of a path and of a name, cout', () => {
    // A place counts one step (at its path); a name grafted by ent is read without one.
    const src = 'mutable dag d;\nmutable int d.a.b = 2;\nmutable dataframe d.t int32 a;\nmutable dataframe t int32 a;\nmutable blocker b;\nent d 5 as z;\nmutable int32 x = 1;\nent d x as y;\nfreeze d.a;\nfreeze t;\ncout 1 endl;\n';
    expect(stops(src)).toBe('1:1 2:1 2:13 2:21 3:1 3:19 4:1 5:1 6:1 6:5 6:7 7:1 7:19 8:1 8:5 9:1 9:8 10:1 11:1 11:1 11:6 11:8 ok 22');
  });

  it('a dag declared with a value, and a command whose head is a function (a call)', () => {
    expect(stops('mutable dag d;\nmutable dag e = d;\nfunction f(x int)::{}{ };\nf 1;\n')).toBe('1:1 2:1 2:17 3:1 4:1 4:1 4:3 ok 7');
  });

  it('alias (its path is read where the alias was written), and a read through it', () => {
    // The alias statement, then d.v (member, then name); `cout v` reads d.v at v, where it is used.
    expect(stops('mutable dag d;\nmutable int32 d.v = 1;\nalias d.v as v;\ncout v endl;\n')).toBe('1:1 2:1 2:15 2:21 3:1 3:7 3:7 4:1 4:1 4:6 4:6 4:8 ok 12');
  });

  it('a call statement on a dataframe and on a function', () => {
    expect(stops('mutable dataframe d int32 a;\nd(7);\nfunction f(x int)::{}{ };\nf(1);\n')).toBe('1:1 2:1 2:1 2:3 3:1 4:1 4:1 4:3 ok 8');
  });

  it('registering work on a blocker, await_all, and the work itself', () => {
    expect(stops('shared mutable int n = 0;\nmutable function g()::{ n; }{ n += 1; };\nmutable blocker b;\nb += g();\nawait_all b;\n')).toBe(
      '1:1 1:24 2:1 3:1 4:1 4:6 5:1 5:11 2:31 2:36 ok 10',
    );
  });

  it('return with no value and with two', () => {
    expect(stops('function f()::{}{ return; };\nfunction g()::{}{ return 1 2; };\nf();\ng();\n')).toBe('1:1 2:1 3:1 3:1 1:19 4:1 4:1 2:19 2:26 2:28 ok 10');
  });

  it('while (its condition each time round), if with and without else, lang.assert', () => {
    expect(stops('mutable int i = 0;\nwhile i < 1 { i += 1; };\nif i == 1 { } else { };\nif i == 2 { };\nlang.assert true;\n')).toBe(
      '1:1 1:17 2:1 2:7 2:7 2:11 2:15 2:20 2:7 2:7 2:11 3:1 3:4 3:4 3:9 4:1 4:4 4:4 4:9 5:1 5:13 ok 21',
    );
  });
});

const OUTER = 'mutable dag root;\nmutable dag outer = membrane<quota<100,20,0>> root;\n';

describe('what a block releases when it ends (language.md §5; quota.md §6)', () => {
  it('a block that fails releases its locals before the error goes on', () => {
    // The RAM-points still live at the error are those of the same program without the local x.
    const withX = run('if true { int x = 1; lang.assert false; };\n');
    const without = run('if true { lang.assert false; };\n');
    expect(withX.error?.code).toBe('MRG3009');
    expect(withX.ramPoints.total).toBe(without.ramPoints.total);
  });

  it('a membrane returned from inside an if block reaches the caller and stays open for its binding', () => {
    const src = `${OUTER}function f()::{outer;}{ if true { mutable dag m = membrane<quota<50,10,0>> outer; return m; }; };
mutable dag v = f();
mutable int v.q = 1;
cout v.q endl;
`;
    const r = run(src);
    expect(r.stdout).toBe('1\n');
    expect(r.membranes.map((m) => m.name)).toEqual(['outer', 'm']);
  });

  it("a while condition's membrane dies each time the condition has been read, not when the loop ends", () => {
    // outer's pool (T − D + O = 80 points) holds one <50,10,0> membrane at a time.
    const src = `${OUTER}function ok(d dag)::{}{ return true; };
mutable int i = 0;
while i < 3 && ok(membrane<quota<50,10,0>> outer) { i += 1; };
cout i endl;
`;
    expect(out(src)).toBe('3\n');
  });
});

/** The scalar entity kinds live at the end of a run (an `int` is priced by the bytes its value needs). */
function scalarKinds(src: string): string[] {
  const r = run(src);
  expect(r.error).toBeNull();
  return [...r.ramPoints.byKind.keys()].filter((k) => k.startsWith('scalar:'));
}

describe('an unbounded int changes its entity kind when its value needs more bytes', () => {
  // docs/running.md: the entity is re-priced when a new value changes it (an int that needs more
  // bytes); a value that needs fewer bytes keeps the kind it has.
  it('127 and -128 fit one byte, 128 and -129 need two', () => {
    expect(scalarKinds('mutable int x = 126;\nx += 1;\n')).toEqual(['scalar:int8']);
    expect(scalarKinds('mutable int x = 127;\nx += 1;\n')).toEqual(['scalar:int16']);
    expect(scalarKinds('mutable int x = -127;\nx -= 1;\n')).toEqual(['scalar:int8']);
    expect(scalarKinds('mutable int x = -128;\nx -= 1;\n')).toEqual(['scalar:int16']);
  });

  it('a value that needs fewer bytes keeps the kind', () => {
    expect(scalarKinds('mutable int x = 128;\nx -= 1;\n')).toEqual(['scalar:int16']);
    expect(scalarKinds('mutable int x = -129;\nx += 1;\n')).toEqual(['scalar:int16']);
  });

  it('the same at the two-byte edges, by = as well as by += and -=', () => {
    expect(scalarKinds('mutable int x = 32767;\nx += 1;\n')).toEqual(['scalar:int24']);
    expect(scalarKinds('mutable int x = 0;\nx = 32767;\n')).toEqual(['scalar:int16']);
    expect(scalarKinds('mutable int x = 0;\nx = 32768;\n')).toEqual(['scalar:int24']);
    expect(scalarKinds('mutable int x = -32768;\nx = -32769;\n')).toEqual(['scalar:int24']);
    expect(scalarKinds('mutable int x = 0;\nx = -32768;\n')).toEqual(['scalar:int16']);
  });
});

describe('cout writes long output as it comes (chunks of at least 65536 characters)', () => {
  // s doubles 16 times: 2^16 = 65536 x's, exactly the length at which the pending text is written.
  const S = 'mutable string s = "x";\nmutable int i = 0;\nwhile i < 16 { s += s; i += 1; };\n';
  const writes = (src: string) => {
    const seen: string[] = [];
    const r = run(src, { stdout: (t) => seen.push(t) });
    expect(r.error).toBeNull();
    return seen.map((t) => (t.length > 20 ? `${t[0]}*${t.length}` : t));
  };

  it('a part that reaches the length is written at once, the rest at the end', () => {
    expect(writes(`${S}cout s endl;\n`)).toEqual(['x*65536', '\n']);
    expect(writes(`${S}cout "a" s "b" endl;\n`)).toEqual(['a*65537', 'b\n']);
  });

  it('nothing more is written when the last part ended a chunk', () => {
    expect(writes(`${S}cout endl s;\n`)).toEqual(['\n*65537']);
    expect(writes(`${S}cout "ab" endl;\n`)).toEqual(['ab\n']);
  });
});

describe('declarations at a DAG path (language.md §5: missing nodes are created)', () => {
  it('an empty node, then a scalar below it', () => {
    expect(out('mutable dag d;\nmutable dag d.a;\nmutable int d.a.x = 1;\ncout d.a.x endl;\n')).toBe('1\n');
  });

  it('scalars without a value get their zero values', () => {
    expect(out('mutable dag d;\nmutable int d.i;\nmutable float32 d.f;\nmutable string d.s;\nmutable bool d.b;\ncout d.i " " d.f " [" d.s "] " d.b endl;\n')).toBe('0 0.0 [] false\n');
  });

  it('a value out of range names the path', () => {
    expect(where(err('mutable dag d;\nmutable int8 d.a = 300;\n'))).toEqual(['range_error', 'MRG3003', "300 does not fit 'd.a', declared int8 (-128..127)", 2, 1]);
  });

  it('a dataframe at a path is listed under its path, and freezes there', () => {
    const e = err('mutable dag d;\nmutable dataframe d.t int32 a;\nd.t(1);\nfreeze d.t;\nd.t(2);\n');
    expect(where(e)).toEqual(['freeze_error', 'MRG3005', 'dataframe d.t is frozen: rows cannot be added', 5, 1]);
  });
});

describe('ent moves a mutable, non-shared name (language.md §5, Ownership)', () => {
  it('the old name of a moved mutable value cannot be used', () => {
    expect(where(err('mutable dag d;\nmutable int32 x = 4;\nent d x as y;\ncout x endl;\n', NO_CHECK))).toEqual([
      'ownership_error',
      'MRG3004',
      "'x' was moved and cannot be used any more",
      4,
      6,
    ]);
  });

  it('shared and inert values are not moved', () => {
    expect(out('mutable dag d;\nshared mutable int32 x = 4;\nent d x as y;\ncout x " " d.y endl;\n', NO_CHECK)).toBe('4 4\n');
    expect(out('mutable dag d;\nint32 x = 4;\nent d x as y;\ncout x " " d.y endl;\n', NO_CHECK)).toBe('4 4\n');
  });
});

describe('alias (language.md §3: a second name in this scope, no copy, no charge)', () => {
  it('an alias of a float16 name prints at float16 width, through a second alias too', () => {
    // 0.1 stored as float16 is 0.0999755859375; at float16 width its shortest form is 0.1.
    expect(out('inert float16 h = 0.1;\nalias h as g;\nalias g as k;\ncout g " " k endl;\n')).toBe('0.1 0.1\n');
  });

  it('an alias of an alias reads the first path where each read is written', () => {
    expect(stops('int n = 1;\nalias n as m;\nalias m as k;\ncout k endl;\n')).toBe('1:1 1:9 2:1 2:7 3:1 3:7 4:1 4:1 4:6 4:8 ok 10');
  });

  it('a path through an alias of a dag reads the aliased dag', () => {
    expect(out('mutable dag d;\nmutable int d.v = 3;\nalias d as e;\nalias e.v as w;\ncout w endl;\n')).toBe('3\n');
  });

  it('an alias is mutable or authority as its name is: a callable two scopes down cannot capture it', () => {
    expect(where(err('mutable int n = 1;\nalias n as m;\nfunction o()::{}{ function i()::{ m; }{ }; };\no();\n', NO_CHECK))).toEqual([
      'capability_error',
      'MRG3007',
      "'m' belongs to an enclosing scope; capture it there first",
      3,
      35,
    ]);
    expect(where(err('alias cout as say;\nfunction o()::{}{ function i()::{ say; }{ }; };\no();\n', NO_CHECK))).toEqual([
      'capability_error',
      'MRG3007',
      "'say' belongs to an enclosing scope; capture it there first",
      2,
      35,
    ]);
  });

  it('assigning through an alias of an alias changes the first name', () => {
    expect(out('mutable int n = 0;\nalias n as m;\nalias m as k;\nk += 2;\ncout n endl;\n')).toBe('2\n');
  });
});

describe('blockers (language.md §5)', () => {
  const P = 'mutable function p()::{ cout; endl; }{ cout "ran" endl; };\n';

  it('a limit hit by one piece of work stops the run at once: the work after it does not run', () => {
    const r = run(`function r(n int)::{}{ r(n + 1); };\n${P}mutable blocker b;\nb += r(0);\nb += p();\nawait_all b;\n`);
    expect([r.stdout, r.error?.code, r.error?.message, r.error?.line, r.error?.column]).toEqual(['', 'MRG3012', 'calls nested deeper than 400', 1, 24]);
  });

  it('every piece runs, then the first error is raised (not the last)', () => {
    const e = err('mutable function f(x int)::{ cout; endl; }{ cout x endl; lang.assert x != 2; inert int8 y = x * 100; };\nmutable blocker b;\nb += f(1);\nb += f(2);\nb += f(3);\nawait_all b;\n');
    expect([e.result.stdout, ...where(e)]).toEqual(['1\n2\n3\n', 'range_error', 'MRG3009', 'lang.assert failed: the condition is false', 1, 58]);
  });

  it('work never awaited is warned about once per blocker, with its number of pieces', () => {
    const r = run(`${P}mutable blocker b;\nmutable blocker c;\nif true { b += p(); b += p(); c += p(); };\n`);
    expect(r.error).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span?.line, d.span?.column])).toEqual([
      ['MRG3020', "2 pieces of work registered on blocker 'b' here never ran: it was never awaited", 4, 16],
      ['MRG3020', "1 piece of work registered on blocker 'c' here never ran: it was never awaited", 4, 36],
    ]);
  });

  it('work registered again after an await is warned about only if it is not awaited again', () => {
    const r = run(`${P}mutable blocker b;\nb += p();\nawait_all b;\nb += p();\nawait_all b;\n`);
    expect([r.stdout, r.diagnostics.length]).toEqual(['ran\nran\n', 0]);
  });
});

describe('switch', () => {
  it('an error no case names goes on to the caller', () => {
    const src = 'mutable function f()::{ cout; endl; }{ inert int8 x = 200; }!!{ switch scope.exceptions[-1] { quota_error : { cout "quota" endl; }; }; };\nf();\n';
    expect(where(err(src))).toEqual(['range_error', 'MRG3003', "200 does not fit 'x', declared int8 (-128..127)", 1, 40]);
  });

  it('the first of two cases with the same label is the one that runs', () => {
    expect(out('inert string k = "a";\nswitch k { a : { cout "1" endl; }; a : { cout "2" endl; }; };\n', NO_CHECK)).toBe('1\n');
  });

  it('a type is matched by its name; a value that is neither a string, an error nor a type goes to default', () => {
    expect(out('switch lang.type.int8 { int8 : { cout "t" endl; }; default : { cout "d" endl; }; };\n', NO_CHECK)).toBe('t\n');
    expect(out('switch 3 { default : { cout "d" endl; }; };\n', NO_CHECK)).toBe('d\n');
    expect(out('switch 3 { a : { cout "a" endl; }; };\ncout "after" endl;\n', NO_CHECK)).toBe('after\n');
  });
});

describe('use', () => {
  const app = (body: string) => `app demo lang ambient {\n${body}\n};\n`;
  it('hands out only what the namespace holds, and names the whole path it does not', () => {
    expect(where(err(app('  use ambient { io.nope as n; };'), NO_CHECK))).toEqual(['capability_error', 'MRG3007', 'ambient does not hand out io.nope', 2, 17]);
    expect(where(err(app('  use ambient { io.cout.x as n; };'), NO_CHECK))).toEqual(['capability_error', 'MRG3007', 'ambient does not hand out io.cout.x', 2, 17]);
  });

  it('takes a namespace', () => {
    expect(where(err('int x = 1;\nuse x { a as b; };\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'use needs a namespace such as ambient, not an integer', 2, 1]);
  });
});

describe('assignment', () => {
  it('scope.x names x of this scope', () => {
    expect(out('mutable int x = 1;\nscope.x = 5;\ncout x endl;\n')).toBe('5\n');
  });

  it('at a DAG path: -= and string +=, and a value out of range names the path', () => {
    const e = err('mutable dag d;\nmutable int8 d.a = 1;\nd.a -= 3;\nmutable string d.s = "a";\nd.s += "b";\ncout d.a " " d.s endl;\nd.a = 300;\n');
    expect([e.result.stdout, ...where(e)]).toEqual(['-2 ab\n', 'range_error', 'MRG3003', "300 does not fit 'd.a', declared int8 (-128..127)", 7, 1]);
  });

  it('a sized int is checked against its own range on both sides, by += and -=', () => {
    expect(where(err('mutable int8 x = 127;\nx += 1;\n'))).toEqual(['range_error', 'MRG3003', "128 does not fit 'x', declared int8 (-128..127)", 2, 1]);
    expect(where(err('mutable int8 x = -128;\nx -= 1;\n'))).toEqual(['range_error', 'MRG3003', "-129 does not fit 'x', declared int8 (-128..127)", 2, 1]);
    expect(out('mutable uint8 x = 0;\nx = 255;\nx -= 255;\nx += 127;\nx -= 0 - 128;\ncout x endl;\n')).toBe('255\n');
  });

  it('an unbounded int stops at 16384 bits (language.md §4), by += of a name', () => {
    const top = (1n << 16383n) - 1n;
    const e = err(`mutable int x = ${top};\nint one = 1;\nx += one;\n`);
    expect([e.code, e.message, e.line]).toEqual(['MRG3013', 'integer result needs more than 16384 bits', 3]);
    expect(out(`mutable int x = ${top - 1n};\nx += 1;\ncout x == ${top} endl;\n`)).toBe('true\n');
  });

  it('a string that gets longer or shorter is priced by its new length', () => {
    const ram = (src: string) => run(src).ramPoints.total;
    expect(ram('mutable string s = "a";\ns += "bcdefghijklmnopqrstuvwxyz";\n')).toBe(ram('mutable string s = "abcdefghijklmnopqrstuvwxyz";\n'));
    expect(ram('mutable string s = "abcdefghijklmnopqrstuvwxyz";\ns = "a";\n')).toBe(ram('mutable string s = "a";\n'));
    expect(ram('mutable string s = "a";\n')).toBeLessThan(ram('mutable string s = "abcdefghijklmnopqrstuvwxyz";\n'));
  });
});

describe('assignment refusals with the checks off', () => {
  it('a name that is not declared, or one of an enclosing scope', () => {
    expect(refused('nope = 1;\n')).toEqual(['name_error', 'MRG3001', "'nope' is not declared here", 1, 1]);
    expect(refused('int x = 1;\nfunction f()::{}{ x = 2; };\nf();\n')).toEqual(['freeze_error', 'MRG3005', "'x' is inert in an enclosing scope and cannot change", 2, 19]);
    expect(refused('mutable int x = 1;\nfunction f()::{}{ x = 2; };\nf();\n')).toEqual([
      'capability_error',
      'MRG3007',
      "'x' belongs to an enclosing scope; list it in this callable's capture block to change it",
      2,
      19,
    ]);
  });

  it('an inert name, with the hint only for a variable; a callable is not a variable', () => {
    expect(refused('int x = 1;\nx = 2;\n')).toEqual(['freeze_error', 'MRG3005', "'x' is inert (declare it mutable to change it)", 2, 1]);
    expect(refused('cout = 1;\n')).toEqual(['freeze_error', 'MRG3005', "'cout' is inert", 1, 1]);
    expect(refused('mutable function g()::{}{ };\ng = 1;\n')).toEqual(['type_error', 'MRG3002', "'g' is not a variable", 2, 1]);
  });

  it('a blocker only takes a call or a vectorize, by +=, and only when mutable', () => {
    expect(refused('mutable blocker b;\nb = 1;\n')).toEqual(['type_error', 'MRG3002', 'a blocker only takes work: `b += call(…);`', 2, 1]);
    expect(refused('mutable blocker b;\nb += 1;\n')).toEqual(['type_error', 'MRG3002', 'a blocker takes a call or a vectorize, not an expression: `b += f(x);`', 2, 1]);
    expect(refused('blocker b;\nfunction f()::{}{ };\nb += f();\n')).toEqual(['freeze_error', 'MRG3005', "'b' is inert; declare it `mutable blocker b;`", 3, 1]);
  });
});

describe('return', () => {
  it('with no value the call gives nothing, which cannot be printed', () => {
    expect(where(err('function f()::{}{ return; };\ncout "[" f() "]" endl;\n'))).toEqual(['type_error', 'MRG3002', 'cannot print nothing: the call returned no value', 2, 1]);
  });

  it('with one value the call gives that value (not a row of one)', () => {
    expect(out('function f()::{}{ return 5; };\ncout f() + 1 endl;\n')).toBe('6\n');
  });

  it('inside a while loop, ends the loop and the call', () => {
    expect(out('function f()::{}{ mutable int i = 0; while true { i += 1; if i == 3 { return i; }; }; };\ncout f() + 1 endl;\n')).toBe('4\n');
  });
});

describe('dataframe names', () => {
  it('a shared dataframe captured by a function is not moved: both append to it', () => {
    expect(out('shared mutable dataframe t int32 a;\nmutable function f()::{ t; }{ t(1); };\nf();\nt(2);\ncout lang.dataframe.rows(t) endl;\n')).toBe('2\n');
  });

  it('an inert dataframe is read by a function of an enclosing scope without a capture (it is not authority)', () => {
    expect(out('dataframe t int32 a;\nfunction f()::{}{ return lang.dataframe.rows(t); };\ncout f() endl;\n')).toBe('0\n');
  });
});

describe('a membrane made by an expression after a declaration', () => {
  it("is named '(membrane)', not after the declaration before it", () => {
    const src = `${OUTER}function ok(d dag)::{}{ return true; };\ninert int x = 1;\nlang.assert ok(membrane<quota<50,10,0>> outer) && ok(membrane<quota<50,10,0>> outer);\n`;
    expect(where(err(src))).toEqual([
      'quota_error',
      'MRG3006',
      "declaration of quota membrane '(membrane)' <50,10,0> refused by quota membrane 'outer': 50 used + 50 requested > 80 points (pool for stacked membranes (T − D) + O)",
      5,
      54,
    ]);
  });
});

describe('a statement that calls something settles once, at its end', () => {
  it("an if condition's membrane lives while the then block runs (no statement of it calls anything)", () => {
    // The block fails before the if statement ends: the condition's membrane is still open at the error.
    const r = run(`${OUTER}function ok(d dag)::{}{ return true; };\nif ok(membrane<quota<50,10,0>> outer) { mutable int i = 0; lang.assert false; };\n`);
    expect([r.error?.code, r.error?.line, r.error?.column]).toEqual(['MRG3009', 4, 60]);
    expect(r.membranes.map((m) => m.name)).toEqual(['outer', '(membrane)']);
  });
});

describe('aliases seen by the rest of the interpreter', () => {
  it('a vectorized function may not read an alias', () => {
    const src = 'int k = 2;\nalias k as a;\nfunction f(x int32)::{}{ return x * a; };\nmutable dataframe i int32 x;\nmutable dataframe o int32 y;\ni(1);\nmutable blocker b;\nb += vectorize f i o;\nawait_all b;\n';
    expect(where(err(src, NO_CHECK))).toEqual([
      'type_error',
      'MRG3002',
      "f reads 'a', an alias: a vectorized function may only read constants; read the aliased value into an inert constant first",
      8,
      6,
    ]);
  });

  it('an alias of a DAG path is mutable, not authority: freezing it from a function needs a capture', () => {
    expect(where(err('mutable dag d;\nmutable int d.v = 1;\nalias d.v as w;\nfunction f()::{}{ freeze w; };\nf();\n', NO_CHECK))).toEqual([
      'capability_error',
      'MRG3007',
      "'w' is mutable in an enclosing scope; list it in this callable's capture block",
      4,
      19,
    ]);
  });
});

describe('print widths of calls (spec part 17: the lang.memory built-ins return float16)', () => {
  it('a float32 name prints at float32 width; a float64 at a DAG path at float64, whatever its last part names', () => {
    // float32(0.1) = 0.100000001490116…, shortest at float32 width 0.1; d.v is a float64 that a
    // float16 would print as 0.1, and the name v is a float16.
    expect(out('inert float16 v = 0.1;\nmutable dag d;\nmutable float64 d.v = 0.0999755859375;\ninert float32 g = 0.1;\ncout d.v " " g endl;\n')).toBe('0.0999755859375 0.1\n');
  });

  it('lang.memory calls print as float16, other calls as float64, in a script and in an app', () => {
    // int8's RAM-points as float16 are 0.468017578125, whose shortest float16 form is 0.468;
    // a float16 0.1 (0.0999755859375) handed out by a function prints at float64 width.
    expect(out('cout lang.memory.int.rampoints(lang.type.int8) endl;\ninert float16 h = 0.1;\nfunction f()::{}{ return h; };\ncout f() endl;\n')).toBe('0.468\n0.0999755859375\n');
    expect(out('app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  cout lang.memory.int.rampoints(lang.type.int8) endl;\n};\n')).toBe('0.468\n');
  });

  it('a float at a DAG path prints at its stored width: float16, float32, through an alias of the path, in a pruned DAG', () => {
    // 0.1 stored as float16 is 0.0999755859375 and as float32 0.100000001490116…: each prints 0.1 at
    // its own width. A sum is float64 (0.0999755859375 + 0.0). scope.n is the name n.
    const src = 'mutable dag d;\nmutable float16 d.f = 0.1;\nmutable float32 d.g = 0.1;\ninert float16 n = 0.1;\nalias d.f as af;\ncout d.f " " d.g " " af " " scope.n " " d.f + 0.0 endl;\nmutable dag p = prune d;\ncout p.f endl;\n';
    expect(out(src)).toBe('0.1 0.1 0.1 0.1 0.0999755859375\n0.1\n');
  });

  it('a path whose value comes from no DAG node prints at float64, whatever was read before it', () => {
    // scope.imported.k is a captured float64 holding float16(0.1); d.f, a float16, was read just before.
    const src = 'mutable dag d;\nmutable float16 d.f = 0.1;\nmutable float64 k = 0.0999755859375;\nfunction g()::{ k; d; cout; endl; }{ cout d.f " " scope.imported.k endl; cout d.f scope.imported.k endl; };\ng();\n';
    // The second line has no part between the two: scope.imported.k comes right after d.f's read.
    expect(out(src)).toBe('0.1 0.0999755859375\n0.10.0999755859375\n');
  });

  it('lang.memory calls print as float16 when the language is reached through an alias or a use binding', () => {
    // The same built-in under other names returns the same float16 (0.468017578125 for int8).
    expect(out('alias lang as l;\ncout l.memory.int.rampoints(l.type.int8) endl;\n')).toBe('0.468\n');
    expect(out('use lang { memory as mem; memory.int as mi; };\ncout mem.int.rampoints(lang.type.int8) " " mi.rampoints(lang.type.int8) endl;\n')).toBe('0.468 0.468\n');
    expect(out('use lang { memory as mem; };\nalias mem.int as ai;\ncout ai.rampoints(lang.type.int8) endl;\n')).toBe('0.468\n');
    expect(out('app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  alias lang.memory as lm;\n  cout lm.int.rampoints(lang.type.int8) endl;\n};\n')).toBe('0.468\n');
  });
});

describe('more assignment', () => {
  it('a dag the program named scope is assigned at its path', () => {
    expect(out('mutable dag scope;\nmutable int scope.x = 1;\nscope.x = 5;\ncout scope.x endl;\n', NO_CHECK)).toBe('5\n');
  });

  it('a moved name cannot be assigned', () => {
    expect(where(err('mutable dag d;\nmutable int32 x = 1;\nent d x as y;\nx = 2;\n', NO_CHECK))).toEqual(['ownership_error', 'MRG3004', "'x' was moved and cannot be used any more", 4, 1]);
  });

  it('floats take += and -= of ints and floats', () => {
    expect(out('mutable float64 x = 1.5;\nx += 1;\nx -= 0.25;\ncout x endl;\n')).toBe('2.25\n');
  });

  it('each assignment form counts its step, and a small literal on the right its own', () => {
    // x += 1: the statement, then the literal; x = y: the statement, then y; d.v -= 1: the
    // statement, the place, then the literal.
    expect(stops('mutable int x = 0;\nint y = 2;\nx += 1;\nx = y;\nmutable dag d;\nmutable int d.v = 1;\nd.v -= 1;\n')).toBe(
      '1:1 1:17 2:1 2:9 3:1 3:6 4:1 4:5 5:1 6:1 6:13 6:19 7:1 7:1 7:8 ok 15',
    );
  });
});

describe('use binds authority from the namespace it reads', () => {
  it("a stream bound by use is authority: main reaches it only through its capture block", () => {
    const src = 'app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  mutable main ()::{ endl; }{ cout "hello" endl; };\n};\n';
    expect(where(err(src, NO_CHECK))).toEqual(['capability_error', 'MRG3007', "'cout' is authority of an enclosing scope; list it in this callable's capture block", 3, 31]);
  });
});

describe('work registered on a blocker', () => {
  it('a call of something that is not callable fails when awaited, at the call', () => {
    expect(where(err('mutable blocker b;\nint x = 1;\nb += x();\nawait_all b;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an integer is not callable', 3, 6]);
  });
});

describe('lines 471-691, more', () => {
  it('a float64 name prints at float64 width', () => {
    expect(out('inert float64 z = 0.0999755859375;\ncout z endl;\n')).toBe('0.0999755859375\n');
  });

  it('assignment at a path through an alias of a dag changes the dag', () => {
    expect(out('mutable dag d;\nmutable int d.v = 1;\nalias d as e;\ne.v = 5;\ncout d.v endl;\n', NO_CHECK)).toBe('5\n');
  });

  it('an int name is not given a float, even one inside its class', () => {
    expect(where(err('mutable int x = 1;\nx = 0.5;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'x' is declared int but gets a float", 2, 1]);
  });

  it('switch on a dag goes to default; a type no case names goes on quietly', () => {
    expect(out('mutable dag d;\nswitch d { default : { cout "d" endl; }; };\nswitch lang.type.int16 { int8 : { cout "8" endl; }; };\ncout "after" endl;\n', NO_CHECK)).toBe('d\nafter\n');
  });

  it('use of a name that is not declared, or of a dag', () => {
    expect(where(err('use nope { a as b; };\n', NO_CHECK))).toEqual(['name_error', 'MRG3001', "'nope' is not declared here", 1, 1]);
    expect(where(err('mutable dag d;\nuse d { a as b; };\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'use needs a namespace such as ambient, not a dag', 2, 1]);
  });

  it('a name bound by use is inert', () => {
    expect(where(err('app demo lang ambient {\n  use ambient { io.cout as cout; };\n  cout = 1;\n};\n', NO_CHECK))).toEqual(['freeze_error', 'MRG3005', "'cout' is inert", 3, 3]);
  });

  it('what use takes from lang (not declared in a script) is no authority', () => {
    expect(out('use lang { version as v; };\nfunction f()::{}{ return v.major; };\ncout f() endl;\n', NO_CHECK)).toBe('0\n');
  });
});

describe('vectorize names its dataframes as the program wrote them (runtime.md §2)', () => {
  // Both live in `results`, seen through the membrane `capped`: the world path would say results.*.
  it('the input, in the parameter-count refusal', () => {
    const e = err(`function f(x int32)::{}{ return x; };
mutable dag results;
mutable dag capped = membrane<quota<100, 100, 0>> results;
mutable dataframe capped.inDf int32 a, int32 b;
capped.inDf(1, 2);
mutable dataframe capped.outDf int32 y;
mutable blocker bl;
bl += vectorize f capped.inDf capped.outDf;
await_all bl;
`);
    expect(where(e)).toEqual(['type_error', 'MRG3002', "f takes 1 parameter but capped.inDf has 2 columns: vectorize passes each row's columns as the arguments", 8, 7]);
  });

  it('the output, in the refused append', () => {
    const e = err(`function f(x int32)::{}{ return x; };
mutable dag results;
mutable dataframe results.inDf int32 a;
results.inDf(1);
results.inDf(2);
results.inDf(3);
mutable dag capped = membrane<quota<8, 8, 0>> results;
mutable dataframe capped.outDf int32 y;
mutable blocker bl;
bl += vectorize f results.inDf capped.outDf;
await_all bl;
`);
    expect([e.code, e.line]).toEqual(['MRG3006', 10]);
    expect(e.message).toContain(' did not fit capped.outDf; kept ');
  });
});
