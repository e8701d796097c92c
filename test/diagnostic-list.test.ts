// Diagnostics are capped at the first 100 of a file by place, then one note says how many more (and
// whether errors are among them). Before, 100 KB of random text gave 19,288 diagnostics, every one printed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { hasErrors, parseProgram } from '../src/ast/parse.js';
import { checkSource } from '../src/check/index.js';
import { bySpan, countDiagnostics, DiagnosticList, MAX_DIAGNOSTICS } from '../src/diagnostic-list.js';
import { diagnostic, type Diagnostic } from '../src/diagnostics.js';
import { runProgram } from '../src/runtime/run.js';
import { folder, mergE } from './cli/helpers.js';

function at(line: number, column: number, code: 'MRG2001' | 'MRG1011' = 'MRG2001'): Diagnostic {
  return diagnostic(code, `at ${line}:${column}`, { file: 'f.merge', line, column, endLine: line, endColumn: column });
}

describe('DiagnosticList', () => {
  it('keeps everything, sorted, up to the cap', () => {
    const list = new DiagnosticList().pushAll([at(3, 1), at(1, 2), at(1, 1)]);
    expect(list.result().map((d) => d.message)).toEqual(['at 1:1', 'at 1:2', 'at 3:1']);
  });

  it('keeps the first 100 by place and ends in MRG1024 when errors were left out', () => {
    const list = new DiagnosticList();
    for (let i = 500; i >= 1; i--) list.push(at(i, 1, i % 2 === 0 ? 'MRG2001' : 'MRG1011'));
    const out = list.result();
    expect(out).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(out.slice(0, 100).map((d) => d.span!.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const note = out[100]!;
    expect([note.code, note.severity, note.span, note.message]).toEqual(['MRG1024', 'error', undefined, '200 more errors and 200 more warnings are not shown (only the first 100 diagnostics of a file are)']);
    expect(countDiagnostics(out)).toEqual({ errors: 250, warnings: 250 });
  });

  it('ends in the warning MRG1023 when only warnings were left out, so a file of warnings still passes', () => {
    const list = new DiagnosticList();
    for (let i = 1; i <= 101; i++) list.push(at(i, 1, i === 1 ? 'MRG2001' : 'MRG1011'));
    const out = list.result();
    expect(out[100]).toMatchObject({ code: 'MRG1023', severity: 'warning', message: '1 more warning is not shown (only the first 100 diagnostics of a file are)' });
  });

  it('a merged list carries the counts of what the first one left out', () => {
    const first = new DiagnosticList(2).pushAll([at(1, 1), at(2, 1), at(3, 1)]).result();
    const merged = new DiagnosticList(2).pushAll(first).pushAll([at(1, 5, 'MRG1011')]).result();
    expect(merged.map((d) => d.code)).toEqual(['MRG2001', 'MRG1011', 'MRG1024']);
    expect(countDiagnostics(merged)).toEqual({ errors: 3, warnings: 1 });
  });

  it('is the first 100 of a full stable sort, whatever the order they come in (property)', () => {
    const diag = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.boolean()).map(([l, c, e]) => at(l, c, e ? 'MRG2001' : 'MRG1011'));
    fc.assert(
      fc.property(fc.array(diag, { maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (ds, limit) => {
        const out = new DiagnosticList(limit).pushAll(ds).result();
        const expected = ds.slice().sort(bySpan).slice(0, limit);
        expect(out.slice(0, expected.length)).toEqual(expected);
        expect(countDiagnostics(out)).toEqual(countDiagnostics(ds));
        expect(hasErrors(out)).toBe(hasErrors(ds));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the cap in every command', () => {
  const garbage = 'x = = 1;\n'.repeat(300);

  it('parseProgram, checkSource and runProgram return at most 100 and the note', () => {
    for (const ds of [parseProgram(garbage, 'g.merge').diagnostics, checkSource(garbage, 'g.merge'), runProgram({ file: 'g.merge', source: garbage }).diagnostics]) {
      expect(ds).toHaveLength(101);
      expect(ds[100]).toMatchObject({ code: 'MRG1024', message: '200 more errors are not shown (only the first 100 diagnostics of a file are)' });
    }
  });

  it('the static checks are capped while they run (a million undefined names are not all held)', () => {
    const ds = checkSource('cout y endl;\n'.repeat(5000), 'u.merge');
    expect(ds).toHaveLength(101);
    expect(countDiagnostics(ds)).toEqual({ errors: 5000, warnings: 0 });
  });

  it('merg-e check prints 100, the note, and counts them all', async () => {
    const dir = folder({ 'g.merge': garbage });
    const { code, io } = await mergE(['check', 'g.merge'], dir);
    expect(code).toBe(1);
    expect(io.stdout.match(/MRG1010 error/g)).toHaveLength(100);
    expect(io.stdout).toContain('g.merge: MRG1024 error: 200 more errors are not shown (only the first 100 diagnostics of a file are)');
    expect(io.stdout).toContain('checked 1 file: 300 errors, 0 warnings');
  });
});
