// The parser became an EmbeddedActionsParser that builds the AST as it parses (grammar/parser.ts). The
// CstParser and its CST → AST builder it replaced are kept in bench/reference as the reference: on every
// example, the seed snippets, generated programs and mutations of them, the new parser gives the same
// AST and diagnostics for every program without syntax errors, and finds an error in exactly the
// programs where the old one found one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseProgramCst } from '../../bench/reference/cst-parse.js';
import { declarations, denseStatements, generateProgram } from '../../bench/programs.js';
import { hasErrors, parseProgram } from '../../src/ast/parse.js';
import { MUTATION_WORDS, programSource, tokenMutation, vectorizeProgram } from '../../src/testing/index.js';
import { runs } from '../support/properties.js';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => /\.(merge|mrg|mrm)$/.test(f))
  .map((f) => ({ name: f, source: readFileSync(join(examplesDir, f), 'utf8') }));

/** The whole result as text: every key in order, bigints marked, so any difference shows. */
function dump(r: ReturnType<typeof parseProgram>): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 1);
}

function same(source: string): void {
  const now = parseProgram(source, 'p.merge');
  const before = parseProgramCst(source, 'p.merge');
  expect(hasErrors(now.diagnostics), source).toBe(hasErrors(before.diagnostics));
  if (!hasErrors(before.diagnostics)) expect(dump(now)).toBe(dump(before));
}

describe('the EmbeddedActionsParser against the CstParser it replaced', () => {
  it.each(examples.map((e) => [e.name, e.source]))('%s: the same AST and diagnostics', (_name, source) => {
    expect(hasErrors(parseProgram(source, 'p.merge').diagnostics)).toBe(false);
    same(source);
  });

  it('generated programs of every statement form, declarations and dense statements', () => {
    for (const source of [generateProgram(60_000), declarations(2_000), denseStatements(20_000)]) same(source);
  });

  it('generated programs of every feature (the testing arbitraries): the same AST (property)', () => {
    fc.assert(fc.property(fc.oneof(programSource(), vectorizeProgram()), (source) => {
      expect(hasErrors(parseProgram(source, 'p.merge').diagnostics)).toBe(false);
      same(source);
    }), { numRuns: runs(300) });
  });

  it('examples with tokens deleted, duplicated, swapped or replaced: errors in the same programs, the same AST where none (property)', () => {
    fc.assert(fc.property(tokenMutation(examples.map((e) => e.source)), same), { numRuns: runs(500) });
  });

  it('random token sequences: errors in the same programs, the same AST where none (property)', () => {
    const token = fc.constantFrom(...MUTATION_WORDS, ';', '{', '}', '(', ')', '=', 'x', 'mutable', 'int', '1', '"s"', '\n');
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }).map((ts) => ts.join(' ')), same), { numRuns: runs(500) });
  });
});
