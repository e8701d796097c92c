// What the command-line bundles get computed when they are built (scripts/build.mjs), in place of
// computing it at every start: the lookahead table of the grammar (grammar/lookahead-table.ts: every
// decision Chevrotain builds a lookahead function for, with the paths grammar/lookahead.ts would
// compute for it on first use), the records of its rules (grammar/recorded-rules.ts) and the hints
// of its lexer (grammar/lexer-hints.ts).
import type { IProduction, IProductionWithOccurrence, Rule, TokenType } from 'chevrotain';

import { chevrotain } from './chevrotain.js';
import { decisionKey, decisionPaths, type DecisionKind } from './lookahead.js';
import { MAX_LOOKAHEAD, MergeParser } from './parser.js';
import { recordProduction, type ProductionRecord } from './rule-records.js';
import { lexerTokens } from './tokens.js';

const { Alternation, NonTerminal, Option, Repetition, RepetitionMandatory, RepetitionMandatoryWithSeparator, RepetitionWithSeparator } = chevrotain;

export interface GrammarDecision {
  rule: Rule;
  kind: DecisionKind;
  occurrence: number;
}

/** Every decision of the rules: each OR, OPTION, MANY, AT_LEAST_ONE (and their _SEP forms). */
export function grammarDecisions(rules: readonly Rule[]): GrammarDecision[] {
  const out: GrammarDecision[] = [];
  const kindOf = (p: IProduction): DecisionKind | null => {
    if (p instanceof Alternation) return 'Alternation';
    if (p instanceof Option) return 'Option';
    if (p instanceof Repetition) return 'Repetition';
    if (p instanceof RepetitionMandatory) return 'RepetitionMandatory';
    if (p instanceof RepetitionWithSeparator) return 'RepetitionWithSeparator';
    if (p instanceof RepetitionMandatoryWithSeparator) return 'RepetitionMandatoryWithSeparator';
    return null;
  };
  for (const rule of rules) {
    const walk = (prods: readonly IProduction[]): void => {
      for (const p of prods) {
        if (p instanceof NonTerminal) continue; // its definition is the referenced rule's
        const kind = kindOf(p);
        if (kind !== null) out.push({ rule, kind, occurrence: (p as IProductionWithOccurrence).idx });
        walk((p as { definition?: IProduction[] }).definition ?? []);
      }
    };
    walk(rule.definition);
  }
  return out;
}

/** The paths of every decision of the Merg-E grammar, as token type names, by decisionKey. */
export function computeLookaheadTable(): Map<string, string[][][]> {
  const parser = new MergeParser(false, null, null);
  const table = new Map<string, string[][][]>();
  for (const d of grammarDecisions(Object.values(parser.getGAstProductions()))) {
    const paths = decisionPaths(d.rule, d.kind, d.occurrence, MAX_LOOKAHEAD);
    table.set(decisionKey(d.rule.name, d.kind, d.occurrence, MAX_LOOKAHEAD), paths.map((alt) => alt.map((path) => path.map((t) => t.name))));
  }
  return table;
}

/** Each rule of the Merg-E grammar as Chevrotain records it, by rule name. */
export function computeRuleRecords(): Map<string, ProductionRecord> {
  const parser = new MergeParser(false, null, null);
  return new Map(Object.entries(parser.getGAstProductions()).map(([name, rule]) => [name, recordProduction(rule)]));
}

/** What Chevrotain's lexer keeps of each pattern (Lexer internals, 11.2.0; test/grammar/build-tables.test.ts holds them to it). */
interface PatternConfig {
  tokenType: TokenType;
  canLineTerminator: boolean;
}
interface LexerInternals {
  patternIdxToConfig: { defaultMode: PatternConfig[] };
  charCodeToPatternIdxToConfig: { defaultMode: (PatternConfig[] | undefined)[] };
  canModeBeOptimized: { defaultMode: boolean };
}

/** Chevrotain's first-character index of a character code (reg_exp.ts: the codes above 255 share buckets of 255). */
function optimizedIndexOf(code: number): number {
  return code < 256 ? code : 255 + Math.floor(code / 255);
}

/** A character code in the bucket of a first-character index. */
function codeInBucket(index: number): number {
  return index < 256 ? index : Math.max(256, (index - 255) * 255);
}

/**
 * The lexer's start characters and line breaks of each token with a regular expression and no hint of
 * its own, read from a lexer Chevrotain built: given back as hints, they build the same tables.
 */
export function computeLexerHints(tokens: readonly TokenType[] = lexerTokens): Map<string, [number[], boolean]> {
  const lexer = new chevrotain.Lexer([...tokens], { positionTracking: 'onlyStart', ensureOptimizations: true, skipValidations: true }) as unknown as LexerInternals;
  if (lexer.canModeBeOptimized.defaultMode !== true) throw new Error('the lexer cannot use its first-character optimization');
  const byChar = lexer.charCodeToPatternIdxToConfig.defaultMode;
  const hints = new Map<string, [number[], boolean]>();
  for (const config of lexer.patternIdxToConfig.defaultMode) {
    const t = config.tokenType;
    if (!(t.PATTERN instanceof RegExp) || Object.hasOwn(t, 'START_CHARS_HINT')) continue;
    const codes: number[] = [];
    byChar.forEach((configs, index) => {
      if (configs?.includes(config) !== true) return;
      const code = codeInBucket(index);
      if (optimizedIndexOf(code) !== index) throw new Error(`no character code stands for the lexer's first-character index ${index}`);
      codes.push(code);
    });
    hints.set(t.name, [codes, config.canLineTerminator]);
  }
  return hints;
}
