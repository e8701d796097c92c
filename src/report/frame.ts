// A code frame in HTML: the lines around a span with the span marked, as the terminal frame shows them
// (the same window: long lines clipped, control characters made visible).
import { codeWindow } from '../code-window.js';
import type { Span } from '../diagnostics.js';
import { esc, escLine } from './html.js';

export function codeFrameHtml(source: string | undefined, span: Span | undefined): string {
  if (source === undefined || span === undefined) return '';
  const w = codeWindow(source, { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn + 1 });
  if (w === null) return '';
  const lines = w.text.split('\n');
  const gutter = String(w.startLine + lines.length - 1).length;
  const rows = lines.map((text, i) => {
    const n = w.startLine + i;
    let from = -1;
    let to = text.length;
    if (n === w.start.line) from = w.start.column - 1;
    else if (n > w.start.line && n <= w.end.line) from = 0;
    if (n === w.end.line && w.end.column !== undefined) to = Math.max(w.end.column - 1, from + 1);
    const body = from < 0 ? escLine(text) : `${escLine(text.slice(0, from))}<mark>${escLine(text.slice(from, to)) || ' '}</mark>${escLine(text.slice(to))}`;
    const at = n === w.start.line ? '&gt;' : ' ';
    return `<span class="gutter">${at} ${String(n).padStart(gutter)} | </span>${body}`;
  });
  return `<pre class="frame" aria-label="${esc(`${span.file} line ${span.line}`)}">${rows.join('\n')}</pre>`;
}
