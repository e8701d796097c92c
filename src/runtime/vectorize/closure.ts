// What a vectorized function is, apart from the program that declared it: its declaration (AST) and a
// snapshot of every name it reads from its defining scope. That closure is what a worker thread (or
// the in-thread sandbox) compiles and runs, and what the memo key hashes. A vectorized function must
// be pure: it reads constants and calls other pure functions; it may not hold mutable captures.
import type { Expr, FunctionDecl, MembraneSpec, Path, Stmt } from '../../ast/types.js';
import type { Span } from '../../diagnostics.js';
import { lexicallyReadable, type FnTable, type Sym } from '../../check/scopes.js';
import { typeError } from '../errors.js';
import type { Cell, Frame } from '../frame.js';
import { describe, type CallableValue, type Value } from '../values.js';

/** A name a callable's body reads from its defining scope, resolved when the declaration compiled. */
interface FreeRef {
  readonly name: string;
  readonly sym: Sym;
  /** Callable boundaries between the defining frame and the name's frame. */
  readonly hops: number;
}

/** Compile-time facts about a function or merged callable (recorded by src/runtime/callables.ts). */
export interface CallableOrigin {
  /** The body that runs (a module's function for a merge). */
  readonly decl: FunctionDecl;
  /** The callable's own membrane (a merge's, else the module function's). */
  readonly membrane: MembraneSpec | null;
  readonly free: readonly FreeRef[];
  /** Inner names of the capture (and constant) block, in the callable's cell order. */
  readonly caps: readonly { readonly inner: string; readonly constant: boolean }[];
}

interface BoundOrigin {
  readonly origin: CallableOrigin;
  /** The defining frame (read when the callable is shipped). */
  readonly frame: () => Frame | null;
  readonly capCells: readonly Cell[];
}

const origins = new WeakMap<object, BoundOrigin>();

/**
 * Resolves the names `decl`'s body reads outside itself in `table` (the declaring scope, in its state
 * at the declaration). `capInners` are the names the capture and constant blocks bind inside it.
 */
export function callableOrigin(
  table: FnTable,
  decl: FunctionDecl,
  membrane: MembraneSpec | null,
  caps: readonly { readonly inner: string; readonly constant: boolean }[],
): CallableOrigin {
  const bound = new Set<string>([decl.name, ...decl.params.map((p) => p.name), ...caps.map((k) => k.inner)]);
  const free: FreeRef[] = [];
  for (const name of freeNames(decl, bound)) {
    const found = table.lookup(name);
    if (found) free.push({ name, sym: found.sym, hops: found.hops });
  }
  return { decl, membrane, free, caps };
}

/** Ties a callable value to its origin, the frame it was declared in and its captured cells. */
export function recordOrigin(fn: CallableValue, origin: CallableOrigin, frame: () => Frame | null, capCells: readonly Cell[]): void {
  origins.set(fn, { origin, frame, capCells });
}

// ------------------------------------------------------------------ free names

/** A callable body as the walk needs it (a function's, or main's). */
type Body = Pick<FunctionDecl, 'name' | 'params' | 'captures' | 'body' | 'handler'>;

/** Names read by a callable body that it does not declare itself (params, captures: `bound`). */
export function freeNames(decl: Pick<FunctionDecl, 'body' | 'handler'>, bound: ReadonlySet<string>): string[] {
  const w = new FreeWalk();
  w.push(bound);
  w.block(decl.body);
  if (decl.handler) w.block(decl.handler);
  return [...w.free];
}

class FreeWalk {
  readonly free = new Set<string>();
  private readonly scopes: Set<string>[] = [];

  push(names: Iterable<string> = []): void {
    this.scopes.push(new Set(names));
  }

  private declare(name: string): void {
    this.scopes[this.scopes.length - 1]?.add(name);
  }

  private read(name: string): void {
    for (const s of this.scopes) if (s.has(name)) return;
    this.free.add(name);
  }

  private path(p: Path): void {
    const head = p.parts[0];
    if (head === undefined) return;
    if (head === 'scope' && p.parts.length > 1) {
      const second = p.parts[1] as string;
      if (second !== 'exceptions' && second !== 'imported') this.read(second);
      this.read('scope');
      return;
    }
    this.read(head);
  }

  block(stmts: readonly Stmt[]): void {
    this.push();
    for (const s of stmts) this.stmt(s);
    this.scopes.pop();
  }

  /** A nested callable: what it reads of us (its free names) is read here. */
  private nested(decl: Body): void {
    for (const k of decl.captures) this.read(k.outer);
    const bound = new Set([decl.name, ...decl.params.map((p) => p.name), ...decl.captures.map((k) => k.inner)]);
    for (const n of freeNames(decl, bound)) this.read(n);
  }

  /** Statements that bind names or open blocks; every other one just reads its paths and expressions. */
  private stmt(s: Stmt): void {
    switch (s.kind) {
      case 'Doc':
      case 'ResolveOrder':
      case 'App':
        return;
      case 'Decl':
        if (s.init) this.expr(s.init);
        this.target(s.target);
        return;
      case 'DataframeDecl':
        this.target(s.target);
        return;
      case 'Alias':
        this.path(s.path);
        this.declare(s.name);
        return;
      case 'Function':
        this.declare(s.name);
        this.nested(s);
        return;
      case 'Main':
        this.declare('main');
        this.nested({ name: 'main', params: [], captures: s.captures, body: s.body, handler: s.handler });
        return;
      case 'Merge':
        for (const k of [...s.captures, ...s.constants]) this.read(k.outer);
        this.declare(s.name);
        return;
      case 'While':
      case 'If':
      case 'Switch':
        this.children(s);
        return;
      case 'Use':
        this.read(s.source);
        for (const b of s.bindings) this.declare(b.name);
        return;
      default:
        this.children(s);
    }
  }

  /** `x` declares x; `a.b.c` declares inside a's DAG, so it reads a. */
  private target(p: Path): void {
    if (p.parts.length === 1) this.declare(p.parts[0] as string);
    else this.path(p);
  }

  private expr(e: Expr): void {
    if (e.kind === 'Name') this.read(e.name);
    else if (e.kind === 'Member' && e.object.kind === 'Name' && e.object.name === 'scope' && e.name !== 'exceptions' && e.name !== 'imported') this.read(e.name);
    this.children(e);
  }

  /** Visits what a node holds: paths are read, statement lists are blocks, anything else an expression. */
  private children(node: object): void {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'span' || v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        if (v.length > 0 && isStmt(v[0])) this.block(v as Stmt[]);
        else for (const x of v) this.node(x);
      } else this.node(v);
    }
  }

  private node(v: unknown): void {
    if (v === null || typeof v !== 'object' || !('kind' in v)) return;
    if ((v as { kind: string }).kind === 'Path') this.path(v as Path);
    else if (isStmt(v)) this.stmt(v as Stmt);
    else this.expr(v as Expr);
  }
}

const STMT_KINDS = new Set(['Doc', 'Decl', 'DataframeDecl', 'Ent', 'Alias', 'Freeze', 'CallStmt', 'Command', 'Assign', 'AwaitAll', 'Function', 'Main', 'Merge', 'Return', 'While', 'If', 'Switch', 'Use', 'ResolveOrder', 'Assert', 'App']);

function isStmt(v: unknown): boolean {
  return v !== null && typeof v === 'object' && STMT_KINDS.has((v as { kind?: string }).kind ?? '');
}

// ------------------------------------------------------------------ shipping

/**
 * A value of the closure, as plain data (structured-clone safe; bigint stays bigint).
 * `unreadable`: a mutable or authority name of an enclosing scope (reading it is a capability_error,
 * as in the program); `unset` / `moved`: a name declared later or moved away (reading it fails as in
 * the program).
 */
export type ShippedValue =
  | { readonly k: 'int'; readonly v: bigint }
  | { readonly k: 'float'; readonly v: number }
  | { readonly k: 'string'; readonly v: string }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'endl' }
  | { readonly k: 'lang' }
  | { readonly k: 'type'; readonly name: string }
  | { readonly k: 'fn'; readonly id: number }
  | { readonly k: 'unreadable'; readonly mutable: boolean; readonly authority: boolean }
  | { readonly k: 'unset' }
  | { readonly k: 'moved' };

export interface ShippedEnvEntry {
  readonly name: string;
  readonly value: ShippedValue;
  /** The declared type name of the binding (for messages), or null. */
  readonly type: string | null;
}

/** One callable of a closure: its body (captures folded into `env`) and the names it reads. */
export interface ShippedFn {
  readonly id: number;
  readonly decl: FunctionDecl;
  readonly membrane: MembraneSpec | null;
  /** Sorted by name. */
  readonly env: readonly ShippedEnvEntry[];
}

/** A vectorized function and every callable it can reach: `fns[root]` is applied to each row. */
export interface ShippedClosure {
  readonly root: number;
  readonly fns: readonly ShippedFn[];
}

/** True when a value is a function or merged callable the interpreter declared (one vectorize can run). */
export function hasOrigin(v: Value): boolean {
  return typeof v === 'object' && origins.has(v);
}

/**
 * Snapshots `fn` (and every callable it reads) for running apart from the program. Refuses, with a
 * type_error at `span`, a callable that holds a mutable capture (a vectorized function may not change
 * shared state) or reads a value that cannot leave the program (a dag, a dataframe, a stream).
 */
export function shipClosure(fn: Value, what: string, span: Span): ShippedClosure {
  const fns: ShippedFn[] = [];
  const ids = new Map<object, number>();
  const ship = (v: CallableValue, via: string): number => {
    const known = ids.get(v);
    if (known !== undefined) return known;
    const bound = origins.get(v);
    if (!bound) return typeError(`${via} is ${v.kind === 'main' ? 'main' : 'not a function declared in the program or merged from a module'}: vectorize runs functions`, span);
    const id = fns.length;
    ids.set(v, id);
    fns.push(null as unknown as ShippedFn);
    const { origin, capCells } = bound;
    const frame = origin.free.length > 0 ? bound.frame() : null;
    const env = new Map<string, ShippedEnvEntry>();
    origin.free.forEach((ref) => {
      env.set(ref.name, { name: ref.name, type: ref.sym.type, value: freeValue(ref, frame, (c) => ship(c, `'${ref.name}' (read by ${v.name})`), span, v.name) });
    });
    origin.caps.forEach((cap, i) => {
      const cell = capCells[i];
      if (!cell) return;
      if (!cap.constant && cell.mutable) {
        typeError(`${v.name} captures '${cap.inner}', which is mutable: a vectorized function may not change shared state, so its capture block may only hold inert values`, span);
      }
      const value = cell.moved ? ({ k: 'moved' } as const) : plain(cell.v, (c) => ship(c, `'${cap.inner}' (captured by ${v.name})`), `'${cap.inner}' (captured by ${v.name})`, span);
      env.set(cap.inner, { name: cap.inner, type: cell.t?.name ?? null, value });
    });
    fns[id] = { id, decl: origin.decl, membrane: origin.membrane, env: [...env.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
    return id;
  };
  if (typeof fn !== 'object' || fn.tag !== 'callable') return typeError(`vectorize needs a function, but ${what} is ${describe(fn)}`, span);
  const root = ship(fn, what);
  return { root, fns };
}

function freeValue(ref: FreeRef, frame: Frame | null, ship: (c: CallableValue) => number, span: Span, owner: string): ShippedValue {
  const { sym } = ref;
  if (!lexicallyReadable(sym)) return { k: 'unreadable', mutable: sym.mutable, authority: sym.authority };
  if (sym.kind === 'alias') return typeError(`${owner} reads '${ref.name}', an alias: a vectorized function may only read constants; read the aliased value into an inert constant first`, span);
  let fr = frame;
  for (let i = 0; i < ref.hops && fr; i++) fr = fr.parent;
  const cell = fr?.cells[sym.slot];
  if (cell === undefined) return { k: 'unset' };
  if (cell.moved) return { k: 'moved' };
  return plain(cell.v, ship, `'${ref.name}' (read by ${owner})`, span);
}

function plain(v: Value, ship: (c: CallableValue) => number, what: string, span: Span): ShippedValue {
  switch (typeof v) {
    case 'bigint':
      return { k: 'int', v };
    case 'number':
      return { k: 'float', v };
    case 'string':
      return { k: 'string', v };
    case 'boolean':
      return { k: 'bool', v };
  }
  switch (v.tag) {
    case 'endl':
      return { k: 'endl' };
    case 'type':
      return { k: 'type', name: v.type.name };
    case 'callable':
      return { k: 'fn', id: ship(v) };
    case 'namespace':
      if (v.name === 'lang') return { k: 'lang' };
      break;
    default:
      break;
  }
  return typeError(
    `${what} is ${describe(v)}: a vectorized function runs apart from the program and may only read constants (numbers, strings, bools, types) and call pure functions`,
    span,
    );
}
