// The program arbitraries of src/testing: generated programs are valid (they parse and pass the static
// checks, so property tests reach the interpreter), rendering is deterministic, every feature shows
// up, and the mutators damage their seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { hasErrors, parseProgram } from '../../src/ast/parse.js';
import { checkProgram } from '../../src/check/check.js';
import { byteMutation, programChoices, programSource, renderProgram, tokenize, tokenMutation, vectorizeProgram } from '../../src/testing/index.js';

function staticErrors(source: string): string[] {
  const { program, diagnostics } = parseProgram(source, 'gen.merge');
  const all = hasErrors(diagnostics) ? diagnostics : [...diagnostics, ...checkProgram(program)];
  return all.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message} at ${d.span?.line}`);
}

describe('program arbitraries', () => {
  it('generate programs that parse and pass the static checks', () => {
    fc.assert(
      fc.property(programSource(), (source) => {
        expect(staticErrors(source), source).toEqual([]);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('generate vectorize programs that parse and pass the static checks', () => {
    fc.assert(
      fc.property(vectorizeProgram(), (source) => {
        expect(staticErrors(source), source).toEqual([]);
        expect(source).toContain('vectorize');
      }),
      { numRuns: 100, seed: 2 },
    );
  });

  it('render the same choices to the same text', () => {
    fc.assert(
      fc.property(programChoices(), (cs) => {
        expect(renderProgram(cs)).toBe(renderProgram(cs));
      }),
      { numRuns: 50 },
    );
  });

  it('use every feature across a sample', () => {
    const text = fc.sample(programSource(), { numRuns: 200, seed: 3 }).join('\n');
    for (const needle of ['membrane<quota<', 'membrane<copy_on_mutate>', 'prune ', 'ent ', 'mutable dataframe', 'function ', '!!{', 'mutable blocker', 'await_all', 'vectorize ', 'while ', 'switch scope.exceptions[-1]', 'alias ', 'freeze ']) {
      expect(text, needle).toContain(needle);
    }
  });

  it('features can be left out', () => {
    const text = fc.sample(programSource({ features: ['callables', 'loops'] }), { numRuns: 100, seed: 4 }).join('\n');
    expect(text).not.toContain('membrane');
    expect(text).not.toContain('vectorize');
    expect(text).toContain('function ');
  });
});

describe('mutators', () => {
  const seed = 'mutable int x = 1;\nwhile x < 3 { x += 1; };\ncout "x " x endl;\n';

  it('tokenize keeps every character', () => {
    expect(tokenize(seed).join('')).toBe(seed);
  });

  it('token and byte mutations change their seed', () => {
    const tokens = fc.sample(tokenMutation([seed]), { numRuns: 50, seed: 5 });
    expect(tokens.some((t) => t !== seed)).toBe(true);
    const bytes = fc.sample(byteMutation([seed]), { numRuns: 50, seed: 6 });
    expect(bytes.some((b) => !b.equals(Buffer.from(seed)))).toBe(true);
  });
});
