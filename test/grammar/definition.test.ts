// The grammar and token definitions pass Chevrotain's own validations. The CLI skips them for startup
// speed (they cost tens of milliseconds), so they are exercised here.
import { describe, expect, it } from 'vitest';

import { chevrotain } from '../../grammar/chevrotain.js';
import { MergeParser } from '../../grammar/parser.js';
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
});
