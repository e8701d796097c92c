// Nesting limits, checked on the token vector before parsing. The parser, the static checks and the
// interpreter are recursive: a file that nests brackets thousands deep, or chains thousands of
// operators into one expression, would exhaust the JavaScript stack in one of them. Such a file gets
// one MRG1021 at the place it crosses a limit instead, and is not parsed further.
import type { IToken, TokenType } from 'chevrotain';

import { allTokens, BinaryOp, Dot, LBracket, LCurly, LParen, Membrane, RBracket, RCurly, RParen, Semicolon, UnaryOp } from '../../grammar/tokens.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { tokenSpan } from './spans.js';

/** Open `(`, `[` and `{` (and `membrane<…>` operands, which the parser also recurses into) at once. */
export const MAX_NESTING = 200;
/** Operators, member accesses, calls and indexes in one statement between `;`, `{` and `}`. */
export const MAX_CHAIN = 1000;

const OPEN = 1;
const CLOSE = 2;
/** `;`, `{` and `}` end a statement's chain. */
const RESET = 4;
/** Tokens that each add a level to an expression's tree (left-deep chains, postfix chains). */
const CHAIN = 8;
const MEMBRANE = 16;

let kinds: Uint8Array | undefined;

/** What each token type counts for, by token type index (one table lookup per token), built on first use. */
function allKinds(): Uint8Array {
  if (kinds === undefined) {
    kinds = new Uint8Array(Math.max(...allTokens.map((t) => t.tokenTypeIdx!)) + 1);
    for (const t of allTokens) kinds[t.tokenTypeIdx!] = kindOf(t);
  }
  return kinds;
}

function kindOf(t: TokenType): number {
  let k = 0;
  if (t === LParen || t === LBracket || t === LCurly) k |= OPEN;
  if (t === RParen || t === RBracket || t === RCurly) k |= CLOSE;
  if (t === Semicolon || t === LCurly || t === RCurly) k |= RESET;
  if (t === Membrane) k |= MEMBRANE;
  const cats = t.CATEGORIES;
  if (t === Dot || t === LParen || t === LBracket || (cats !== undefined && (cats.includes(BinaryOp) || cats.includes(UnaryOp)))) k |= CHAIN;
  return k;
}

/** The first place the tokens cross a nesting limit, as an MRG1021 diagnostic; null when none does. */
export function nestingDiagnostic(tokens: readonly IToken[], file: string): Diagnostic | null {
  return new NestingCheck(file).feed(tokens);
}

/** The nesting check over a token vector read in pieces (see ChunkedLexer). */
export class NestingCheck {
  private readonly table = allKinds();
  private depth = 0;
  private chain = 0;
  private membranes = 0;

  constructor(private readonly file: string) {}

  /** The next tokens of the file: MRG1021 at the first that nests too deeply, else null. */
  feed(tokens: readonly IToken[]): Diagnostic | null {
    const table = this.table;
    const file = this.file;
    let depth = this.depth;
    let chain = this.chain;
    let membranes = this.membranes;
    try {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        const k = table[t.tokenTypeIdx] ?? 0;
        if (k === 0) continue;
        if ((k & OPEN) !== 0) {
          depth++;
          if (depth + membranes > MAX_NESTING) {
            return diagnostic('MRG1021', `brackets nest more than ${MAX_NESTING} deep here`, tokenSpan(file, t), `Merg-E allows at most ${MAX_NESTING} nested brackets and blocks; move inner parts into named declarations or functions.`);
          }
        } else if ((k & CLOSE) !== 0 && depth > 0) {
          depth--;
        }
        if ((k & RESET) !== 0) {
          chain = 0;
          membranes = 0;
          continue;
        }
        if ((k & MEMBRANE) !== 0 && depth + ++membranes > MAX_NESTING) {
          return diagnostic('MRG1021', `membranes nest more than ${MAX_NESTING} deep here`, tokenSpan(file, t), `Merg-E allows at most ${MAX_NESTING} nested membranes in one expression; declare the inner ones under names first.`);
        }
        if ((k & CHAIN) !== 0 && ++chain > MAX_CHAIN) {
          return diagnostic('MRG1021', `this statement chains more than ${MAX_CHAIN} operators, calls and member accesses`, tokenSpan(file, t), `Split the expression: compute parts into named declarations (at most ${MAX_CHAIN} operators per statement).`);
        }
      }
      return null;
    } finally {
      this.depth = depth;
      this.chain = chain;
      this.membranes = membranes;
    }
  }
}

/** A JavaScript stack overflow (the backstop when recursion still runs out of stack). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
