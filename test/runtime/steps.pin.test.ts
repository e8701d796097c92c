// Step counts are part of the interface: vectorize's cost model (FnCost) reads `meter.ops`, and
// `--max-steps` stops a run at the same place on every machine. These counts were recorded before the
// lazy-frame and scope-release work and must not change when the interpreter's internals do: one
// program per construct, its step count, what it printed and how it ended.
import { describe, expect, it } from 'vitest';

import { run } from './helpers.js';

const U = 'function inc(x int)::{}{ return x + 1; };\ninert int K = 3;\n';

/** name → [program, steps, stdout, error code or ''] */
const PINNED: Record<string, [string, number, string, string]> = {
  literals: ['cout 1 2.5 "s" true endl;', 7, '12.5strue\n', ''],
  'names and arithmetic': ['inert int a = 2;\nmutable int b = a * 3 + 1 - 2;\nb += a % 2;\nb -= 1;\ninert int nb = -b;\ncout b / 2 " " nb " " !(b < 3) endl;', 32, '2 -4 true\n', ''],
  comparisons: ['cout 1 < 2 " " 2 <= 2 " " 3 > 4 " " 4 >= 4 " " 1 == 1 " " 1 != 2 " " "a" == "a" " " true && false || true endl;', 36, 'true true false true true true true true\n', ''],
  'declarations of every type': ['inert int8 a = 1;\ninert uint16 b;\ninert float32 c = 1.5;\ninert string s = "x";\ninert bool t;\nmutable dag d;\nmutable blocker w;\nmutable dataframe df int32 x, string y;\ncout a b c s t endl;', 19, '101.5xfalse\n', ''],
  'dag paths, prune, ent, alias, freeze': [
    'mutable dag d;\nmutable int d.a.b = 4;\nmutable dag e;\nent e prune d.a as A;\nalias e.A.b as ab;\ncout ab endl;\nab = 5;\ncout e.A.b endl;\nfreeze e.A;\nent e 7 as seven;\ncout e.seven endl;\nmutable dag v = prune scope.imported.lang.Version;\nent e v as V;\ncout e.V.major endl;',
    49,
    '4\n5\n7\n0\n',
    '',
  ],
  membranes: ['mutable dag r;\nmutable dag q = membrane<quota<100,20,0>> r;\nmutable dag c = membrane<copy_on_mutate> q;\nmutable int c.x = 1;\ncout q.x lang.memory.dag.dag_rampoints(q.y, lang.type.int32) endl;', 24, '10.842\n', ''],
  dataframes: ['mutable dataframe df int32 a, string b;\nmutable int i = 0;\nwhile i < 4 { i += 1; df(i "r"); };\ncout lang.dataframe.rows(df) endl;\nfreeze df;\ndf(1 "x");', 56, '4\n', 'MRG3005'],
  'while, if, switch': [
    'mutable int i = 0;\nmutable int n = 0;\nwhile i < 10 { i += 1; if i % 2 == 0 { n += 1; } else { n += 2; }; switch "b" { a : { n += 100; }; b : { n += 1000; }; }; };\ncout n endl;',
    182,
    '10015\n',
    '',
  ],
  'block locals in a loop': [
    'mutable int i = 0;\nwhile i < 3 { i += 1; inert int sq = i * i; mutable dag b; mutable int b.x = sq; mutable dag m = membrane<quota<10,5,0>> b; mutable string m.s = "s"; mutable dataframe df int32 a; df(sq); cout b.x m.s endl; };',
    96,
    '1s\n4s\n9s\n',
    '',
  ],
  'functions and returns': [
    'inert function sq(x int)::{}{ return x * x; };\ninert function two(a int, b string)::{}{ return a b; };\ninert function none()::{}{ };\nmutable int i = 0;\nmutable int s = 0;\nwhile i < 5 { i += 1; s += sq(i); };\ncout s two(1, "z")[1] endl;\nnone();',
    91,
    '55z\n',
    '',
  ],
  recursion: ['inert function fib(n int)::{}{ if n < 2 { return n; }; return fib(n - 1) + fib(n - 2); };\ncout fib(10) endl;', 1949, '55\n', ''],
  'captures and handlers': [
    'mutable int c = 0;\nmutable function bump()::{ c; cout; endl; }{ c += 1; lang.assert c < 3; cout c endl; }!!{ switch scope.exceptions[-1] { range_error : { cout "caught " scope.exceptions[-1].code endl; }; }; };\nbump();\nbump();\nbump();',
    49,
    '1\n2\ncaught MRG3009\n',
    '',
  ],
  'scope reads': ['inert int a = 1;\ncout scope.a scope.imported.lang.version.major lang.memory.int.rampoints(lang.types.int32) endl;', 18, '100.468\n', ''],
  blockers: ['inert function f(x int)::{ cout; endl; }{ cout x endl; };\nmutable blocker b;\nb += f(1);\nb += f(2);\nawait_all b;', 18, '1\n2\n', ''],
  'use and commands': ['app a lang ambient {\n  use ambient { io.cout as out; io.endl as nl; };\n  inert function show(x int)::{ out; nl; }{ out x nl; };\n  show 4;\n  out "done" nl;\n};', 14, '4\ndone\n', ''],
  'merge and main': ['app a lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  merge u.inc as inc(x int)::{}{};\n  mutable main ()::{ cout; endl; }{ cout inc(41) endl; };\n};', 16, '42\n', ''],
  'a quota error caught': [
    'mutable dag r;\nmutable dag q = membrane<quota<1,1,0>> r;\ninert function f()::{ q; cout; endl; }{ mutable string q.s = "a long string that does not fit"; }!!{ cout scope.exceptions[-1].name endl; };\nf();',
    18,
    'quota_error\n',
    '',
  ],
  'vectorize inline': [
    'inert function dbl(x int32)::{}{ return x * 2; };\nmutable dataframe inp int32 x;\nmutable dataframe outp int32 y;\nmutable int i = 0;\nwhile i < 5 { i += 1; inp(i); };\nmutable blocker b;\nb += vectorize dbl inp outp;\nawait_all b;\ncout lang.dataframe.rows(outp) endl;',
    84,
    '5\n',
    '',
  ],
};

describe('step counts stay pinned', () => {
  for (const [name, [src, steps, stdout, code]] of Object.entries(PINNED)) {
    it(name, () => {
      const r = run(src, { mods: { u: U } });
      expect({ steps: r.steps, stdout: r.stdout, code: r.error?.code ?? '' }).toEqual({ steps, stdout, code });
    });
  }
});

describe('an int literal operand counts its own step, at its own place', () => {
  // The interpreter writes `x OP literal` and `x += literal` in place (one closure call fewer); a
  // literal must still be one step at its own span. The places --max-steps stops at, for every limit,
  // were recorded before that change (each literal had its own closure then).
  const stops = (src: string) => {
    const at: string[] = [];
    for (let k = 1; ; k++) {
      const r = run(src, { maxSteps: k });
      if (!r.error) return { at, steps: r.steps };
      at.push(`${r.error.line}:${r.error.column}`);
    }
  };
  const program = (k: string) => `inert int one = 1;\nmutable int i = 0;\nmutable int s = 0;\nwhile i < 3 { i += ${k}; s += i * ${k}; lang.assert s % 7 != 0; };\ncout s endl;`;
  it('stops --max-steps where it stopped before, and where a name in the same column stops', () => {
    const literal = stops(program('1'));
    expect(literal).toEqual({ steps: 59, at: ["1:1","1:17","2:1","2:17","3:1","3:17","4:1","4:7","4:7","4:11","4:15","4:20","4:23","4:28","4:28","4:32","4:35","4:47","4:47","4:47","4:51","4:56","4:7","4:7","4:11","4:15","4:20","4:23","4:28","4:28","4:32","4:35","4:47","4:47","4:47","4:51","4:56","4:7","4:7","4:11","4:15","4:20","4:23","4:28","4:28","4:32","4:35","4:47","4:47","4:47","4:51","4:56","4:7","4:7","4:11","5:1","5:1","5:6","5:8"] });
    expect(stops(program('one'))).toEqual(stops(program('1  ')));
  });
});
