// QA: two runtime diagnostics that had no place. Work registered on a blocker and never awaited was
// dropped without a word (now the warning MRG3020 at the registration, naming the blocker), and a
// JavaScript stack overflow (MRG3012, past a raised --max-call-depth) had no file or line (now the
// call entered last, with the depth).
import { describe, expect, it } from 'vitest';

import { run } from './helpers.js';

const F = 'function f(x int)::{ cout; endl; }{ cout "f " x endl; };\n';

describe('MRG3020: blocker work never awaited', () => {
  it('names the blocker and where the work was registered; awaited work is not reported', () => {
    const r = run(`${F}mutable blocker b;\nb += f(1);\nb += f(2);\nmutable blocker d;\nd += f(9);\nawait_all d;\n`);
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('f 9\n');
    const warnings = r.diagnostics.filter((d) => d.code === 'MRG3020');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.severity).toBe('warning');
    expect(warnings[0]?.message).toBe("2 pieces of work registered on blocker 'b' here never ran: it was never awaited");
    expect(warnings[0]?.span).toMatchObject({ file: 'test.merge', line: 3, column: 6 });
  });

  it('a blocker that dies with its block (a loop body) holding work: one warning for the site', () => {
    const r = run(`${F}mutable int i = 0;\nwhile i < 3 { mutable blocker c; c += f(i); i += 1; };\n`);
    const warnings = r.diagnostics.filter((d) => d.code === 'MRG3020');
    expect(warnings.map((w) => [w.message, w.span?.line])).toEqual([["3 pieces of work registered on 3 blockers 'c' here never ran: it was never awaited", 3]]);
  });

  it('a handler that skips the await still reports the dropped work; the run itself succeeds', () => {
    const r = run(`${F}function g()::{ cout; endl; }{\n  mutable blocker b;\n  b += f(1);\n  lang.assert 1 < 0;\n  await_all b;\n}!!{\n  cout "caught" endl;\n};\ng();\n`);
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('caught\n');
    expect(r.diagnostics.filter((d) => d.code === 'MRG3020').map((d) => d.span?.line)).toEqual([4]);
  });
});

describe('MRG3012 from a JavaScript stack overflow has a place', () => {
  it('points at the call entered last and says how deep', () => {
    const r = run('function f(x int)::{}{\n  return f(x + 1) + 1;\n};\nmutable int y = f(0);\n', { maxCallDepth: 10_000_000 });
    expect(r.error?.code).toBe('MRG3012');
    expect(r.error?.message).toMatch(/^the program recursed deeper than the interpreter can follow \(\d+ calls deep\)$/);
    expect([r.error?.file, r.error?.line]).toEqual(['test.merge', 2]);
  });
});
