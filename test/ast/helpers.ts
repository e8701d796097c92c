// Test helpers: parse a snippet and get its statements with spans stripped, for compact structural asserts.
import { expect } from 'vitest';

import { hasErrors, parseProgram } from '../../src/ast/parse.js';
import type { Stmt } from '../../src/ast/types.js';

/** The AST with every `span` removed (bigints kept). */
export function strip<T>(node: T): T {
  if (Array.isArray(node)) return node.map(strip) as T;
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (k !== 'span') out[k] = strip(v);
    return out as T;
  }
  return node;
}

/** Parses source that must have no diagnostics at all; returns its statements without spans. */
export function stmts(source: string): Stmt[] {
  const { program, diagnostics } = parseProgram(source, 't.merge');
  expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(hasErrors(diagnostics)).toBe(false);
  return strip(program.body);
}

export function stmt(source: string): Stmt {
  const list = stmts(source);
  expect(list).toHaveLength(1);
  return list[0]!;
}

/** `[code, line, column]` of every diagnostic. */
export function diags(source: string): [string, number, number][] {
  return parseProgram(source, 't.merge').diagnostics.map((d) => [d.code, d.span!.line, d.span!.column]);
}
