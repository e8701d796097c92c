// Spans from tokens. Chevrotain positions are 1-based with an inclusive end column, as Span wants.
import type { IToken } from 'chevrotain';

import type { Span } from '../diagnostics.js';

export function tokenSpan(file: string, t: IToken): Span {
  return { file, line: t.startLine!, column: t.startColumn!, endLine: t.endLine!, endColumn: t.endColumn! };
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
