// The library entry of the interpreter: parse, check, compile and run one program, and report what it
// printed, how it ended and what it allocated. `merg-e run`, compare, basket and the tests build on it.
import { dirname, resolve } from 'node:path';

import { hasErrors, parseProgram } from '../ast/parse.js';
import type { App, Program, Span } from '../ast/types.js';
import { checkProgram } from '../check/check.js';
import { moduleLookup } from '../check/modules.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { checkModule } from '../check/index.js';
import { FnTable } from '../check/scopes.js';
import { CODES, diagnostic, MergeError, type Code, type Diagnostic } from '../diagnostics.js';
import { readSourceText, unreadable } from '../source-file.js';
import { loadProfileByName, mpToPoints, Pricing, type EntityCounts, type Memory, type RuntimeProfile } from '../model/index.js';
import { standardBasketCounts } from './basket.js';
import { ambientNamespace, langNamespace, stream } from './builtins.js';
import { Callable } from './callables.js';
import { Compiler, type Runtime } from './compile.js';
import { capabilityError, raise } from './errors.js';
import { Cell, Frame } from './frame.js';
import { DEFAULT_LIMITS, Meter, watchClock, type Limits } from './limits.js';
import { folderModules, memoryModules, ModuleLoader, type ModuleSource } from './modules.js';
import { World } from './space.js';
import { compileStmts } from './statements.js';
import { ENDL, type Value } from './values.js';
import { ChargeTimeline, type Timeline } from './timeline.js';
import { VectorizeEngine } from './vectorize/engine.js';

/** Characters of stdout / stderr a RunResult keeps (see RunState.kept). */
export const MAX_KEPT_OUTPUT = 64 * 2 ** 20;

export interface RunOptions {
  /** Runtime profile: a name in baskets/runtimes (default `cpython-dev`) or a loaded profile. */
  profile?: string | RuntimeProfile;
  /** Basket counts the profile is normalized over (quota.md §4); default: the standard basket's committed counts. */
  basket?: EntityCounts;
  /** Ready-made pricing (wins over profile and basket). */
  pricing?: Pricing;
  /** Operation budget (statements + expression nodes); default 100 000 000. */
  maxSteps?: number;
  /** Wall-clock budget in ms; default 10 000. */
  timeoutMs?: number;
  /** Nested calls; default 400. */
  maxCallDepth?: number;
  /** Called with every piece of program output as it is written (besides collecting it). */
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Module sources by name (`utils` → text of utils.mrm) instead of files beside the program. */
  modules?: ReadonlyMap<string, string>;
  /** Folder of `.mrm` modules; default: the program file's folder. */
  moduleDir?: string;
  /** Run the static checks first (default true); their errors stop the run before it starts. */
  check?: boolean;
  /** The vectorize engine (`b += vectorize f in out`); default: a VectorizeEngine with no memo store. */
  vectorize?: Runtime['vectorize'];
  /**
   * `lazy` (default): a scalar parameter or local is paid for exactly as its node would be, and its
   * node is put in the world DAG only when something needs it there. `eager`: every one is a node at
   * once. Both charge the same (a property test holds them to it); eager is slower and is kept to check that.
   */
  frames?: 'lazy' | 'eager';
  /** Record every quota membrane's use over the run's steps (`RunResult.timeline`, for reports); default off. */
  timeline?: boolean;
}

/** How a run ended when it did not succeed. Points are decimal numbers (up to three decimals). */
export interface RunError {
  /** The Merg-E error name (quota_error, …), or null for limits and internal failures. */
  name: string | null;
  code: Code;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  /** Quota errors: the refusing membrane's declared name, the limit kind and value, use and amount. */
  membrane: string | null;
  /** Quota errors: the refusing membrane's id in the model (names can repeat; reports mark it by id). */
  membraneId: number | null;
  limitKind: string | null;
  limit: number | null;
  used: number | null;
  requested: number | null;
  diagnostic: Diagnostic;
}

export interface MembraneRow {
  name: string;
  kind: 'quota' | 'copy_on_mutate';
  /** Name of the membrane it stacks on, or null. */
  parent: string | null;
  total: number;
  direct: number;
  overcommit: number;
  directUsed: number;
  belowUsed: number;
  /** Its direct allocations by entity kind: count and points. */
  byKind: { kind: string; count: number; points: number }[];
}

export interface DataframeRow {
  name: string;
  rows: number;
  frozen: boolean;
}

export interface RunResult {
  ok: boolean;
  /** 0 success, 1 a Merg-E error or a static error, 70 an internal failure. */
  exitCode: number;
  profile: string;
  stdout: string;
  stderr: string;
  error: RunError | null;
  /** Parse and check diagnostics (warnings included), then the run's error if any, then the run's warnings (MRG3020). */
  diagnostics: Diagnostic[];
  membranes: MembraneRow[];
  dataframes: DataframeRow[];
  /** Points of everything allocated and still live at the end (or at the error), by entity kind. */
  ramPoints: { total: number; byKind: Map<string, number> };
  /** The same allocations in bytes under the profile. */
  bytes: number;
  /** Entity counts (profile-independent): what basket normalization needs. */
  counts: EntityCounts;
  /** Operations evaluated (deterministic). */
  steps: number;
  /** Every source read (program and modules), by file name, for code frames. */
  sources: Map<string, string>;
  /** The world at the end (for invariant checks and reports); null when the run never started. */
  memory: Memory | null;
  /** Use of each quota membrane over the run's steps, when `timeline` was asked for and the run started. */
  timeline: Timeline | null;
}

export type ProgramInput = { source: string; file: string } | { file: string };

const profileCache = new Map<string, RuntimeProfile>();

function pricingFor(opts: RunOptions): Pricing {
  if (opts.pricing) return opts.pricing;
  const p = opts.profile ?? 'cpython-dev';
  let profile: RuntimeProfile;
  if (typeof p === 'string') {
    profile = profileCache.get(p) ?? loadProfileByName(p);
    profileCache.set(p, profile);
  } else profile = p;
  return Pricing.fromCounts(profile, opts.basket ?? standardBasketCounts());
}

/**
 * The result of a run that could not start because its profile could not be used (`merg-e compare`
 * fails only that profile's row): the diagnostic as its error, with `file` naming the profile's file.
 */
export function refusedRun(profile: string, diag: Diagnostic, file: string | null): RunResult {
  const d: Diagnostic = file !== null && diag.file === undefined && diag.span === undefined ? { ...diag, file } : diag;
  const error: RunError = { name: null, code: d.code, message: d.message, file, line: null, column: null, membrane: null, membraneId: null, limitKind: null, limit: null, used: null, requested: null, diagnostic: d };
  return {
    ok: false,
    exitCode: 1,
    profile,
    stdout: '',
    stderr: '',
    error,
    diagnostics: [d],
    membranes: [],
    dataframes: [],
    ramPoints: { total: 0, byKind: new Map() },
    bytes: 0,
    counts: { byKind: new Map(), stringBytes: 0 },
    steps: 0,
    sources: new Map(),
    memory: null,
    timeline: null,
  };
}

/** A program file's text, or MRG4001 naming it as `shown`. */
export function readSource(path: string, shown = path): string {
  try {
    return readSourceText(path);
  } catch (e) {
    throw new MergeError(unreadable(shown, e));
  }
}

/**
 * Runs a Merg-E program (script or app). Never throws for anything the program does; only an
 * unreadable file, profile or basket (MRG4001, MRG4010, MRG4011, MRG4020, MRG4021) is thrown as a MergeError.
 */
export function runProgram(input: ProgramInput, opts: RunOptions = {}): RunResult {
  const file = input.file;
  const source = 'source' in input ? input.source : readSource(file);
  const pricing = pricingFor(opts);
  const moduleSource: ModuleSource = opts.modules ? memoryModules(opts.modules, opts.moduleDir) : folderModules(opts.moduleDir ?? dirname(resolve(file)));
  return new Run(file, source, pricing, opts, moduleSource).start().result();
}

class Run {
  private stdout = '';
  private stderr = '';
  private readonly sources = new Map<string, string>();
  private readonly diagnostics: Diagnostic[] = [];
  private error: RunError | null = null;
  private exitCode = 0;
  private world: World | null = null;
  private meter: Meter | null = null;
  private timeline: ChargeTimeline | null = null;

  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly pricing: Pricing,
    private readonly opts: RunOptions,
    private readonly moduleSource: ModuleSource,
  ) {}

  /** Parses, checks and runs the program; then `result()` tells how it went. */
  start(): this {
    const { file, source, opts } = this;
    this.sources.set(file, source);
    const { program, diagnostics } = parseProgram(source, file);
    if (hasErrors(diagnostics)) {
      this.diagnostics.push(...diagnostics);
      this.fail(diagnostics.find((d) => d.severity === 'error') as Diagnostic);
      return this;
    }
    const found = new DiagnosticList().pushAll(diagnostics);
    if (opts.check !== false) found.pushAll(checkProgram(program, { modules: moduleLookup(this.moduleSource, (f, text) => this.sources.set(f, text)) }));
    // Parse warnings and check diagnostics, the first 100 by place (src/diagnostic-list.ts).
    this.diagnostics.push(...found.result());
    const first = this.diagnostics.find((d) => d.severity === 'error');
    if (first) {
      this.fail(first);
      return this;
    }
    this.execute(program);
    return this;
  }

  private fail(d: Diagnostic, details: ReadonlyMap<string, unknown> = new Map(), internal = false): void {
    const info = CODES[d.code] as { errorName?: string };
    const pts = (k: string) => (typeof details.get(k) === 'number' ? mpToPoints(details.get(k) as number) : null);
    this.error = {
      name: info.errorName ?? null,
      code: d.code,
      message: d.message,
      file: d.span?.file ?? null,
      line: d.span?.line ?? null,
      column: d.span?.column ?? null,
      membrane: (details.get('membrane') as string | undefined) ?? null,
      membraneId: (details.get('membraneId') as number | undefined) ?? null,
      limitKind: (details.get('limit') as string | undefined) ?? null,
      limit: pts('limitValue'),
      used: pts('used'),
      requested: pts('requested'),
      diagnostic: d,
    };
    if (!this.diagnostics.includes(d)) this.diagnostics.push(d);
    this.exitCode = internal ? 70 : 1;
  }

  private execute(program: Program): void {
    const limits: Limits = {
      maxSteps: this.opts.maxSteps ?? DEFAULT_LIMITS.maxSteps,
      timeoutMs: this.opts.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
      maxCallDepth: this.opts.maxCallDepth ?? DEFAULT_LIMITS.maxCallDepth,
    };
    const outer = watchClock(null);
    try {
      const meter = new Meter(limits);
      watchClock((span) => meter.clock(span));
      const world = new World(this.pricing, this.opts.frames ?? 'lazy');
      this.meter = meter;
      this.world = world;
      if (this.opts.timeline) {
        this.timeline = new ChargeTimeline(() => meter.ops);
        world.mem.watchCharges(this.timeline.watcher);
      }
      const cout = stream('cout', (t) => {
        this.stdout = this.kept('stdout', this.stdout, t, this.opts.stdout);
      });
      const cerr = stream('cerr', (t) => {
        this.stderr = this.kept('stderr', this.stderr, t, this.opts.stderr);
      });
      let compiler: Compiler | null = null;
      const modules = new ModuleLoader(this.moduleSource, (p) => buildModule(compiler as Compiler, p));
      const rt: Runtime = { meter, world, cout, cerr, lang: langNamespace(world), ambient: ambientNamespace(cout, cerr), modules };
      rt.vectorize = this.opts.vectorize ?? new VectorizeEngine().hook;
      const app = program.form === 'app' ? (program.body.find((s) => s.kind === 'App') as App | undefined) : undefined;
      const table = new FnTable(app ? 'app' : 'program', null);
      compiler = new Compiler(rt, table);
      const c = compiler;
      const preset: { slot: number; cell: Cell }[] = [];
      const declare = (name: string, v: Value, authority: boolean, kind: 'builtin' | 'app-arg') => {
        const { sym } = table.declare({ name, kind, mutable: false, shared: false, authority, type: null, arity: null, span: program.span });
        preset.push({ slot: sym.slot, cell: new Cell(v, null, false, false, name, authority) });
      };
      let unknownArg: string | null = null;
      if (app) {
        for (const name of app.params) {
          if (name === 'lang') declare(name, rt.lang, false, 'app-arg');
          else if (name === 'ambient') declare(name, rt.ambient, true, 'app-arg');
          else {
            unknownArg ??= name;
            declare(name, rt.lang, true, 'app-arg');
          }
        }
      } else {
        declare('cout', cout, true, 'builtin');
        declare('cerr', cerr, true, 'builtin');
        declare('endl', ENDL, false, 'builtin');
      }
      const body = compileStmts(c, app ? app.body : program.body);
      const span: Span = app?.span ?? program.span;
      if (unknownArg !== null) capabilityError(`the host hands an app only 'lang' and 'ambient', not '${unknownArg}'`, span);
      const space = world.scope(world.mem.root, `#${app?.name ?? 'main'}`, app?.name ?? 'main', span);
      const frame = new Frame(table.size, null, space);
      for (const p of preset) frame.cells[p.slot] = p.cell;
      body(frame);
      // main runs after the block that declares it; its locals stay so the report shows its end state.
      const mainSym = table.local('main');
      const main = mainSym ? frame.cells[mainSym.slot]?.v : undefined;
      if (main instanceof Callable) main.call([], mainSym?.span ?? span, frame, false);
      for (const [f, s] of modules.sources) this.sources.set(f, s);
    } catch (e) {
      this.caught(e);
    } finally {
      this.finishDying();
      watchClock(outer);
      this.world?.mem.watchCharges(null);
    }
    if (this.world) this.warnUnawaited(this.world);
  }

  /** MRG3020 for work registered on a blocker and never awaited: dropped without a word before. */
  private warnUnawaited(world: World): void {
    const sites = new Map<string, { name: string; span: Span; pieces: number; blockers: number }>();
    for (const b of world.unawaited) {
      const first = b.pending[0];
      if (!first) continue;
      const s = first.span;
      const key = `${s.file}:${s.line}:${s.column}`;
      const site = sites.get(key) ?? { name: b.name ?? 'blocker', span: s, pieces: 0, blockers: 0 };
      site.pieces += b.pending.length;
      site.blockers++;
      sites.set(key, site);
    }
    for (const site of sites.values()) {
      const pieces = `${site.pieces} piece${site.pieces === 1 ? '' : 's'} of work`;
      const on = site.blockers === 1 ? `blocker '${site.name}'` : `${site.blockers} blockers '${site.name}'`;
      this.diagnostics.push(diagnostic('MRG3020', `${pieces} registered on ${on} here never ran: it was never awaited`, site.span, `Run it with \`await_all ${site.name};\` before the blocker goes out of scope, or do not register it.`));
    }
  }

  /**
   * Output kept for the result: all of it when nothing streams it (--json, compare), else at most
   * MAX_KEPT_OUTPUT characters — a program that prints gigabytes to a streamed stdout must not die
   * of V8's string length limit. Held output past the limit is MRG3014.
   */
  private kept(name: string, held: string, t: string, sink: ((text: string) => void) | undefined): string {
    sink?.(t);
    if (held.length + t.length <= MAX_KEPT_OUTPUT) return held + t;
    if (sink) return held.length < MAX_KEPT_OUTPUT ? held + t.slice(0, MAX_KEPT_OUTPUT - held.length) : held;
    return raise('MRG3014', `the program wrote more than ${MAX_KEPT_OUTPUT / 2 ** 20} M characters to ${name}, more than a run's result holds`, undefined, 'Write less, or run it without --json so that its output streams.');
  }

  /** Releases what activations cut short by the stack still hold (World.dying); an error doing it is the run's error if it has none yet. */
  private finishDying(): void {
    try {
      this.world?.releaseDying();
    } catch (e) {
      if (this.error === null) this.caught(e);
    }
  }

  private caught(e: unknown): void {
    if (e instanceof MergeError) return this.fail(e.diagnostic, e.details);
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      const deep = (this.meter ?? new Meter(DEFAULT_LIMITS)).stackExhausted();
      return this.fail(deep.diagnostic);
    }
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    this.fail(diagnostic('MRG3099', `internal error while running the program: ${what}`), new Map(), true);
  }

  result(): RunResult {
    const world = this.world;
    const report = world?.mem.report();
    const membranes: MembraneRow[] = (report?.flat ?? []).map((m) => ({
      name: m.name,
      kind: m.kind,
      parent: m.parent,
      total: mpToPoints(m.total),
      direct: mpToPoints(m.direct),
      overcommit: mpToPoints(m.overcommit),
      directUsed: mpToPoints(m.directUsed),
      belowUsed: mpToPoints(m.belowUsed),
      byKind: m.byKind.map((k) => ({ kind: k.kind, count: k.count, points: mpToPoints(k.mp) })),
    }));
    const dataframes: DataframeRow[] = [];
    for (const df of world?.dataframes ?? []) {
      try {
        dataframes.push({ name: df.name, rows: df.handle.rows, frozen: df.handle.frozen });
      } catch {
        // Its node is gone (released with its scope, or moved by ent): nothing to show.
      }
    }
    const totals = report?.totals;
    return {
      ok: this.error === null,
      exitCode: this.exitCode,
      profile: this.pricing.profile.name,
      stdout: this.stdout,
      stderr: this.stderr,
      error: this.error,
      diagnostics: this.diagnostics,
      membranes,
      dataframes,
      ramPoints: { total: totals ? mpToPoints(totals.mp) : 0, byKind: new Map((totals?.byKind ?? []).map((k) => [k.kind, mpToPoints(k.mp)])) },
      bytes: totals ? Number(totals.bytes) : 0,
      counts: world?.mem.counts() ?? { byKind: new Map(), stringBytes: 0 },
      steps: this.meter?.ops ?? 0,
      sources: this.sources,
      memory: world?.mem ?? null,
      timeline: this.timeline?.result(this.meter?.ops ?? 0) ?? null,
    };
  }
}

/** A module's constants: its top-level inert declarations, evaluated once in a scope of their own. */
function buildModule(c: Compiler, program: Program): { table: FnTable; frame: () => Frame } | MergeError {
  const table = new FnTable('module', null);
  const saved = c.table;
  c.table = table;
  try {
    const shape = checkModule(program)[0];
    if (shape) return new MergeError(shape);
    const decls = program.body.filter((s) => s.kind === 'Decl');
    const body = compileStmts(c, decls);
    let frame: Frame | null = null;
    const rt = c.rt;
    return {
      table,
      frame: () => {
        if (frame === null) {
          const space = rt.world.scope(rt.world.mem.root, `#module:${program.file}`, program.file, program.span);
          frame = new Frame(table.size, null, space);
          body(frame);
        }
        return frame;
      },
    };
  } finally {
    c.table = saved;
  }
}

