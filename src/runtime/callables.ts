// Functions, main and merged callables. Capture blocks are taken when the declaration runs (a mutable,
// non-shared capture is moved then); the callee's scope is constructed on the first call (quota.md §8):
// the scope entity is charged to the caller and moved captures are grafted into the callee's view,
// all or nothing. Parameters and body declarations are per-call locals, released on return.
import type { Capture, FunctionDecl, MainDecl, MembraneSpec, MergeDecl, Param, Stmt } from '../ast/types.js';
import { MergeError, type Span } from '../diagnostics.js';
import { FnTable, type FnKind, type Found, type Sym } from '../check/scopes.js';
import { fit } from './arith.js';
import { aliasHead, errorValue, RET, type Compiler, type Exec, type Runtime } from './compile.js';
import { capabilityError, located, nameError, ownershipError, typeError } from './errors.js';
import { Cell, Frame, type Payment } from './frame.js';
import { nodeOf, NodePay, type DagValue, type ScopeSpace } from './space.js';
import type { View } from '../model/index.js';
import { endActivation, release, settle } from './lifetime.js';
import { compileStmts } from './statements.js';
import { typeByName, type TypeDesc } from './types.js';
import { langCaptured, placeAliasCaptured, scopePathCaptured } from '../words.js';
import { NOTHING, type CallableValue, type RefValue, type Value } from './values.js';
import { callableOrigin, recordOrigin, type CallableOrigin } from './vectorize/closure.js';

interface CapSlot {
  readonly inner: string;
  readonly slot: number;
  /** Its node's name in the constructed scope. */
  readonly node: string;
  /** Moved into the callee (mutable, not shared, not a constant): grafted at construction. */
  readonly moved: boolean;
}

export interface BodyCode {
  readonly size: number;
  readonly selfSlot: number;
  /** `scalar`: the parameter is paid for (a slot or a node); dag and other parameters are plain values. */
  readonly params: readonly { name: string; type: TypeDesc; slot: number; node: string; scalar: boolean }[];
  readonly caps: readonly CapSlot[];
  /** Slots of per-call locals (parameters and body declarations), released on return. */
  readonly firstOwn: number;
  readonly body: Exec;
  readonly handler: Exec | null;
}

/** Where a callable was declared: its scope node goes below the declaring scope's node. */
export interface CalleeHome {
  /** The declaring scope: it pays for the scope entity. */
  readonly space: ScopeSpace;
  /** The declaring scope's view with the callable's own membrane on top (or the same view). */
  readonly view: View;
  readonly ownMembrane: boolean;
  /** The scope node's name below the declaring scope's node. */
  readonly node: string;
}

export class Callable implements CallableValue {
  readonly tag = 'callable';
  /** The constructed scope (quota.md §8), null until the first call. */
  private space: ScopeSpace | null = null;
  private depth = 0;
  private readonly selfCell: Cell;

  constructor(
    private readonly rt: Runtime,
    readonly name: string,
    readonly kind: 'function' | 'main' | 'merge',
    private readonly code: BodyCode,
    private readonly defFrame: Frame | null,
    private readonly caps: readonly Cell[],
    private readonly home: CalleeHome,
  ) {
    this.selfCell = new Cell(this, null, false, false, name);
  }

  get params(): { name: string; type: TypeDesc }[] {
    return this.code.params.map((p) => ({ name: p.name, type: p.type }));
  }

  invoke(args: Value[], span: Span, caller: Frame): Value {
    return this.call(args, span, caller, true);
  }

  /**
   * Calls it. The scope's construction (first call) and the parameters' allocation are one atomic
   * step: refused, it raises at the call and leaves everything as it was. `releaseLocals` false keeps
   * the activation's nodes (the program's main: the run ends in the state main left).
   */
  call(args: Value[], span: Span, caller: Frame, releaseAtEnd: boolean): Value {
    const code = this.code;
    const n = code.params.length;
    if (args.length !== n) typeError(`${this.name} takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`, span);
    const m = this.rt.meter;
    m.enter(span);
    const frame = this.space !== null && this.rt.world.lazy ? this.enterLazy(args, span) : this.enter(args, span);
    frame.cells[code.selfSlot] = this.selfCell;
    for (let i = 0; i < code.caps.length; i++) frame.cells[(code.caps[i] as CapSlot).slot] = this.caps[i];
    this.depth++;
    let result: Value;
    try {
      result = this.run(frame);
      // Per-call locals die now, except what the returned value refers to: that goes on to the caller.
      if (releaseAtEnd) endActivation(frame, code.firstOwn, code.size, result, caller);
    } catch (e) {
      if (releaseAtEnd) {
        // On World.dying until released: when the stack runs out in the release, the run's end finishes it.
        const dying = this.rt.world.dying;
        dying.push(frame, code.firstOwn, code.size);
        endActivation(frame, code.firstOwn, code.size, undefined, null);
        dying.length -= 3;
      }
      throw e;
    } finally {
      this.depth--;
      m.depth--;
    }
    return result;
  }

  /**
   * A call after the first with lazy frames: each scalar parameter is a slot paid for like its node
   * (no node, no journal). A refused parameter releases those paid before it: nothing changed.
   */
  private enterLazy(args: Value[], span: Span): Frame {
    const code = this.code;
    const space = this.space as ScopeSpace;
    const f = new Frame(code.size, this.defFrame, space, this.depth);
    const params = code.params;
    for (let i = 0; i < params.length; i++) {
      const p = params[i] as BodyCode['params'][number];
      try {
        const a = args[i] as Value;
        // An int argument for an int parameter is the common case: checked here, no message built.
        const t = p.type;
        const v = t.k === 'int' && typeof a === 'bigint' && (t.min === null || (a >= t.min && a <= (t.max as bigint))) ? a : fit(a, t, this.what(i), span);
        const cell = new Cell(v, t, false, false, p.name);
        if (p.scalar) cell.pay = space.slot(p.node, this.depth, p.type, v, false, span);
        f.cells[p.slot] = cell;
      } catch (e) {
        for (let j = i - 1; j >= 0; j--) f.cells[(params[j] as BodyCode['params'][number]).slot]?.pay?.release();
        this.rt.meter.depth--;
        throw e instanceof MergeError ? located(e, span) : e;
      }
    }
    return f;
  }

  /**
   * The first call (or the first after the scope was dropped), and every call with eager frames: the
   * scope's construction and the parameters' allocation are one atomic step.
   */
  private enter(args: Value[], span: Span): Frame {
    const code = this.code;
    const world = this.rt.world;
    let fr: Frame | null = null;
    let commits: (() => void)[] = [];
    let space = this.space;
    try {
      // Moved captures held in lazy slots get their nodes first: construction grafts nodes.
      if (space === null) this.code.caps.forEach((cap, i) => cap.moved && this.caps[i] && world.op(span, () => nodeOf(this.caps[i] as Cell)));
      world.op(span, () =>
        world.mem.atomically(() => {
          if (space === null) {
            const built = this.construct(span);
            space = built.space;
            commits = built.commits;
          }
          const f = new Frame(code.size, this.defFrame, space, this.depth);
          for (let i = 0; i < code.params.length; i++) {
            const p = code.params[i] as BodyCode['params'][number];
            const v = fit(args[i] as Value, p.type, this.what(i), span);
            const cell = new Cell(v, p.type, false, false, p.name);
            if (p.scalar) cell.pay = space.slot(p.node, this.depth, p.type, v, false, span);
            f.cells[p.slot] = cell;
          }
          fr = f;
        }),
      );
    } catch (e) {
      this.rt.meter.depth--;
      throw e instanceof MergeError ? located(e, span) : e;
    }
    for (const c of commits) c();
    this.space = space;
    return fr as unknown as Frame;
  }

  /** How a parameter is named in a type or range error. */
  private what(i: number): string {
    return `parameter '${(this.code.params[i] as BodyCode['params'][number]).name}' of ${this.name}`;
  }

  private run(fr: Frame): Value {
    const code = this.code;
    if (code.handler === null) return code.body(fr) === RET ? (fr.ret as Value) : NOTHING;
    try {
      return code.body(fr) === RET ? (fr.ret as Value) : NOTHING;
    } catch (e) {
      if (!(e instanceof MergeError) || e.errorName === undefined) throw e;
      (fr.exceptions ??= []).push(errorValue(e));
      // The failed statement has ended: what it left waiting on the frame (a membrane or a pruned value
      // it made, a DAG a call returned to it) dies before the handler runs, whatever the handler holds.
      if (fr.escaped !== null) settle(fr, undefined);
      return code.handler(fr) === RET ? (fr.ret as Value) : NOTHING;
    }
  }

  /**
   * The scope node (a `scope` entity paid through the declaring scope's view) under the callable's
   * membrane, and every moved capture grafted into it (free within the pool, else full price). Runs
   * inside the caller's atomic group; the returned commits update the cells once it succeeded.
   */
  private construct(span: Span): { space: ScopeSpace; commits: (() => void)[] } {
    const world = this.rt.world;
    const mem = world.mem;
    const space = world.scope(this.home.space.view, this.home.node, this.name, span, this.home.view);
    const commits: (() => void)[] = [];
    this.code.caps.forEach((cap, i) => {
      if (!cap.moved) return;
      const cell = this.caps[i] as Cell;
      const pay = nodeOf(cell);
      if (pay !== null) {
        pay.sync(cell.v);
        mem.ent(space.view, [], mem.prune(pay.space.view, [pay.wname]), cap.node);
        commits.push(() => {
          cell.pay = new NodePay(space, cap.node);
          cell.v = world.relocated(cell.v, space.view, cap.node);
        });
        return;
      }
      const v = cell.v;
      if (typeof v === 'object' && v.tag === 'dag') {
        const d = v as DagValue;
        if (d.detached !== null && d.node === d.detached.node) {
          mem.ent(space.view, [], d.detached, cap.node);
          commits.push(() => {
            cell.v = world.attached(mem.at(space.view, [cap.node]), true);
            cell.pay = new NodePay(space, cap.node);
          });
        }
      }
    });
    return { space, commits };
  }

  /**
   * The binding died (its scope ended): the constructed scope is dropped with what was grafted into
   * it, the moved captures die (a view through a membrane, a pruned value never grafted), and its
   * membrane ends (it closes once nothing it paid for lives on).
   */
  destroy(): void {
    const mem = this.rt.world.mem;
    if (this.space) new NodePay(this.home.space, this.home.node).release();
    this.code.caps.forEach((cap, i) => {
      const cell = this.caps[i];
      if (cap.moved && cell) release(cell);
    });
    this.space = null;
    const own = this.home.view.membrane;
    if (this.home.ownMembrane && own) mem.retireMembrane(own);
  }
}

/** A callable's binding: when it dies, its scope goes with it. */
class CallablePay implements Payment {
  constructor(private readonly fn: Callable) {}
  release(): void {
    this.fn.destroy();
  }
  resize(): Payment {
    return this;
  }
  heldBy(v: RefValue): boolean {
    return v === this.fn;
  }
}

// ------------------------------------------------------------------ compiling callables

interface CapSpec {
  readonly inner: string;
  readonly outer: string;
  readonly constant: boolean;
  readonly span: Span;
}

interface BodySpec {
  readonly kind: FnKind;
  readonly name: string;
  readonly params: readonly Param[];
  /** Parameter types given by a merge statement (they must agree with the module's). */
  readonly caps: readonly { spec: CapSpec; outer: Sym | null }[];
  readonly body: readonly Stmt[];
  readonly handler: readonly Stmt[] | null;
  readonly span: Span;
}

/** Compiles a callable's body in a table of its own (lexical parent: `parent`). */
export function compileBody(c: Compiler, parent: FnTable | null, spec: BodySpec): BodyCode | MergeError {
  const table = new FnTable(spec.kind, parent);
  const saved = c.table;
  c.table = table;
  try {
    const self = table.declare({ name: spec.name, kind: 'callable', mutable: false, shared: false, authority: false, type: null, arity: spec.params.length, span: spec.span }).sym;
    const caps: CapSlot[] = spec.caps.map(({ spec: cs, outer }) => {
      const mutable = !cs.constant && (outer?.mutable ?? false);
      const sym = table.declare({
        name: cs.inner,
        kind: cs.constant ? 'constant' : 'capture',
        mutable,
        shared: outer?.shared ?? false,
        authority: outer?.authority ?? false,
        type: outer?.type ?? null,
        arity: outer?.arity ?? null,
        span: cs.span,
      }).sym;
      return { inner: cs.inner, slot: sym.slot, node: c.nodeName(cs.inner, sym.slot), moved: mutable && !(outer?.shared ?? false) };
    });
    const firstOwn = table.size;
    const params: { name: string; type: TypeDesc; slot: number; node: string; scalar: boolean }[] = [];
    for (const p of spec.params) {
      const type = typeByName(p.type.name);
      if (!type) return new MergeError({ code: 'MRG3002', severity: 'error', message: `'${p.type.name}' is not a type`, span: p.type.span });
      const sym = table.declare({ name: p.name, kind: 'param', mutable: false, shared: false, authority: false, type: type.name, arity: null, span: p.span }).sym;
      params.push({ name: p.name, type, slot: sym.slot, node: c.nodeName(p.name, sym.slot), scalar: 'scalar' in type });
    }
    table.push();
    const body = compileStmts(c, spec.body);
    table.pop();
    let handler: Exec | null = null;
    if (spec.handler) {
      table.push();
      handler = compileStmts(c, spec.handler);
      table.pop();
    }
    return { size: table.size, selfSlot: self.slot, params, caps, firstOwn, body, handler };
  } finally {
    c.table = saved;
  }
}

/** Reads the capture block in the declaring frame; moves happen only once every entry is valid. */
function captureReader(c: Compiler, caps: readonly CapSpec[]): { outers: (Sym | null)[]; take: (f: Frame) => Cell[] } {
  const reads = caps.map((cap) => {
    const named = c.resolve(cap.outer);
    const alias = named ? c.aliases.get(named.sym) : undefined;
    const refuse = (why: string) => ({ found: null, read: () => nameError(why, cap.span) });
    // No declared first name: the alias is of the language or of the scope itself.
    if (alias && alias.head === undefined) return refuse(alias.path.parts[0] === 'lang' ? langCaptured(cap.outer, alias.path.parts) : scopePathCaptured(cap.outer, alias.path.parts));
    if (alias && alias.path.parts.length > 1) return refuse(placeAliasCaptured(cap.outer, alias.path.parts));
    // An alias of a name captures that name (the same cell, moved alike).
    const found = alias ? aliasHead(alias, (named as Found).hops) : named;
    if (!found) return refuse(cap.outer === 'lang' ? langCaptured(cap.outer, null) : `'${cap.outer}' is not declared here, so it cannot be captured`);
    if (found.hops > 0 && (found.sym.mutable || found.sym.authority)) {
      return { found, read: () => capabilityError(`'${cap.outer}' belongs to an enclosing scope; capture it there first`, cap.span) };
    }
    return { found, read: c.cellReader(found, cap.outer, cap.span) };
  });
  const take = (f: Frame): Cell[] => {
    const cells = reads.map((r) => r.read(f) as Cell);
    const seen = new Set<Cell>();
    caps.forEach((cap, i) => {
      const cell = cells[i] as Cell;
      if (!cap.constant && cell.mutable && !cell.shared) {
        if (seen.has(cell)) ownershipError(`'${cap.outer}' is moved twice by the same capture block`, cap.span);
        seen.add(cell);
      }
    });
    return cells;
  };
  return { outers: reads.map((r) => r.found?.sym ?? null), take };
}

/** The callee's own cells: a moved capture takes the value (and its payment) out of the outer cell. */
function moveCaptures(caps: readonly CapSpec[], cells: Cell[]): Cell[] {
  return cells.map((cell, i) => {
    const cap = caps[i] as CapSpec;
    if (cap.constant || !cell.mutable || cell.shared) return cell;
    const own = new Cell(cell.v, cell.t, true, false, cap.inner, cell.authority);
    own.pay = cell.pay;
    cell.pay = null;
    cell.moved = true;
    return own;
  });
}

function capSpecs(captures: readonly Capture[], constant: boolean): CapSpec[] {
  return captures.map((k) => ({ inner: k.inner, outer: k.outer, constant, span: k.span }));
}

/** Shared by function, main and merge: declares the callable's name and builds it when the declaration runs. */
function declareCallable(
  c: Compiler,
  decl: { name: string; kind: 'function' | 'main' | 'merge'; modifiers: readonly string[]; membrane: MembraneSpec | null; span: Span; arity: number },
  caps: readonly CapSpec[],
  code: BodyCode | MergeError,
  reader: ReturnType<typeof captureReader>,
  defFrame: (f: Frame) => Frame | null,
  /** What vectorize needs to run the callable apart from the program (functions and merges). */
  origin: CallableOrigin | null = null,
): Exec {
  const m = c.rt.meter;
  const rt = c.rt;
  const sp = decl.span;
  const mutable = decl.modifiers.includes('mutable');
  const shared = decl.modifiers.includes('shared');
  const { sym } = c.table.declare({ name: decl.name, kind: 'callable', mutable, shared, authority: false, type: null, arity: decl.arity, span: sp });
  if (code instanceof MergeError) {
    return () => {
      throw code;
    };
  }
  const node = c.nodeName(`${decl.name}()`, sym.slot);
  const world = rt.world;
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const cells = reader.take(f);
    const old = f.cells[sym.slot];
    if (old) release(old);
    const view = decl.membrane ? world.scopeMembrane(f.space.view, decl.membrane, decl.name, sp) : f.space.view;
    const home: CalleeHome = { space: f.space, view, ownMembrane: decl.membrane !== null, node: node + f.suffix };
    const own = moveCaptures(caps, cells);
    const fn = new Callable(rt, decl.name, decl.kind, code, defFrame(f), own, home);
    // The frame is read only when the callable is vectorized (a module's constants are evaluated on first use).
    if (origin) recordOrigin(fn, origin, () => defFrame(f), own);
    // Shared, it is not moved by a capture block (language.md §5: shared values are not moved).
    const cell = new Cell(fn, null, mutable, shared, decl.name);
    cell.pay = new CallablePay(fn);
    f.cells[sym.slot] = cell;
    return 0;
  };
}

export function compileFunction(c: Compiler, s: FunctionDecl): Exec {
  const caps = capSpecs(s.captures, false);
  const reader = captureReader(c, caps);
  const code = compileBody(c, c.table, {
    kind: 'function',
    name: s.name,
    params: s.params,
    caps: caps.map((spec, i) => ({ spec, outer: reader.outers[i] ?? null })),
    body: s.body,
    handler: s.handler,
    span: s.span,
  });
  const origin = callableOrigin(c.table, s, s.membrane, caps);
  return declareCallable(c, { name: s.name, kind: 'function', modifiers: s.modifiers, membrane: s.membrane, span: s.span, arity: s.params.length }, caps, code, reader, (f) => f, origin);
}

export function compileMain(c: Compiler, s: MainDecl): Exec {
  const caps = capSpecs(s.captures, false);
  const reader = captureReader(c, caps);
  const code = compileBody(c, c.table, {
    kind: 'main',
    name: 'main',
    params: [],
    caps: caps.map((spec, i) => ({ spec, outer: reader.outers[i] ?? null })),
    body: s.body,
    handler: s.handler,
    span: s.span,
  });
  return declareCallable(c, { name: 'main', kind: 'main', modifiers: s.modifiers, membrane: s.membrane, span: s.span, arity: 0 }, caps, code, reader, (f) => f);
}

/** Module callables whose merge is being compiled: merging one again inside its body would never end. */
const merging = new WeakMap<Compiler, FunctionDecl[]>();

export function compileMerge(c: Compiler, s: MergeDecl): Exec {
  const caps = [...capSpecs(s.captures, false), ...capSpecs(s.constants, true)];
  const reader = captureReader(c, caps);
  const modName = s.source.slice(0, -1).join('.');
  const fnName = s.source[s.source.length - 1] ?? '';
  const loaded = c.rt.modules.load(modName, s.span);
  let code: BodyCode | MergeError;
  let membrane = s.membrane;
  let defFrame: (f: Frame) => Frame | null = () => null;
  let origin: CallableOrigin | null = null;
  if (loaded instanceof MergeError) code = loaded;
  else {
    const fn = loaded.functions.get(fnName);
    const inProgress = merging.get(c) ?? [];
    merging.set(c, inProgress);
    if (!fn) {
      code = new MergeError({ code: 'MRG3001', severity: 'error', message: `${loaded.file} has no callable '${fnName}'`, span: s.span });
    } else if (inProgress.includes(fn)) {
      const hint = 'A module callable may not merge itself, directly or through other modules; it may call itself by name.';
      code = new MergeError({ code: 'MRG3002', severity: 'error', message: `${s.source.join('.')} is merged again inside its own body (a merge cycle)`, span: s.span, hint });
    } else {
      inProgress.push(fn);
      try {
        code = mergeMismatch(s, fn, caps) ?? compileBody(c, loaded.table, {
          kind: 'merge',
          name: fn.name,
          params: fn.params,
          caps: caps.map((spec, i) => ({ spec, outer: reader.outers[i] ?? null })),
          body: fn.body,
          handler: fn.handler,
          span: fn.span,
        });
      } finally {
        inProgress.pop();
      }
      membrane = s.membrane ?? fn.membrane;
      defFrame = () => loaded.frame();
      origin = callableOrigin(loaded.table, fn, membrane, caps);
    }
  }
  return declareCallable(c, { name: s.name, kind: 'merge', modifiers: s.modifiers, membrane, span: s.span, arity: s.params.length }, caps, code, reader, defFrame, origin);
}

/** The merge statement must agree with the module's callable: parameters, and every name it captures. */
function mergeMismatch(s: MergeDecl, fn: FunctionDecl, caps: readonly CapSpec[]): MergeError | null {
  const err = (code: 'MRG3002' | 'MRG3001', message: string) => new MergeError({ code, severity: 'error', message, span: s.span });
  const where = `${s.source.join('.')}`;
  if (s.params.length !== fn.params.length) {
    return err('MRG3002', `${where} takes ${fn.params.length} parameter${fn.params.length === 1 ? '' : 's'} but the merge declares ${s.params.length}`);
  }
  for (let i = 0; i < s.params.length; i++) {
    const a = s.params[i] as Param;
    const b = fn.params[i] as Param;
    if (a.type.name !== b.type.name) return err('MRG3002', `parameter ${i + 1} of ${where} is ${b.type.name}, but the merge declares ${a.type.name}`);
  }
  const given = new Set(caps.map((k) => k.inner));
  for (const need of fn.captures) {
    if (!given.has(need.inner)) return err('MRG3001', `${where} needs '${need.inner}'; hand it over in the merge's capture or constant block`);
  }
  return null;
}
