// Property tests: whatever the input, parsing ends, throws nothing, and reports only MRG1xxx
// diagnostics whose spans lie inside the file; every AST span is inside the file too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { lexSource } from '../../src/ast/lex.js';
import { parseProgram } from '../../src/ast/parse.js';
import type { Span } from '../../src/diagnostics.js';
import { runs } from '../support/properties.js';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const examples = ['seed-part17.merge', 'primes.mrg', 'utils.mrm'].map((f) => readFileSync(join(examplesDir, f), 'utf8'));

function spanInside(s: Span, lines: string[]): boolean {
  const ok = (line: number, column: number) => Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1]!.length + 1;
  if (!ok(s.line, s.column) || !ok(s.endLine, s.endColumn)) return false;
  return s.endLine > s.line || (s.endLine === s.line && s.endColumn >= s.column);
}

/** Every `span` in the AST, found by walking it. */
function astSpans(node: unknown, out: Span[] = []): Span[] {
  if (Array.isArray(node)) for (const n of node) astSpans(n, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'span') out.push(v as Span);
      else astSpans(v, out);
    }
  }
  return out;
}

function checkParse(source: string): void {
  const started = performance.now();
  const { program, diagnostics } = parseProgram(source, 'p.merge');
  const lines = source.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^MRG1\d{3}$/);
    expect(d.span, `${d.code} ${d.message}`).toBeDefined();
    expect(spanInside(d.span!, lines), `${d.code} ${d.message} at ${JSON.stringify(d.span)}`).toBe(true);
  }
  for (const s of astSpans(program.body)) expect(spanInside(s, lines), JSON.stringify(s)).toBe(true);
  // Termination with room to spare: small inputs parse in well under a second.
  expect(performance.now() - started).toBeLessThan(5_000);
}

const WORDS = [
  'app', 'use', 'as', 'resolve_order', 'main', 'function', 'merge', 'actor', 'return', 'mutable', 'inert',
  'shared', 'reentrant', 'hazardous', 'dag', 'dataframe', 'blocker', 'membrane', 'quota', 'copy_on_mutate',
  'prune', 'ent', 'alias', 'freeze', 'vectorize', 'await_all', 'while', 'if', 'else', 'switch', 'scope',
  'true', 'false', 'int', 'int32', 'uint0', 'float8', 'string', 'awaitable', 'x', 'cout', 'lang', 'assert',
  '__proto__', 'constructor', '0', '17', '3.14', '12ab', '"s"', '"a\\q"', '"open', ';', ',', '.', ':', '::',
  '{', '}', '(', ')', '[', ']', '<', '>', '<=', '>=', '==', '!=', '=', '+=', '-=', '+', '-', '*', '/', '%',
  '!', '!!', '&&', '||', '@', '#', '`', '```tag\ndoc\n```', '```open', 'é',
];

describe('parser robustness (property)', () => {
  it('random token sequences yield only diagnostics with spans inside the file', () => {
    const token = fc.constantFrom(...WORDS);
    const sep = fc.constantFrom(' ', '\n', '  ', '\n\n', '\t');
    const program = fc.array(fc.tuple(token, sep), { maxLength: 60 }).map((parts) => parts.map(([t, s]) => t + s).join(''));
    fc.assert(fc.property(program, checkParse), { numRuns: runs(400) });
  });

  it('random text (any characters) never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkParse), { numRuns: runs(300) });
  });

  it('examples with deleted, duplicated or swapped tokens yield only diagnostics', () => {
    const cases = examples.map((source) => ({ source, tokens: lexSource(source, 'e').tokens }));
    const mutation = fc.record({
      example: fc.nat(cases.length - 1),
      edits: fc.array(fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'swap'), i: fc.nat(), j: fc.nat() }), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(mutation, ({ example, edits }) => {
        const { source, tokens } = cases[example]!;
        // Work on token texts with the whitespace that followed each, so lines stay plausible.
        const pieces = tokens.map((t, k) => source.slice(t.startOffset, tokens[k + 1]?.startOffset ?? source.length));
        for (const e of edits) {
          if (pieces.length === 0) break;
          const i = e.i % pieces.length;
          const j = e.j % pieces.length;
          if (e.kind === 'delete') pieces.splice(i, 1);
          else if (e.kind === 'duplicate') pieces.splice(i, 0, pieces[i]!);
          else [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
        }
        checkParse(pieces.join(''));
      }),
      { numRuns: runs(400) },
    );
  });
});
