// checkSource checks each top-level statement as the parser builds it and then drops it (a big file's
// AST never all lives at once). These hold it to the whole-AST way — parse everything, then
// checkProgram when the file has no syntax errors — on the examples, the bench's generated programs
// and generated programs with documentation, apps, syntax errors and module merges: the same
// diagnostics, in the same order.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { declarations, generateProgram, UTILS_MODULE } from '../../bench/programs.js';
import { hasErrors, parseProgram } from '../../src/ast/parse.js';
import type { Stmt } from '../../src/ast/types.js';
import { Checker } from '../../src/check/check.js';
import { checkProgram, checkSource, mergedModuleNames, moduleLookup } from '../../src/check/index.js';
import { DiagnosticList } from '../../src/diagnostic-list.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { folderModules } from '../../src/runtime/modules.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const dir = mkdtempSync(join(tmpdir(), 'merge-streaming-check-'));
writeFileSync(join(dir, 'utils.mrm'), UTILS_MODULE);
writeFileSync(join(dir, 'broken.mrm'), 'function f()::{}{ return 1 +; };\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The whole-AST way checkSource worked before. */
function wholeAst(source: string, file: string, folder: string): Diagnostic[] {
  const { program, diagnostics } = parseProgram(source, file);
  if (hasErrors(diagnostics)) return diagnostics;
  const modules = moduleLookup(folderModules(folder));
  return new DiagnosticList().pushAll(diagnostics).pushAll(checkProgram(program, { modules })).result();
}

function same(source: string, file = join(dir, 'p.merge'), folder = dir): void {
  expect(checkSource(source, file, folder)).toEqual(wholeAst(source, file, folder));
}

describe('checkSource streams the top-level statements', () => {
  it('gives the whole-AST diagnostics on every example', () => {
    for (const f of readdirSync(examples).filter((n) => /\.(merge|mrg)$/.test(n))) {
      same(readFileSync(join(examples, f), 'utf8'), join(examples, f), examples);
    }
  });

  it("gives the whole-AST diagnostics on the bench's generated programs", () => {
    same(generateProgram(40_000));
    same(declarations(2_000));
  });

  it('gives the whole-AST diagnostics on scripts and apps with documentation, errors and merges', () => {
    const doc = '```devdoc\nnotes\n```';
    const stmt = fc.constantFrom(
      doc,
      'mutable int a = 1;',
      'inert int a = 2;',
      'cout a endl;',
      'cout = 1;',
      'a = 3;',
      'ent box a as X;',
      'mutable int a = ;',
      'if true { a = 1; ent box a as Y; };',
      'mutable function f(x int)::{ a; }{ return x; };',
      'f(1, 2);',
      'mutable merge utils.is_prime as p(x int)::{ ok_count: a; }{ max_prime: a; };',
      'mutable merge broken.f as q()::{}{};',
      'mutable merge nowhere.f as r()::{}{};',
      'app demo lang ambient { use ambient { io.cout as cout; }; cout x endl; };',
      'app demo lang other { mutable int z = 1; z = 2; };',
      'main ()::{}{};',
    );
    const program = fc.array(stmt, { maxLength: 8 }).map((ss) => `mutable dag box;\n${ss.join('\n')}\n`);
    const bare = fc.array(stmt, { maxLength: 5 }).map((ss) => ss.join('\n'));
    fc.assert(
      fc.property(fc.oneof(program, bare), (source) => same(source)),
      { numRuns: 400 },
    );
  });

  it('empty files, documentation only, and a builtin declared again (reported at line 1, as before)', () => {
    for (const source of ['', '```devdoc\nonly\n```\n', '#!/usr/bin/env merg-e\n```devdoc\nx\n```\ninert int cout = 1;\n', 'mutable int endl = 1;']) same(source);
    expect(checkSource('\n\ninert int cout = 1;\n', join(dir, 'p.merge'), dir).map((d) => d.message)).toEqual(["'cout' is already declared in this block (line 1)"]);
  });

  it('reads the modules the text merges before parsing it: their names, found by a scan of the text', () => {
    expect([...mergedModuleNames('reentrant mutable merge utils.is_prime as p(x int)::{}{};\nmerge\n  a . b . f as g()::{}{};\nmerged.x; merge solo;')]).toEqual(['utils', 'a.b']);
    expect([...mergedModuleNames('cout "merge m.f" endl;')]).toEqual(['m']); // read for nothing: harmless
  });

  it('parses a module met during a streamed parse with a parser of its own (the outer parse goes on unharmed)', () => {
    const outer = generateProgram(8_000);
    const inner: string[] = [];
    const seen: Stmt[] = [];
    const streamed = parseProgram(outer, 'p.merge', {
      onTopLevel: (s) => {
        seen.push(s);
        const m = parseProgram(UTILS_MODULE, 'utils.mrm');
        inner.push(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
        return true;
      },
    });
    const plain = parseProgram(outer, 'p.merge');
    expect(streamed.diagnostics).toEqual(plain.diagnostics);
    expect(seen).toEqual(plain.program.body);
    expect(streamed.program).toEqual(plain.program);
    expect(new Set(inner).size).toBe(1);
    expect(JSON.parse(inner[0]!)).toMatchObject({ diagnostics: [], program: { kind: 'Program', file: 'utils.mrm' } });
  });

  it('keeps no top-level statement of a script in the program it parses', () => {
    const seen: Stmt[] = [];
    const { program } = parseProgram('mutable int a = 1;\n```devdoc\nx\n```\ncout a endl;\n', 'p.merge', { onTopLevel: (s) => seen.push(s) === 0 });
    expect(seen.map((s) => s.kind)).toEqual(['Decl', 'Doc', 'Command']);
    expect(program.body).toEqual([]);
  });
});

describe('a check that throws on a statement (a bug in the checks)', () => {
  it('is thrown for a file that parses, after which no statement is checked; behind syntax errors the parse\'s errors are the answer', () => {
    let calls = 0;
    const spy = vi.spyOn(Checker.prototype, 'topLevel').mockImplementation(() => {
      calls++;
      throw new Error('the check failed');
    });
    try {
      let thrown: unknown = null;
      try {
        checkSource('cout 1 endl;\ncout 2 endl;\n', 'a.merge', tmpdir());
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toBe('the check failed');
      expect(calls).toBe(1);
      expect(checkSource('cout 1 endl;\ncout (2 endl;\n', 'b.merge', tmpdir()).map((d) => d.code)).toEqual(['MRG1010']);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a module with syntax errors', () => {
  it('gets its syntax errors only: its shape is not checked on a broken parse', () => {
    expect(checkSource('cout 1 endl;\nfunction (', 'm.mrm', tmpdir()).map((d) => d.code)).toEqual(['MRG1010']);
  });
});
