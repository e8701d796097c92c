// What a code frame shows of a source: the span's lines and one around them, cut out without
// re-splitting the whole file per diagnostic (a file with 30,000 errors would take minutes), lines
// broken where the lexer breaks them (\r\n, \r, \n — not U+2028), long lines clipped to a window
// around the span, and characters a terminal would act on (ESC, other C0/C1 controls, bidi
// overrides) shown as '�', so a hostile file cannot colour or rewrite the user's screen.

/** The widest slice of a line a frame shows; longer lines are clipped around the span with '…'. */
export const FRAME_WIDTH = 160;
/** A span over more lines than this is shown by its first line only. */
const MAX_SPAN_LINES = 8;

// C0 controls but tab, DEL, C1 controls, line/paragraph separators, bidi embeddings and isolates, and
// lone surrogates (a source's bytes that are not UTF-8, src/source-file.ts; `u` leaves pairs alone).
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\uD800-\uDFFF]/gu;

/** One character for one character, so columns and carets stay aligned. */
export function printableLine(s: string): string {
  return s.replace(UNPRINTABLE, '\ufffd');
}

/** Message text: unprintable characters as visible escapes (`\x1b`, `\u2028`). */
export function printableText(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

let cache: { source: string; starts: number[] } | null = null;

/** Offsets where lines start (the last entry is past the end), for the most recent source. */
function lineStarts(source: string): number[] {
  if (cache !== null && cache.source === source) return cache.starts;
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  starts.push(source.length + 1);
  cache = { source, starts };
  return starts;
}

export interface CodeWindow {
  /** The lines to show, joined with '\n'. */
  text: string;
  /** The file's line number of the first of them. */
  startLine: number;
  /** The span in `text`'s coordinates (lines of the file, columns of the clipped text). */
  start: { line: number; column: number };
  end: { line: number; column?: number };
}

/**
 * The window of `source` a frame for the span shows (lines and columns 1-based; `endColumn` is one
 * past the last marked character, as @babel/code-frame wants it). Null when the span is not in it.
 */
export function codeWindow(source: string, span: { line: number; column: number; endLine: number; endColumn?: number }): CodeWindow | null {
  const starts = lineStarts(source);
  const lines = starts.length - 1;
  if (span.line < 1 || span.line > lines) return null;
  let endLine = Math.min(Math.max(span.endLine, span.line), lines);
  let endColumn = span.endColumn;
  const lineText = (n: number) => source.slice(starts[n - 1], starts[n]! - 1).replace(/\r$/, '');
  if (endLine - span.line >= MAX_SPAN_LINES) {
    endLine = span.line;
    endColumn = lineText(span.line).length + 1;
  }
  const first = Math.max(1, span.line - 1);
  const last = Math.min(lines, endLine + 1);
  const raw: string[] = [];
  for (let n = first; n <= last; n++) raw.push(lineText(n));
  // One column window for every line, so the caret stays under its character.
  const longest = Math.max(...raw.map((l) => l.length));
  let from = 0;
  let clipped = raw;
  if (longest > FRAME_WIDTH) {
    from = Math.max(0, span.column - 1 - Math.floor(FRAME_WIDTH / 3));
    const lead = from > 0 ? '…' : '';
    clipped = raw.map((l) => {
      if (l.length <= from) return '';
      const cut = l.slice(from, from + FRAME_WIDTH);
      return lead + cut + (l.length > from + FRAME_WIDTH ? '…' : '');
    });
    from -= lead.length;
  }
  const shift = (column: number) => Math.min(Math.max(column - from, 1), FRAME_WIDTH + 2);
  const end = endColumn === undefined ? { line: endLine } : { line: endLine, column: shift(endColumn) };
  return { text: clipped.map(printableLine).join('\n'), startLine: first, start: { line: span.line, column: shift(span.column) }, end };
}
