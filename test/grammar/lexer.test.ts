// The lexer (grammar/tokens.ts `tokenize`) lexes every word as an Identifier and types keywords and type
// names afterwards, and splits whitespace in two, for speed. It must read exactly the language of a
// Chevrotain Lexer built from the token definitions (`allTokens`): the same tokens with the same types,
// images, payloads and positions, the same skipped characters, the same `#!` line.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { declarations, denseStatements, generateProgram } from '../../bench/programs.js';
import { chevrotain } from '../../grammar/chevrotain.js';
import { allTokens, tokenize } from '../../grammar/tokens.js';
import { MUTATION_WORDS } from '../../src/testing/index.js';
import { EXAMPLES_DIR, readExample } from '../examples.js';
import { runs } from '../support/properties.js';

const reference = new chevrotain.Lexer(allTokens, { positionTracking: 'onlyStart', ensureOptimizations: true });

function dump(result: ReturnType<typeof tokenize>): string {
  return JSON.stringify({
    tokens: result.tokens.map((t) => [t.tokenType.name, t.tokenTypeIdx, t.image, t.startOffset, t.startLine, t.startColumn, t.payload]),
    errors: result.errors.map((e) => [e.offset, e.length, e.line, e.column]),
    meta: (result.groups['meta'] ?? []).map((t) => [t.image, t.startOffset]),
  });
}

function same(source: string): void {
  expect(dump(tokenize(source)), source).toBe(dump(reference.tokenize(source)));
}

const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => /\.(merge|mrg|mrm)$/.test(f))
  .map((f) => [f, readExample(f)]);

describe('the lexer against a Chevrotain Lexer of the token definitions', () => {
  it.each(examples)('%s: the same tokens', (_name, source) => same(source!));

  it('generated programs, declarations and dense statements', () => {
    for (const source of [generateProgram(60_000), declarations(2_000), denseStatements(20_000)]) same(source);
  });

  it('every keyword and type name, alone, as a prefix, with a suffix and in other case', () => {
    const words = [...new Set([...MUTATION_WORDS, 'int', 'uint', 'int32', 'uint0', 'int08', 'float', 'float7', 'float256', 'string', 'bool', 'awaitable', 'as', 'assert', 'ent', 'entry', 'app', 'apply', 'scope', 'copy_on_mutate', 'await_all', 'resolve_order', '_', 'x1'])];
    const variants = words.flatMap((w) => [w, `${w}x`, `${w}_`, `${w}9`, `x${w}`, w.toUpperCase(), `${w}.${w}`, `${w}(`, `"${w}"`, `9${w}`]);
    same(variants.join(' '));
    same(variants.join('\n'));
  });

  it('whitespace of every kind, line breaks of every kind, skipped characters, fences and #!', () => {
    same('#!/bin/merg-e\r\n  x\t=\f1;\v\uFEFF\r\r\n\n  y = 2 ;\u00a0z\u2028w\n');
    same('a #b $c ~~ d\n```md\n  text\n```\n`` e `f` ```\nunclosed\n\n');
    same('x = "open\r\ny = "a\\"b" "c\\\\" "\\q" 12abc 1.2.3 0x1F 1e5 .5 5.;\n');
    same('>> !! ! >= <= == != && || += -= :: ; , : . { } ( ) [ ] < > = + - * / % @');
    same('');
    same(' \n\t\r');
  });

  it('random text from the language’s pieces and stray characters (property)', () => {
    const piece = fc.constantFrom(...MUTATION_WORDS, 'x', 'int32', 'int32x', 'mutablex', '1', '1.5', '12ab', '"s"', '"open', '```t\nin\n```', '```', '`', '#!', '#', '$', ' ', '  ', '\t', '\n', '\r\n', '\r', '\uFEFF', '\u00e9', ';', '.', '>>', '!!', '=', '==', '{', '}');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }).map((ps) => ps.join('')), same), { numRuns: runs(500) });
  });
});
