// Spans from tokens. Chevrotain positions are 1-based, as Span wants; the lexer tracks starts only, and
// a token's end is computed here (only a fence spans lines).
import type { IToken } from 'chevrotain';

import { Fence, tokenEnd } from '../../grammar/tokens.js';
import type { Span } from '../diagnostics.js';

export function tokenSpan(file: string, t: IToken): Span {
  const line = t.startLine!;
  const column = t.startColumn!;
  if (t.tokenType !== Fence) return { file, line, column, endLine: line, endColumn: column + t.image.length - 1 };
  const end = tokenEnd(t);
  return { file, line, column, endLine: end.endLine, endColumn: end.endColumn };
}

/** From the start of `a` to the end of `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

/** The one-column position just after `s` (where a missing `;` belongs). */
export function afterSpan(s: Span): Span {
  return { file: s.file, line: s.endLine, column: s.endColumn + 1, endLine: s.endLine, endColumn: s.endColumn + 1 };
}

/** Only the first line of a span (a multi-line fence is reported at its opening line). */
export function firstLineSpan(s: Span, source: string, startOffset: number): Span {
  if (s.endLine === s.line) return s;
  let end = startOffset;
  while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
  return { file: s.file, line: s.line, column: s.column, endLine: s.line, endColumn: s.column + Math.max(0, end - startOffset - 1) };
}
