// Human wording for Chevrotain's parse errors: "expected X, found Y" in the language's own terms.
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

import { chevrotain } from './chevrotain.js';

const { EOF, tokenLabel } = chevrotain;

/** How a found token is named in a message. */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the file';
  if (token.tokenType.name === 'Fence') return 'a ``` documentation block';
  const image = token.image.length > 30 ? `${token.image.slice(0, 30)}…` : token.image;
  return `'${image}'`;
}

/** What each rule is, for "expected …" when several alternatives were possible. */
const RULE_EXPECTATION = new Map<string, string>([
  ['program', 'a statement'],
  ['statement', 'a statement'],
  ['block', "a statement or '}'"],
  ['operand', 'an expression'],
  ['expression', 'an expression'],
  ['postfixOp', "'.', '[' or '('"],
  ['membraneSpec', "'quota<T, D, O>' or 'copy_on_mutate'"],
  ['nsRef', "a namespace name or '.'"],
  ['captures', "a name, ';', ',' or '}'"],
  ['ifStatement', "'{' or 'if' after 'else'"],
  ['param', 'a type name (int, int32, uint16, float64, string, bool, dag, blocker, …)'],
  ['variableDecl', 'a type name (int, int32, uint16, float64, string, bool, dag, blocker, …)'],
]);

const STATEMENT_END = "';' to end the statement (or a line break before the next statement)";
const AFTER_MODIFIERS = "a type name, 'function', 'merge', 'main' or 'dataframe' after the modifiers";

/** Inlined pieces are recognised by what they expected, whatever rule they sit in. */
function inlinedExpectation(paths: TokenType[][]): string | undefined {
  const names = new Set(paths.map((p) => p[0]?.name));
  if (names.has('Semicolon') && names.has(undefined)) return STATEMENT_END;
  if (names.has('Function') && names.has('TypeName')) return AFTER_MODIFIERS;
  return undefined;
}

function expectedFromPaths(paths: TokenType[][]): string {
  const firsts = new Set<string>();
  for (const p of paths) if (p[0] !== undefined) firsts.add(tokenLabel(p[0]));
  const list = [...firsts];
  if (list.length === 0) return 'something else';
  if (list.length === 1) return list[0]!;
  return `one of ${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

export const mergeErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    // Top-level recovery expects the end of the file after the statements it could parse.
    if (expected === EOF) return `expected a statement, found ${describeToken(actual)}`;
    return `expected ${tokenLabel(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a statement, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const found = actual[0] ? describeToken(actual[0]) : 'the end of the file';
    const paths = expectedPathsPerAlt.flat();
    const what = inlinedExpectation(paths) ?? RULE_EXPECTATION.get(ruleName) ?? expectedFromPaths(paths);
    return `expected ${what}, found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const found = actual[0] ? describeToken(actual[0]) : 'the end of the file';
    const what = RULE_EXPECTATION.get(ruleName) ?? expectedFromPaths(expectedIterationPaths);
    return `expected ${what}, found ${found}`;
  },
};
