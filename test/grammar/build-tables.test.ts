// The tables the command-line bundles build their parser and lexer from (grammar/build-tables.ts,
// computed by scripts/build.mjs): the rules rebuilt from their records are the rules Chevrotain records,
// a parser built from them and the lookahead table parses every program as one that records and
// computes, and a lexer given the hints builds the same first-character tables and tokens.
import type { IToken, TokenType } from 'chevrotain';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { declarations, denseStatements, generateProgram } from '../../bench/programs.js';
import { computeLexerHints, computeLookaheadTable, computeRuleRecords } from '../../grammar/build-tables.js';
import { chevrotain } from '../../grammar/chevrotain.js';
import { LEXER_HINTS } from '../../grammar/lexer-hints.js';
import { MergeParser } from '../../grammar/parser.js';
import { RECORDED_RULES } from '../../grammar/recorded-rules.js';
import { productionFromRecord, recordProduction } from '../../grammar/rule-records.js';
import { allTokens, applyLexerHints, lexerTokens } from '../../grammar/tokens.js';
import { AstBuilder } from '../../src/ast/build.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { programSource, tokenMutation } from '../../src/testing/index.js';
import { runs } from '../support/properties.js';

const { EOF, Lexer, serializeGrammar } = chevrotain;

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => /\.(merge|mrg|mrm)$/.test(f))
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));

const lexerOptions = { positionTracking: 'onlyStart', ensureOptimizations: true, skipValidations: true } as const;
const plainLexer = new Lexer([...lexerTokens], lexerOptions);
const records = computeRuleRecords();
const recording = new MergeParser(false, null, null);
const tabled = new MergeParser(false, computeLookaheadTable(), records);

/** The statements and diagnostics of `source` as `parser` builds them, as text (bigints marked). */
function parsedWith(parser: MergeParser, source: string): string {
  const diagnostics: Diagnostic[] = [];
  parser.b = new AstBuilder('p.merge', diagnostics);
  parser.input = plainLexer.tokenize(source).tokens;
  const body = parser.program();
  const errors = parser.errors.map((e) => [e.name, e.message, e.token.startOffset]);
  return JSON.stringify({ body, diagnostics, errors }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function sameParse(source: string): void {
  expect(parsedWith(tabled, source), source).toBe(parsedWith(recording, source));
}

describe('the tables the command-line bundles are built with', () => {
  it('from the sources there are none: the parser records its rules and the lexer reads its patterns', () => {
    expect(RECORDED_RULES).toBeNull();
    expect(LEXER_HINTS).toBeNull();
  });

  it('the rules rebuilt from their records are those Chevrotain recorded: same classes, fields and order', () => {
    const recorded = recording.getGAstProductions();
    const rebuilt = tabled.getGAstProductions();
    expect(Object.keys(rebuilt)).toEqual(Object.keys(recorded));
    for (const [name, rule] of Object.entries(recorded)) {
      expect(rebuilt[name], name).toStrictEqual(rule);
      expect(recordProduction(rebuilt[name]!)).toEqual(recordProduction(rule));
    }
    expect(serializeGrammar(Object.values(rebuilt))).toEqual(serializeGrammar(Object.values(recorded)));
  });

  it('a record naming a token or class the grammar lacks is not rebuilt (the rule is recorded instead)', () => {
    const tokens = new Map<string, TokenType>([...allTokens, EOF].map((t) => [t.name, t]));
    const rule = [...records.values()].find((r) => /"token".*"Alternation"|"Alternation".*"token"/.test(JSON.stringify(r)))!;
    expect(productionFromRecord(rule, tokens)).not.toBeNull();
    const json = JSON.stringify(rule);
    expect(productionFromRecord(JSON.parse(json.replace(/"token":"[A-Za-z]+"/, '"token":"NoSuchToken"')), tokens)).toBeNull();
    expect(productionFromRecord(JSON.parse(json.replace(/"Alternation"/, '"NoSuchProduction"')), tokens)).toBeNull();
  });

  it('parses every example, generated programs and mutated examples as the parser that records its rules', () => {
    for (const source of examples) sameParse(source);
    for (const source of [generateProgram(30_000), declarations(1_000), denseStatements(10_000)]) sameParse(source);
    fc.assert(fc.property(fc.oneof(programSource(), tokenMutation(examples)), sameParse), { numRuns: runs(300) });
  });

  it('a lexer given the hints builds the same first-character tables and the same tokens', () => {
    const hints = computeLexerHints();
    expect(hints.size).toBeGreaterThan(10);
    const saved = lexerTokens.map((t) => [t, Object.hasOwn(t, 'START_CHARS_HINT'), Object.hasOwn(t, 'LINE_BREAKS')] as const);
    try {
      applyLexerHints(lexerTokens, hints);
      const hinted = new Lexer([...lexerTokens], lexerOptions);
      const internals = (l: unknown) => {
        const x = l as { charCodeToPatternIdxToConfig: unknown; patternIdxToConfig: unknown; canModeBeOptimized: unknown; emptyGroups: unknown };
        return [x.charCodeToPatternIdxToConfig, x.patternIdxToConfig, x.canModeBeOptimized, x.emptyGroups];
      };
      expect(internals(hinted)).toEqual(internals(plainLexer));
      const tokens = (l: InstanceType<typeof Lexer>, s: string) => l.tokenize(s).tokens.map((t: IToken) => [t.tokenType.name, t.image, t.startOffset]);
      for (const source of [...examples, 'x = "a\nb" \u00a0 y\u2028z; #!', generateProgram(20_000)]) expect(tokens(hinted, source)).toEqual(tokens(plainLexer, source));
    } finally {
      for (const [t, start, lines] of saved) {
        if (!start) delete t.START_CHARS_HINT;
        if (!lines) delete t.LINE_BREAKS;
      }
    }
  });
});
