// What the lexer would work out from each token's regular expression when it is built: the characters
// a match can start with (its first-character table) and whether a match can hold a line break. In the
// command-line bundles scripts/build.mjs replaces this module with the hints it computed from the
// tokens (grammar/build-tables.ts), given to Chevrotain as createToken's start_chars_hint and
// line_breaks (grammar/tokens.ts), so building the lexer does not parse every regular expression
// (about half the time it took). From the sources (the library, tests) there are none.

/** By token name: the character codes a match can start with, and whether it can hold a line break. */
export type LexerHints = ReadonlyMap<string, readonly [startCodes: readonly number[], lineBreaks: boolean]>;

export const LEXER_HINTS: LexerHints | null = null;
