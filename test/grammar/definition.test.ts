// The grammar and token definitions pass Chevrotain's own validations. The CLI skips them for startup
// speed (they cost tens of milliseconds), so they are exercised here.
import { describe, expect, it } from 'vitest';

import { chevrotain } from '../../grammar/chevrotain.js';
import { MergeParser, STATEMENT_START } from '../../grammar/parser.js';
import { allTokens } from '../../grammar/tokens.js';

describe('grammar definition', () => {
  it('the parser passes self-analysis with validations on (no ambiguity, no left recursion, unique indices)', () => {
    expect(() => new MergeParser(true)).not.toThrow();
  });

  it('the lexer definition is valid and fully optimizable', () => {
    const lexer = new chevrotain.Lexer(allTokens, { positionTracking: 'onlyStart', ensureOptimizations: true, skipValidations: false });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it('keywords do not swallow longer names; >> is two tokens; !! is one', () => {
    const names = (src: string) => new chevrotain.Lexer(allTokens, { positionTracking: 'onlyStart' }).tokenize(src).tokens.map((t) => t.tokenType.name);
    expect(names('mutable_x mutable int32x int32 asx as')).toEqual(['Identifier', 'Mutable', 'Identifier', 'TypeName', 'Identifier', 'As']);
    expect(names('>> !! ! >=')).toEqual(['Greater', 'Greater', 'Handler', 'Not', 'GreaterEq']);
  });

  it('the tokens the recovering statement lists begin a statement with are exactly the first set Chevrotain computes', () => {
    const parser = new MergeParser(false);
    const program = parser.getGAstProductions()['program']!;
    const firsts = chevrotain.getLookaheadPaths({ occurrence: 0, rule: program, prodType: 'Repetition', maxLookahead: 1 })[0]!.map((p) => p[0]!.name);
    const lexed = allTokens.filter((t) => t.PATTERN !== chevrotain.Lexer.NA);
    const expand = (names: string[]) => new Set(lexed.filter((t) => names.some((n) => t.name === n || (t.CATEGORIES ?? []).some((c) => c.name === n))).map((t) => t.name));
    expect(expand(STATEMENT_START.map((t) => t.name))).toEqual(expand(firsts));
  });

  it("the Chevrotain internals the parser's recovery and error messages use are still there", () => {
    const parser = new MergeParser(false) as unknown as Record<string, unknown>;
    for (const name of ['SAVE_ERROR', 'getCurrRuleFullName', 'SKIP_TOKEN']) expect(typeof parser[name], name).toBe('function');
    expect(typeof parser['errorMessageProvider']).toBe('object');
    // The token vector and the index of LA(0), which releaseConsumed clears behind the parse.
    parser['input'] = [];
    expect(Array.isArray(parser['tokVector']), 'tokVector').toBe(true);
    expect(parser['currIdx'], 'currIdx').toBe(-1);
    // raiseNoAltException is replaced by a copy that caches the expected paths: the original must still exist to be replaced.
    expect(typeof (chevrotain.EmbeddedActionsParser.prototype as unknown as Record<string, unknown>)['raiseNoAltException']).toBe('function');
  });
});
