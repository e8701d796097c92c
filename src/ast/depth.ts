// Nesting limits, checked on the token vector before parsing. The parser, the static checks and the
// interpreter are recursive: a file that nests brackets thousands deep, or chains thousands of
// operators into one expression, would exhaust the JavaScript stack in one of them. Such a file gets
// one MRG1021 at the place it crosses a limit instead, and is not parsed further.
import type { IToken, TokenType } from 'chevrotain';

import { BinaryOp, Dot, LBracket, LCurly, LParen, Membrane, RBracket, RCurly, RParen, Semicolon, UnaryOp } from '../../grammar/tokens.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { tokenSpan } from './spans.js';

/** Open `(`, `[` and `{` (and `membrane<…>` operands, which the parser also recurses into) at once. */
export const MAX_NESTING = 200;
/** Operators, member accesses, calls and indexes in one statement between `;`, `{` and `}`. */
export const MAX_CHAIN = 1000;

const OPENS: ReadonlySet<TokenType> = new Set([LParen, LBracket, LCurly]);
const CLOSES: ReadonlySet<TokenType> = new Set([RParen, RBracket, RCurly]);

/** Tokens that each add a level to an expression's tree (left-deep chains, postfix chains). */
function chains(t: TokenType): boolean {
  if (t === Dot || t === LParen || t === LBracket) return true;
  const cats = t.CATEGORIES;
  return cats !== undefined && (cats.includes(BinaryOp) || cats.includes(UnaryOp));
}

/** The first place the tokens cross a nesting limit, as an MRG1021 diagnostic; null when none does. */
export function nestingDiagnostic(tokens: readonly IToken[], file: string): Diagnostic | null {
  let depth = 0;
  let chain = 0;
  let membranes = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (OPENS.has(type)) {
      depth++;
      if (depth + membranes > MAX_NESTING) {
        return diagnostic('MRG1021', `brackets nest more than ${MAX_NESTING} deep here`, tokenSpan(file, t), `Merg-E allows at most ${MAX_NESTING} nested brackets and blocks; move inner parts into named declarations or functions.`);
      }
    } else if (CLOSES.has(type) && depth > 0) {
      depth--;
    }
    if (type === Semicolon || type === LCurly || type === RCurly) {
      chain = 0;
      membranes = 0;
      continue;
    }
    if (type === Membrane && depth + ++membranes > MAX_NESTING) {
      return diagnostic('MRG1021', `membranes nest more than ${MAX_NESTING} deep here`, tokenSpan(file, t), `Merg-E allows at most ${MAX_NESTING} nested membranes in one expression; declare the inner ones under names first.`);
    }
    if (chains(type) && ++chain > MAX_CHAIN) {
      return diagnostic('MRG1021', `this statement chains more than ${MAX_CHAIN} operators, calls and member accesses`, tokenSpan(file, t), `Split the expression: compute parts into named declarations (at most ${MAX_CHAIN} operators per statement).`);
    }
  }
  return null;
}

/** A JavaScript stack overflow (the backstop when recursion still runs out of stack). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
