// The parser's lookahead decisions, made by walking a trie instead of trying paths one by one.
//
// Chevrotain's LL(k) strategy decides an OR (which alternative?) or a MANY/OPTION (one more iteration?)
// from the lookahead paths of each alternative, computed from the grammar. When every path is one token
// long it looks the next token up in a table; otherwise it tries every path in turn, token by token. A
// few hot decisions of the Merg-E grammar need 2-3 tokens (`f(x)` the call vs `cout (x)` the command
// part; `.word` in a name chain) and have up to ~150 paths, so each decision cost hundreds of token
// comparisons. Here the same paths (Chevrotain's own `getLookaheadPaths`) go into a trie over token type
// indices, categories expanded, so a decision reads at most k tokens. The answers are the same: the
// first alternative (in grammar order) with a matching path, gates evaluated in the same order.
//
// The trie of a decision is built on its first use, so parser construction (CLI startup) no longer
// computes any lookahead paths; a small file only pays for the decisions it meets. The command-line
// bundles go further: their paths come from a table computed from the grammar when they were built
// (grammar/lookahead-table.ts), as walking the grammar for paths was about half of a small script's
// parse time.
import type { IOrAlt, IToken, OptionalProductionType, Rule, TokenType } from 'chevrotain';

import { chevrotain } from './chevrotain.js';

const { LLkLookaheadStrategy, getLookaheadPaths } = chevrotain;

/** What Chevrotain passes as `this` to a lookahead function: the parser (LA_FAST reads the token vector). */
interface Reader {
  LA_FAST(howMuch: number): IToken;
}

const NONE = Number.MAX_SAFE_INTEGER;

/** The kinds of decision: an OR, or one of the optional productions. */
export type DecisionKind = 'Alternation' | OptionalProductionType;

/**
 * Lookahead paths by decision (decisionKey): for each alternative (one for an optional production: the
 * paths into it), its paths as token type names.
 */
export type LookaheadTable = ReadonlyMap<string, readonly (readonly (readonly string[])[])[]>;

/** A decision's key in a LookaheadTable: its rule, kind, DSL occurrence index and lookahead depth. */
export function decisionKey(rule: string, kind: DecisionKind, occurrence: number, maxLookahead: number): string {
  return `${rule}/${kind}/${occurrence}/${maxLookahead}`;
}

/** A decision's paths, as the trie lookahead uses them (an optional production: one alternative, its paths into it). */
export function decisionPaths(rule: Rule, kind: DecisionKind, occurrence: number, maxLookahead: number): TokenType[][][] {
  return kind === 'Alternation' ? altPaths(rule, occurrence, maxLookahead) : [optionalPaths(rule, occurrence, kind, maxLookahead)];
}

interface TrieNode {
  /** The first alternative whose path ends here (NONE when no path does). */
  alt: number;
  /** Children by the token type index of the next token. */
  next: (TrieNode | undefined)[];
}

/** The concrete token types a path element matches under Chevrotain's tokenMatcher: itself, and its members when it is a category. */
function matchedTypeIndices(t: TokenType): number[] {
  const own = t.tokenTypeIdx!;
  if (t.isParent !== true || t.categoryMatchesMap === undefined) return [own];
  return [own, ...Object.keys(t.categoryMatchesMap).map(Number)];
}

/** A trie of the paths of several alternatives; `alts[i]` holds the paths of alternative i. */
function buildTrie(alts: TokenType[][][]): { root: TrieNode; depth: number } {
  const root: TrieNode = { alt: NONE, next: [] };
  let depth = 0;
  alts.forEach((paths, alt) => {
    for (const path of paths) {
      depth = Math.max(depth, path.length);
      let level = new Set([root]);
      for (const element of path) {
        const nextLevel = new Set<TrieNode>();
        const indices = matchedTypeIndices(element);
        for (const node of level) {
          for (const idx of indices) {
            let child = node.next[idx];
            if (child === undefined) node.next[idx] = child = { alt: NONE, next: [] };
            nextLevel.add(child);
          }
        }
        level = nextLevel;
      }
      for (const node of level) node.alt = Math.min(node.alt, alt);
    }
  });
  return { root, depth };
}

/** The first alternative with a path matching the next tokens, or NONE. */
function firstMatch(reader: Reader, root: TrieNode, depth: number): number {
  let node: TrieNode | undefined = root;
  let best = root.alt;
  for (let i = 1; i <= depth && best !== 0; i++) {
    node = node.next[reader.LA_FAST(i).tokenTypeIdx];
    if (node === undefined) break;
    if (node.alt < best) best = node.alt;
  }
  return best;
}

type OrOptions = Parameters<InstanceType<typeof LLkLookaheadStrategy>['buildLookaheadForAlternation']>[0];
type OptionalOptions = Parameters<InstanceType<typeof LLkLookaheadStrategy>['buildLookaheadForOptional']>[0];

/**
 * A decision, built on first use. When the first token decides (depth 1, no empty path) it is one table
 * lookup by token type; otherwise a walk of at most `depth` tokens down the trie.
 */
class Decision {
  private table: (number | undefined)[] | undefined;
  private trie: { root: TrieNode; depth: number } | undefined;

  constructor(private readonly paths: () => TokenType[][][]) {}

  /** The first alternative matching the next tokens, or undefined. */
  decide(reader: Reader): number | undefined {
    const table = this.table;
    if (table !== undefined) return table[reader.LA_FAST(1).tokenTypeIdx];
    const trie = (this.trie ??= this.build());
    if (this.table !== undefined) return this.table[reader.LA_FAST(1).tokenTypeIdx];
    const alt = firstMatch(reader, trie.root, trie.depth);
    return alt === NONE ? undefined : alt;
  }

  private build(): { root: TrieNode; depth: number } {
    const trie = buildTrie(this.paths());
    if (trie.depth === 1 && trie.root.alt === NONE) this.table = trie.root.next.map((n) => (n === undefined || n.alt === NONE ? undefined : n.alt));
    return trie;
  }
}

export interface TrieLookaheadOptions {
  maxLookahead?: number;
  /** Paths computed ahead of time; a decision it lacks computes its own. */
  table?: LookaheadTable | null;
  /** The token types the table's names stand for (the parser's vocabulary, EOF included). */
  tokens?: readonly TokenType[];
}

export class TrieLookahead extends LLkLookaheadStrategy {
  private readonly table: LookaheadTable | null;
  private readonly tokens: ReadonlyMap<string, TokenType>;
  /** Decisions whose paths were computed from the grammar rather than read from the table. */
  computed = 0;

  constructor(options: TrieLookaheadOptions = {}) {
    super(options.maxLookahead === undefined ? {} : { maxLookahead: options.maxLookahead });
    this.table = options.table ?? null;
    this.tokens = new Map((options.tokens ?? []).map((t) => [t.name, t]));
  }

  /** A decision's paths: from the table when it has them (every name known), else computed. */
  paths(rule: Rule, kind: DecisionKind, occurrence: number, maxLookahead: number): TokenType[][][] {
    const named = this.table?.get(decisionKey(rule.name, kind, occurrence, maxLookahead));
    if (named !== undefined) {
      const types = named.map((alt) => alt.map((path) => path.map((name) => this.tokens.get(name))));
      if (types.every((alt) => alt.every((path) => path.every((t) => t !== undefined)))) return types as TokenType[][][];
    }
    this.computed++;
    return decisionPaths(rule, kind, occurrence, maxLookahead);
  }

  override buildLookaheadForAlternation(options: OrOptions): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    if (options.dynamicTokensEnabled) return super.buildLookaheadForAlternation(options);
    const { prodOccurrence, rule, maxLookahead, hasPredicates } = options;
    const strategy = this;
    if (hasPredicates) {
      // Gates are evaluated alternative by alternative, exactly as Chevrotain does, up to the one taken.
      let perAlt: Decision[] | undefined;
      return function (this: Reader, orAlts?: IOrAlt<unknown>[]) {
        perAlt ??= strategy.paths(rule, 'Alternation', prodOccurrence, maxLookahead).map((paths) => new Decision(() => [paths]));
        for (let t = 0; t < perAlt.length; t++) {
          const gate = (orAlts![t] as { GATE?: (this: Reader) => boolean }).GATE;
          if (gate !== undefined && gate.call(this) === false) continue;
          if (perAlt[t]!.decide(this) === 0) return t;
        }
        return undefined;
      };
    }
    const decision = new Decision(() => this.paths(rule, 'Alternation', prodOccurrence, maxLookahead));
    return function (this: Reader) {
      return decision.decide(this);
    };
  }

  override buildLookaheadForOptional(options: OptionalOptions): () => boolean {
    if (options.dynamicTokensEnabled) return super.buildLookaheadForOptional(options);
    const { prodOccurrence, prodType, rule, maxLookahead } = options;
    // Only the paths into the production matter (Chevrotain's own builder reads just those too).
    const decision = new Decision(() => this.paths(rule, prodType, prodOccurrence, maxLookahead));
    return function (this: Reader) {
      return decision.decide(this) === 0;
    };
  }
}

function altPaths(rule: Rule, occurrence: number, maxLookahead: number): TokenType[][][] {
  return getLookaheadPaths({ occurrence, rule, prodType: 'Alternation', maxLookahead });
}

function optionalPaths(rule: Rule, occurrence: number, prodType: OptionalProductionType, maxLookahead: number): TokenType[][] {
  return getLookaheadPaths({ occurrence, rule, prodType, maxLookahead })[0]!;
}
