// The examples folder as the golden and cross-profile tests see it: runnable programs, their
// ```expect blocks (the output) and ```expect-state blocks (the world at the end of the run).
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

/**
 * What an ```expect-state block says about the end of the run, line by line:
 *
 *     membrane NAME: direct 6.286, below 0     the quota membrane's use in points (either or both)
 *     membranes: newdag, dag3, dag4            exactly these quota membranes, in this order
 *     dataframe NAME: 2 rows                   optionally followed by `, frozen` or `, open`
 *     json {"ramPoints": {"total": 54.108}}    a fragment that `run --json`'s document must match
 *
 * Names are as `run --json` shows them. Anything else is an error, so a typo cannot pass unseen.
 */
export interface StateExpectation {
  readonly membranes: ReadonlyMap<string, { readonly direct?: number; readonly below?: number }>;
  readonly membraneList: readonly string[] | null;
  readonly dataframes: ReadonlyMap<string, { readonly rows: number; readonly frozen?: boolean }>;
  readonly json: readonly Record<string, unknown>[];
}

const POINTS = String.raw`-?\d+(?:\.\d{1,3})?`;

/** The first ```expect-state block of a source text, or null when it has none; throws on a line it cannot read. */
export function stateBlock(source: string): StateExpectation | null {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*```expect-state\s*$/.test(l));
  if (start < 0) return null;
  const membranes = new Map<string, { direct?: number; below?: number }>();
  const dataframes = new Map<string, { rows: number; frozen?: boolean }>();
  const json: Record<string, unknown>[] = [];
  let membraneList: string[] | null = null;
  for (let i = start + 1; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l === '```') return { membranes, membraneList, dataframes, json };
    if (l === '') continue;
    const bad = () => new Error(`expect-state line ${i - start}: cannot read '${l}'`);
    let m: RegExpExecArray | null;
    if ((m = /^membranes:\s*(.*)$/.exec(l))) {
      membraneList = (m[1] as string).split(',').map((n) => n.trim()).filter((n) => n !== '');
    } else if ((m = /^membrane (\S+):\s*(.+)$/.exec(l))) {
      const use: { direct?: number; below?: number } = {};
      for (const part of (m[2] as string).split(',')) {
        const f = new RegExp(`^(direct|below) (${POINTS})$`).exec(part.trim());
        if (!f) throw bad();
        use[f[1] as 'direct' | 'below'] = Number(f[2]);
      }
      membranes.set(m[1] as string, use);
    } else if ((m = /^dataframe (\S+):\s*(\d+) rows?(?:, (frozen|open))?$/.exec(l))) {
      dataframes.set(m[1] as string, { rows: Number(m[2]), ...(m[3] ? { frozen: m[3] === 'frozen' } : {}) });
    } else if ((m = /^json (.+)$/.exec(l))) {
      const v = JSON.parse(m[1] as string) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad();
      json.push(v as Record<string, unknown>);
    } else {
      throw bad();
    }
  }
  throw new Error('expect-state block is never closed');
}
