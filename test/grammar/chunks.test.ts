// parseProgram lexes a file a chunk of whole lines at a time as the parser reads on (src/ast/lex.ts
// ChunkedLexer): the tokens, diagnostics, AST and syntax errors must be exactly those of lexing the whole
// file at once, wherever the chunks end — inside fences, after CR line breaks, before a `#!`, in errors.
import { readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ChunkedLexer, lexSource } from '../../src/ast/lex.js';
import { parseInChunks } from '../../src/ast/parse.js';
import { generateProgram } from '../../bench/programs.js';
import { EXAMPLES_DIR, readExample } from '../examples.js';

function dump(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

const WHOLE = Number.MAX_SAFE_INTEGER;
const CHUNKS = [1, 5, 13, 64, 400];

const broken = generateProgram(30_000)
  .split('\n')
  .map((line, i) => (i % 37 === 20 ? `${line} = = ;` : i % 89 === 7 ? `}!!{ ${line}` : line))
  .join('\n');

const tricky: [string, string][] = [
  ['fences across chunks', 'x = 1;\n```md\nline one\n\nline two\n```\ny = 2;\n  ```\n  indented\n  ```\nz = 3;\n'],
  ['an unclosed fence', 'x = 1;\n```\nnever\nclosed\n'],
  ['CR and CRLF line breaks', 'x = 1;\r\ny = 2;\rz = "open\r\nw = 4;\n'],
  ['a shebang and #! later', '#!/usr/bin/env merg-e\nx = 1;\n#! not a shebang\ny = 2;\n'],
  ['skipped characters at line ends', 'x = 1; @@\n## y = 2;\n  $\nz = 3 ~\n'],
  ['unclosed strings and bad numbers', 'x = "abc\ny = 1.2.3;\nz = 4;\n'],
  ['too deep late in the file', `x = 1;\n${'('.repeat(300)}1${')'.repeat(300)};\n`],
  ['a long expression', `x = ${Array.from({ length: 500 }, (_, i) => String(i)).join(' +\n ')};\n`],
  ['nothing', ''],
  ['only a comment-free newline', '\n'],
];

const examples: [string, string][] = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.merge'))
  .map((f) => [f, readExample(f)]);

const inputs: [string, string][] = [...tricky, ['a generated program with errors all through it', broken], ...examples];

describe('lexing in chunks', () => {
  it.each(inputs)('%s: the same tokens and diagnostics as one lex of the whole file', (_label, source) => {
    const whole = lexSource(source, 'p.merge');
    const expected = dump({ tokens: whole.tokens.map((t) => [t.image, t.tokenType.name, t.startOffset, t.startLine, t.startColumn]), whole });
    for (const chunk of CHUNKS) {
      const lexer = new ChunkedLexer(source, 'p.merge', chunk);
      const lexed = lexer.rest();
      expect(dump({ tokens: lexed.tokens.map((t) => [t.image, t.tokenType.name, t.startOffset, t.startLine, t.startColumn]), whole: lexed })).toBe(expected);
      expect(lexer.last).toBe(lexed.tokens[lexed.tokens.length - 1]);
    }
  });

  it.each(inputs)('%s: the same AST and diagnostics parsed in chunks', (_label, source) => {
    const expected = dump(parseInChunks(source, 'p.merge', WHOLE));
    for (const chunk of CHUNKS) expect(dump(parseInChunks(source, 'p.merge', chunk))).toBe(expected);
  });

  it('the generated program has errors in many chunks, and a deep nest is still MRG1021', () => {
    const codes = parseInChunks(broken, 'p.merge', 64).diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === 'MRG1010').length).toBeGreaterThan(20);
    expect(parseInChunks(tricky[6]![1], 'p.merge', 5).diagnostics.map((d) => d.code)).toContain('MRG1021');
  });
});
