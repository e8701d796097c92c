// Lexing: the shebang, the token vector, and every lexical diagnostic (MRG1001–MRG1004, MRG1013), for a
// whole file at once or in chunks of whole lines as the parser reads on.
import type { IToken } from 'chevrotain';

import { Fence, InvalidNumber, tokenize, UnterminatedString, type FencePayload } from '../../grammar/tokens.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { firstLineSpan, tokenSpan } from './spans.js';

export interface Lexed {
  tokens: IToken[];
  shebang: string | null;
  diagnostics: Diagnostic[];
  /** Offsets of characters the lexer skipped (MRG1001): a parse error right after one is its echo. */
  skippedOffsets: number[];
}

export function lexSource(source: string, file: string): Lexed {
  const out = emptyLexed();
  lexInto(out, source, file, source, 0, 1);
  return finish(out);
}

/** While lexing: the skipped characters' diagnostics come first, as Chevrotain reports them. */
interface Lexing extends Lexed {
  tokenDiagnostics: Diagnostic[];
}

function emptyLexed(): Lexing {
  return { tokens: [], shebang: null, diagnostics: [], skippedOffsets: [], tokenDiagnostics: [] };
}

function finish(out: Lexing): Lexed {
  return { tokens: out.tokens, shebang: out.shebang, diagnostics: [...out.diagnostics, ...out.tokenDiagnostics], skippedOffsets: out.skippedOffsets };
}

/**
 * Lexes `text`, which starts at `offset` (on line `line`, column 1) of `source`, appending its tokens,
 * diagnostics and skipped offsets to `out` with positions in the whole source.
 */
function lexInto(out: Lexing, source: string, file: string, text: string, offset: number, line: number, keep = true): IToken[] {
  const result = tokenize(text);
  const lineShift = line - 1;
  for (const e of result.errors) {
    const at = e.offset + offset;
    const seen = source.slice(at, at + e.length);
    const what = e.length === 1 ? `unexpected character '${seen}'` : `unexpected characters '${seen.length > 20 ? `${seen.slice(0, 20)}…` : seen}'`;
    const eLine = (e.line ?? 1) + lineShift;
    const column = e.column ?? 1;
    out.diagnostics.push(diagnostic('MRG1001', `${what}: it begins no Merg-E token`, { file, line: eLine, column, endLine: eLine, endColumn: column + e.length - 1 }));
    out.skippedOffsets.push(at);
  }
  const tokens = result.tokens;
  const all = out.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (offset !== 0) {
      t.startOffset += offset;
      t.startLine! += lineShift;
    }
    if (keep) all.push(t);
    const type = t.tokenType;
    if (type === UnterminatedString) {
      out.tokenDiagnostics.push(diagnostic('MRG1002', 'this string is not closed before the end of the line', tokenSpan(file, t)));
    } else if (type === InvalidNumber) {
      out.tokenDiagnostics.push(diagnostic('MRG1013', `'${t.image}' is not a number: numbers are decimal digits, optionally with a fraction (3.14159)`, tokenSpan(file, t)));
    } else if (type === Fence && !(t.payload as FencePayload).closed) {
      out.tokenDiagnostics.push(diagnostic('MRG1003', 'this ``` documentation block has no closing ``` line', firstLineSpan(tokenSpan(file, t), source, t.startOffset)));
    }
  }
  const meta = result.groups['meta'];
  if (offset === 0 && meta !== undefined && meta.length > 0) out.shebang = meta[0]!.image;
  return tokens;
}

/** Source characters lexed at a time by ChunkedLexer: its tokens die young, before they are promoted. */
export const LEX_CHUNK = 64 * 1024;

/**
 * Lexes a source a chunk of whole lines at a time as a parser reads on (each chunk's tokens returned by
 * `next`), so that the parser never has the whole file's tokens alive at once (they cost ~80 bytes per source byte and most of the
 * garbage collector's time). The tokens, diagnostics and offsets are exactly those of lexSource: a chunk
 * ends after a line break, no token but a ``` fence spans one, and a chunk whose fence is left open is
 * lexed again, twice as long, until the fence closes in it or it reaches the end of the file.
 */
export class ChunkedLexer {
  private readonly lexing = emptyLexed();
  private offset = 0;
  private line = 1;
  /** The file's last token, kept as the parser clears the vector. */
  last: IToken | undefined;
  /** The first token after each character the lexer skipped (see Prepared.echoes). */
  readonly echoes = new Set<IToken>();
  /** Skipped offsets whose next token is not lexed yet. */
  private pending: number[] = [];
  /** Whether the source has a CR at all: without one, a chunk's line breaks are counted by indexOf. */
  private readonly hasCR: boolean;

  /**
   * With `keep` false the lexer keeps no token: each chunk's tokens are only returned by `next`, and
   * `rest().tokens` is empty (the parser holds what it still reads).
   */
  constructor(
    readonly source: string,
    private readonly file: string,
    private readonly chunk = LEX_CHUNK,
    private readonly keep = true,
  ) {
    this.hasCR = source.includes('\r');
  }

  get done(): boolean {
    return this.offset >= this.source.length;
  }

  /** Lexes the next chunk; returns its tokens (also kept in `rest().tokens` when keeping), none when done. */
  next(): IToken[] {
    const source = this.source;
    if (this.done) return [];
    let size = this.chunk;
    let end = this.cut(this.offset + size);
    const out = this.lexing;
    const mark = { tokens: out.tokens.length, diagnostics: out.diagnostics.length, tokenDiagnostics: out.tokenDiagnostics.length, skipped: out.skippedOffsets.length };
    let tokens = lexInto(out, source, this.file, source.slice(this.offset, end), this.offset, this.line, this.keep);
    while (end < source.length && tokens.length > 0 && openFence(tokens)) {
      // The fence may close past the cut: lex the chunk again, twice as long.
      out.tokens.length = mark.tokens;
      out.diagnostics.length = mark.diagnostics;
      out.tokenDiagnostics.length = mark.tokenDiagnostics;
      out.skippedOffsets.length = mark.skipped;
      size *= 2;
      end = this.cut(this.offset + size);
      tokens = lexInto(out, source, this.file, source.slice(this.offset, end), this.offset, this.line, this.keep);
    }
    this.line += this.hasCR ? lineBreaks(source, this.offset, end) : newlines(source, this.offset, end);
    this.offset = end;
    if (tokens.length > 0) {
      this.last = tokens[tokens.length - 1];
      this.echoesIn(tokens, out.skippedOffsets.slice(mark.skipped));
    }
    return tokens;
  }

  /** Lexes what is left; everything lexSource would have returned. */
  rest(): Lexed {
    while (!this.done) this.next();
    return finish(this.lexing);
  }

  /** The first token at or after each skipped offset, within the tokens of one chunk (in offset order). */
  private echoesIn(tokens: IToken[], skipped: number[]): void {
    if (this.pending.length > 0) this.echoes.add(tokens[0]!);
    this.pending = [];
    for (const offset of skipped) {
      const i = firstAtOrAfter(tokens, offset);
      if (i < tokens.length) this.echoes.add(tokens[i]!);
      else this.pending.push(offset);
    }
  }

  /** The end of a chunk: just after the first line break at or after `at` (a `#!` never starts a chunk: it lexes only at offset 0). */
  private cut(at: number): number {
    const source = this.source;
    let end = at;
    for (;;) {
      if (end >= source.length) return source.length;
      const nl = source.indexOf('\n', end);
      if (nl < 0) return source.length;
      end = nl + 1;
      if (!(source.charCodeAt(end) === 35 && source.charCodeAt(end + 1) === 33)) return end;
    }
  }
}

function openFence(tokens: IToken[]): boolean {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.tokenType === Fence) return !(t.payload as FencePayload).closed;
  }
  return false;
}

/** Line breaks in source[from, to) as the lexer counts them (\r\n, \r and \n each one). */
function lineBreaks(source: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (source.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** Line feeds in source[from, to) (a source without CRs). */
function newlines(source: string, from: number, to: number): number {
  let n = 0;
  for (let i = source.indexOf('\n', from); i >= 0 && i < to; i = source.indexOf('\n', i + 1)) n++;
  return n;
}

/** The index of the first token starting at or after `offset` (tokens are in offset order). */
export function firstAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
