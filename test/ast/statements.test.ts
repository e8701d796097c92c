import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import { stmt, stmts, strip } from './helpers.js';

const name = (n: string) => ({ kind: 'Name', name: n });
const path = (...parts: string[]) => ({ kind: 'Path', parts });
const int = (v: bigint) => ({ kind: 'IntLit', value: v });
const type = (n: string) => ({ kind: 'TypeRef', name: n });
const member = (object: unknown, n: string) => ({ kind: 'Member', object, name: n });

describe('declarations', () => {
  it('Decl with modifiers, a type and an initializer', () => {
    expect(stmt('shared mutable int ok_count = 0;')).toEqual({ kind: 'Decl', modifiers: ['shared', 'mutable'], type: type('int'), target: path('ok_count'), init: int(0n) });
  });

  it('Decl without modifiers when a type name comes first; without initializer', () => {
    expect(stmt('int32 x;')).toEqual({ kind: 'Decl', modifiers: [], type: type('int32'), target: path('x'), init: null });
  });

  it('Decl at a DAG path', () => {
    expect(stmt('inert float256 olddag.coolfloat256.pi = 3.14159;')).toMatchObject({ kind: 'Decl', target: path('olddag', 'coolfloat256', 'pi'), init: { kind: 'DecimalLit', text: '3.14159', value: 3.14159 } });
  });

  it('dag and blocker declarations; awaitable is read as blocker with a warning', () => {
    expect(stmt('mutable blocker b;')).toMatchObject({ type: type('blocker') });
    expect(stmt('dag d;')).toMatchObject({ type: type('dag'), modifiers: [] });
    const { program, diagnostics } = parseProgram('mutable awaitable b;', 't');
    expect(strip(program.body[0])).toMatchObject({ type: type('blocker') });
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['MRG1016', 'warning']]);
  });

  it('integers are bigint of any size', () => {
    expect(stmt('int x = 123456789012345678901234567890;')).toMatchObject({ init: int(123456789012345678901234567890n) });
  });

  it('DataframeDecl with typed columns', () => {
    expect(stmt('mutable dataframe inDf string id, int32 startval, int32 endval;')).toEqual({
      kind: 'DataframeDecl',
      modifiers: ['mutable'],
      target: path('inDf'),
      columns: [
        { kind: 'Column', type: type('string'), name: 'id' },
        { kind: 'Column', type: type('int32'), name: 'startval' },
        { kind: 'Column', type: type('int32'), name: 'endval' },
      ],
    });
  });

  it('membrane declaration: two > close both angle brackets', () => {
    expect(stmt('mutable dag newdag = membrane<quota<80, 40, 30>> olddag;')).toMatchObject({
      init: { kind: 'Membrane', membrane: { kind: 'quota', total: 80n, direct: 40n, overcommit: 30n }, target: name('olddag') },
    });
    expect(stmt('mutable dag c = membrane<copy_on_mutate> d;')).toMatchObject({ init: { kind: 'Membrane', membrane: { kind: 'copy_on_mutate' }, target: name('d') } });
  });

  it('prune of a scope path', () => {
    expect(stmt('mutable dag version = prune scope.imported.lang.Version;')).toMatchObject({ init: { kind: 'Prune', path: path('scope', 'imported', 'lang', 'Version') } });
  });
});

describe('callables', () => {
  it('Function with params, a membrane argument, captures, body and handler', () => {
    const f = stmt('mutable function report(count int, label string)<membrane<quota<15,0,0>>>::{ cout; err: cerr }{ cout count endl; }!!{ cerr "bad" endl; };');
    expect(f).toEqual({
      kind: 'Function',
      modifiers: ['mutable'],
      actor: false,
      name: 'report',
      params: [
        { kind: 'Param', name: 'count', type: type('int') },
        { kind: 'Param', name: 'label', type: type('string') },
      ],
      membrane: { kind: 'quota', total: 15n, direct: 0n, overcommit: 0n },
      captures: [
        { kind: 'Capture', inner: 'cout', outer: 'cout' },
        { kind: 'Capture', inner: 'err', outer: 'cerr' },
      ],
      body: [{ kind: 'Command', parts: [name('cout'), name('count'), name('endl')] }],
      handler: [{ kind: 'Command', parts: [name('cerr'), { kind: 'StringLit', value: 'bad' }, name('endl')] }],
    });
  });

  it('actor function; empty capture block; no handler', () => {
    expect(stmt('actor function f()::{}{ return 1; };')).toMatchObject({ kind: 'Function', actor: true, params: [], captures: [], handler: null, body: [{ kind: 'Return', values: [int(1n)] }] });
  });

  it('Merge with membrane, captures, constants and error list (spec part 17)', () => {
    const m = stmt('reentrant mutable merge utils.is_prime as is_prime(x int)<membrane<quota<15,0,0>>>::{\nok_count: ok_count;\n}{\nmax_prime;\n}@[range_error, quota_error];');
    expect(m).toEqual({
      kind: 'Merge',
      modifiers: ['reentrant', 'mutable'],
      actor: false,
      source: ['utils', 'is_prime'],
      name: 'is_prime',
      params: [{ kind: 'Param', name: 'x', type: type('int') }],
      membrane: { kind: 'quota', total: 15n, direct: 0n, overcommit: 0n },
      captures: [{ kind: 'Capture', inner: 'ok_count', outer: 'ok_count' }],
      constants: [{ kind: 'Capture', inner: 'max_prime', outer: 'max_prime' }],
      errors: ['range_error', 'quota_error'],
    });
  });

  it('older capture syntax with commas', () => {
    expect(stmt('merge u.f as f(x int)::{ok_count: ok_count}{max_prime: max_prime};')).toMatchObject({ captures: [{ inner: 'ok_count' }], constants: [{ inner: 'max_prime' }], errors: [] });
  });

  it('App with main, use and resolve_order (both spellings)', () => {
    const app = stmt(
      'app myApp lang ambient {\n  resolve_order lang.flow, lang.type, lang, imported, .;\n  resolve_order lang.flow lang imported;\n  use ambient { io.cout as cout; io.endl as endl; };\n  mutable main ()::{ cout; }{ cout "hi" endl; };\n};',
    );
    expect(app).toMatchObject({
      kind: 'App',
      name: 'myApp',
      params: ['lang', 'ambient'],
      body: [
        { kind: 'ResolveOrder', refs: ['lang.flow', 'lang.type', 'lang', 'imported', '.'] },
        { kind: 'ResolveOrder', refs: ['lang.flow', 'lang', 'imported'] },
        { kind: 'Use', source: 'ambient', bindings: [{ kind: 'UseBinding', path: ['io', 'cout'], name: 'cout' }, { kind: 'UseBinding', path: ['io', 'endl'], name: 'endl' }] },
        { kind: 'Main', modifiers: ['mutable'], membrane: null, captures: [{ inner: 'cout' }], handler: null },
      ],
    });
    expect(parseProgram('app a lang { };', 't').program.form).toBe('app');
    expect(parseProgram('int x;', 't').program.form).toBe('script');
  });
});

describe('statements', () => {
  it('Ent, Alias, Freeze, AwaitAll', () => {
    expect(stmts('ent dag4 version as Version; alias a.b as c; freeze inDf; await_all dfReady;')).toEqual([
      { kind: 'Ent', target: path('dag4'), value: name('version'), name: 'Version' },
      { kind: 'Alias', path: path('a', 'b'), name: 'c' },
      { kind: 'Freeze', path: path('inDf') },
      { kind: 'AwaitAll', path: path('dfReady') },
    ]);
  });

  it('row append / call statement with space-separated or comma-separated arguments', () => {
    expect(stmts('inDf( "foo" 17 99 ); f(a, b);')).toEqual([
      { kind: 'CallStmt', target: path('inDf'), args: [{ kind: 'StringLit', value: 'foo' }, int(17n), int(99n)] },
      { kind: 'CallStmt', target: path('f'), args: [name('a'), name('b')] },
    ]);
  });

  it('Command: the first part applied to the rest', () => {
    expect(stmt('cout "counted " ok_count " prime numbers" endl;')).toEqual({
      kind: 'Command',
      parts: [name('cout'), { kind: 'StringLit', value: 'counted ' }, name('ok_count'), { kind: 'StringLit', value: ' prime numbers' }, name('endl')],
    });
  });

  it('Assign with = += -=; blocker += call and += vectorize', () => {
    expect(stmts('x = 1; x += 2; x -= 3; b += is_prime(counter); r += vectorize myFunction inDf outDf;')).toEqual([
      { kind: 'Assign', target: path('x'), op: '=', value: int(1n) },
      { kind: 'Assign', target: path('x'), op: '+=', value: int(2n) },
      { kind: 'Assign', target: path('x'), op: '-=', value: int(3n) },
      { kind: 'Assign', target: path('b'), op: '+=', value: { kind: 'Call', callee: name('is_prime'), args: [name('counter')] } },
      { kind: 'Assign', target: path('r'), op: '+=', value: { kind: 'Vectorize', fn: path('myFunction'), input: path('inDf'), output: path('outDf') } },
    ]);
  });

  it('Return with several values (one row) and without', () => {
    expect(stmts('return id endval - startval; return;')).toEqual([
      { kind: 'Return', values: [name('id'), { kind: 'Binary', op: '-', left: name('endval'), right: name('startval') }] },
      { kind: 'Return', values: [] },
    ]);
  });

  it('While, If / else / else if', () => {
    expect(stmt('while c < 10 { c += 1; };')).toMatchObject({ kind: 'While', cond: { kind: 'Binary', op: '<' }, body: [{ kind: 'Assign' }] });
    expect(stmt('if a { x = 1; } else if b { x = 2; } else { x = 3; };')).toMatchObject({
      kind: 'If',
      cond: name('a'),
      then: [{ kind: 'Assign' }],
      else: [{ kind: 'If', cond: name('b'), else: [{ kind: 'Assign', value: int(3n) }] }],
    });
    expect(stmt('if a { };')).toMatchObject({ kind: 'If', then: [], else: null });
  });

  it('Switch on scope.exceptions[-1] with cases', () => {
    expect(stmt('switch scope.exceptions[-1] { range_error : { x = 1; }; quota_error : { }; };')).toEqual({
      kind: 'Switch',
      subject: { kind: 'Index', object: member(name('scope'), 'exceptions'), index: { kind: 'Unary', op: '-', operand: int(1n) } },
      cases: [
        { kind: 'SwitchCase', label: 'range_error', body: [{ kind: 'Assign', target: path('x'), op: '=', value: int(1n) }] },
        { kind: 'SwitchCase', label: 'quota_error', body: [] },
      ],
    });
  });

  it('lang.assert with one expression, also parenthesised', () => {
    expect(stmt('lang.assert lang.version.major == 0 && lang.version.minor == 3;')).toMatchObject({
      kind: 'Assert',
      expr: { kind: 'Binary', op: '&&', left: { kind: 'Binary', op: '==' }, right: { kind: 'Binary', op: '==' } },
    });
    expect(stmt('lang.assert(x);')).toEqual({ kind: 'Assert', expr: name('x') });
  });

  it('Doc fences with their tag and text, anywhere a statement may stand', () => {
    const list = stmts('```userdoc\n# Title\ntext\n```\nwhile x {\n  ```devdoc\n  inner\n    more\n  ```\n  y = 1;\n};\n```\nno tag\n```');
    expect(list[0]).toEqual({ kind: 'Doc', tag: 'userdoc', text: '# Title\ntext' });
    expect(list[1]).toMatchObject({ kind: 'While', body: [{ kind: 'Doc', tag: 'devdoc', text: 'inner\n  more' }, { kind: 'Assign' }] });
    expect(list[2]).toEqual({ kind: 'Doc', tag: '', text: 'no tag' });
  });

  it('shebang is kept aside', () => {
    const { program } = parseProgram('#!/usr/bin/env merg-e\nint x;', 't');
    expect(program.shebang).toBe('#!/usr/bin/env merg-e');
    expect(program.body).toHaveLength(1);
  });
});

describe('expressions', () => {
  const init = (src: string) => (stmt(`int x = ${src};`) as { init: unknown }).init;

  it('precedence: * over +, left-associative, == over &&, && over ||', () => {
    expect(init('7 * 4 * 13 + 1')).toEqual({
      kind: 'Binary',
      op: '+',
      left: { kind: 'Binary', op: '*', left: { kind: 'Binary', op: '*', left: int(7n), right: int(4n) }, right: int(13n) },
      right: int(1n),
    });
    expect(init('a || b && c == d')).toEqual({
      kind: 'Binary',
      op: '||',
      left: name('a'),
      right: { kind: 'Binary', op: '&&', left: name('b'), right: { kind: 'Binary', op: '==', left: name('c'), right: name('d') } },
    });
    expect(init('a - b - c')).toMatchObject({ op: '-', left: { op: '-', left: name('a'), right: name('b') }, right: name('c') });
    expect(init('a < b + 1')).toMatchObject({ op: '<', right: { op: '+' } });
    expect(init('a % 2 != 0')).toMatchObject({ op: '!=', left: { op: '%' } });
  });

  it('parentheses, unary - and !', () => {
    expect(init('(1 + 2) * 3')).toMatchObject({ op: '*', left: { op: '+' } });
    expect(init('!-x')).toEqual({ kind: 'Unary', op: '!', operand: { kind: 'Unary', op: '-', operand: name('x') } });
    expect(init('-a * b')).toMatchObject({ op: '*', left: { kind: 'Unary', op: '-' } });
  });

  it('postfix chains: member, index, call; keywords after a dot', () => {
    expect(init('lang.dataframe.rows(df)')).toEqual({ kind: 'Call', callee: member(member(name('lang'), 'dataframe'), 'rows'), args: [name('df')] });
    expect(init('a.b[0](c).d')).toMatchObject({ kind: 'Member', name: 'd', object: { kind: 'Call', callee: { kind: 'Index', object: member(name('a'), 'b') } } });
  });

  it('literals: strings with escapes, booleans, decimals', () => {
    expect(init('"a\\"b\\\\c\\nd\\te"')).toEqual({ kind: 'StringLit', value: 'a"b\\c\nd\te' });
    expect(init('true')).toEqual({ kind: 'BoolLit', value: true });
    expect(init('false')).toEqual({ kind: 'BoolLit', value: false });
  });

  it('names that contain keywords, and names like __proto__, stay names', () => {
    expect(stmt('mutable int mutable_x = 1;')).toMatchObject({ target: path('mutable_x') });
    expect(stmt('int __proto__ = 1;')).toMatchObject({ target: path('__proto__') });
    expect(stmt('string constructor;')).toMatchObject({ target: path('constructor') });
  });
});

describe('spans', () => {
  it('are 1-based with an inclusive end column', () => {
    const { program } = parseProgram('int x = 1;\n  cout "a" endl;', 'f.merge');
    expect(program.body[0]!.span).toEqual({ file: 'f.merge', line: 1, column: 1, endLine: 1, endColumn: 9 });
    expect(program.body[1]!.span).toEqual({ file: 'f.merge', line: 2, column: 3, endLine: 2, endColumn: 15 });
  });
});
