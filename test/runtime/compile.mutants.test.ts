// Mutation survivors of src/runtime/compile.ts (TESTING.md › Survivors): int literals and the integer
// fast paths of binary operators (language.md §4: ints are at most 16384 bits, so a result's magnitude
// stays below 2^16383; mixed int/float arithmetic promotes to float), members and error fields, node and
// membrane names, `scope` as a value and as the head of a place or call target, and dag_rampoints' place.
import { describe, expect, it } from 'vitest';

import type { Expr } from '../../src/ast/types.js';
import { FnTable } from '../../src/check/scopes.js';
import { MergeError } from '../../src/diagnostics.js';
import { Compiler, smallIntLiteral } from '../../src/runtime/compile.js';
import { Cell, Frame } from '../../src/runtime/frame.js';
import { err, out, stops, where } from './helpers.js';

// 16384-bit ints (language.md §4): two's complement range -2^16383 .. 2^16383 - 1.
const LIM = 1n << 16383n;
const H = 1n << 16382n;
const at = { file: 't', line: 1, column: 1 } as never;
const lit = (value: bigint): Expr => ({ kind: 'IntLit', value, span: at }) as Expr;
const tooBig = (src: string) => {
  const e = err(src);
  return [e.code, e.message, e.line];
};
const TOO_BIG = ['MRG3013', 'integer result needs more than 16384 bits'];

describe('smallIntLiteral: an int literal inside the 16384-bit range, else null', () => {
  it('takes both ends of the range and nothing past them', () => {
    expect(smallIntLiteral(lit(7n))).toBe(7n);
    expect(smallIntLiteral(lit(LIM - 1n))).toBe(LIM - 1n);
    expect(smallIntLiteral(lit(-LIM))).toBe(-LIM);
    expect(smallIntLiteral(lit(LIM))).toBeNull();
    expect(smallIntLiteral(lit(-LIM - 1n))).toBeNull();
    expect(smallIntLiteral({ kind: 'StringLit', value: '7', span: at } as Expr)).toBeNull();
  });
});

describe('int literals', () => {
  it('one of 2^16383 does not fit; one less does', () => {
    expect(tooBig(`cout ${LIM} endl;\n`)).toEqual([...TOO_BIG, 1]);
    expect(out(`int x = ${LIM - 1n};\ncout x == ${LIM - 1n} endl;\n`)).toBe('true\n');
  });
});

describe('integer results at the edge of the range', () => {
  const h = `int h = ${H};\nint two = 2;\nint one = 1;\n`;
  it('+ of two names', () => {
    expect(tooBig(`${h}cout h + h endl;\n`)).toEqual([...TOO_BIG, 4]);
    expect(tooBig(`${h}int m = 0 - h;\nint n = m - one;\ncout m + n endl;\n`)).toEqual([...TOO_BIG, 6]);
    expect(out(`${h}int m = 0 - h;\nint k = h - one;\ncout h + k == ${LIM - 1n} " " m + m == 0 - ${H} - ${H} endl;\n`)).toBe('true true\n');
  });

  it('- of two names', () => {
    expect(tooBig(`${h}int m = 0 - h;\ncout h - m endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(tooBig(`${h}int m = 0 - h;\ncout m - (h + one) endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(out(`${h}int m = 0 - h;\ncout m - h == 0 - ${H} - ${H} " " 5 - two endl;\n`)).toBe('true 3\n');
  });

  it('* of two names', () => {
    expect(tooBig(`${h}cout h * two endl;\n`)).toEqual([...TOO_BIG, 4]);
    expect(tooBig(`${h}int m = 0 - h - one;\ncout m * two endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(out(`${h}int m = 0 - h;\ncout m * two == 0 - ${H} - ${H} " " 3 * two endl;\n`)).toBe('true 6\n');
  });

  it('+ and * of a name and a literal', () => {
    expect(tooBig(`int x = ${LIM - 1n};\ncout x + 1 endl;\n`)).toEqual([...TOO_BIG, 2]);
    expect(tooBig(`${h}cout h * 2 endl;\n`)).toEqual([...TOO_BIG, 4]);
    expect(tooBig(`${h}int m = 0 - h - one;\ncout m * 2 endl;\n`)).toEqual([...TOO_BIG, 5]);
    expect(out(`int x = ${LIM - 2n};\ncout x + 1 == ${LIM - 1n} " " 4 + 1 " " 4 * 3 endl;\n`)).toBe('true 5 12\n');
    expect(out(`${h}int m = 0 - h;\ncout m * 2 == 0 - ${H} - ${H} endl;\n`)).toBe('true\n');
  });
});

describe('mixed int and float operands promote to float', () => {
  it('with two names', () => {
    const src = 'int x = 3;\nfloat64 y = 1.5;\nint z = 2;\n';
    expect(out(`${src}cout x + y " " y + x " " x - y " " y - x " " x * y " " y * x endl;\n`)).toBe('4.5 4.5 1.5 -1.5 4.5 4.5\n');
    expect(out(`${src}cout x < y " " y < x " " x <= y " " x > y " " y >= x endl;\n`)).toBe('false true false true false\n');
    expect(out(`${src}float64 w = 3.0;\ncout x == w " " w == x " " x == z " " x == x endl;\n`)).toBe('true true false true\n');
    expect(out(`${src}cout x % y " " y % x " " x % z endl;\n`)).toBe('0.0 1.5 1\n');
  });

  it('with a literal on the right', () => {
    const src = 'float64 y = 1.5;\nint x = 7;\n';
    expect(out('float64 w = 1.0;\ncout w == 1 " " w < 1 endl;\n')).toBe('true false\n');
    expect(out(`${src}cout y + 1 " " y * 2 " " y % 1 " " y < 2 " " y == 1 " " x % 4 " " x < 8 " " x == 7 " " x == 8 endl;\n`)).toBe('2.5 3.0 0.5 true false 3 true true false\n');
  });
});

describe('remainder by zero is a range_error, not a crash', () => {
  it('by a literal and by a name', () => {
    const e = err('int x = 1;\ncout x % 0 endl;\n');
    expect([e.name, e.code, e.message, e.line, e.column]).toEqual(['range_error', 'MRG3003', 'integer remainder by zero', 2, 6]);
    const f = err('int x = 1;\nint z = 0;\ncout x % z endl;\n');
    expect([f.name, f.code, f.message, f.line, f.column]).toEqual(['range_error', 'MRG3003', 'integer remainder by zero', 3, 6]);
  });
});


describe('every expression counts its step where it is written (the step budget stops there)', () => {
  it('a name and a small literal on the right', () => {
    // x + 1 x * 2 x % 2 x < 2 x == 2: the operator (at the left operand), the name, the literal.
    expect(stops('int x = 3;\ncout x + 1 x * 2 x % 2 x < 2 x == 2 endl;\n')).toBe(
      '1:1 1:9 2:1 2:1 2:6 2:6 2:10 2:12 2:12 2:16 2:18 2:18 2:22 2:24 2:24 2:28 2:30 2:30 2:35 2:37 ok 20',
    );
  });

  it('two names, and && of two bools', () => {
    expect(stops('int x = 3;\nint y = 2;\ncout x + y x - y x * y x % y x < y x == y x != y endl;\nbool b = true && true;\n')).toBe(
      '1:1 1:9 2:1 2:9 3:1 3:1 3:6 3:6 3:10 3:12 3:12 3:16 3:18 3:18 3:22 3:24 3:24 3:28 3:30 3:30 3:34 3:36 3:36 3:41 3:43 3:43 3:48 3:50 4:1 4:10 4:10 4:18 ok 32',
    );
  });

  it('literals, lang, scope and its members', () => {
    expect(stops('cout !true "a" 1.5 lang scope scope.exceptions scope.imported lang.memory endl;\n')).toBe('1:1 1:1 1:6 1:7 1:12 1:16 1:20 1:25 1:31 1:48 1:63 1:63 1:75 ok 13');
  });

  it('an inert name of an enclosing scope, a negation, a call', () => {
    expect(stops('int k = 7;\nfunction g()::{ cout; endl; }{ cout k endl; };\ng();\n')).toBe('1:1 1:9 2:1 3:1 3:1 2:32 2:32 2:37 2:39 ok 9');
    expect(stops('int x = 3;\nint z = -x;\n')).toBe('1:1 1:9 2:1 2:9 2:10 ok 5');
    // The call (at f), f, the argument, then the body's return and its name, then endl.
    expect(stops('function f(a int)::{}{ return a; };\ncout f(1) endl;\n')).toBe('1:1 2:1 2:1 2:6 2:6 2:8 1:24 1:31 2:11 ok 9');
  });

  it('an index, a call statement on a dataframe, dag_rampoints, a membrane, a prune', () => {
    expect(stops('function f()::{ cout; endl; }{ lang.assert false; }!!{ cout scope.exceptions[0] endl; };\nf();\n')).toBe(
      '1:1 2:1 2:1 1:32 1:44 1:56 1:56 1:61 1:61 1:78 1:81 ok 11',
    );
    expect(stops('mutable dag d;\nmutable dataframe d.log int32 a;\nd.log(1);\nd.log(2);\n')).toBe('1:1 2:1 2:19 3:1 3:1 3:1 3:7 4:1 4:1 4:1 4:7 ok 11');
    const src = 'mutable dag d;\ncout lang.memory.dag.dag_rampoints(d, lang.type.int8) endl;\nmutable dag v = membrane<quota<10,10,0>> d;\nmutable int d.q.v = 1;\nmutable dag p = prune d.q;\n';
    expect(stops(src)).toBe('1:1 2:1 2:1 2:6 2:6 2:6 2:6 2:6 2:39 2:39 2:39 2:36 2:55 3:1 3:17 3:42 4:1 4:13 4:21 5:1 5:17 5:23 ok 22');
  });
});

describe('calls with two arguments are not dag_rampoints', () => {
  it('a function of two ints', () => {
    expect(out('function f(a int, b int)::{}{ return a - b; };\ncout f(5, 2) endl;\n')).toBe('3\n');
  });

  it('dag_rampoints reads a place through scope', () => {
    const src = 'mutable dag d;\nmutable int d.q.v = 1;\ncout lang.memory.dag.dag_rampoints(scope.d, lang.type.int8) == lang.memory.dag.dag_rampoints(d, lang.type.int8) endl;\n';
    expect(out(src)).toBe('true\n');
  });
});

describe('the fields of a caught error', () => {
  const handler = (body: string) => `function f()::{ cout; endl; }{ lang.assert false; }!!{ ${body} };\nf();\n`;
  it('file, line and column of the failing statement', () => {
    expect(out(handler('cout scope.exceptions[0].file " " scope.exceptions[0].line " " scope.exceptions[0].column endl;'))).toBe('test.merge 1 32\n');
  });

  it('no other field', () => {
    const e = err(handler('cout scope.exceptions[0].nope endl;'), { check: false });
    expect([e.name, e.code, e.message, e.line]).toEqual(['name_error', 'MRG3001', "an error has name, message, code, file, line and column, not 'nope'", 1]);
  });
});

describe('scope and scope.imported as values', () => {
  it('show their names', () => {
    expect(out('cout scope " " scope.imported endl;\n')).toBe('<namespace scope> <namespace scope.imported>\n');
  });

  it('scope.imported holds lang and captures, nothing else', () => {
    expect(out('int k = 7;\nfunction g()::{ k; cout; endl; }{ cout scope.imported.k endl; };\ng();\n')).toBe('7\n');
    const e = err('cout scope.imported.nope endl;\n', { check: false });
    expect([e.name, e.code, e.message, e.line]).toEqual(['name_error', 'MRG3001', "scope.imported has no member 'nope'", 1]);
    // A name declared here is the scope's own, not imported.
    const own = err('int x = 1;\ncout scope.imported.x endl;\n', { check: false });
    expect([own.name, own.message, own.line]).toEqual(['name_error', "scope.imported has no member 'x'", 2]);
  });
});

describe('a membrane named by no declaration', () => {
  it("is '(membrane)' in a quota refusal, even before any name was declared", () => {
    // f's body is compiled first, so no declaration has set the name hint yet.
    const e = err('function f(d dag)::{}{ return membrane<quota<0,0,0>> d; };\nmutable dag store;\nmutable dag v = f(store);\nmutable int v.x = 1;\n');
    expect([e.name, e.code, e.line]).toEqual(['quota_error', 'MRG3006', 4]);
    expect(e.message).toMatch(/^allocation refused by quota membrane '\(membrane\)': /);
  });
});

describe('node names of one body', () => {
  it('a name declared again after a block gets a node of its own', () => {
    // The later d and b are d#n and b#n: two different node names, not the block's nor each other's.
    const src = 'if true { int x = 1; mutable dag d; mutable dataframe d.log int32 a; d.log(1); mutable blocker b; };\nint x = 2;\nmutable dag d;\nmutable blocker b;\nmutable dataframe d.log int32 a;\ncout x endl;\n';
    expect(out(src)).toBe('2\n');
  });

  it('a callable kept by a blocker and one of the same name declared after its block', () => {
    const src = 'mutable dag store;\nmutable dataframe store.log int32 a;\nmutable blocker bl;\nif true { function add(d dag)::{}{ d.log(1); }; bl += add(store); };\nfunction add(d dag)::{}{ d.log(2); };\nbl += add(store);\nawait_all bl;\ncout "ok" endl;\n';
    expect(out(src)).toBe('ok\n');
  });
});

describe('cellReader: a name whose declaration has not run in the frame read', () => {
  // Programs reach this only through a vectorized function's shipped closure (a name not yet set).
  const table = new FnTable('program', null);
  const sym = table.declare({ name: 'u', kind: 'constant', mutable: false, shared: false, authority: false, type: 'int', arity: null, span: at }).sym;
  const c = new Compiler({} as never, table);
  const caught = (read: () => unknown) => {
    try {
      read();
    } catch (e) {
      return e instanceof MergeError ? [e.errorName, e.code, e.message] : String(e);
    }
    return 'no error';
  };
  it('is a name_error here and one frame up; a set cell reads', () => {
    const own = new Frame(1, null, {} as never);
    const inner = new Frame(0, own, {} as never);
    const used = ['name_error', 'MRG3001', "'u' is used before its declaration ran"];
    expect(caught(() => c.cellReader({ sym, hops: 0 }, 'u', at)(own))).toEqual(used);
    expect(caught(() => c.cellReader({ sym, hops: 1 }, 'u', at)(inner))).toEqual(used);
    own.cells[sym.slot] = new Cell(4n, null, false, false, 'u');
    expect(c.cellReader({ sym, hops: 1 }, 'u', at)(inner).v).toBe(4n);
  });
});

describe('scope as the head of a place path', () => {
  it("reaches the body's own names inside a block and inside a function (regression: it did only at top level)", () => {
    expect(out('if true { mutable dag d; mutable int scope.d.x = 1; cout d.x endl; };\n')).toBe('1\n');
    expect(out('function f()::{ cout; endl; }{ mutable dag d; mutable int scope.d.x = 2; cout d.x endl; };\nf();\n')).toBe('2\n');
  });

  it('a name moved away or not declared yet is no member of scope', () => {
    const moved = err('mutable dag d;\nfunction g()::{ d; }{ };\nmutable int scope.d.x = 1;\n');
    expect(where(moved)).toEqual(['name_error', 'MRG3001', "scope has no member 'd'", 3, 13]);
    const later = err('mutable int scope.d.x = 1;\nmutable dag d;\n');
    expect(where(later)).toEqual(['name_error', 'MRG3001', "scope has no member 'd'", 1, 13]);
  });

  it('scope.exceptions there is a list, which is not a DAG', () => {
    expect(where(err('mutable int scope.exceptions.x = 1;\n'))).toEqual(['type_error', 'MRG3002', 'a list is not a DAG, so it has no place x', 1, 13]);
  });
});

describe('scope.imported', () => {
  it('a capture moved away again is no member of it', () => {
    const e = err('mutable int k = 1;\nfunction g()::{ k; cout; endl; }{ function h()::{ k; }{ }; cout scope.imported.k endl; };\ng();\n');
    expect(where(e)).toEqual(['name_error', 'MRG3001', "scope.imported has no member 'k'", 2, 65]);
  });
});

describe('scope through an alias, taken apart by use', () => {
  it('hands out scope.exceptions as the list itself: empty outside a handler', () => {
    expect(out('alias scope as s;\nuse s { exceptions as ex; };\ncout ex endl;\n')).toBe('[]\n');
  });
});

describe('a call statement through scope', () => {
  it('calls the name itself: one of an enclosing scope too, in one step', () => {
    expect(out('function f()::{ cout; endl; }{ cout "f" endl; };\nfunction g()::{}{ scope.f(); };\ng();\n')).toBe('f\n');
    // The statement, then scope.f read as f (no separate step for scope).
    expect(stops('function f()::{}{ };\nscope.f();\n')).toBe('1:1 2:1 2:1 ok 3');
  });
});

describe('membranes and places', () => {
  it('a membrane around a namespace is refused like one around an int', () => {
    expect(where(err('mutable dag d = membrane<quota<10,10,0>> lang;\n'))).toEqual(['type_error', 'MRG3002', 'a membrane wraps a dag, not a namespace', 1, 17]);
  });

  it('a place past a non-DAG names the whole rest of its path, dots included', () => {
    expect(where(err('int x = 1;\nmutable dag p = prune x.a.b;\n'))).toEqual(['type_error', 'MRG3002', 'an integer is not a DAG, so it has no place a.b', 2, 23]);
  });

  it("dag_rampoints' first argument may be any expression giving a DAG, such as a call", () => {
    const src = 'mutable dag d;\nmutable int d.x = 1;\nfunction f(e dag)::{}{ return e; };\ncout lang.memory.dag.dag_rampoints(f(d), lang.type.int8) == lang.memory.dag.dag_rampoints(d, lang.type.int8) endl;\n';
    expect(out(src)).toBe('true\n');
  });
});

describe('only lang.memory.dag.dag_rampoints spelled out, with lang the built-in, takes a place', () => {
  it('through an alias of lang it is the builtin, which asks to be called directly', () => {
    const e = err('mutable dag d;\nmutable int d.x = 1;\nalias scope.imported.lang as l;\ncout l.memory.dag.dag_rampoints(d, lang.type.int8) endl;\n');
    expect(where(e)).toEqual(['type_error', 'MRG3002', 'call lang.memory.dag.dag_rampoints(PATH, TYPE) directly with a DAG path', 4, 6]);
  });

  it('a DAG the program named lang is just a DAG: its int leaf is not callable', () => {
    const e = err('mutable dag lang;\nmutable int lang.memory.dag.dag_rampoints = 1;\nmutable dag d;\ncout lang.memory.dag.dag_rampoints(d, 2) endl;\n');
    expect(where(e)).toEqual(['type_error', 'MRG3002', 'an integer is not callable', 4, 6]);
  });
});
