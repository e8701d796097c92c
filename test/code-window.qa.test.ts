// QA: code frames of hostile sources — escape sequences, U+2028, 5 MB lines, tens of thousands of
// diagnostics — stay printable, aligned, small and fast.
import { describe, expect, it } from 'vitest';

import { checkSource } from '../src/check/index.js';
import { codeWindow, FRAME_WIDTH } from '../src/code-window.js';
import { diagnostic, formatDiagnostic } from '../src/diagnostics.js';

const ESC = '\u001b';

describe('code frames of hostile sources', () => {
  it('never passes terminal control characters through, in the frame or the message', () => {
    const source = `${ESC}[2J${ESC}[31m;\ncout "${ESC}]0;pwned\u0007" q endl;\n`;
    const text = checkSource(source, 'esc.merge')
      .map((d) => formatDiagnostic(d, { source }))
      .join('\n');
    expect(text).toContain("unexpected character '\\x1b'");
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('numbers lines as the lexer does: U+2028 inside a string is not a line break', () => {
    const source = 'cout "x\u2028y" endl;\ncout z endl;\n';
    const [d] = checkSource(source, 'ls.merge');
    expect(d!.span!.line).toBe(2);
    const frame = formatDiagnostic(d!, { source });
    expect(frame).toContain('> 2 | cout z endl;');
    expect(frame).toContain('  1 | cout "x\ufffdy" endl;');
  });

  it('keeps \\r and \\r\\n line numbers', () => {
    for (const eol of ['\r', '\r\n']) {
      const source = ['inert int a = 1;', 'cout a b endl;', ''].join(eol);
      const [d] = checkSource(source, 'eol.merge');
      expect(formatDiagnostic(d!, { source })).toMatch(/> 2 \| cout a b endl;\n {4}\| {8}\^/);
    }
  });

  it('clips a 5 MB line to a window around the span, caret still under its character', () => {
    const source = `cout "${'a'.repeat(5_000_000)}" q endl;\n`;
    const d = diagnostic('MRG2001', "'q' is not declared here", { file: 'l.merge', line: 1, column: 5_000_009, endLine: 1, endColumn: 5_000_009 });
    const frame = formatDiagnostic(d, { source });
    expect(frame.length).toBeLessThan(3 * FRAME_WIDTH + 400);
    const lines = frame.split('\n');
    const code = lines.find((l) => l.startsWith('> 1 | '))!;
    const caret = lines[lines.indexOf(code) + 1]!;
    expect(code[caret.indexOf('^')]).toBe('q');
    expect(code).toMatch(/^> 1 \| …a+" q endl;$/);
  });

  it('shows a span over many lines by its first line', () => {
    const source = Array.from({ length: 50 }, (_, i) => `line${i + 1}`).join('\n');
    const w = codeWindow(source, { line: 10, column: 1, endLine: 40 });
    expect(w!.text.split('\n')).toEqual(['line9', 'line10', 'line11']);
    expect(w!.startLine).toBe(9);
  });

  it('formats 30,000 diagnostics of one file in linear time (each frame reads only its lines)', () => {
    const source = 'inert int v = 1;\n'.repeat(30_000);
    // The checks keep 100 of a file (src/diagnostic-list.ts); the printer must still cope with many.
    expect(checkSource(source, 'dup.merge')).toHaveLength(101);
    const ds = Array.from({ length: 29_999 }, (_, i) => diagnostic('MRG2005', "'v' is already declared in this block (line 1)", { file: 'dup.merge', line: i + 2, column: 1, endLine: i + 2, endColumn: 16 }));
    const t0 = performance.now();
    let bytes = 0;
    for (const d of ds) bytes += formatDiagnostic(d, { source }).length;
    expect(bytes).toBeGreaterThan(0);
    // Re-splitting the whole file per diagnostic took over a minute here; a window takes well under.
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});
