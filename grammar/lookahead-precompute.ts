// The lookahead table of the grammar (grammar/lookahead-table.ts), computed when the command-line
// bundles are built: every decision Chevrotain builds a lookahead function for, with the paths
// grammar/lookahead.ts would compute for it on first use.
import type { IProduction, IProductionWithOccurrence, Rule } from 'chevrotain';

import { chevrotain } from './chevrotain.js';
import { decisionKey, decisionPaths, type DecisionKind } from './lookahead.js';
import { MAX_LOOKAHEAD, MergeParser } from './parser.js';

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
  const parser = new MergeParser(false, null);
  const table = new Map<string, string[][][]>();
  for (const d of grammarDecisions(Object.values(parser.getGAstProductions()))) {
    const paths = decisionPaths(d.rule, d.kind, d.occurrence, MAX_LOOKAHEAD);
    table.set(decisionKey(d.rule.name, d.kind, d.occurrence, MAX_LOOKAHEAD), paths.map((alt) => alt.map((path) => path.map((t) => t.name))));
  }
  return table;
}
