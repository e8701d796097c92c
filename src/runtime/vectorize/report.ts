// What `merg-e run --json` and `--report` show of each vectorize: its FnCost, the verdict, the decision
// and why, whether the result was fetched or computed, how it was scheduled, and the row counts.
import type { DiagnosticJson, Span } from '../../diagnostics.js';
import { formatBandwidth, formatBytes, formatCount, formatScore, type FnCostJson, type VerdictJson } from '../../coren/index.js';

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
  /**
   * Why: `verdict` (an entry was there; its FnCost decided), `no entry`, `no memo store`,
   * `entry ignored (corrupt)`, `entry refused (poisoned)`, `store unreachable`, `store lost`.
   */
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
  /** How it failed: the one JSON shape of a diagnostic, with the Merg-E error name. */
  error: (DiagnosticJson & { name: string | null }) | null;
  /**
   * The store's side: the entry (a file or a key), whether this run stored it, its size, the
   * measured time of fetching it (header and rows), the TTL it was given and what was evicted for it.
   */
  memo: { location: string; entry: string; stored: boolean; bytes: number | null; fetchSec: number | null; ttlSec: number | null; evicted: { entries: number; bytes: number } | null } | null;
  /** Memo warnings of this vectorize (MRG4030 ignored, MRG4031 refused, MRG4032/4034 not written, MRG4091/4092 store down). */
  warnings: DiagnosticJson[];
  seconds: number;
}

/** What one run did with its memo store (`memo.counts` of `--json`). */
export interface MemoCounts {
  /** Entries whose rows were fetched and used. */
  fetched: number;
  /** Entries there whose verdict said compute. */
  declined: number;
  missing: number;
  /** Entries ignored as unreadable, truncated, damaged or not fitting outDf (MRG4030). */
  corrupt: number;
  /** Entries refused as not signed with the key (MRG4031). */
  poisoned: number;
  /** Lookups the store could not answer (unreachable or lost). */
  unavailable: number;
  stored: number;
  /** Another writer stored the key first. */
  raced: number;
  /** Results not stored (too large, store full or not writable, store lost). */
  notStored: number;
  evictedEntries: number;
  evictedBytes: number;
}

export function newMemoCounts(): MemoCounts {
  return { fetched: 0, declined: 0, missing: 0, corrupt: 0, poisoned: 0, unavailable: 0, stored: 0, raced: 0, notStored: 0, evictedEntries: 0, evictedBytes: 0 };
}

/** The memo store of a run (`memo` of `merg-e run --json`). */
/** A small duration with a unit people read (µs below a millisecond). */
const fmtSec = (sec: number): string => (sec < 1e-3 ? `${(sec * 1e6).toFixed(1)} µs` : `${(sec * 1e3).toFixed(2)} ms`);

/** How fast this machine runs the interpreter, one thread (the unit of W). */
export interface InterpreterSpeed {
  opsPerSec: number;
  /** Seconds a row costs beside its operations (calling f, building and appending the row). */
  secPerRow?: number;
  measuredAt?: string;
  fromCache?: boolean;
}

export interface MemoSummary {
  location: string;
  transport: 'disk' | 'network';
  limits: { maxEntryBytes: number; maxTotalBytes: number | null; policy: string };
  /**
   * The measured fetch model that priced tFetch (tFetch = latencySec + R·secPerByte + values·secPerValue),
   * with the PING round trip (Redis), when and whether it came from the cache; null: not measured (a
   * folder is priced at the disk's read rate, a network store on the machine's network).
   */
  rates: { latencySec: number; secPerByte: number; secPerValue: number; rttSec?: number | null; measuredAt?: string; fromCache?: boolean } | null;
  /** Base TTL of a store that expires entries (seconds), scaled per entry by suggestTtl. */
  ttlBaseSec: number | null;
  /** Interpreter operations per second that priced tCompute (W / opsPerSec); null: coren's roofline. */
  interpreter: InterpreterSpeed | null;
  /** `unused` (nothing vectorized), `up`, `unreachable` (from the start) or `lost` (during the run). */
  state: 'unused' | 'up' | 'unreachable' | 'lost';
  /** Where it stopped answering: that vectorize and every later one computed. */
  lostAt: { fn: string; line: number; why: string } | null;
  counts: MemoCounts;
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
  return reports.map((r) => ({ ...r, memo: r.memo ? { ...r.memo, evicted: r.memo.evicted ? { ...r.memo.evicted } : null } : null, verdict: r.verdict ? { ...r.verdict } : null, warnings: r.warnings.map((w) => ({ ...w })) }));
}

function pad(cells: string[], widths: number[], right: ReadonlySet<number>): string {
  return cells.map((c, i) => (right.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
}

/** Seconds as coren shows them (0.712), with three significant digits when that would read 0.000. */
function seconds(s: number): string {
  return s !== 0 && Math.abs(s) < 0.0005 ? s.toPrecision(3) : formatScore(s);
}

/** Milliseconds with three significant digits. */
function ms(sec: number): string {
  return `${Number((sec * 1000).toPrecision(3))} ms`;
}

/** The `--report` lines about the store: where, its limits and rates, and what this run did with it. */
export function memoLines(m: MemoSummary): string[] {
  const total = m.limits.maxTotalBytes === null ? '' : `, store up to ${formatBytes(BigInt(m.limits.maxTotalBytes))}`;
  const lines = [`  memo store: ${m.location} (${m.transport === 'disk' ? 'folder' : 'network'}; entries up to ${formatBytes(BigInt(m.limits.maxEntryBytes))}${total}; ${m.limits.policy})`];
  if (m.rates) {
    const r = m.rates;
    const rtt = r.rttSec !== undefined && r.rttSec !== null ? `round trip ${ms(r.rttSec)}, ` : '';
    const when = r.measuredAt ? ` (measured ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC${r.fromCache ? ', cached' : ''})` : '';
    lines.push(`  memo fetch: ${rtt}${ms(r.latencySec)} per fetch, ${formatBandwidth(1 / r.secPerByte)} of result bytes, ${formatCount(BigInt(Math.round(1 / r.secPerValue)))} values/s${when}`);
  }
  const i = m.interpreter;
  if (i) lines.push(`  compute: W priced at ${formatCount(BigInt(Math.round(i.opsPerSec)))} interpreter operations/s${i.secPerRow !== undefined ? ` + ${fmtSec(i.secPerRow)} a row` : ''}${i.measuredAt ? ` (measured ${i.measuredAt.slice(0, 16).replace('T', ' ')} UTC${i.fromCache ? ', cached' : ''})` : ''}`);
  const c = m.counts;
  const parts = [`${c.fetched} fetched`, `${c.stored} stored`];
  if (c.declined) parts.push(`${c.declined} computed though stored`);
  if (c.corrupt) parts.push(`${c.corrupt} corrupt ignored`);
  if (c.poisoned) parts.push(`${c.poisoned} poisoned refused`);
  if (c.raced) parts.push(`${c.raced} stored first by another writer`);
  if (c.notStored) parts.push(`${c.notStored} not stored`);
  if (c.evictedEntries) parts.push(`evicted ${c.evictedEntries} (${formatBytes(BigInt(c.evictedBytes))}) to stay under the store limit`);
  lines.push(`  memo: ${parts.join(', ')}`);
  if (m.lostAt) lines.push(`  memo store ${m.state} at vectorize ${m.lostAt.fn} (line ${m.lostAt.line}): ${m.lostAt.why}; it and every later vectorize computed here`);
  return lines;
}

/** The verdict's predicted fetch time, and the measured one when the rows were fetched: `0.00120 (0.00098)`. */
function fetchTimes(r: VectorizeReport): string {
  const predicted = r.verdict ? (typeof r.verdict.tFetch === 'number' ? seconds(r.verdict.tFetch) : r.verdict.tFetch) : '-';
  const measured = r.memo?.fetchSec;
  return measured === null || measured === undefined ? predicted : `${predicted} (${seconds(measured)})`;
}

/** The `--report` table: one line per vectorize, then the memo store's lines. */
export function reportsTable(reports: readonly VectorizeReport[], memo: MemoSummary | null = null): string {
  if (reports.length === 0) return '';
  const header = ['line', 'fn', 'rows', 'W', 'Q', 'R', 'score', 'neck', 'decision', 'result', 'mode', 'kept', 'disc', 'aband', 'tFetch (fetched in)'];
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
      fetchTimes(r),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  // The last column is right-aligned, so no line ends in blanks.
  const right = new Set([0, 2, 3, 4, 5, 6, 11, 12, 13, 14]);
  const lines = [`vectorize (${reports.length})`, `  ${pad(header, widths, right)}`, ...rows.map((r) => `  ${pad(r, widths, right)}`)];
  if (memo) lines.push(...memoLines(memo));
  return lines.join('\n');
}
