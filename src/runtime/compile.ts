// The interpreter compiles the typed AST into JS closures once, resolving every name to a frame slot
// (src/check/scopes.ts, shared with the static checks), then runs the closures. Each closure counts
// one step (the deterministic operation count vectorize's cost model reads) before its work.
import type { BinaryOp, Expr, MembraneSpec, Path, Span } from '../ast/types.js';
import { pathOf } from '../ast/paths.js';
import { MergeError } from '../diagnostics.js';
import { FnTable, lexicallyReadable, seenFrom, type Found, type Sym } from '../check/scopes.js';
import type { Detached, Membrane, View } from '../model/index.js';
import { binary, checkIntSize, not, negate } from './arith.js';
import { float16Points } from './builtins.js';
import { capabilityError, nameError, ownershipError, rangeError, typeError } from './errors.js';
import { Frame, type Cell } from './frame.js';
import type { Meter } from './limits.js';
import { pending } from './lifetime.js';
import { DetachedPay, MembranePay, type DagValue, type Place, type World } from './space.js';
import { INT_MAGNITUDE_LIMIT } from './types.js';
import { describe, NOTHING, type ErrorValue, type NamespaceValue, type PendingWork, type StreamValue, type Value } from './values.js';
import type { ModuleLoader } from './modules.js';

export type Eval = (f: Frame) => Value;
/** Runs a statement: GO to continue, RET when a `return` ended the activation (value in f.ret). */
export type Exec = (f: Frame) => number;
export const GO = 0;
export const RET = 1;

const LIM = INT_MAGNITUDE_LIMIT;
/** Integer comparisons, picked once per operator at compile time. */
const COMPARE = {
  '<': (a: bigint, b: bigint) => a < b,
  '<=': (a: bigint, b: bigint) => a <= b,
  '>': (a: bigint, b: bigint) => a > b,
  '>=': (a: bigint, b: bigint) => a >= b,
} as const;
const NLIM = -INT_MAGNITUDE_LIMIT;

/** The value of an int literal that compiles to a plain constant (in range), else null. */
export function smallIntLiteral(e: Expr): bigint | null {
  return e.kind === 'IntLit' && e.value < LIM && e.value >= NLIM ? e.value : null;
}

/** Everything compiled code needs at run time. */
export interface Runtime {
  readonly meter: Meter;
  readonly world: World;
  readonly cout: StreamValue;
  readonly cerr: StreamValue;
  readonly lang: NamespaceValue;
  readonly ambient: NamespaceValue;
  readonly modules: ModuleLoader;
  /**
   * The vectorize engine (RunOptions.vectorize). Called when `b += vectorize f in out;` runs, with the
   * evaluated function and dataframes; returns the pending work `await_all b` runs (its run() throws
   * the first error). It reaches the world, the meter (meter.ops: the deterministic operation count)
   * and callValue through `rt`. `written` holds the three paths as the program wrote them (`capped.outDf`),
   * for messages.
   */
  vectorize?: (fn: Value, input: Value, output: Value, span: Span, caller: Frame, rt: Runtime, written?: VectorizeNames) => PendingWork;
}

/** The paths of `vectorize f inDf outDf` as written. */
export interface VectorizeNames {
  readonly fn: string;
  readonly input: string;
  readonly output: string;
}

/** Calls any callable value. */
export function callValue(fn: Value, args: Value[], span: Span, caller: Frame): Value {
  if (typeof fn === 'object') {
    if (fn.tag === 'callable') return fn.invoke(args, span, caller);
    if (fn.tag === 'builtin') {
      if (fn.arity >= 0 && args.length !== fn.arity) {
        typeError(`${fn.name} takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, got ${args.length}`, span);
      }
      return fn.call(args, span);
    }
  }
  return typeError(`${describe(fn)} is not callable`, span);
}

export function errorValue(e: MergeError): ErrorValue {
  return { tag: 'error', name: e.errorName ?? 'type_error', error: e };
}

/** Reads a member of a value: namespaces, DAG children, error fields. */
export function memberOf(rt: Runtime, v: Value, name: string, span: Span): Value {
  if (typeof v === 'object') {
    switch (v.tag) {
      case 'namespace': {
        const m = v.get(name);
        if (m === undefined) nameError(`${v.name} has no member '${name}'`, span);
        return m;
      }
      case 'dag':
        return rt.world.child(v as DagValue, name, span);
      case 'error':
        return errorField(v, name, span);
      default:
        break;
    }
  }
  return typeError(`${describe(v)} has no members (reading .${name})`, span);
}

function errorField(v: ErrorValue, name: string, span: Span): Value {
  const d = v.error.diagnostic;
  switch (name) {
    case 'name':
      return v.name;
    case 'message':
      return d.message;
    case 'code':
      return d.code;
    case 'file':
      return shownFile(d.span?.file ?? '');
    case 'line':
      return BigInt(d.span?.line ?? 0);
    case 'column':
      return BigInt(d.span?.column ?? 0);
    default:
      return nameError(`an error has name, message, code, file, line and column, not '${name}'`, span);
  }
}

/**
 * A file as a program may see it: relative to its own folder. Modules live beside the program, so
 * that is the base name: the absolute path of a merged module (`/home/ana/app/utils.mrm`) would tell
 * a script where the host keeps it (least authority: it learns nothing of the host).
 */
export function shownFile(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** `a.b.c` as the Name/Member expression it reads. */
export function pathExpr(p: Path): Expr {
  const [first, ...rest] = p.parts;
  let e: Expr = { kind: 'Name', name: first ?? '', span: p.span };
  for (const part of rest) e = { kind: 'Member', object: e, name: part, span: p.span };
  return e;
}

/** What an alias names: a path, and its first name as resolved where the alias was declared. */
export interface AliasTarget {
  readonly path: Path;
  /** Hops counted from the alias's own body; undefined when the first name is not a declared one (lang, scope). */
  readonly head: Found | undefined;
}

/** An alias's first name seen from a body `hops` callable boundaries below the alias's own. */
export function aliasHead(alias: AliasTarget, hops: number): Found | undefined {
  return alias.head === undefined ? undefined : seenFrom(alias.head, hops);
}

export class Compiler {
  table: FnTable;
  /** Alias names read (and write) their target path. */
  readonly aliases = new Map<Sym, AliasTarget>();
  /** What each `use` binding took from the language: `use lang { memory as mem; }` gives mem ['memory']. */
  readonly takenFromLang = new Map<Sym, readonly string[]>();
  /** While an alias's target is compiled: its first name, resolved as where the alias was declared. */
  private pinned: { name: string; found: Found | undefined } | null = null;
  /** The declared name a membrane expression is being bound to, for reports. */
  nameHint = '';
  private readonly nodeNames = new WeakMap<FnTable, Set<string>>();

  constructor(
    readonly rt: Runtime,
    table: FnTable,
  ) {
    this.table = table;
  }

  // ------------------------------------------------------------------ names

  /**
   * The name of a declaration's node below its scope node: the declared name, or name#slot when an
   * earlier declaration of the same body (another block) took it. Never a Merg-E identifier clash.
   */
  nodeName(name: string, slot: number): string {
    let used = this.nodeNames.get(this.table);
    if (!used) {
      used = new Set();
      this.nodeNames.set(this.table, used);
    }
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    return `${name}#${slot}`;
  }

  /** Reads the cell of a resolved symbol (checks declared, not moved, lexical rules). */
  cellReader(found: Found, name: string, span: Span): (f: Frame) => Cell {
    const { sym, hops } = found;
    const slot = sym.slot;
    if (hops > 0 && !lexicallyReadable(sym)) {
      const why = sym.authority
        ? `'${name}' is authority of an enclosing scope; list it in this callable's capture block`
        : `'${name}' is mutable in an enclosing scope; list it in this callable's capture block`;
      return () => capabilityError(why, span);
    }
    const check = (c: Cell | undefined): Cell => {
      if (c === undefined) return nameError(`'${name}' is used before its declaration ran`, span);
      if (c.moved) return ownershipError(`'${name}' was moved and cannot be used any more`, span);
      return c;
    };
    if (hops === 0) {
      return (f) => {
        const c = f.cells[slot];
        return c !== undefined && !c.moved ? c : check(c);
      };
    }
    return (f) => {
      let fr: Frame = f;
      for (let i = 0; i < hops; i++) fr = fr.parent as Frame;
      return check(fr.cells[slot]);
    };
  }

  resolve(name: string): Found | undefined {
    const pin = this.pinned;
    return pin !== null && pin.name === name ? pin.found : this.table.lookup(name);
  }

  /**
   * The path below the language that `name.rest` names (`found` is what `name` resolved to), or null
   * when it is not the language: `lang` itself (not a name the program declared), an alias of a path
   * through it, or a `use` binding from it.
   */
  langPath(name: string, found: Found | undefined, rest: readonly string[]): readonly string[] | null {
    const sym = found?.sym;
    if (sym === undefined || sym.kind === 'app-arg' || sym.kind === 'builtin') return name === 'lang' ? rest : null;
    const taken = this.takenFromLang.get(sym);
    if (taken) return [...taken, ...rest];
    const alias = this.aliases.get(sym);
    // An alias's head is never another alias (the Alias statement follows those), so this ends.
    return alias ? this.langPath(alias.path.parts[0] as string, alias.head, [...alias.path.parts.slice(1), ...rest]) : null;
  }

  /** langPath of a dotted expression (`l.memory.int.rampoints`), or null when it is not one. */
  langPathOf(e: Expr): readonly string[] | null {
    const parts = pathOf(e)?.parts;
    if (parts === undefined) return null;
    const head = parts[0] as string;
    return this.langPath(head, this.resolve(head), parts.slice(1));
  }

  /**
   * Compiles an alias's target (found `hops` bodies up) with its first name meaning what it meant
   * where the alias was declared, though a later declaration hides that name or is the alias itself.
   */
  withAliasHead<T>(alias: AliasTarget, hops: number, compile: () => T): T {
    const outer = this.pinned;
    this.pinned = { name: alias.path.parts[0] as string, found: aliasHead(alias, hops) };
    try {
      return compile();
    } finally {
      this.pinned = outer;
    }
  }

  nameExpr(name: string, span: Span): Eval {
    const m = this.rt.meter;
    const found = this.resolve(name);
    if (!found) {
      if (name === 'lang') {
        const lang = this.rt.lang;
        return () => {
          if (++m.ops >= m.next) m.checkpoint(span);
          return lang;
        };
      }
      if (name === 'scope') return this.scopeValue(span);
      return () => nameError(`'${name}' is not declared here`, span);
    }
    const alias = this.aliases.get(found.sym);
    // What the alias names, read here: its errors are shown at this use, not at the alias.
    if (alias) return this.withAliasHead(alias, found.hops, () => this.expr(pathExpr({ ...alias.path, span })));
    if (found.hops === 0) {
      const slot = found.sym.slot;
      const slow = this.cellReader(found, name, span);
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(span);
        const c = f.cells[slot];
        return c !== undefined && !c.moved ? c.v : slow(f).v;
      };
    }
    const read = this.cellReader(found, name, span);
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(span);
      return read(f).v;
    };
  }

  /** `scope` as a value: its exceptions, what it imported, and its own names. */
  scopeValue(span: Span): Eval {
    const m = this.rt.meter;
    const imported = this.importedValue();
    // The body's names visible here, taken now: once compiled, its table keeps only the outermost block.
    const own = new Map<string, number>();
    for (const s of this.table.visible()) own.set(s.name, s.slot);
    const locals = (f: Frame): NamespaceValue => ({
      tag: 'namespace',
      name: 'scope',
      authority: false,
      get: (n) => {
        if (n === 'exceptions') return { tag: 'list', items: f.exceptions ?? [] };
        if (n === 'imported') return imported(f);
        const slot = own.get(n);
        const c = slot === undefined ? undefined : f.cells[slot];
        return c && !c.moved ? c.v : undefined;
      },
    });
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(span);
      return locals(f);
    };
  }

  /** `scope.imported`: lang, the app's arguments, use bindings, captures and constants. */
  importedValue(): (f: Frame) => NamespaceValue {
    const slots = new Map<string, number>();
    for (const s of this.table.visible()) {
      if (s.kind === 'capture' || s.kind === 'constant' || s.kind === 'use' || s.kind === 'app-arg') slots.set(s.name, s.slot);
    }
    const lang = this.rt.lang;
    return (f) => ({
      tag: 'namespace',
      name: 'scope.imported',
      authority: false,
      get: (n) => {
        const slot = slots.get(n);
        if (slot === undefined) return n === 'lang' ? lang : undefined;
        const c = f.cells[slot];
        return c && !c.moved ? c.v : undefined;
      },
    });
  }

  // ------------------------------------------------------------------ expressions

  expr(e: Expr): Eval {
    const m = this.rt.meter;
    const sp = e.span;
    switch (e.kind) {
      case 'IntLit': {
        const v = e.value;
        if (v >= LIM || v < NLIM) return () => checkIntSize(v, sp);
        return () => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          return v;
        };
      }
      case 'DecimalLit':
      case 'StringLit':
      case 'BoolLit': {
        const v = e.value;
        return () => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          return v;
        };
      }
      case 'Name':
        return this.nameExpr(e.name, sp);
      case 'Member':
        return this.memberExpr(e.object, e.name, sp);
      case 'Index':
        return this.indexExpr(e.object, e.index, sp);
      case 'Call':
        return this.callExpr(e.callee, e.args, sp);
      case 'Unary': {
        const operand = this.expr(e.operand);
        if (e.op === '-') {
          return (f) => {
            if (++m.ops >= m.next) m.checkpoint(sp);
            return negate(operand(f), sp);
          };
        }
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          return not(operand(f), sp);
        };
      }
      case 'Binary':
        const lit = smallIntLiteral(e.right);
        if (lit !== null) {
          const fast = this.binaryIntLiteral(e.op, this.expr(e.left), lit, e.right.span, sp);
          if (fast) return fast;
        }
        return this.binaryExpr(e.op, this.expr(e.left), this.expr(e.right), sp);
      case 'Membrane':
        return this.membraneExpr(e.membrane, e.target, sp);
      case 'Prune': {
        const place = this.place(e.path);
        const world = this.rt.world;
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const d = world.prune(place(f), sp);
          // Dropped (refunded) at the end of the statement unless a name adopts it or ent grafts it.
          pending(f, new DetachedPay(world, d.detached as Detached));
          return d;
        };
      }
      case 'Vectorize':
        return () => typeError('vectorize registers work on a blocker: write `b += vectorize f inDf outDf;`', sp);
    }
  }

  /**
   * What `this.expr(pathExpr(p))` evaluates (same steps, same errors) for the target of a call
   * statement, remembering a dataframe it found: an append loop (`box.log(i i * 2);`) looks the path
   * up again only when the object is another value or the world's structure changed since.
   */
  callTarget(p: Path): Eval {
    const e = pathExpr(p);
    if (e.kind !== 'Member' || (e.object.kind === 'Name' && e.object.name === 'scope' && !this.resolve('scope'))) return this.expr(e);
    const m = this.rt.meter;
    const sp = e.span;
    const obj = this.expr(e.object);
    const name = e.name;
    const rt = this.rt;
    const mem = rt.world.mem;
    let base: Value | null = null;
    let version = -1;
    let found: Value = NOTHING;
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      const o = obj(f);
      if (o === base && mem.structureVersion === version) return found;
      const v = memberOf(rt, o, name, sp);
      if (typeof v === 'object' && v.tag === 'dataframe') {
        base = o;
        version = mem.structureVersion;
        found = v;
      } else {
        base = null;
      }
      return v;
    };
  }

  private memberExpr(object: Expr, name: string, sp: Span): Eval {
    const m = this.rt.meter;
    if (object.kind === 'Name' && object.name === 'scope' && !this.resolve('scope')) {
      if (name === 'exceptions') {
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          return { tag: 'list', items: f.exceptions ?? [] };
        };
      }
      if (name === 'imported') {
        const imported = this.importedValue();
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          return imported(f);
        };
      }
      return this.nameExpr(name, sp);
    }
    const obj = this.expr(object);
    const rt = this.rt;
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      return memberOf(rt, obj(f), name, sp);
    };
  }

  private indexExpr(object: Expr, index: Expr, sp: Span): Eval {
    const m = this.rt.meter;
    const obj = this.expr(object);
    const idx = this.expr(index);
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      const o = obj(f);
      const i = idx(f);
      if (typeof o !== 'object' || (o.tag !== 'list' && o.tag !== 'row')) return typeError(`${describe(o)} cannot be indexed`, sp);
      if (typeof i !== 'bigint') return typeError(`an index must be an integer, not ${describe(i)}`, sp);
      const items = o.tag === 'list' ? o.items : o.values;
      const n = BigInt(items.length);
      const k = i < 0n ? n + i : i;
      if (k < 0n || k >= n) return rangeError(`index ${i} is outside 0..${n - 1n}${n === 0n ? ' (it is empty)' : ''}`, sp);
      return items[Number(k)] as Value;
    };
  }

  private callExpr(calleeExpr: Expr, argExprs: Expr[], sp: Span): Eval {
    const m = this.rt.meter;
    const callee = this.expr(calleeExpr);
    // lang.memory.dag.dag_rampoints: its first argument is a place, not a value.
    if (argExprs.length === 2 && this.langPathOf(calleeExpr)?.join('.') === 'memory.dag.dag_rampoints') {
      const place = this.placeOfExpr(argExprs[0] as Expr);
      const written = pathOf(argExprs[0] as Expr)?.parts.join('.') ?? '…';
      const type = this.expr(argExprs[1] as Expr);
      const world = this.rt.world;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        callee(f);
        const t = type(f);
        if (typeof t !== 'object' || t.tag !== 'type') return typeError(`dag_rampoints needs a type such as lang.type.int128, not ${describe(t)}`, sp);
        return float16Points(world.placeMp(place(f), t.type, sp), `lang.memory.dag.dag_rampoints(${written}, ${t.type.name})`, sp);
      };
    }
    const args = argExprs.map((a) => this.expr(a));
    const n = args.length;
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      const fn = callee(f);
      const av: Value[] = new Array<Value>(n);
      for (let i = 0; i < n; i++) av[i] = (args[i] as Eval)(f);
      return callValue(fn, av, sp, f);
    };
  }

  /**
   * `x OP 7`: binaryExpr with the literal's evaluation written in place (the same steps counted at the
   * same spans, the same values and errors), one closure call fewer in the hottest loops.
   */
  private binaryIntLiteral(op: BinaryOp, l: Eval, v: bigint, vs: Span, sp: Span): Eval | null {
    const m = this.rt.meter;
    switch (op) {
      case '+':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          if (++m.ops >= m.next) m.checkpoint(vs);
          if (typeof a === 'bigint') {
            const x = a + v;
            if (x < LIM && x >= NLIM) return x;
          }
          return binary(op, a, v, sp);
        };
      case '*':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          if (++m.ops >= m.next) m.checkpoint(vs);
          if (typeof a === 'bigint') {
            const x = a * v;
            if (x < LIM && x >= NLIM) return x;
          }
          return binary(op, a, v, sp);
        };
      case '%':
        if (v === 0n) return null;
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          if (++m.ops >= m.next) m.checkpoint(vs);
          return typeof a === 'bigint' ? a % v : binary(op, a, v, sp);
        };
      case '<':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          if (++m.ops >= m.next) m.checkpoint(vs);
          return typeof a === 'bigint' ? a < v : binary(op, a, v, sp);
        };
      case '==':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          if (++m.ops >= m.next) m.checkpoint(vs);
          return typeof a === 'bigint' ? a === v : binary(op, a, v, sp);
        };
      default:
        return null;
    }
  }

  private binaryExpr(op: BinaryOp, l: Eval, r: Eval, sp: Span): Eval {
    const m = this.rt.meter;
    switch (op) {
      case '&&':
      case '||': {
        const and = op === '&&';
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          if (typeof a !== 'boolean') return typeError(`'${op}' needs bools, not ${describe(a)}`, sp);
          if (a !== and) return a;
          const b = r(f);
          if (typeof b !== 'boolean') return typeError(`'${op}' needs bools, not ${describe(b)}`, sp);
          return b;
        };
      }
      case '+':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          const b = r(f);
          if (typeof a === 'bigint' && typeof b === 'bigint') {
            const v = a + b;
            if (v < LIM && v >= NLIM) return v;
          }
          return binary(op, a, b, sp);
        };
      case '-':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          const b = r(f);
          if (typeof a === 'bigint' && typeof b === 'bigint') {
            const v = a - b;
            if (v < LIM && v >= NLIM) return v;
          }
          return binary(op, a, b, sp);
        };
      case '*':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          const b = r(f);
          if (typeof a === 'bigint' && typeof b === 'bigint') {
            const v = a * b;
            if (v < LIM && v >= NLIM) return v;
          }
          return binary(op, a, b, sp);
        };
      case '%':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          const b = r(f);
          if (typeof a === 'bigint' && typeof b === 'bigint' && b !== 0n) return a % b;
          return binary(op, a, b, sp);
        };
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const cmp = COMPARE[op];
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          const b = r(f);
          if (typeof a === 'bigint' && typeof b === 'bigint') return cmp(a, b);
          return binary(op, a, b, sp);
        };
      }
      case '==':
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          const a = l(f);
          const b = r(f);
          if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
          return binary(op, a, b, sp);
        };
      default:
        return (f) => {
          if (++m.ops >= m.next) m.checkpoint(sp);
          return binary(op, l(f), r(f), sp);
        };
    }
  }

  private membraneExpr(spec: MembraneSpec, target: Expr, sp: Span): Eval {
    const m = this.rt.meter;
    const t = this.expr(target);
    const world = this.rt.world;
    const name = this.nameHint || '(membrane)';
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      const v = t(f);
      if (typeof v !== 'object' || v.tag !== 'dag') return typeError(`a membrane wraps a dag, not ${describe(v)}`, sp);
      const made = world.membrane(v as DagValue, spec, name, sp);
      // It ends with the name it is bound to (or with this statement when no name adopts it).
      pending(f, new MembranePay(world, (made.view as View).membrane as Membrane));
      return made;
    };
  }

  // ------------------------------------------------------------------ places

  /** A place from a dotted path: the first part(s) name a DAG value, the rest is a path inside it. */
  place(p: Path): (f: Frame) => Place {
    const [first, ...rest] = p.parts;
    return this.placeFrom(this.nameExpr(first ?? '', p.span), rest, p.span);
  }

  /** A place from a Name/Member expression (dag_rampoints' first argument). */
  placeOfExpr(e: Expr): (f: Frame) => Place {
    const path = pathOf(e);
    return path === null ? this.placeFrom(this.expr(e), [], e.span) : this.place(path);
  }

  private placeFrom(head: Eval, rest: string[], span: Span): (f: Frame) => Place {
    const rt = this.rt;
    return (f) => {
      let v = head(f);
      let i = 0;
      // Walk namespaces (scope.imported.lang…) until a DAG is reached.
      while (typeof v === 'object' && v.tag === 'namespace' && i < rest.length) v = memberOf(rt, v, rest[i++] as string, span);
      if (typeof v !== 'object' || v.tag !== 'dag') {
        return typeError(`${describe(v)} is not a DAG, so it has no place ${rest.slice(i).join('.') || ''}`.trim(), span);
      }
      return { base: v as DagValue, path: rest.slice(i) };
    };
  }
}

export { NOTHING };
