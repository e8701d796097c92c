// The static checks keep moved state in an undo log (linear in the program). This holds them to the
// way they worked before — a copy of every visible name's moved state at each block, put back at its
// end — on generated programs full of moves, blocks, nested callables and handlers: same diagnostics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import { Checker } from '../../src/check/check.js';
import type { Sym } from '../../src/check/scopes.js';
import type { Span } from '../../src/diagnostics.js';

/** The old bookkeeping: snapshot the moved state of every visible name, restore it at the block's end. */
class CopyingChecker extends Checker {
  private readonly snapshots: Map<Sym, Span | null>[] = [];
  protected override moveMark(): number {
    this.snapshots.push(new Map(this.table.visible().map((s) => [s, s.movedAt ?? null] as const)));
    return this.snapshots.length - 1;
  }
  protected override undoMoves(mark: number): void {
    for (const [s, at] of this.snapshots[mark]!) s.movedAt = at;
  }
}

function diagnosticsOf(checker: Checker, source: string): string[] {
  const { program, diagnostics } = parseProgram(source, 'p.merge');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  checker.program(program);
  return checker.out.result().map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`).sort();
}

const name = fc.constantFrom('a', 'b', 'c', 'd');
const fn = fc.constantFrom('f', 'g');

const programs = fc.letrec<{ stmt: string; block: string }>((tie) => ({
  block: fc.array(tie('stmt'), { maxLength: 4 }).map((ss) => `{\n${ss.join('\n')}\n}`),
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('mutable', 'shared mutable', 'inert'), name).map(([m, n]) => `${m} int ${n} = 1;`),
    name.map((n) => `ent box ${n} as X;`),
    name.map((n) => `cout ${n} endl;`),
    name.map((n) => `${n} = 2;`),
    fn.map((f) => `${f}();`),
    tie('block').map((b) => `if true ${b};`),
    fc.tuple(tie('block'), tie('block')).map(([t, e]) => `if true ${t} else ${e};`),
    tie('block').map((b) => `while false ${b};`),
    fc.tuple(tie('block'), tie('block')).map(([x, y]) => `switch 1 { a: ${x}; b: ${y}; };`),
    fc
      .tuple(fn, fc.uniqueArray(name, { maxLength: 2 }), tie('block'), fc.option(tie('block'), { nil: undefined }))
      .map(([f, caps, body, handler]) => `mutable function ${f}()::{ ${caps.map((c) => `${c};`).join(' ')} }${body}${handler === undefined ? '' : `!!${handler}`};`),
  ),
}));

describe('linear static checks (property)', () => {
  it('report exactly what copying the moved state at every block reported', () => {
    const program = fc.array(programs.stmt, { minLength: 1, maxLength: 8 }).map((ss) => `mutable dag box;\n${ss.join('\n')}\n`);
    fc.assert(
      fc.property(program, (source) => {
        expect(diagnosticsOf(new Checker({}), source)).toEqual(diagnosticsOf(new CopyingChecker({}), source));
      }),
      { numRuns: 600 },
    );
  });

  it('the generated programs do exercise moves that blocks and handlers undo', () => {
    const source = 'mutable dag box;\nmutable int a = 1;\nif true { ent box a as X; cout a endl; };\ncout a endl;\nmutable function f()::{ a; box; cout; }{ ent box a as Y; }!!{ cout a endl; };\ncout a endl;\n';
    expect(diagnosticsOf(new Checker({}), source)).toEqual(['3:32 MRG2003 \'a\' was moved at line 3 and cannot be used any more', "6:6 MRG2003 'a' was moved at line 5 and cannot be used any more"]);
  });
});
