import { describe, expect, it } from 'vitest';
import { CODES, diagnostic, formatDiagnostic, MergeError } from '../../src/diagnostics.js';

describe('diagnostics table', () => {
  it('keeps every code in its range with a title and a hint', () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(code).toMatch(/^MRG[1-4]\d{3}$/);
      expect(info.title.length).toBeGreaterThan(0);
      expect(info.hint.length).toBeGreaterThan(0);
    }
  });

  it('prints file:line:col, code, a caret frame and the fix', () => {
    const source = 'mutable int x = 1;\nx = ;\n';
    const d = diagnostic('MRG1010', "expected an expression, found ';'", { file: 'a.merge', line: 2, column: 5, endLine: 2, endColumn: 5 });
    const text = formatDiagnostic(d, { source });
    expect(text.split('\n')[0]).toBe("a.merge:2:5 MRG1010 error: expected an expression, found ';'");
    expect(text).toMatch(/> 2 \| x = ;\n\s+\|\s+\^/);
    expect(text).toContain('help: ');
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('maps runtime codes to Merg-E error names', () => {
    expect(new MergeError(diagnostic('MRG3006', 'over quota')).errorName).toBe('quota_error');
    expect(new MergeError(diagnostic('MRG4001', 'no file')).errorName).toBeUndefined();
  });
});
