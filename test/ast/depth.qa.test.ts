// QA: files nested or chained far beyond reason get MRG1021, never a JavaScript stack overflow in
// the parser, the static checks or the interpreter; code just inside the limits still runs.
import { describe, expect, it } from 'vitest';

import { MAX_CHAIN, MAX_NESTING } from '../../src/ast/depth.js';
import { hasErrors, parseProgram } from '../../src/ast/parse.js';
import { checkSource } from '../../src/check/index.js';
import { runProgram } from '../../src/runtime/run.js';

const rep = (s: string, n: number) => s.repeat(n);

function codes(source: string): string[] {
  return parseProgram(source, 'deep.merge').diagnostics.map((d) => d.code);
}

describe('nesting limits', () => {
  const tooDeep: [string, string][] = [
    ['10,000 nested (', `int x = ${rep('(', 10_000)}1${rep(')', 10_000)};`],
    ['10,000 unclosed (', `int x = ${rep('(', 10_000)}1;`],
    ['10,000 nested {', rep('{', 10_000)],
    ['nested if blocks', `${rep('if true { ', 5000)}cout 1 endl; ${rep('}; ', 5000)}`],
    ['a 100,000-term sum', `int x = 1${rep(' + 1', 100_000)};`],
    ['10,000 unary minus', `int x = ${rep('- ', 10_000)}1;`],
    ['a 10,000-call chain', `cout f${rep('(1)', 10_000)} endl;`],
    ['a 10,000-index chain', `cout a${rep('[1]', 10_000)} endl;`],
    ['a 10,000-member chain', `cout a${rep('.b', 10_000)} endl;`],
    ['5,000 nested membranes', `mutable dag a;\nmutable dag b = ${rep('membrane<copy_on_mutate> ', 5000)}a;`],
  ];
  for (const [what, source] of tooDeep) {
    it(`${what}: MRG1021 from parse, check and run`, () => {
      expect(codes(source)).toContain('MRG1021');
      expect(checkSource(source, 'deep.merge').map((d) => d.code)).toContain('MRG1021');
      const r = runProgram({ file: 'deep.merge', source }, {});
      expect(r.error?.code).toBe('MRG1021');
      expect(r.exitCode).toBe(1);
    });
  }

  it('error recovery that recurses too deeply is MRG1021 after the first syntax error, and the parser stays usable', () => {
    const { diagnostics } = parseProgram(`${rep('if true ', 3000)}{ cout 1 endl; }${rep('};', 3000)}`, 'bad.merge');
    expect(hasErrors(diagnostics)).toBe(true);
    expect(diagnostics.every((d) => d.code === 'MRG1010' || d.code === 'MRG1021')).toBe(true);
    expect(diagnostics.map((d) => [d.span!.line, d.span!.column])[0]).toEqual([1, 9]);
    expect(parseProgram('int x = 1;\n', 'ok.merge').diagnostics).toEqual([]);
  });

  it('code just inside the limits parses, checks and runs', () => {
    const parens = MAX_NESTING - 1;
    const sum = `inert int x = ${rep('(', parens)}1${rep(')', parens)} + 0;\ncout x endl;\n`;
    const blocks = `${rep('if true { ', MAX_NESTING - 1)}inert int y = 1${rep(' + 1', MAX_CHAIN - 2)}; cout y endl; ${rep('}; ', MAX_NESTING - 1)}\n`;
    const recursion = `function f(n int)::{}{ if n == 0 { return 0; }; return f(n - 1) + ${rep('(', 100)}1${rep(' + 1', 800)}${rep(')', 100)}; };\ncout f(399) endl;\n`;
    for (const source of [sum, blocks, recursion]) expect(codes(source)).toEqual([]);
    const r = runProgram({ file: 'edge.merge', source: sum + blocks + recursion }, {});
    expect(r.error).toBeNull();
    expect(r.stdout).toBe(`1\n${MAX_CHAIN - 1}\n${399 * 801}\n`);
  });
});
