// Error recovery is iterative and linear: a statement list catches a statement's error, skips to the end
// of that statement and goes on. Chevrotain's own recovery re-scanned the rest of the file for every
// error (320 KB of `}!!{ cout` lines took about 29 s and reported one error) and recovered inside a
// repetition by calling itself once per error (4,000 bad statements ran out of stack: one error and a
// false MRG1021 "nesting too deep").
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import { countDiagnostics } from '../../src/diagnostic-list.js';
import { mergE, folder } from '../cli/helpers.js';

describe('recovery from many errors', () => {
  it('320 KB of `}!!{ cout` lines: every error is found (the first 100 shown), no MRG1021', () => {
    const source = '}!!{ cout\n'.repeat(32_000);
    const { diagnostics } = parseProgram(source, 'bad.merge');
    // Each line: `}` begins no statement (MRG1010); `cout` alone is not a statement (MRG1019).
    expect(countDiagnostics(diagnostics)).toEqual({ errors: 64_000, warnings: 0 });
    expect(diagnostics.slice(0, 4).map((d) => [d.code, d.span!.line, d.span!.column, d.message])).toEqual([
      ['MRG1010', 1, 1, "expected a statement, found '}'"],
      ['MRG1019', 1, 6, "'cout' alone is not a statement"],
      ['MRG1010', 2, 1, "expected a statement, found '}'"],
      ['MRG1019', 2, 6, "'cout' alone is not a statement"],
    ]);
    expect(diagnostics.some((d) => d.code === 'MRG1021')).toBe(false);
  });

  it('4,000 bad statements in a flat file: 4,000 errors and no false MRG1021', () => {
    const { diagnostics } = parseProgram('x = = 1;\n'.repeat(4_000), 'flat.merge');
    expect(countDiagnostics(diagnostics)).toEqual({ errors: 4_000, warnings: 0 });
    expect(diagnostics.some((d) => d.code === 'MRG1021')).toBe(false);
    expect(diagnostics[99]).toMatchObject({ code: 'MRG1010', span: { line: 100, column: 5 } });
  });

  it('4,000 bad statements inside a block: the same, and the statements between them are kept', () => {
    const source = `while true {\n${'  x = = 1;\n  cout "ok" endl;\n'.repeat(4_000)}};\n`;
    const { program, diagnostics } = parseProgram(source, 'block.merge');
    expect(countDiagnostics(diagnostics).errors).toBe(4_000);
    const loop = program.body[0]!;
    expect(loop.kind === 'While' && loop.body.length).toBe(4_000);
  });

  it('recovery stops at the `;` that ends the bad statement, at the `}` of its block, or at a statement on a later line', () => {
    const source = 'int a = (1 + ;\nint b = 2;\nwhile x { c = = 3 };\nd = (1 +\nfreeze e;\n';
    const { program, diagnostics } = parseProgram(source, 'r.merge');
    expect(diagnostics.map((d) => [d.code, d.span!.line])).toEqual([
      ['MRG1010', 1],
      ['MRG1010', 3],
      ['MRG1010', 5],
    ]);
    const kept = program.body.map((s) => (s.kind === 'Decl' ? s.target.parts[0] : s.kind));
    expect(kept).toEqual(['b', 'While', 'Freeze']);
  });

  it('merg-e check reports them, capped, with the count of all', async () => {
    const { code, io } = await mergE(['check', 'bad.merge'], folder({ 'bad.merge': 'x = = 1;\n'.repeat(4_000) }));
    expect(code).toBe(1);
    expect(io.stdout).toContain('MRG1024 error: 3,900 more errors are not shown');
    expect(io.stdout).toContain('checked 1 file: 4,000 errors, 0 warnings');
  });
});
