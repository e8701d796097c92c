// The vectorize engine (runtime.md §1): `b += vectorize f inDf outDf;` snapshots f's closure and the
// input rows; `await_all b` then asks the memo store, lets the machine's verdict choose fetch or
// compute, runs the rows through Yggdrasil, appends the results in input order through outDf's
// membranes, and raises the first failure (with the counts of rows kept, discarded and abandoned).
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

import { diagnostic, diagnosticJson, MergeError, type Diagnostic, type Span } from '../../diagnostics.js';
import { FnCost, MachCap, type Verdict } from '../../coren/index.js';
import { unwaitedSec } from '../../coren/timing.js';
import type { ColumnSpec, Pricing, RowsSnapshot, ScalarValue } from '../../model/index.js';
import type { Runtime, VectorizeNames } from '../compile.js';
import { typeError } from '../errors.js';
import type { Frame } from '../frame.js';
import { heapGuard, type Limits, type Meter } from '../limits.js';
import type { DataframeValue } from '../space.js';
import { describe, type CallableValue, type PendingWork, type Value } from '../values.js';
import { memoKey } from './canon.js';
import { hasOrigin, shipClosure, type ShippedClosure } from './closure.js';
import { rowBytes, rowsBytes, vectorizeCost } from './cost.js';
import { localStoreMachine, nominalMachine } from './machine.js';
import { firstMisfit, type MemoEntry, type MemoStore, type StoreRates } from './memo/index.js';
import { Nidhoggr, SortingActorcito, type Failure } from './nidhoggr.js';
import { newMemoCounts, newReport, type InterpreterSpeed, type MemoSummary, type VectorizeReport } from './report.js';
import { FatalRowError, Sandbox, type RowOutcome } from './sandbox.js';
import { ThreadPool } from './threads.js';
import { InlinePool, schedule, SimPool, splitTasks, type Pool } from './yggdrasil.js';

export interface VectorizeOptions {
  /** The machine whose verdict and budget decide; default: a nominal model of this host. */
  machine?: MachCap;
  /** Where results are memoized; default none. */
  memo?: MemoStore | null;
  /** Pool size; default from `machine.computeBudget`. */
  workers?: number;
  /** Rows per task; default from `machine.computeBudget`. */
  batchSize?: number;
  /** Deterministic mode: simulated workers whose interleaving this seed fixes. */
  seed?: number | null;
  /** Real mode's choice: `auto` (threads unless the budget says the job is too small), or forced. */
  threads?: 'auto' | 'always' | 'never';
  /** Shows a progress line (null: clear it); called only for a vectorize running longer than `progressAfterMs`. */
  progress?: ((line: string | null) => void) | null;
  progressAfterMs?: number;
  /**
   * A measured model of fetching from the memo store, or a function that measures it (called once,
   * when the first vectorize asks the store); default: a folder is a disk read, a network store the
   * machine's network.
   */
  storeRates?: StoreRates | (() => StoreRates | null) | null;
  /** Base seconds an entry lives in a store that expires entries, scaled by coren's suggestTtl (default one day). */
  memoTtlSec?: number;
  /**
   * Interpreter operations (W's unit) this machine runs per second on one thread (measureInterpreter),
   * when and whether from the cache; the verdict's tCompute is then W / opsPerSec. Default: coren's
   * roofline (W counted as multiply-adds).
   */
  interpreter?: InterpreterSpeed | null;
}

/** One day: how long an entry of average worth lives in a store that expires entries. */
export const DEFAULT_TTL_SEC = 86_400;

/** What a lookup found, for the rest of the vectorize. */
type Found =
  | { readonly kind: 'fetched'; readonly entry: MemoEntry; readonly verdict: Verdict }
  /** An entry is there, but the verdict computes: it stays. */
  | { readonly kind: 'declined'; readonly verdict: Verdict }
  | { readonly kind: 'missing' }
  /** Corrupt or poisoned: replaced by the computed result. */
  | { readonly kind: 'replace' }
  | { readonly kind: 'down' };

/** One registered vectorize: everything is read when `b += vectorize …` runs. */
interface Job {
  readonly fnName: string;
  readonly closure: ShippedClosure;
  readonly input: DataframeValue;
  readonly output: DataframeValue;
  readonly inColumns: readonly ColumnSpec[];
  readonly outColumns: readonly ColumnSpec[];
  /** The input as it was at `+=`: taken in O(1), shared, read at `await_all` (see DataframeHandle.snapshot). */
  readonly snapshot: RowsSnapshot;
  /** The input rows, read from the snapshot when the work runs. */
  rows: readonly (readonly ScalarValue[])[];
  readonly span: Span;
}

/** Rows probed on the calling thread before sizing the pool (real mode: until this much time passed). */
const PROBE_MS = 2;
const PROBE_ROWS = 64;

export class VectorizeEngine {
  /** One per vectorize run, in the order they ran. */
  readonly reports: VectorizeReport[] = [];
  /** Memo warnings (MRG4030 corrupt, MRG4031 poisoned, MRG4032/4034 not written, MRG4091/4092 store down). */
  readonly warnings: Diagnostic[] = [];
  private readonly machineKind: VectorizeReport['machine'];
  private cap: MachCap | null;
  private diskMachine: MachCap | null = null;
  private downMachine: MachCap | null = null;
  /** `unknown` until the store first answers; `down` once it did not (unreachable, or lost). */
  private memoState: 'unknown' | 'up' | 'down' = 'unknown';
  private lost: 'unreachable' | 'lost' | null = null;
  private lostAt: { fn: string; line: number; why: string } | null = null;
  private readonly counts = newMemoCounts();
  private storeRates: StoreRates | null | undefined = undefined;

  constructor(private readonly opts: VectorizeOptions = {}) {
    this.machineKind = !opts.machine ? 'nominal' : opts.machine.figures.measuredAt === 'fixed' ? 'fixed' : 'measured';
    this.cap = opts.machine ?? null;
  }

  /** The machine model in use (the nominal one is built on first use: most programs never vectorize). */
  get machine(): MachCap {
    this.cap ??= nominalMachine();
    return this.cap;
  }

  /** The memo store as this run used it (null without one): where, its limits and rates, what happened. */
  memoSummary(): MemoSummary | null {
    const memo = this.opts.memo ?? null;
    if (!memo) return null;
    const given = this.opts.storeRates ?? null;
    const rates = this.storeRates ?? (typeof given === 'function' ? null : given);
    return {
      location: memo.location,
      transport: memo.transport,
      limits: { ...memo.limits },
      rates: rates ? { ...rates } : null,
      ttlBaseSec: memo.transport === 'network' ? (this.opts.memoTtlSec ?? DEFAULT_TTL_SEC) : null,
      interpreter: this.opts.interpreter ? { ...this.opts.interpreter } : null,
      state: this.memoState === 'down' ? (this.lost as 'unreachable' | 'lost') : this.memoState === 'up' ? 'up' : 'unused',
      lostAt: this.lostAt ? { ...this.lostAt } : null,
      counts: { ...this.counts },
    };
  }

  /** The hook for RunOptions.vectorize. */
  readonly hook = (fn: Value, input: Value, output: Value, span: Span, _caller: Frame, rt: Runtime, written?: VectorizeNames): PendingWork => {
    const job = this.register(fn, input, output, span, written);
    return { span, run: () => this.execute(job, rt) };
  };

  private register(fn: Value, input: Value, output: Value, span: Span, written: VectorizeNames | undefined): Job {
    // Only a function the program declared (or merged) has an origin to ship: not a value, not a built-in.
    if (!hasOrigin(fn)) typeError(`vectorize applies a function to every row, but it was given ${describe(fn)}`, span);
    const fnName = (fn as CallableValue).name;
    // Messages name a dataframe as the program wrote it (`capped.outDf`); without that, the user's part
    // of its world path (which starts with scope nodes, #main, and may go through another name).
    const shown = (d: DataframeValue, as: string | undefined): DataframeValue => ({ ...d, name: as ?? (d.name.split('.').filter((p) => !p.startsWith('#')).join('.') || d.name) });
    const df = (v: Value, role: string): DataframeValue => {
      if (typeof v !== 'object' || v.tag !== 'dataframe') return typeError(`vectorize ${role} a dataframe, but got ${describe(v)}`, span);
      return v as DataframeValue;
    };
    const inDf = shown(df(input, 'reads its rows from'), written?.input);
    const outDf = shown(df(output, 'appends its results to'), written?.output);
    const closure = shipClosure(fn, `'${fnName}'`, span);
    const inColumns = inDf.handle.columns;
    const params = (fn as CallableValue).params.length;
    if (params !== inColumns.length) {
      typeError(`${fnName} takes ${params} parameter${params === 1 ? '' : 's'} but ${inDf.name} has ${inColumns.length} column${inColumns.length === 1 ? '' : 's'}: vectorize passes each row's columns as the arguments`, span);
    }
    // Registering copies nothing: `b += vectorize f big out` in a loop over a 100k-row input used to copy
    // every row each time and fill the heap between two step checkpoints.
    return { fnName, closure, input: inDf, output: outDf, inColumns, outColumns: outDf.handle.columns, snapshot: inDf.handle.snapshot(), rows: [], span };
  }

  private execute(job: Job, rt: Runtime): void {
    const t0 = performance.now();
    job.rows = readRows(job.snapshot, rt.meter, job.span);
    const report = newReport(job, this.opts, this.machineKind);
    this.reports.push(report);
    const memo = this.opts.memo ?? null;
    const key = memo ? memoKey({ closure: job.closure, pricing: rt.world.mem.pricing, inColumns: job.inColumns, rows: job.rows, outColumns: job.outColumns }) : null;
    report.key = key;
    if (!memo) report.reason = 'no memo store';
    const found = memo && key ? this.lookup(job, memo, key, report) : null;
    const nid = new Nidhoggr();
    const append = (values: readonly ScalarValue[]) => rt.world.append(job.output, values as Value[], job.span);
    const actorcito = new SortingActorcito(job.rows.length, append, nid, rt.meter.stepsLeft());
    let cost: FnCost | null = null;
    let verdict: Verdict | null = null;
    if (found?.kind === 'fetched') {
      verdict = found.verdict;
      report.decision = 'fetch';
      report.mode = 'fetched';
      found.entry.rows.forEach((values, i) => actorcito.deliver(i, { ok: true, values: [...values], ops: 0 }));
      cost = found.entry.cost;
    } else {
      if (found?.kind === 'declined') verdict = found.verdict;
      report.decision = 'compute';
      const results = this.compute(job, rt, actorcito, nid, report, t0);
      if (actorcito.failure?.kind !== 'steps') rt.meter.ops += actorcito.countedOps();
      cost = results ? vectorizeCost(BigInt(actorcito.totalOps), rowsBytes(job.inColumns, job.rows), rowsBytes(job.outColumns, results)) : null;
      // Without a usable entry the verdict is what the next run would decide with this published cost.
      if (!verdict && cost && results && memo) verdict = this.verdictOf(memo, results.length, job.outColumns.length, cost);
      // A sound entry that is there stays; rows outDf refuses are not worth keeping (they would fail again);
      // a store that stopped answering (here or earlier) is not written.
      if (cost && results && memo && key && found?.kind !== 'declined' && this.memoState !== 'down' && !firstMisfit(job.outColumns, results)) {
        this.store(job, memo, key, { fn: job.fnName, cost, rows: results }, report, found?.kind === 'replace');
      }
    }
    report.cost = cost ? cost.toJSON() : null;
    report.verdict = verdict ? { ...verdict.toJSON(), text: String(verdict) } : null;
    report.result = report.decision === 'fetch' ? 'fetched' : 'computed';
    report.kept = actorcito.kept;
    report.discarded = actorcito.discarded;
    report.abandoned = actorcito.abandoned;
    report.seconds = (performance.now() - t0) / 1000;
    const failure = actorcito.failure;
    if (failure) report.failedRow = failure.index;
    if (failure?.kind === 'steps' || failure?.kind === 'fatal') this.stop(failure, rt, job, report);
    if (rt.meter.ops >= rt.meter.next) rt.meter.checkpoint(job.span);
    if (failure) throw this.failed(job, actorcito, failure, report);
  }

  /**
   * A limit or an internal failure stops the run, once the rows before it went in (the same rows on
   * every schedule). A row's step or time limit is the run's: it is reported as the run's own limit.
   */
  private stop(failure: Extract<Failure, { kind: 'steps' | 'fatal' }>, rt: Runtime, job: Job, report: VectorizeReport): never {
    const e = failure.kind === 'fatal' ? failure.error : null;
    const code = failure.kind === 'steps' ? 'MRG3010' : e instanceof MergeError ? e.code : 'MRG3099';
    const why = e instanceof Error ? e.message : `the program ran ${rt.meter.limits.maxSteps} steps without finishing`;
    report.error = { ...diagnosticJson(e instanceof MergeError ? { ...e.diagnostic, span: e.diagnostic.span ?? job.span } : diagnostic(code, why, job.span)), name: null };
    if (code === 'MRG3010') rt.meter.outOfSteps(job.span);
    if (code === 'MRG3011') rt.meter.outOfTime(job.span);
    throw e;
  }

  /**
   * Asks the store: an entry whose header the verdict likes is fetched, verified, and its rows checked
   * against outDf's types; anything unusable is reported (MRG4030 corrupt, MRG4031 poisoned), computed
   * and then replaced. A store that does not answer means computing (reported once).
   */
  private lookup(job: Job, memo: MemoStore, key: string, report: VectorizeReport): Found {
    if (this.memoState === 'down') {
      report.reason = this.lost === 'unreachable' ? 'store unreachable' : 'store lost';
      this.counts.unavailable++;
      return { kind: 'down' };
    }
    // Measuring the store (first use) is not part of this fetch's time.
    if (this.memoState === 'up') this.rates();
    let t0 = performance.now();
    let head = memo.head(key);
    if (this.memoState === 'unknown' && head.kind !== 'unavailable' && typeof this.opts.storeRates === 'function') {
      // The store answers: measure it now (first use), then ask again so this fetch's time is its own.
      this.rates();
      t0 = performance.now();
      head = memo.head(key);
    }
    report.memo = { location: memo.location, entry: head.where, stored: false, bytes: null, fetchSec: null, ttlSec: null, evicted: null };
    const ignore = (why: string): Found => {
      this.counts.corrupt++;
      this.warn(report, diagnostic('MRG4030', `memo entry ${head.where}: ${why}; it was ignored and ${job.fnName} computed`, job.span));
      report.reason = 'entry ignored (corrupt)';
      return { kind: 'replace' };
    };
    const refuse = (why: string): Found => {
      this.counts.poisoned++;
      this.warn(report, diagnostic('MRG4031', `memo entry ${head.where} for ${job.fnName}: ${why}; it was not used: ${job.fnName} computed and the entry replaced`, job.span));
      report.reason = 'entry refused (poisoned)';
      return { kind: 'replace' };
    };
    if (head.kind !== 'unavailable') this.memoState = 'up';
    switch (head.kind) {
      case 'missing':
        this.counts.missing++;
        report.reason = 'no entry';
        return { kind: 'missing' };
      case 'unavailable':
        return this.unavailable(job, head.why, report);
      case 'corrupt':
        return ignore(head.why);
      case 'poisoned':
        return refuse(head.why);
      default:
        break;
    }
    const h = head.header;
    report.memo.bytes = h.bytes;
    if (h.rows !== job.rows.length) return ignore(`it holds ${h.rows} rows for ${job.rows.length} input rows`);
    const verdict = this.verdictOf(memo, h.rows, job.outColumns.length, h.cost);
    report.reason = 'verdict';
    if (!verdict.shouldFetch()) {
      this.counts.declined++;
      return { kind: 'declined', verdict };
    }
    const got = head.fetch();
    switch (got.kind) {
      case 'hit': {
        const misfit = firstMisfit(job.outColumns, got.entry.rows);
        if (misfit) return ignore(misfit);
        report.memo.fetchSec = (performance.now() - t0) / 1000;
        this.counts.fetched++;
        return { kind: 'fetched', entry: got.entry, verdict };
      }
      case 'unavailable':
        return this.unavailable(job, got.why, report);
      case 'poisoned':
        return refuse(got.why);
      case 'corrupt':
        return ignore(got.why);
      default:
        return ignore('it vanished between its header and its rows');
    }
  }

  /** The store did not answer: this vectorize computes, and so does every later one. */
  private unavailable(job: Job, why: string, report: VectorizeReport): Found {
    const what = this.markDown(job, why, report);
    report.reason = what === 'unreachable' ? 'store unreachable' : 'store lost';
    this.counts.unavailable++;
    return { kind: 'down' };
  }

  /** Stops using the store for the rest of the run, with one warning saying why and from where. */
  private markDown(job: Job, why: string, report: VectorizeReport): 'unreachable' | 'lost' {
    const what = this.memoState === 'unknown' ? 'unreachable' : 'lost';
    this.memoState = 'down';
    this.lost = what;
    this.lostAt = { fn: job.fnName, line: job.span.line, why };
    const later = what === 'lost' ? 'from here on every vectorize computes' : 'every vectorize of this run computes';
    this.warn(report, diagnostic(what === 'unreachable' ? 'MRG4091' : 'MRG4092', `memo store ${this.opts.memo?.location}: ${why}; ${later} (vectorize ${job.fnName})`, job.span));
    return what;
  }

  private store(job: Job, memo: MemoStore, key: string, entry: MemoEntry, report: VectorizeReport, replace: boolean): void {
    const machine = this.fetchMachine(memo, entry.rows.length, job.outColumns.length, entry.cost);
    const ttlSec = memo.transport === 'network' ? Math.round(machine.suggestTtl(entry.cost, this.opts.memoTtlSec ?? DEFAULT_TTL_SEC)) : null;
    const put = memo.put(key, entry, { ...(ttlSec !== null ? { ttlSec } : {}), replace });
    const m = report.memo as NonNullable<VectorizeReport['memo']>;
    m.ttlSec = ttlSec;
    switch (put.kind) {
      case 'stored':
        m.stored = true;
        m.bytes = put.bytes;
        m.evicted = put.evicted.entries > 0 ? { ...put.evicted } : null;
        this.counts.stored++;
        this.counts.evictedEntries += put.evicted.entries;
        this.counts.evictedBytes += put.evicted.bytes;
        break;
      case 'exists':
        this.counts.raced++;
        break;
      case 'unavailable':
        this.counts.notStored++;
        this.markDown(job, put.why, report);
        break;
      default:
        this.counts.notStored++;
        this.warn(report, { ...put.diagnostic, span: job.span });
    }
  }

  /**
   * The error await_all raises: the first failure in input order and the rows kept — both the same on
   * every schedule, so a handler reads the same text everywhere (runtime.md §2). How many rows were
   * computed past it or never started depends on timing: --report and --json show those counts.
   */
  private failed(job: Job, actorcito: SortingActorcito, failure: Extract<Failure, { kind: 'f' | 'append' }>, report: VectorizeReport): MergeError {
    const e = failure.error;
    report.error = { ...diagnosticJson({ ...e.diagnostic, span: e.diagnostic.span ?? job.span }), name: e.errorName ?? null };
    const n = job.rows.length;
    const what = failure.kind === 'append' ? `row ${failure.index + 1} of ${n} did not fit ${job.output.name}` : `${job.fnName} raised on row ${failure.index + 1} of ${n}`;
    const kept = `kept ${actorcito.kept} of ${n} row${n === 1 ? '' : 's'}`;
    const span = failure.kind === 'append' ? job.span : (e.diagnostic.span ?? job.span);
    return new MergeError({ ...e.diagnostic, message: `${e.diagnostic.message} (vectorize ${job.fnName}: ${what}; ${kept})`, span }, e.details);
  }

  private warn(report: VectorizeReport, d: Diagnostic): void {
    this.warnings.push(d);
    report.warnings.push(diagnosticJson(d));
  }

  /**
   * The machine as a fetch from this store sees it: with measured store rates, an entry of `rows` ×
   * `cols` values and R result bytes travels at R / (R·secPerByte + values·secPerValue) after the
   * store's latency; without them a folder is a local disk read and a network store is judged on the
   * machine's network. A store that stopped answering is no network: every verdict computes.
   */
  private fetchMachine(memo: MemoStore, rows: number, cols: number, cost: FnCost): MachCap {
    if (this.memoState === 'down') {
      this.downMachine ??= this.machine.withStore(memo.location, 0, 0);
      return this.downMachine;
    }
    const rates = this.rates();
    if (!rates) {
      if (memo.transport === 'network') return this.machine;
      this.diskMachine ??= localStoreMachine(this.machine);
      return this.diskMachine;
    }
    const r = Number(cost.resultBytes);
    const sec = r * rates.secPerByte + rows * cols * rates.secPerValue;
    return this.machine.withStore(memo.location, rates.latencySec, r > 0 && sec > 0 ? r / sec : 1 / rates.secPerByte);
  }

  /** Fetch against compute for an entry of `rows` rows of `cols` columns, on this machine and store. */
  private verdictOf(memo: MemoStore, rows: number, cols: number, cost: FnCost): Verdict {
    const speed = this.opts.interpreter ?? null;
    if (speed === null) return this.fetchMachine(memo, rows, cols, cost).verdict(cost);
    // Rows cost time beside their operations: folded into the rate this entry is computed at.
    const w = Number(cost.ops);
    const sec = w / speed.opsPerSec + rows * (speed.secPerRow ?? 0);
    return this.fetchMachine(memo, rows, cols, cost).verdict(cost, { opsPerSec: w > 0 && sec > 0 ? w / sec : speed.opsPerSec });
  }

  /** The store's measured fetch model, asked for once (measuring may take a moment: on first use only). */
  private rates(): StoreRates | null {
    if (this.storeRates === undefined) {
      const given = this.opts.storeRates ?? null;
      this.storeRates = typeof given === 'function' ? given() : given;
    }
    return this.storeRates;
  }

  /**
   * Computes the rows; returns every row's result when all of them were computed, else null. Limits
   * and internal failures (FatalRowError) are rethrown as they are: rows appended so far stay.
   */
  private compute(job: Job, rt: Runtime, actorcito: SortingActorcito, nid: Nidhoggr, report: VectorizeReport, t0: number): ScalarValue[][] | null {
    const n = job.rows.length;
    const results: ScalarValue[][] = new Array(n);
    let okRows = 0;
    const deliver = (i: number, o: RowOutcome) => {
      if (o.ok) {
        results[i] = o.values;
        okRows++;
      }
      actorcito.deliver(i, o);
    };
    if (n === 0) return results;
    const m = rt.meter;
    // A row may use every step and millisecond the run has left; rows are charged in input order.
    const limits: Limits = { maxSteps: Math.max(1, m.stepsLeft()), timeoutMs: Math.max(1, Math.ceil(m.timeLeftMs())), maxCallDepth: Math.max(1, m.limits.maxCallDepth - m.depth) };
    const pricing = rt.world.mem.pricing;
    const progress = this.progress(job, actorcito, t0, rt);
    // The first rows are evaluated on this thread, whatever pool comes after.
    report.mode = (this.opts.seed ?? null) !== null ? 'deterministic' : 'inline';
    report.workers = 1;
    report.batchSize = 1;
    let local: Sandbox | null = null;
    const sandbox = (): Sandbox => (local ??= new Sandbox(job.closure, pricing, limits, job.span, job.fnName));
    let evaluated = 0;
    const evalRow = (i: number): RowOutcome => {
      const o = sandbox().call(job.rows[i] as ScalarValue[], i);
      if ((++evaluated & 255) === 0) progress();
      return o;
    };
    try {
      // Built before the probe's clock starts: building it is no row's time (a thread builds its own).
      sandbox();
      const { probed, perItem } = this.probe(job, evalRow, deliver, actorcito);
      if (actorcito.failure) return null;
      const rest = n - probed;
      const budget = this.machine.computeBudget(perItem, { items: Math.max(1, rest) });
      const workers = Math.max(1, Math.floor(this.opts.workers ?? budget.workers));
      const pool = this.pool(job, workers, evalRow, pricing, limits, progress, report);
      // On the calling thread a task of one row costs nothing extra and lets a failure stop the rest at once.
      // The budget's batches assume its own worker count: a pool of another size gets an even share each.
      const batchSize = pool instanceof InlinePool ? 1 : Math.max(1, Math.floor(this.opts.batchSize ?? Math.min(budget.batchSize, Math.ceil(rest / pool.size))));
      report.workers = pool.size;
      report.batchSize = batchSize;
      const tasks = splitTasks(probed, n, batchSize);
      schedule(tasks, pool, deliver, nid, progress);
    } catch (e) {
      throw e instanceof FatalRowError ? e.error : e;
    } finally {
      progress.done();
    }
    return okRows === n ? results : null;
  }

  /**
   * Evaluates the first row on the calling thread (real mode: a few, for about PROBE_MS), delivering
   * each as it comes, so a failure among them stops the work at once; returns how many rows it took
   * and the per-row cost the pool is sized from: deterministic mode uses the row's FnCost, real mode
   * the measured time per row expressed on this machine's roofline.
   */
  private probe(job: Job, evalRow: (i: number) => RowOutcome, deliver: (i: number, o: RowOutcome) => void, actorcito: SortingActorcito): { probed: number; perItem: FnCost } {
    const n = job.rows.length;
    const deterministic = (this.opts.seed ?? null) !== null;
    let sec = 0;
    let cpuSec = 0;
    let probed = 0;
    let first: RowOutcome | null = null;
    do {
      const t = performance.now();
      const c = process.cpuUsage();
      const o = evalRow(probed);
      const used = process.cpuUsage(c);
      sec += (performance.now() - t) / 1000;
      cpuSec += (used.user + used.system) / 1e6;
      first ??= o;
      deliver(probed++, o);
    } while (!deterministic && probed < Math.min(n, PROBE_ROWS) && !actorcito.failure && sec * 1000 < PROBE_MS);
    const in0 = rowBytes(job.inColumns, job.rows[0] as ScalarValue[]);
    const out0 = first.ok ? rowBytes(job.outColumns, first.values) : 0;
    // Timed as coren times its probes (unwaitedSec): a thread the OS set aside
    // for a moment (a busy machine) did not make the rows dearer.
    const perItem = deterministic
      ? vectorizeCost(BigInt(first.ops), BigInt(in0), BigInt(out0))
      : FnCost.new(opsOf((unwaitedSec(sec, cpuSec) / probed) * this.machine.figures.opsPerSec), in0 + out0, in0 + out0, out0);
    return { probed, perItem };
  }

  // Threads beyond a few per core only cost memory (each is a V8 isolate): `--workers 1000` must not
  // start a thousand of them. Simulated workers (deterministic mode) cost nothing and are not capped.
  private pool(job: Job, workers: number, evalRow: (i: number) => RowOutcome, pricing: Pricing, limits: Limits, tick: () => void, report: VectorizeReport): Pool {
    const seed = this.opts.seed ?? null;
    if (seed !== null) {
      report.mode = 'deterministic';
      return new SimPool(workers, evalRow, seed);
    }
    const threads = this.opts.threads ?? 'auto';
    // auto: more than one worker. A job the budget calls too small for threads (inline) is sized one
    // worker unless --workers says otherwise, so that needs no test of its own.
    const useThreads = threads === 'always' || (threads === 'auto' && workers > 1);
    if (!useThreads) {
      report.mode = 'inline';
      return new InlinePool(evalRow);
    }
    report.mode = 'threads';
    const spec = { closure: job.closure, pricing: pricing.spec(), limits, span: job.span, fnName: job.fnName };
    return new ThreadPool(Math.min(workers, job.rows.length, maxThreads()), spec, job.rows, tick);
  }

  private progress(job: Job, actorcito: SortingActorcito, t0: number, rt: Runtime): (() => void) & { done(): void } {
    const sink = this.opts.progress ?? null;
    const after = this.opts.progressAfterMs ?? 1000;
    const n = job.rows.length;
    let shown = false;
    let last = 0;
    const tick = () => {
      // The run's own time limit still holds while the rows are computed.
      rt.meter.checkpoint(job.span);
      if (!sink) return;
      const now = performance.now();
      if (now - t0 < after || now - last < 100) return;
      last = now;
      shown = true;
      const pct = n > 0 ? Math.floor((100 * actorcito.delivered) / n) : 100;
      sink(`vectorize ${job.fnName}: ${actorcito.delivered}/${n} rows (${pct}%), ${((now - t0) / 1000).toFixed(1)} s`);
    };
    return Object.assign(tick, {
      done: () => {
        if (shown && sink) sink(null);
      },
    });
  }
}

/** The snapshot's rows; reading a large input looks at the clock and the heap as it goes. */
function readRows(snap: RowsSnapshot, m: Meter, span: Span): ScalarValue[][] {
  const rows: ScalarValue[][] = new Array(snap.rows);
  for (let i = 0; i < snap.rows; i++) {
    rows[i] = snap.row(i);
    if ((i & 0xffff) === 0xffff) {
      m.clock(span);
      heapGuard(span);
    }
  }
  return rows;
}

/**
 * Measured seconds times a rate, as a whole op count FnCost takes: a library caller's MachCap may
 * claim any finite rate (1e300 ops/s), so the product is clamped to the exact integers instead of
 * failing inside FnCost.
 */
function opsOf(x: number): bigint {
  return Number.isFinite(x) ? BigInt(Math.ceil(Math.min(Math.max(x, 0), Number.MAX_SAFE_INTEGER))) : BigInt(Number.MAX_SAFE_INTEGER);
}

/** The most worker threads one vectorize starts: four per core the OS gives this process. */
export function maxThreads(): number {
  return 4 * availableParallelism();
}
