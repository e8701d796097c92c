// Each syntax error class: its code, line and column.
import { describe, expect, it } from 'vitest';

import { hasErrors, parseProgram } from '../../src/ast/parse.js';
import { diags, strip } from '../ast/helpers.js';

describe('lexical errors', () => {
  it('MRG1001 unexpected character', () => {
    // The parse error the gap causes (`2 3`) is not reported a second time.
    expect(diags('int x = 1;\nx = 2 # 3;')).toEqual([['MRG1001', 2, 7]]);
    expect(diags('café = 1;')).toEqual([['MRG1001', 1, 4]]);
  });
  it('MRG1002 unterminated string (parsing goes on)', () => {
    expect(diags('int a = 1;\ncout "abc\nmutable int b = 2;')).toEqual([['MRG1002', 2, 6], ['MRG1011', 2, 10]]);
  });
  it('MRG1003 unterminated fence', () => {
    expect(diags('int a = 1;\n  ```devdoc\n  text')).toEqual([['MRG1003', 2, 3]]);
  });
  it('MRG1004 invalid escape', () => {
    expect(diags('x = "a\\qb";')).toEqual([['MRG1004', 1, 7]]);
  });
  it('MRG1013 invalid number', () => {
    expect(diags('x = 0x1F;\ny = 1e5;')).toEqual([['MRG1013', 1, 5], ['MRG1013', 2, 5]]);
  });
});

describe('syntax errors', () => {
  it('MRG1010 unexpected token, with an "expected …, found …" message', () => {
    const { diagnostics } = parseProgram('x = ;', 't');
    expect(diagnostics.map((d) => [d.code, d.span!.line, d.span!.column, d.message])).toEqual([['MRG1010', 1, 5, "expected an expression, found ';'"]]);
  });
  it('MRG1010 for a missing ; inside a line', () => {
    expect(diags('int x = 1 y = 2;')).toEqual([['MRG1010', 1, 11]]);
    expect(diags('{')).toEqual([['MRG1010', 1, 1]]);
  });
  it('MRG1012 unexpected end of file, reported just after the last token', () => {
    expect(diags('while x {\n  y = 1;')).toEqual([['MRG1012', 2, 9]]);
  });
  it('MRG1014 statement not allowed here', () => {
    expect(diags('int x;\napp a lang { };')).toEqual([['MRG1014', 2, 1]]);
    expect(diags('app a lang { };\nint x;')).toEqual([['MRG1014', 2, 1]]);
    expect(diags('main ()::{}{ };')).toEqual([['MRG1014', 1, 1]]);
    expect(diags('app a lang { while x { app b { }; }; };')).toEqual([['MRG1014', 1, 24]]);
  });
  it('MRG1015 invalid type name (unknown word, bad width)', () => {
    expect(diags('mutable integer x = 1;')[0]).toEqual(['MRG1015', 1, 9]);
    expect(diags('int0 a; uint16385 b; float8 c; int032 d;')).toEqual([
      ['MRG1015', 1, 1],
      ['MRG1015', 1, 9],
      ['MRG1015', 1, 22],
      ['MRG1015', 1, 32],
    ]);
    expect(diags('function f(x integer)::{}{ };')[0]).toEqual(['MRG1015', 1, 14]);
  });
  it('MRG1016 old type name (a warning)', () => {
    expect(diags('mutable awaitable all_primes;')).toEqual([['MRG1016', 1, 9]]);
  });
  it('MRG1017 duplicate modifier, MRG1018 mutable with inert', () => {
    expect(diags('mutable shared mutable int x;')).toEqual([['MRG1017', 1, 16]]);
    expect(diags('inert mutable int x;')).toEqual([['MRG1018', 1, 1]]);
  });
  it('MRG1019 not a statement, MRG1020 invalid assignment target', () => {
    expect(diags('x;\nf(1)(2);')).toEqual([['MRG1019', 1, 1], ['MRG1019', 2, 1]]);
    expect(diags('a[0] = 1;')).toEqual([['MRG1020', 1, 1]]);
  });
  it('lang.assert with more than one expression', () => {
    expect(diags('lang.assert a b;')).toEqual([['MRG1010', 1, 15]]);
  });
});

describe('missing ; at the end of a line', () => {
  it('is a warning that keeps both statements (the seed line)', () => {
    const src = 'mutable dag version = prune scope.imported.lang.Version\nent dag4 version as Version;';
    const { program, diagnostics } = parseProgram(src, 't');
    expect(diagnostics.map((d) => [d.code, d.severity, d.span!.line, d.span!.column])).toEqual([['MRG1011', 'warning', 1, 56]]);
    expect(hasErrors(diagnostics)).toBe(false);
    expect(strip(program.body).map((s) => s.kind)).toEqual(['Decl', 'Ent']);
  });
  it('also before a closing brace on a later line, before a fence, and at the end of the file', () => {
    expect(diags('while x {\n  y = 1\n};')).toEqual([['MRG1011', 2, 8]]);
    expect(diags('x = 1\n```doc\nd\n```')).toEqual([['MRG1011', 1, 6]]);
    expect(diags('x = 1')).toEqual([['MRG1011', 1, 6]]);
  });
  it('is an error when the statement continues on the next line', () => {
    expect(diags('x = 1 +\ny = 2;').map(([c]) => c)).toEqual(['MRG1010']);
  });
});

describe('recovery', () => {
  it('reports all syntax errors of a file in one run and keeps the good statements', () => {
    const src = 'int a = ;\nint b = 2;\nc = = 3;\nint d = 4;\n) ) e = 5;';
    const { program, diagnostics } = parseProgram(src, 't');
    expect(diagnostics.map((d) => [d.code, d.span!.line])).toEqual([
      ['MRG1010', 1],
      ['MRG1010', 3],
      ['MRG1010', 5],
    ]);
    const names = program.body.flatMap((s) => (s.kind === 'Decl' || s.kind === 'Assign' ? [s.target.parts.join('.')] : []));
    expect(names).toEqual(expect.arrayContaining(['b', 'd', 'e']));
  });
});
