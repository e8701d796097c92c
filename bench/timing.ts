// Shared timing helpers for benchmarks (never used by tests).
import { performance } from 'node:perf_hooks';

/** A benchmark module: `bench/NAME.bench.ts` default-exports one. */
export interface Bench {
  /** Section key in BENCHMARKS.md. */
  name: string;
  title: string;
  /** Runs the measurements side by side and returns a markdown body (tables, ratios, targets). */
  run(): Promise<string>;
}

/** Best (minimum) wall time in ms of `fn` over `trials` runs after one warm-up. */
export function bestOf(trials: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function bestOfAsync(trials: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export function fmt(n: number, digits = 2): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A markdown table from a header row and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
