// grammar/lookahead.ts decides every OR / MANY / OPTION of the grammar exactly as Chevrotain's own LL(k)
// strategy does: same alternative for any next tokens, same gates evaluated.
import type { IOrAlt, IToken, OptionalProductionType, Rule, TokenType } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { chevrotain } from '../../grammar/chevrotain.js';
import { TrieLookahead } from '../../grammar/lookahead.js';
import { mergeParser } from '../../grammar/parser.js';
import { allTokens } from '../../grammar/tokens.js';
import { runs } from '../support/properties.js';

const { Alternation, EOF, getLookaheadPaths, Lexer, LLkLookaheadStrategy, NonTerminal, Option, Repetition, RepetitionMandatory } = chevrotain;

interface Decision {
  rule: Rule;
  kind: 'Alternation' | OptionalProductionType;
  idx: number;
  alts: number;
  hasPredicates: boolean;
}

/** Every decision point of the grammar (the productions Chevrotain builds a lookahead function for). */
function decisions(): Decision[] {
  const out: Decision[] = [];
  for (const rule of Object.values(mergeParser().getGAstProductions())) {
    const walk = (prods: unknown[]): void => {
      for (const p of prods) {
        if (p instanceof Alternation) {
          out.push({ rule, kind: 'Alternation', idx: p.idx, alts: p.definition.length, hasPredicates: (p as { hasPredicates?: boolean }).hasPredicates === true });
        } else if (p instanceof Option) out.push({ rule, kind: 'Option', idx: p.idx, alts: 1, hasPredicates: false });
        else if (p instanceof Repetition) out.push({ rule, kind: 'Repetition', idx: p.idx, alts: 1, hasPredicates: false });
        else if (p instanceof RepetitionMandatory) out.push({ rule, kind: 'RepetitionMandatory', idx: p.idx, alts: 1, hasPredicates: false });
        if (p instanceof NonTerminal) continue; // its definition is the referenced rule's
        const def = (p as { definition?: unknown[] }).definition;
        if (def !== undefined) walk(def);
      }
    };
    walk(rule.definition);
  }
  return out;
}

/** Token types a lexer can produce (categories excluded), and EOF. */
const concrete: TokenType[] = [...allTokens.filter((t) => t.PATTERN !== Lexer.NA), EOF];

function reader(types: TokenType[]): { LA_FAST(i: number): IToken } {
  return { LA_FAST: (i: number) => ({ image: '', startOffset: 0, tokenType: types[i - 1] ?? EOF, tokenTypeIdx: (types[i - 1] ?? EOF).tokenTypeIdx! }) };
}

describe('trie lookahead', () => {
  const all = decisions();
  const llk = new LLkLookaheadStrategy({ maxLookahead: 3 });
  const trie = new TrieLookahead({ maxLookahead: 3 });

  it('finds the decisions of the grammar, the multi-token ones among them', () => {
    expect(all.length).toBeGreaterThan(60);
    expect(all.some((d) => d.hasPredicates)).toBe(true);
  });

  it('takes the same alternative as Chevrotain for any next three tokens and any gate outcomes', () => {
    const built = all.map((d) => {
      if (d.kind === 'Alternation') {
        const opts = { prodOccurrence: d.idx, rule: d.rule, maxLookahead: 3, hasPredicates: d.hasPredicates, dynamicTokensEnabled: false };
        return { d, mine: trie.buildLookaheadForAlternation(opts), theirs: llk.buildLookaheadForAlternation(opts) };
      }
      const opts = { prodOccurrence: d.idx, prodType: d.kind, rule: d.rule, maxLookahead: 3, dynamicTokensEnabled: false };
      return { d, mine: trie.buildLookaheadForOptional(opts), theirs: llk.buildLookaheadForOptional(opts) };
    });
    // Next tokens drawn along the decision's own lookahead paths (categories resolved to a random member),
    // then sometimes one of them replaced by any token: near misses are where the answers could differ.
    const pathsOf = built.map(({ d }) =>
      d.kind === 'Alternation'
        ? getLookaheadPaths({ occurrence: d.idx, rule: d.rule, prodType: 'Alternation', maxLookahead: 3 }).flat()
        : getLookaheadPaths({ occurrence: d.idx, rule: d.rule, prodType: d.kind, maxLookahead: 3 }).flat(),
    );
    const members = (t: TokenType): TokenType[] => concrete.filter((c) => c === t || t.categoryMatchesMap?.[c.tokenTypeIdx!] === true);
    fc.assert(
      fc.property(
        fc.nat(built.length - 1),
        fc.nat(),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        fc.option(fc.tuple(fc.nat(2), fc.constantFrom(...concrete))),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        (i, pathPick, memberPicks, mutation, gates) => {
          const { d, mine, theirs } = built[i]!;
          const paths = pathsOf[i]!;
          const path = paths.length > 0 ? paths[pathPick % paths.length]! : [];
          const types = [0, 1, 2].map((k) => {
            const element = path[k];
            if (element === undefined) return concrete[memberPicks[k]! % concrete.length]!;
            const ms = members(element);
            return ms[memberPicks[k]! % ms.length]!;
          });
          if (mutation !== null) types[mutation[0]] = mutation[1];
          const calls = (log: number[]): IOrAlt<unknown>[] =>
            Array.from({ length: d.alts }, (_, a) => ({ ALT: () => undefined, GATE: () => (log.push(a), gates[a]!) }));
          const mineLog: number[] = [];
          const theirLog: number[] = [];
          const r = reader(types);
          const a = (mine as (this: unknown, alts?: IOrAlt<unknown>[]) => unknown).call(r, calls(mineLog));
          const b = (theirs as (this: unknown, alts?: IOrAlt<unknown>[]) => unknown).call(r, calls(theirLog));
          expect(a, `${d.rule.name} ${d.kind}${d.idx} on ${types.map((t) => t.name).join(' ')}`).toEqual(b);
          expect(mineLog).toEqual(theirLog);
        },
      ),
      { numRuns: runs(20_000) },
    );
  });

  it('answers real token sequences of every decision the same way (exhaustive over the first token)', () => {
    for (const d of all) {
      const opts = { prodOccurrence: d.idx, rule: d.rule, maxLookahead: 3, hasPredicates: d.hasPredicates, dynamicTokensEnabled: false, prodType: d.kind as OptionalProductionType };
      const mine = d.kind === 'Alternation' ? trie.buildLookaheadForAlternation(opts) : trie.buildLookaheadForOptional(opts);
      const theirs = d.kind === 'Alternation' ? llk.buildLookaheadForAlternation(opts) : llk.buildLookaheadForOptional(opts);
      const alts = Array.from({ length: d.alts }, () => ({ ALT: () => undefined, GATE: () => true }));
      for (const first of concrete) {
        for (const second of [EOF, ...concrete.slice(0, 12)]) {
          const r = reader([first, second, EOF]);
          const a = (mine as (this: unknown, alts?: unknown) => unknown).call(r, alts);
          const b = (theirs as (this: unknown, alts?: unknown) => unknown).call(r, alts);
          expect(a, `${d.rule.name} ${d.kind}${d.idx} on ${first.name} ${second.name}`).toEqual(b);
        }
      }
    }
  });
});
