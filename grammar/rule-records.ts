// The grammar's rules as Chevrotain records them (its GAST: Rule, Alternation, Terminal, …) written as
// plain data and rebuilt from it. Chevrotain records the rules by running each one in a recording mode
// when a parser is built (most of building one); the command-line bundles rebuild them from records
// made at build time instead (grammar/recorded-rules.ts). A record holds each production's own fields in
// their order, token types by name; `referencedRule` is left out (Chevrotain resolves it by name, after
// recording, as before).
import type { IProduction, Rule, TokenType } from 'chevrotain';

import { chevrotain } from './chevrotain.js';

const { Alternation, Alternative, NonTerminal, Option, Repetition, RepetitionMandatory, RepetitionMandatoryWithSeparator, RepetitionWithSeparator, Terminal } = chevrotain;

type Field = string | number | boolean | null | { token: string } | ProductionRecord[];
/** A production: its class, and its own fields in order (`_definition`: the productions inside it). */
export type ProductionRecord = [kind: string, fields: [name: string, value: Field][]];
/** Each rule's record, by rule name. */
export type RuleRecords = ReadonlyMap<string, ProductionRecord>;

const KINDS = new Map<string, abstract new (...args: never[]) => object>([
  ['Rule', chevrotain.Rule],
  ['NonTerminal', NonTerminal],
  ['Alternative', Alternative],
  ['Option', Option],
  ['Repetition', Repetition],
  ['RepetitionMandatory', RepetitionMandatory],
  ['RepetitionMandatoryWithSeparator', RepetitionMandatoryWithSeparator],
  ['RepetitionWithSeparator', RepetitionWithSeparator],
  ['Alternation', Alternation],
  ['Terminal', Terminal],
]);
const KIND_OF = new Map([...KINDS].map(([name, c]) => [c as unknown, name]));

/** The record of a recorded production; anything it cannot write as data is an error (at build time). */
export function recordProduction(p: IProduction | Rule): ProductionRecord {
  const kind = KIND_OF.get(p.constructor);
  if (kind === undefined) throw new Error(`a grammar production of an unknown class: ${p.constructor.name}`);
  const fields: [string, Field][] = [];
  for (const [name, value] of Object.entries(p) as [string, unknown][]) {
    if (name === 'referencedRule') continue;
    if (name === '_definition') fields.push([name, p instanceof NonTerminal ? [] : (value as IProduction[]).map(recordProduction)]);
    else if (name === 'terminalType' || name === 'separator') fields.push([name, { token: (value as TokenType).name }]);
    else if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields.push([name, value ?? null]);
    else throw new Error(`the grammar production ${kind} has a field '${name}' that is not plain data`);
  }
  return [kind, fields];
}

/**
 * The production a record describes, as recording built it (same class, same own fields in the same
 * order), or null if the record names a class or token this grammar does not have.
 */
export function productionFromRecord(r: ProductionRecord, tokens: ReadonlyMap<string, TokenType>): IProduction | null {
  const c = KINDS.get(r[0]);
  if (c === undefined) return null;
  // Filled in field by field, as Chevrotain's constructors would leave it (they copy their options).
  const p = Object.create(c.prototype) as Record<string, unknown>;
  for (const [name, value] of r[1]) {
    if (Array.isArray(value)) {
      const inner: IProduction[] = [];
      for (const x of value) {
        const q = productionFromRecord(x, tokens);
        if (q === null) return null;
        inner.push(q);
      }
      p[name] = inner;
    } else if (value !== null && typeof value === 'object') {
      const t = tokens.get(value.token);
      if (t === undefined) return null;
      p[name] = t;
    } else p[name] = value ?? undefined;
  }
  return p as unknown as IProduction;
}
