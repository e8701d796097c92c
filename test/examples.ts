// The examples folder as the golden and cross-profile tests see it: runnable programs and their
// ```expect blocks (notes/contracts.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLES_DIR = join(import.meta.dirname, '..', 'examples');

export interface Expectation {
  /** Exact stdout lines, in order. */
  readonly lines: readonly string[];
  /** The uncaught error the run must end with, or null: the run must succeed. */
  readonly error: { readonly name: string; readonly line: number } | null;
}

/** Runnable examples (scripts and apps; modules are not run), sorted. */
export function runnableExamples(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => /\.(merge|mrg)$/.test(f))
    .sort();
}

/** The first ```expect block of a source text, or null when it has none. */
export function expectBlock(source: string): Expectation | null {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*```expect\s*$/.test(l));
  if (start < 0) return null;
  const indent = (/^\s*/.exec(lines[start] as string) as RegExpExecArray)[0].length;
  const body: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^\s*```\s*$/.test(l)) break;
    body.push(l.slice(Math.min(indent, (/^\s*/.exec(l) as RegExpExecArray)[0].length)));
  }
  const last = body.length > 0 ? /^error: ([a-z_]+) at line (\d+)$/.exec(body[body.length - 1] as string) : null;
  if (last) return { lines: body.slice(0, -1), error: { name: last[1] as string, line: Number(last[2]) } };
  return { lines: body, error: null };
}

export function readExample(file: string): string {
  return readFileSync(join(EXAMPLES_DIR, file), 'utf8');
}

/** stdout as lines (a last line without a line break still counts). */
export function outputLines(stdout: string): string[] {
  if (stdout === '') return [];
  return (stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout).split('\n');
}
