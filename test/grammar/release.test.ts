// A large file's tokens are dropped as its statements are parsed (grammar/parser.ts releaseConsumed),
// so they need not all live beside the whole AST: the parse must not notice — the same AST and the same
// errors as with every token kept — and the reused parser keeps no tokens of the last file.
import { describe, expect, it } from 'vitest';

import { mergeParser, parseTokens } from '../../grammar/parser.js';
import { AstBuilder } from '../../src/ast/build.js';
import { ChunkedLexer, lexSource } from '../../src/ast/lex.js';
import { parseInChunks, parseProgram } from '../../src/ast/parse.js';
import { generateProgram } from '../../bench/programs.js';

function dump(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

/** The statements and errors of a parse, with or without dropping tokens on the way. */
function parse(source: string, release: boolean) {
  const tokens = lexSource(source, 'p.merge').tokens;
  const diagnostics: unknown[] = [];
  const { body, parser } = parseTokens(tokens, new AstBuilder('p.merge', diagnostics), release);
  const errors = parser.errors.map((e) => `${e.token.startOffset} ${e.name} ${e.message}`);
  return { tokens, result: dump({ body, diagnostics, errors }), errorCount: errors.length };
}

describe('tokens dropped while parsing', () => {
  const clean = generateProgram(120_000);
  // Errors spread over the whole file, some in blocks, after many thousands of tokens each.
  const broken = clean
    .split('\n')
    .map((line, i) => (i % 97 === 50 ? `${line} = = ;` : i % 389 === 7 ? `}!!{ ${line}` : line))
    .join('\n');

  it.each([
    ['a clean program', clean],
    ['a program with errors all through it', broken],
  ])('%s: the same AST, diagnostics and errors as with every token kept', (_label, source) => {
    const kept = parse(source, false);
    const dropped = parse(source, true);
    expect(kept.tokens.length).toBeGreaterThan(20_000);
    expect(dropped.result).toBe(kept.result);
    if (source === broken) expect(kept.errorCount).toBeGreaterThan(30);
    // Dropped: the first tokens are gone from the vector the parser was handed; kept: all there.
    expect(dropped.tokens[0]).toBeUndefined();
    expect(dropped.tokens.filter((t) => t !== undefined).length).toBeLessThan(dropped.tokens.length / 2);
    expect(kept.tokens.every((t) => t !== undefined)).toBe(true);
  });

  it('the reused parser holds no token of the file it parsed last', () => {
    parseProgram(clean, 'p.merge');
    expect(mergeParser().input).toHaveLength(0);
  });

  it("the parser's errors outlive the reset of its input", () => {
    const { diagnostics } = parseProgram('x = = 1;\n', 'p.merge');
    expect(diagnostics.map((d) => d.code)).toContain('MRG1010');
  });
});

describe('a file lexed as it is parsed', () => {
  it("the parser's token vector starts afresh at each chunk: it never holds much more than one chunk", () => {
    const source = generateProgram(400_000);
    const lexer = new ChunkedLexer(source, 'p.merge', 16_384, false);
    let chunks = 0;
    let largestChunk = 0;
    let largestVector = 0;
    const more = () => {
      largestVector = Math.max(largestVector, mergeParser().input.length);
      if (lexer.done) return null;
      const tokens = lexer.next();
      chunks++;
      largestChunk = Math.max(largestChunk, tokens.length);
      return tokens;
    };
    const diagnostics: unknown[] = [];
    const { body } = parseTokens([], new AstBuilder('p.merge', diagnostics), true, more);
    expect(chunks).toBeGreaterThan(20);
    expect(largestVector).toBeLessThan(largestChunk + 10);
    expect(dump(body)).toBe(dump(parseInChunks(source, 'p.merge', Number.MAX_SAFE_INTEGER).program.body));
    expect(diagnostics).toEqual([]);
  });
});
