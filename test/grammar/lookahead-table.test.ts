// The lookahead table the command-line bundles parse with (grammar/lookahead-table.ts, computed by
// scripts/build.mjs): it covers every decision of the grammar, and a parser reading its paths from it
// decides exactly as one that computes them from the grammar.
import type { IToken, OptionalProductionType, TokenType } from 'chevrotain';
import { describe, expect, it } from 'vitest';

import { chevrotain } from '../../grammar/chevrotain.js';
import { decisionKey, TrieLookahead } from '../../grammar/lookahead.js';
import { computeLookaheadTable, grammarDecisions } from '../../grammar/build-tables.js';
import { LOOKAHEAD_TABLE } from '../../grammar/lookahead-table.js';
import { MAX_LOOKAHEAD, MergeParser } from '../../grammar/parser.js';
import { allTokens } from '../../grammar/tokens.js';

const { EOF, Lexer } = chevrotain;

const concrete: TokenType[] = [...allTokens.filter((t) => t.PATTERN !== Lexer.NA), EOF];

function reader(types: TokenType[]): { LA_FAST(i: number): IToken } {
  return { LA_FAST: (i: number) => ({ image: '', startOffset: 0, tokenType: types[i - 1] ?? EOF, tokenTypeIdx: (types[i - 1] ?? EOF).tokenTypeIdx! }) };
}

describe('lookahead table', () => {
  const table = computeLookaheadTable();
  const decisions = grammarDecisions(Object.values(new MergeParser(false, null, null).getGAstProductions()));

  it('from the sources there is none: the library computes paths on first use', () => {
    expect(LOOKAHEAD_TABLE).toBeNull();
  });

  it('has one entry per decision of the grammar, ORs with predicates among them', () => {
    expect(decisions.length).toBeGreaterThan(60);
    expect(new Set(table.keys())).toEqual(new Set(decisions.map((d) => decisionKey(d.rule.name, d.kind, d.occurrence, MAX_LOOKAHEAD))));
  });

  it('decides every decision as the parser that computes its paths, over every first and second token, and computes none', () => {
    const tabled = new TrieLookahead({ maxLookahead: MAX_LOOKAHEAD, table, tokens: [...allTokens, EOF] });
    const computing = new TrieLookahead({ maxLookahead: MAX_LOOKAHEAD });
    const differ: string[] = [];
    for (const d of decisions) {
      const opts = { prodOccurrence: d.occurrence, rule: d.rule, maxLookahead: MAX_LOOKAHEAD, hasPredicates: false, dynamicTokensEnabled: false, prodType: d.kind as OptionalProductionType };
      const build = (s: TrieLookahead) => (d.kind === 'Alternation' ? s.buildLookaheadForAlternation(opts) : s.buildLookaheadForOptional(opts)) as (this: unknown) => unknown;
      const mine = build(tabled);
      const theirs = build(computing);
      for (const first of concrete) {
        for (const second of concrete) {
          const r = reader([first, second, EOF]);
          if (mine.call(r) !== theirs.call(r)) differ.push(`${d.rule.name} ${d.kind}${d.occurrence} on ${first.name} ${second.name}`);
        }
      }
    }
    expect(differ).toEqual([]);
    expect(tabled.computed).toBe(0);
    expect(computing.computed).toBe(decisions.length);
  });

  it('a name the table does not know makes the decision compute its own paths', () => {
    const [key, paths] = [...table].find(([, p]) => p.length > 1)!;
    const broken = new Map(table).set(key, paths.map((alt) => alt.map((path) => path.map(() => 'NoSuchToken'))));
    const d = decisions.find((x) => decisionKey(x.rule.name, x.kind, x.occurrence, MAX_LOOKAHEAD) === key)!;
    const s = new TrieLookahead({ maxLookahead: MAX_LOOKAHEAD, table: broken, tokens: [...allTokens, EOF] });
    expect(s.paths(d.rule, d.kind, d.occurrence, MAX_LOOKAHEAD).map((alt) => alt.map((path) => path.map((t) => t.name)))).toEqual(paths);
    expect(s.computed).toBe(1);
  });
});
