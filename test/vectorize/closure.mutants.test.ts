// The closure of a vectorized function, with every expected value written by hand: the names a body
// reads (freeNames, statement kind by statement kind), and what shipClosure snapshots from hand-made
// callables, frames and cells (each kind of value, frames hops up, names unset or moved, captures)
// together with the full text of each refusal.
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import type { FunctionDecl } from '../../src/ast/types.js';
import type { Sym } from '../../src/check/scopes.js';
import { MergeError } from '../../src/diagnostics.js';
import { Cell, Frame } from '../../src/runtime/frame.js';
import { runProgram } from '../../src/runtime/run.js';
import { STRING } from '../../src/runtime/types.js';
import type { CallableValue, Value } from '../../src/runtime/values.js';
import { freeNames, hasOrigin, recordOrigin, shipClosure, type CallableOrigin, type ShippedClosure } from '../../src/runtime/vectorize/closure.js';
import { PRICING } from './helpers.js';

const SPAN = { file: 'c.merge', line: 4, column: 1, endLine: 4, endColumn: 20 };

function fnDecl(src: string): FunctionDecl {
  const parsed = parseProgram(src, 'c.merge');
  const f = parsed.program.body.find((s) => s.kind === 'Function') as FunctionDecl | undefined;
  if (!f) throw new Error(`no function in ${src}`);
  return f;
}

/** The free names of `function f(x int)::{}{ BODY };`, sorted. */
function free(body: string): string[] {
  return freeNames(fnDecl(`function f(x int)::{}{\n${body}\n};`), new Set(['f', 'x'])).sort();
}

describe('freeNames', () => {
  it('a declaration reads its initializer before it declares: `y = y + 1` reads an outer y', () => {
    expect(free('mutable int y = y + k;\nreturn y;')).toEqual(['k', 'y']);
    expect(free('mutable int z;\nreturn z;')).toEqual([]);
    // `d.a.v` declares inside d's DAG: it reads d.
    expect(free('inert int d.a.v = 1;\nreturn v;')).toEqual(['d', 'v']);
  });

  it('a dataframe declaration declares its name (its column names are no reads)', () => {
    expect(free('mutable dataframe q int32 c, string e;\nq(1 "a");\nreturn c;')).toEqual(['c']);
    expect(free('mutable dataframe g.q int32 c;\nreturn q;')).toEqual(['g', 'q']);
  });

  it('an alias reads the head of its path and declares its name', () => {
    expect(free('alias d.a.v as w;\nreturn w + v;')).toEqual(['d', 'v']);
  });

  it('a path through scope reads its second part, except exceptions and imported; `scope` alone reads scope', () => {
    expect(free('scope.q = 1;')).toEqual(['q', 'scope']);
    expect(free('scope.exceptions.e = 1;')).toEqual(['scope']);
    expect(free('scope.imported.lang = 1;')).toEqual(['scope']);
    expect(free('freeze scope;')).toEqual(['scope']);
    expect(free('freeze other.q;')).toEqual(['other']);
    expect(free('return scope.q2;')).toEqual(['q2', 'scope']);
    expect(free('return scope.exceptions;')).toEqual(['scope']);
    expect(free('return scope.imported;')).toEqual(['scope']);
    expect(free('return other.q3;')).toEqual(['other']);
  });

  it('a nested function declares its name, reads its captures outer names and what its body reads', () => {
    expect(free('function g(a int)::{ z: w; }{ return a + z + g(h); };\nreturn g(1);')).toEqual(['h', 'w']);
    // The handler (`}!!{ … }`) is read too.
    expect(free('function g()::{}{ return 1; }!!{ cout u; };\nreturn g();')).toEqual(['cout', 'u']);
  });

  it('a main declares main, reads its captures and its body (and handler)', () => {
    expect(free('mutable main ()::{ o: out; }{ o inc; }!!{ o fix; };\nreturn main;')).toEqual(['fix', 'inc', 'out']);
  });

  it('a merge reads the outer names of its captures and constants, declares its name, reads nothing of its module', () => {
    expect(free('merge u.inc as inc(a int)::{ c1: o1; }{ k2: o2; };\nreturn inc(a) + c1 + k2;')).toEqual(['a', 'c1', 'k2', 'o1', 'o2']);
  });

  it('use reads its source and declares each binding', () => {
    expect(free('use ambient { io.cout as o; io.endl as nl; };\no 1 nl cout;')).toEqual(['ambient', 'cout']);
  });

  it('documentation, resolve_order and app blocks read nothing', () => {
    expect(free('```\nnote q\n```\nresolve_order lang.flow lang imported;\napp a lang ambient { cout r; };\nreturn 1;')).toEqual([]);
  });

  it('the bodies of while, if, else and switch cases are blocks: what they declare is gone after them', () => {
    expect(free('while c { mutable int t = 1; };\nreturn t;')).toEqual(['c', 't']);
    expect(free('if c { mutable int t = 1; } else { mutable int u = t; };\nreturn u;')).toEqual(['c', 't', 'u']);
    expect(free('switch s { a : { mutable int t = 1; }; b : { return t; }; };')).toEqual(['s', 't']);
    // Inside the block, an outer declaration is seen and its own one shadows nothing outside.
    expect(free('mutable int y = 1;\nwhile y < 3 { y += 1; mutable int w = y; cout w; };')).toEqual(['cout']);
  });

  // Whatever kind of statement opens a nested block, the list is a block (a declaration in it stays in it).
  const first: [string, string][] = [
    ['Doc', '```\nnote\n```'],
    ['Decl', 'inert int q = 1;'],
    ['DataframeDecl', 'mutable dataframe q int32 c;'],
    ['Ent', 'ent d v as V;'],
    ['Alias', 'alias d.a as w;'],
    ['Freeze', 'freeze d;'],
    ['CallStmt', 'g(1);'],
    ['Command', 'cout 1;'],
    ['Assign', 'y = 1;'],
    ['AwaitAll', 'await_all bl;'],
    ['Function', 'function h()::{}{ return 1; };'],
    ['Main', 'mutable main ()::{}{ cout 1; };'],
    ['Merge', 'merge u.inc as inc(a int)::{}{};'],
    ['Return', 'return 1;'],
    ['While', 'while c { };'],
    ['If', 'if c { };'],
    ['Switch', 'switch s { a : { }; };'],
    ['Use', 'use ambient { io.cout as o; };'],
    ['ResolveOrder', 'resolve_order lang imported;'],
    ['Assert', 'lang.assert c;'],
    ['App', 'app a lang ambient { };'],
  ];
  it.each(first)('a block opening with %s is a block', (kind, stmt) => {
    const decl = fnDecl(`function f(x int)::{}{\nwhile x > 0 {\n${stmt}\nmutable int t = 1;\n};\nreturn t;\n};`);
    const loop = decl.body[0] as { body: { kind: string }[] };
    expect(loop.body[0]?.kind).toBe(kind);
    expect(freeNames(decl, new Set(['f', 'x']))).toContain('t');
  });

  it('reads the handler of the function itself', () => {
    const decl = fnDecl('function f(x int)::{}{ return x; }!!{ cout oops; };');
    expect(freeNames(decl, new Set(['f', 'x'])).sort()).toEqual(['cout', 'oops']);
  });
});

// ------------------------------------------------------------------ shipClosure on hand-made callables

function sym(name: string, slot: number, over: Partial<Sym> = {}): Sym {
  return { name, slot, kind: 'var', mutable: false, shared: false, authority: false, type: null, arity: null, span: null, ...over } as Sym;
}

function frame(parent: Frame | null, cells: (Cell | undefined)[]): Frame {
  const fr = new Frame(cells.length, parent, null as never);
  cells.forEach((c, i) => (fr.cells[i] = c));
  return fr;
}

const cell = (v: Value, opts: { t?: string | null; mutable?: boolean; moved?: boolean } = {}): Cell => {
  const c = new Cell(v, opts.t ? ({ k: 'int', name: opts.t } as never) : null, opts.mutable ?? false, false, 'c');
  c.moved = opts.moved ?? false;
  return c;
};

function callable(name: string, kind: CallableValue['kind'] = 'function'): CallableValue {
  return { tag: 'callable', name, kind, params: [], invoke: () => 0n };
}

interface Made {
  fn: CallableValue;
  frameCalls: () => number;
}

/** A callable `name` whose body is `src`'s first function, reading `free` from `fr` and capturing `caps`. */
function made(name: string, free: { name: string; sym: Sym; hops: number }[], fr: Frame | null, caps: { inner: string; constant: boolean; cell?: Cell }[] = [], membrane: CallableOrigin['membrane'] = null): Made {
  const fn = callable(name);
  let calls = 0;
  const origin: CallableOrigin = { decl: fnDecl(`function ${name}(x int32)::{}{ return x; };`), membrane, free, caps: caps.map(({ inner, constant }) => ({ inner, constant })) };
  recordOrigin(
    fn,
    origin,
    () => (calls++, fr),
    caps.flatMap((c) => (c.cell ? [c.cell] : [])),
  );
  return { fn, frameCalls: () => calls };
}

const envOf = (c: ShippedClosure, id = c.root) => c.fns[id]!.env.map((e) => [e.name, e.type, e.value]);

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MergeError);
    const m = e as MergeError;
    expect(m.code).toBe('MRG3002');
    expect(m.diagnostic.span).toEqual(SPAN);
    return m.message;
  }
  throw new Error('not refused');
}

describe('shipClosure', () => {
  it('refuses what is no callable, naming what it is', () => {
    expect(refusal(() => shipClosure(3n, "'n'", SPAN))).toBe("vectorize needs a function, but 'n' is an integer");
    expect(refusal(() => shipClosure('s', "'s'", SPAN))).toBe("vectorize needs a function, but 's' is a string");
    expect(refusal(() => shipClosure({ tag: 'dag' } as Value, "'d'", SPAN))).toBe("vectorize needs a function, but 'd' is a dag");
  });

  it('refuses a callable the program did not declare, and main', () => {
    expect(refusal(() => shipClosure(callable('g'), "'g'", SPAN))).toBe("'g' is not a function declared in the program or merged from a module: vectorize runs functions");
    expect(refusal(() => shipClosure(callable('main', 'main'), "'main'", SPAN))).toBe("'main' is main: vectorize runs functions");
    expect(hasOrigin(callable('g'))).toBe(false);
    expect(hasOrigin(3n)).toBe(false);
    expect(hasOrigin('x')).toBe(false);
  });

  it('ships each kind of constant, sorted by name, with its declared type', () => {
    const lang = { tag: 'namespace', name: 'lang', authority: false, get: () => undefined } as Value;
    const g = made('g', [], null);
    const fr = frame(null, [cell(5n, { t: 'int' }), cell(1.5, { t: 'float64' }), cell('a'), cell(true), cell({ tag: 'endl' } as Value), cell({ tag: 'type', type: STRING } as Value), cell(lang), cell(g.fn)]);
    const names = ['zint', 'flo', 'str', 'bo', 'endl', 'ty', 'lang', 'g'];
    const f = made(
      'f',
      names.map((n, i) => ({ name: n, sym: sym(n, i, { type: i === 0 ? 'int' : i === 1 ? 'float64' : null }), hops: 0 })),
      fr,
    );
    const c = shipClosure(f.fn, "'f'", SPAN);
    expect(c.root).toBe(0);
    expect(c.fns.map((x) => [x.id, x.decl.name, x.membrane])).toEqual([
      [0, 'f', null],
      [1, 'g', null],
    ]);
    expect(envOf(c)).toEqual([
      ['bo', null, { k: 'bool', v: true }],
      ['endl', null, { k: 'endl' }],
      ['flo', 'float64', { k: 'float', v: 1.5 }],
      ['g', null, { k: 'fn', id: 1 }],
      ['lang', null, { k: 'lang' }],
      ['str', null, { k: 'string', v: 'a' }],
      ['ty', null, { k: 'type', name: 'string' }],
      ['zint', 'int', { k: 'int', v: 5n }],
    ]);
    expect(envOf(c, 1)).toEqual([]);
  });

  it('a callable reached twice (or in a cycle) is shipped once', () => {
    const fnCell = cell(null as never);
    const fr = frame(null, [fnCell]);
    const g = made('g', [{ name: 'back', sym: sym('back', 0), hops: 0 }], fr);
    const f = made('f', [{ name: 'g1', sym: sym('g1', 1), hops: 0 }, { name: 'g2', sym: sym('g2', 2), hops: 0 }], fr);
    fnCell.v = f.fn;
    fr.cells[1] = cell(g.fn);
    fr.cells[2] = cell(g.fn);
    const c = shipClosure(f.fn, "'f'", SPAN);
    expect(c.fns.map((x) => x.decl.name)).toEqual(['f', 'g']);
    expect(envOf(c)).toEqual([
      ['g1', null, { k: 'fn', id: 1 }],
      ['g2', null, { k: 'fn', id: 1 }],
    ]);
    expect(envOf(c, 1)).toEqual([['back', null, { k: 'fn', id: 0 }]]);
  });

  it('reads a name `hops` callable boundaries up the frames; a name never set, or a frame gone, is unset; a moved one is moved', () => {
    const top = frame(null, [cell(1n), cell(7n, { moved: true })]);
    const mid = frame(top, [cell(2n)]);
    const own = frame(mid, [cell(3n)]);
    const refs = [
      { name: 'a0', sym: sym('a0', 0), hops: 0 },
      { name: 'a1', sym: sym('a1', 0), hops: 1 },
      { name: 'a2', sym: sym('a2', 0), hops: 2 },
      { name: 'a3', sym: sym('a3', 0), hops: 3 },
      { name: 'a5', sym: sym('a5', 0), hops: 5 },
      { name: 'b0', sym: sym('b0', 1), hops: 0 },
      { name: 'b2', sym: sym('b2', 1), hops: 2 },
    ];
    expect(envOf(shipClosure(made('f', refs, own).fn, "'f'", SPAN))).toEqual([
      ['a0', null, { k: 'int', v: 3n }],
      ['a1', null, { k: 'int', v: 2n }],
      ['a2', null, { k: 'int', v: 1n }],
      ['a3', null, { k: 'unset' }],
      ['a5', null, { k: 'unset' }],
      ['b0', null, { k: 'unset' }],
      ['b2', null, { k: 'moved' }],
    ]);
    expect(envOf(shipClosure(made('f', refs.slice(0, 2), null).fn, "'f'", SPAN))).toEqual([
      ['a0', null, { k: 'unset' }],
      ['a1', null, { k: 'unset' }],
    ]);
  });

  it('a mutable or authority name of an enclosing scope ships as unreadable (read fails in the row, as in the program)', () => {
    const fr = frame(null, [cell(1n), cell(2n), cell(3n)]);
    const refs = [
      { name: 'm', sym: sym('m', 0, { mutable: true }), hops: 0 },
      { name: 'o', sym: sym('o', 1, { authority: true }), hops: 0 },
      { name: 'p', sym: sym('p', 2, { mutable: true, authority: true }), hops: 0 },
    ];
    expect(envOf(shipClosure(made('f', refs, fr).fn, "'f'", SPAN))).toEqual([
      ['m', null, { k: 'unreadable', mutable: true, authority: false }],
      ['o', null, { k: 'unreadable', mutable: false, authority: true }],
      ['p', null, { k: 'unreadable', mutable: true, authority: true }],
    ]);
  });

  it('refuses an alias, and a value that cannot leave the program, in full', () => {
    const fr = frame(null, [cell(1n), cell({ tag: 'dag' } as Value), cell({ tag: 'namespace', name: 'ambient', authority: false, get: () => undefined } as Value), cell({ tag: 'dataframe' } as Value)]);
    const one = (name: string, slot: number, over: Partial<Sym> = {}) => () => shipClosure(made('f', [{ name, sym: sym(name, slot, over), hops: 0 }], fr).fn, "'f'", SPAN);
    expect(refusal(one('al', 0, { kind: 'alias' }))).toBe("f reads 'al', an alias: a vectorized function may only read constants; read the aliased value into an inert constant first");
    const tail = ': a vectorized function runs apart from the program and may only read constants (numbers, strings, bools, types) and call pure functions';
    expect(refusal(one('d', 1))).toBe(`'d' (read by f) is a dag${tail}`);
    expect(refusal(one('amb', 2))).toBe(`'amb' (read by f) is a namespace${tail}`);
    expect(refusal(one('df', 3))).toBe(`'df' (read by f) is a dataframe${tail}`);
    // A callable read by f that the program did not declare names who read it.
    const alien = frame(null, [cell(callable('h'))]);
    expect(refusal(() => shipClosure(made('f', [{ name: 'h', sym: sym('h', 0), hops: 0 }], alien).fn, "'f'", SPAN))).toBe(
      "'h' (read by f) is not a function declared in the program or merged from a module: vectorize runs functions",
    );
  });

  it('captures: inert ones and constants (even of a mutable cell) ship with their cell type; a moved one is moved; a mutable capture is refused', () => {
    const h = made('h', [], null);
    const f = made('f', [], null, [
      { inner: 'k', constant: false, cell: cell(4n, { t: 'int32' }) },
      { inner: 'top', constant: true, cell: cell(2n, { t: 'int', mutable: true }) },
      { inner: 'gone', constant: false, cell: cell(9n, { moved: true }) },
      { inner: 'call', constant: false, cell: cell(h.fn) },
      { inner: 'absent', constant: false },
    ]);
    const c = shipClosure(f.fn, "'f'", SPAN);
    expect(envOf(c)).toEqual([
      ['call', null, { k: 'fn', id: 1 }],
      ['gone', null, { k: 'moved' }],
      ['k', 'int32', { k: 'int', v: 4n }],
      ['top', 'int', { k: 'int', v: 2n }],
    ]);
    expect(f.frameCalls()).toBe(0);
    const mutable = made('f', [], null, [{ inner: 'count', constant: false, cell: cell(0n, { mutable: true }) }]);
    expect(refusal(() => shipClosure(mutable.fn, "'f'", SPAN))).toBe("f captures 'count', which is mutable: a vectorized function may not change shared state, so its capture block may only hold inert values");
    const dag = made('f', [], null, [{ inner: 'd', constant: true, cell: cell({ tag: 'dag' } as Value) }]);
    expect(refusal(() => shipClosure(dag.fn, "'f'", SPAN))).toBe(
      "'d' (captured by f) is a dag: a vectorized function runs apart from the program and may only read constants (numbers, strings, bools, types) and call pure functions",
    );
    const alien = made('f', [], null, [{ inner: 'a', constant: true, cell: cell(callable('x')) }]);
    expect(refusal(() => shipClosure(alien.fn, "'f'", SPAN))).toBe("'a' (captured by f) is not a function declared in the program or merged from a module: vectorize runs functions");
  });

  it('keeps the declaration and membrane of each callable', () => {
    const membrane = { kind: 'Membrane' } as unknown as CallableOrigin['membrane'];
    const f = made('f', [], null, [], membrane);
    const c = shipClosure(f.fn, "'f'", SPAN);
    expect(c.fns[0]!.membrane).toBe(membrane);
    expect(c.fns[0]!.decl.params.map((p) => p.name)).toEqual(['x']);
  });
});

// ------------------------------------------------------------------ callableOrigin, through programs

/** The closure a program's vectorize line ships (the hook only ships it). */
function shipped(src: string): { closure: ShippedClosure | null; error: string | null } {
  let closure: ShippedClosure | null = null;
  const r = runProgram(
    { file: 't.merge', source: `${src}\nmutable dataframe inDf int32 x;\nmutable dataframe outDf int64 y;\nmutable blocker b;\nb += vectorize f inDf outDf;\nawait_all b;\n` },
    {
      pricing: PRICING,
      vectorize: (fn, _in, _out, span) => {
        closure = shipClosure(fn, "'f'", span);
        return { span, run: () => {} };
      },
    },
  );
  return { closure, error: r.error ? `${r.error.code} ${r.error.message}` : null };
}

describe('callableOrigin', () => {
  it("a function's own name and parameters are not read from outside, even where an outer name is the same", () => {
    const { closure, error } = shipped('inert int x = 7;\ninert int k = 2;\nfunction f(x int32)::{}{ if x <= 1 { return k; }; return x * f(x - 1); };');
    expect(error).toBeNull();
    expect(envOf(closure!)).toEqual([['k', 'int', { k: 'int', v: 2n }]]);
    expect(closure!.fns).toHaveLength(1);
  });

  it('names the checks resolve elsewhere (lang) are not part of the closure; names nested functions read are', () => {
    const { closure, error } = shipped('inert int32 n = 4;\ninert string s = "q";\nfunction f(x int32)::{}{ function g(a int)::{}{ return a + n; }; return g(lang.dataframe.rows(x)) + s; };');
    expect(error).toBeNull();
    expect(envOf(closure!)).toEqual([
      ['n', 'int32', { k: 'int', v: 4n }],
      ['s', 'string', { k: 'string', v: 'q' }],
    ]);
  });

  it('capture inners are bound: the body reads the capture, not an outer name of the same name', () => {
    const { closure, error } = shipped('inert int step = 5;\ninert string s = "outer";\nfunction f(x int32)::{ s: step; }{ return x + s; };');
    expect(error).toBeNull();
    expect(envOf(closure!)).toEqual([['s', 'int', { k: 'int', v: 5n }]]);
    // An outer DAG of the capture's inner name is never looked at (it could not be shipped).
    const dag = shipped('inert dag s;\ninert int step = 5;\nfunction f(x int32)::{ s: step; }{ return x + s; };');
    expect(dag.error).toBeNull();
    expect(envOf(dag.closure!)).toEqual([['s', 'int', { k: 'int', v: 5n }]]);
  });
});
