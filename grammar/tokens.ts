// The Merg-E tokens (../shared/spec/language.md §2). Pure lexical definitions: no semantics.
// Keywords take `longer_alt: Identifier` so `mutable_x` stays an identifier; type names (`int32`, `string`, …)
// are identifiers of a sub-category the declaration position recognises; `>>` is never one token.
import type { CustomPatternMatcherReturn, ILexingResult, IToken, TokenType } from 'chevrotain';

import { chevrotain } from './chevrotain.js';
import { LEXER_HINTS, type LexerHints } from './lexer-hints.js';

const { createToken, Lexer } = chevrotain;

/** What a ``` fence token carries (the token's `payload`). */
export interface FencePayload {
  tag: string;
  /** The lines between the fences, joined with '\n', the fence's own indentation removed. */
  text: string;
  /** False when the file ended before a closing fence line. */
  closed: boolean;
}

// ---------------------------------------------------------------- categories (abstract)

/** Anything that may follow a `.` in a dotted name: identifiers, type names and every keyword. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA, label: 'a name' });
/** A name of something: an identifier or a type name (`string` may name a column). */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, categories: [Word], label: 'a name' });
export const Modifier = createToken({ name: 'Modifier', pattern: Lexer.NA, label: 'a modifier' });
export const BinaryOp = createToken({ name: 'BinaryOp', pattern: Lexer.NA, label: 'a binary operator' });
export const UnaryOp = createToken({ name: 'UnaryOp', pattern: Lexer.NA, label: "'-' or '!'" });
export const AssignOp = createToken({ name: 'AssignOp', pattern: Lexer.NA, label: "'=', '+=' or '-='" });

// ---------------------------------------------------------------- trivia and documentation

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** `#!…` on the very first line only; kept aside (group `meta`), never seen by the parser. */
export const Shebang = createToken({
  name: 'Shebang',
  pattern: {
    exec: (text: string, offset: number): CustomPatternMatcherReturn | null => {
      if (offset !== 0 || text.charCodeAt(0) !== 35 /* # */ || text.charCodeAt(1) !== 33 /* ! */) return null;
      const m = /^#![^\r\n]*/.exec(text);
      return m as CustomPatternMatcherReturn | null;
    },
  },
  start_chars_hint: ['#'],
  line_breaks: false,
  group: 'meta',
});

const OPEN_FENCE = /```([^\r\n]*)/y;
const LINE = /(\r\n|\r|\n)([^\r\n]*)/y;
const CLOSING_FENCE_LINE = /^[ \t]*```[ \t]*$/;

/**
 * A reverse-markdown block: ``` plus an optional tag up to the end of the line, then every line up to
 * a line holding only ``` (which closes it). Without a closing line it runs to the end of the file and
 * its payload says `closed: false` (reported as MRG1003).
 */
function matchFence(text: string, offset: number): CustomPatternMatcherReturn | null {
  OPEN_FENCE.lastIndex = offset;
  const open = OPEN_FENCE.exec(text);
  if (open === null) return null;
  // The fence's indentation (spaces/tabs before it on its line) is removed from the text's lines.
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const prefix = text.slice(lineStart, offset);
  const indent = /^[ \t]*$/.test(prefix) ? prefix.length : 0;
  const lines: string[] = [];
  let end = LINE.lastIndex = OPEN_FENCE.lastIndex;
  let closed = false;
  for (let m = LINE.exec(text); m !== null; m = LINE.exec(text)) {
    const line = m[2] ?? '';
    if (CLOSING_FENCE_LINE.test(line)) {
      end = LINE.lastIndex - (line.length - line.indexOf('```') - 3);
      closed = true;
      break;
    }
    lines.push(stripIndent(line, indent));
    end = LINE.lastIndex;
  }
  if (!closed) {
    // Unclosed: end at the last non-blank line, so the token never ends on a line break.
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    while (end > OPEN_FENCE.lastIndex && /\s/.test(text[end - 1]!)) end--;
  }
  const result = [text.slice(offset, end)] as CustomPatternMatcherReturn;
  const payload: FencePayload = { tag: (open[1] ?? '').trim(), text: lines.join('\n'), closed };
  result.payload = payload;
  return result;
}

function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(i);
}

export const Fence = createToken({
  name: 'Fence',
  pattern: { exec: matchFence },
  start_chars_hint: ['`'],
  line_breaks: true,
  label: 'a ``` documentation block',
});

// ---------------------------------------------------------------- literals

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  label: 'a string',
});
/** A string the line ends inside; reported as MRG1002, parsed as a string so parsing goes on. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral],
  label: 'a string',
});
export const DecimalLiteral = createToken({ name: 'DecimalLiteral', pattern: /[0-9]+\.[0-9]+/, label: 'a decimal number' });
export const IntLiteral = createToken({ name: 'IntLiteral', pattern: /[0-9]+/, label: 'an integer' });
/** `12abc`, `0x1F`, `1e5`: reported as MRG1013, parsed as an integer so parsing goes on. */
export const InvalidNumber = createToken({
  name: 'InvalidNumber',
  pattern: /[0-9]+(?:\.[0-9]+)?[A-Za-z_][A-Za-z0-9_]*/,
  categories: [IntLiteral],
  label: 'an integer',
});

// ---------------------------------------------------------------- punctuation (longest first)

function punct(name: string, text: string, categories: TokenType[] = []): TokenType {
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return createToken({ name, pattern, label: `'${text}'`, categories });
}

export const DoubleColon = punct('DoubleColon', '::');
export const Handler = punct('Handler', '!!');
export const LessEq = punct('LessEq', '<=', [BinaryOp]);
export const GreaterEq = punct('GreaterEq', '>=', [BinaryOp]);
export const EqEq = punct('EqEq', '==', [BinaryOp]);
export const NotEq = punct('NotEq', '!=', [BinaryOp]);
export const AndAnd = punct('AndAnd', '&&', [BinaryOp]);
export const OrOr = punct('OrOr', '||', [BinaryOp]);
export const PlusAssign = punct('PlusAssign', '+=', [AssignOp]);
export const MinusAssign = punct('MinusAssign', '-=', [AssignOp]);
export const Semicolon = punct('Semicolon', ';');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const Dot = punct('Dot', '.');
export const LCurly = punct('LCurly', '{');
export const RCurly = punct('RCurly', '}');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const Less = punct('Less', '<', [BinaryOp]);
export const Greater = punct('Greater', '>', [BinaryOp]);
export const Assign = punct('Assign', '=', [AssignOp]);
export const Plus = punct('Plus', '+', [BinaryOp]);
export const Minus = punct('Minus', '-', [BinaryOp, UnaryOp]);
export const Star = punct('Star', '*', [BinaryOp]);
export const Slash = punct('Slash', '/', [BinaryOp]);
export const Percent = punct('Percent', '%', [BinaryOp]);
export const Not = punct('Not', '!', [UnaryOp]);
export const At = punct('At', '@');

// ---------------------------------------------------------------- names and keywords

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
  label: 'a name',
});

/**
 * Type names are names (a column may be called `string`), recognised lexically so that a statement
 * starting with one (`int32 x = 1;`) is a declaration while `cout endl;` is a command: the statement
 * is chosen by its first token. Widths are checked in the AST builder.
 */
export const TypeName = createToken({
  name: 'TypeName',
  pattern: /(?:u?int|float)[0-9]*|string|bool|awaitable/,
  longer_alt: Identifier,
  categories: [Name],
  label: 'a type name',
});

function keyword(word: string, categories: TokenType[] = []): TokenType {
  const name = word
    .split('_')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, categories: [...categories, Word], label: `'${word}'` });
}

export const App = keyword('app');
export const Use = keyword('use');
export const As = keyword('as');
export const ResolveOrder = keyword('resolve_order');
export const Main = keyword('main');
export const Function = keyword('function');
export const Merge = keyword('merge');
export const Actor = keyword('actor');
export const Return = keyword('return');
export const Mutable = keyword('mutable', [Modifier]);
export const Inert = keyword('inert', [Modifier]);
export const Shared = keyword('shared', [Modifier]);
export const Reentrant = keyword('reentrant', [Modifier]);
export const Hazardous = keyword('hazardous', [Modifier]);
export const Dag = keyword('dag');
export const Dataframe = keyword('dataframe');
export const Blocker = keyword('blocker');
export const Membrane = keyword('membrane');
export const Quota = keyword('quota');
export const CopyOnMutate = keyword('copy_on_mutate');
export const Prune = keyword('prune');
export const Ent = keyword('ent');
export const Alias = keyword('alias');
export const Freeze = keyword('freeze');
export const Vectorize = keyword('vectorize');
export const AwaitAll = keyword('await_all');
export const While = keyword('while');
export const If = keyword('if');
export const Else = keyword('else');
export const Switch = keyword('switch');
export const Scope = keyword('scope');
export const True = keyword('true');
export const False = keyword('false');

/** The lexer's token order: the first pattern that matches wins, so longer forms come first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Shebang,
  Fence,
  StringLiteral,
  UnterminatedString,
  InvalidNumber,
  DecimalLiteral,
  IntLiteral,
  DoubleColon,
  Handler,
  LessEq,
  GreaterEq,
  EqEq,
  NotEq,
  AndAnd,
  OrOr,
  PlusAssign,
  MinusAssign,
  Semicolon,
  Comma,
  Colon,
  Dot,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Less,
  Greater,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Not,
  At,
  App,
  Use,
  As,
  ResolveOrder,
  Main,
  Function,
  Merge,
  Actor,
  Return,
  Mutable,
  Inert,
  Shared,
  Reentrant,
  Hazardous,
  Dag,
  Dataframe,
  Blocker,
  Membrane,
  Quota,
  CopyOnMutate,
  Prune,
  Ent,
  Alias,
  Freeze,
  Vectorize,
  AwaitAll,
  While,
  If,
  Else,
  Switch,
  Scope,
  True,
  False,
  TypeName,
  Identifier,
  // Categories are part of the vocabulary the parser knows.
  Word,
  Name,
  Modifier,
  BinaryOp,
  UnaryOp,
  AssignOp,
];

// ---------------------------------------------------------------- the lexer

// The lexer reads the same language as a Lexer built from `allTokens` (test/grammar/lexer.test.ts holds it
// to that), two ways faster. Every word is lexed as an Identifier and then given its keyword or type-name
// type by one Map lookup: with each keyword its own pattern, a word like `mutable` ran three regexes and
// allocated a match array for its `longer_alt` check. And whitespace is two patterns, so the common run of
// spaces inside a line is skipped without scanning it again for line breaks.

const Spaces = createToken({ name: 'Spaces', pattern: /[ \t\f\v\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: false });
const LineBreaks = createToken({ name: 'LineBreaks', pattern: /[\r\n][ \t\r\n\f\v\uFEFF]*/, group: Lexer.SKIPPED, line_breaks: true });

/** Keywords by their word: the tokens whose `longer_alt` is Identifier, read from their definitions. */
const KEYWORDS = new Map<string, TokenType>();
for (const t of allTokens) {
  if (t.LONGER_ALT === Identifier && t !== TypeName) KEYWORDS.set((t.PATTERN as RegExp).source, t);
}
/** A whole word that TypeName's pattern matches (its `longer_alt` Identifier matches no more). */
const WHOLE_TYPE_NAME = new RegExp(`^(?:${(TypeName.PATTERN as RegExp).source})$`);
/** First characters a type name can have (u, i, f, s, b, a), by char code. */
const TYPE_NAME_START = new Set([...'uifsba'].map((c) => c.charCodeAt(0)));

/** The tokens the lexer matches: allTokens without whitespace, keywords and type names (see above). */
export const lexerTokens: readonly TokenType[] = [Spaces, LineBreaks, ...allTokens.filter((t) => t !== WhiteSpace && t !== TypeName && !KEYWORDS.has((t.PATTERN as RegExp).source ?? ''))];

let lexer: InstanceType<typeof Lexer> | undefined;

/**
 * Chevrotain's definition checks cost tens of milliseconds of startup, so the CLI skips them;
 * test/grammar/definition.test.ts always runs them, and MERGE_VALIDATE_GRAMMAR=1 turns them on anywhere.
 */
export function validateGrammar(): boolean {
  return process.env['MERGE_VALIDATE_GRAMMAR'] === '1';
}

/** The one lexer, built on first use and reused. Its words are all Identifiers until `tokenize` types them. */
function mergeLexer(): InstanceType<typeof Lexer> {
  if (lexer === undefined && LEXER_HINTS !== null && !validateGrammar()) applyLexerHints(lexerTokens, LEXER_HINTS);
  lexer ??= new Lexer([...lexerTokens], {
    positionTracking: 'onlyStart',
    ensureOptimizations: true,
    skipValidations: !validateGrammar(),
  });
  return lexer;
}

/** Gives a word lexed as an Identifier its keyword or type-name type. */
function typeWord(t: IToken): void {
  const image = t.image;
  const keyword = KEYWORDS.get(image);
  if (keyword !== undefined) {
    t.tokenType = keyword;
    t.tokenTypeIdx = keyword.tokenTypeIdx!;
  } else if (TYPE_NAME_START.has(image.charCodeAt(0)) && WHOLE_TYPE_NAME.test(image)) {
    t.tokenType = TypeName;
    t.tokenTypeIdx = TypeName.tokenTypeIdx!;
  }
}

/**
 * Gives each token type named in `hints` the start_chars_hint and line_breaks of createToken (what the
 * lexer would otherwise work out from its regular expression), where its definition gave none.
 */
export function applyLexerHints(tokens: readonly TokenType[], hints: LexerHints): void {
  for (const t of tokens) {
    const hint = hints.get(t.name);
    if (hint === undefined) continue;
    if (!Object.hasOwn(t, 'START_CHARS_HINT')) t.START_CHARS_HINT = [...hint[0]];
    if (!Object.hasOwn(t, 'LINE_BREAKS')) t.LINE_BREAKS = hint[1];
  }
}

/**
 * Where a token ends. The lexer tracks start positions only (cheaper); only a fence spans lines, so the
 * end of anything else is its start plus its length.
 */
export function tokenEnd(t: IToken): { endLine: number; endColumn: number } {
  const image = t.image;
  if (t.tokenType !== Fence) return { endLine: t.startLine!, endColumn: t.startColumn! + image.length - 1 };
  const lines = image.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1]!;
  return lines.length === 1
    ? { endLine: t.startLine!, endColumn: t.startColumn! + image.length - 1 }
    : { endLine: t.startLine! + lines.length - 1, endColumn: last.length };
}

/** The tokens of `source`: what a Lexer built from `allTokens` returns (its errors' messages aside). */
export function tokenize(source: string): ILexingResult {
  const result = mergeLexer().tokenize(source);
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === Identifier) typeWord(t);
  }
  return result;
}
