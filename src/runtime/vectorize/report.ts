// What `merg-e run --json` and `--report` show of each vectorize: its FnCost, the verdict, the decision
// and why, whether the result was fetched or computed, how it was scheduled, and the row counts.
import type { Span } from '../../diagnostics.js';
import { formatBytes, formatCount, formatScore, type FnCostJson, type VerdictJson } from '../../coren/index.js';

export interface VectorizeReport {
  fn: string;
  input: string;
  output: string;
  file: string;
  line: number;
  rows: number;
  /** The memo key (sha256 hex), or null without a memo store. */
  key: string | null;
  /** Known when every row was computed, or fetched with the entry. */
  cost: FnCostJson | null;
  verdict: (VerdictJson & { text: string }) | null;
  decision: 'fetch' | 'compute';
  /** `verdict`, `no entry`, `no memo store`, `entry ignored (corrupt)`. */
  reason: string;
  result: 'fetched' | 'computed' | null;
  /** How the rows ran: `deterministic` (simulated workers), `inline`, `threads`, or `fetched`. */
  mode: 'deterministic' | 'inline' | 'threads' | 'fetched' | null;
  /** `measured` (coren's MachCap of this host), `fixed` (given figures) or `nominal` (none given). */
  machine: 'measured' | 'fixed' | 'nominal';
  workers: number;
  batchSize: number;
  seed: number | null;
  kept: number;
  discarded: number;
  abandoned: number;
  failedRow: number | null;
  error: { code: string; name: string | null; message: string } | null;
  memo: { location: string; entry: string; stored: boolean } | null;
  /** Memo warnings of this vectorize (MRG4030 entry ignored, MRG4032 entry not written). */
  warnings: { code: string; message: string }[];
  seconds: number;
}

export function newReport(job: { fnName: string; input: { name: string }; output: { name: string }; rows: readonly unknown[]; span: Span }, opts: { seed?: number | null }, machine: VectorizeReport['machine']): VectorizeReport {
  return {
    fn: job.fnName,
    input: job.input.name,
    output: job.output.name,
    file: job.span.file,
    line: job.span.line,
    rows: job.rows.length,
    key: null,
    cost: null,
    verdict: null,
    decision: 'compute',
    reason: '',
    result: null,
    mode: null,
    machine,
    workers: 0,
    batchSize: 0,
    seed: opts.seed ?? null,
    kept: 0,
    discarded: 0,
    abandoned: job.rows.length,
    failedRow: null,
    error: null,
    memo: null,
    warnings: [],
    seconds: 0,
  };
}

/** The JSON `merg-e run --json` prints under `vectorize` (plain data already; a copy). */
export function reportsJson(reports: readonly VectorizeReport[]): VectorizeReport[] {
  return reports.map((r) => ({ ...r, memo: r.memo ? { ...r.memo } : null, verdict: r.verdict ? { ...r.verdict } : null, warnings: r.warnings.map((w) => ({ ...w })) }));
}

function pad(cells: string[], widths: number[], right: ReadonlySet<number>): string {
  return cells.map((c, i) => (right.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
}

/** Seconds as coren shows them (0.712), with three significant digits when that would read 0.000. */
function seconds(s: number): string {
  return s !== 0 && Math.abs(s) < 0.0005 ? s.toPrecision(3) : formatScore(s);
}

/** The `--report` table: one line per vectorize. */
export function reportsTable(reports: readonly VectorizeReport[]): string {
  if (reports.length === 0) return '';
  const header = ['line', 'fn', 'rows', 'W', 'Q', 'R', 'score', 'neck', 'decision', 'result', 'mode', 'kept', 'disc', 'aband'];
  const rows = reports.map((r) => {
    const c = r.cost;
    const v = r.verdict;
    const score = v ? (typeof v.score === 'number' ? seconds(v.score) : v.score) : '-';
    const decision = `${r.decision} (${r.reason})`;
    return [
      String(r.line),
      r.fn,
      String(r.rows),
      c ? formatCount(BigInt(c.ops)) : '-',
      c ? formatBytes(BigInt(c.memBytes)) : '-',
      c ? formatBytes(BigInt(c.resultBytes)) : '-',
      score,
      v ? v.bottleneck : '-',
      decision,
      r.error ? `${r.result ?? 'failed'}, ${r.error.name ?? r.error.code}` : (r.result ?? '-'),
      r.mode === 'threads' || r.mode === 'deterministic' ? `${r.mode} x${r.workers}` : (r.mode ?? '-'),
      String(r.kept),
      String(r.discarded),
      String(r.abandoned),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const right = new Set([0, 2, 3, 4, 5, 6, 11, 12, 13]);
  const lines = [`vectorize (${reports.length})`, `  ${pad(header, widths, right)}`, ...rows.map((r) => `  ${pad(r, widths, right)}`)];
  const memo = reports.find((r) => r.memo)?.memo;
  if (memo) lines.push(`  memo store: ${memo.location}`);
  return lines.join('\n');
}
