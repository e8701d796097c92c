// Statement forms (language.md §3) compiled to closures over a Frame.
import { inScope, unfreezableScopePart } from '../ast/paths.js';
import type { Assign, Command, Decl, DataframeDecl, Ent, Expr, Path, Stmt, Switch, Use } from '../ast/types.js';
import { FREEZE_NAMES_HINT, MergeError, type Span } from '../diagnostics.js';
import { lexicallyReadable, type Found } from '../check/scopes.js';
import { minimalIntBytes } from '../model/index.js';
import { binary, checkIntSize, fit, truthy } from './arith.js';
import { compileFunction, compileMain, compileMerge } from './callables.js';
import { aliasHead, callValue, Compiler, GO, memberOf, pathExpr, RET, smallIntLiteral, type AliasTarget, type Eval, type Exec } from './compile.js';
import { capabilityError, freezeError, located, nameError, raise, typeError } from './errors.js';
import { formatValue } from './format.js';
import { LONG_STRING, longStringWork } from './limits.js';
import { Cell, type Frame } from './frame.js';
import { adopt, endSlots, mayLeavePayments, release, settle } from './lifetime.js';
import { nodeOf, type DagValue, type DataframeValue, type Place } from './space.js';
import { DATAFRAME, typeByName, type TypeDesc } from './types.js';
import { describe, NOTHING, type BlockerValue, type Value } from './values.js';

export function seq(execs: Exec[]): Exec {
  const n = execs.length;
  if (n === 0) return () => GO;
  if (n === 1) return execs[0] as Exec;
  return (f) => {
    for (let i = 0; i < n; i++) {
      const s = (execs[i] as Exec)(f);
      if (s !== GO) return s;
    }
    return GO;
  };
}

/**
 * Compiles statements in the current block of the compiler's table. Payments a statement left
 * waiting on the frame (a membrane no name took, a DAG a call returned and the statement only read)
 * die at the end of that statement.
 */
export function compileStmts(c: Compiler, stmts: readonly Stmt[]): Exec {
  const out: Exec[] = [];
  let settles = false;
  for (const s of stmts) {
    const e = compileStmt(c, s);
    if (e) {
      out.push(e);
      settles ||= mayLeavePayments(s);
    }
  }
  return settles ? seqSettled(out) : seq(out);
}

/** seq() that settles the frame's waiting payments after every statement. */
function seqSettled(execs: Exec[]): Exec {
  const n = execs.length;
  return (f) => {
    for (let i = 0; i < n; i++) {
      const s = (execs[i] as Exec)(f);
      if (f.escaped !== null) settle(f, s === RET ? f.ret : undefined);
      if (s !== GO) return s;
    }
    return GO;
  };
}

/**
 * Compiles statements in a block of their own (names declared inside stay inside). The bindings
 * made in it die when it ends, however it ends (language.md §5: a block's locals live until the
 * block ends); what a `return` hands out lives on.
 */
export function compileBlock(c: Compiler, stmts: readonly Stmt[]): Exec {
  const lo = c.table.size;
  c.table.push();
  let body: Exec;
  try {
    body = compileStmts(c, stmts);
  } finally {
    c.table.pop();
  }
  const hi = c.table.size;
  if (hi === lo) return body;
  return (f) => {
    let s: number;
    try {
      s = body(f);
    } catch (e) {
      endSlots(f, lo, hi, undefined, null);
      throw e;
    }
    endSlots(f, lo, hi, s === RET ? f.ret : undefined, f);
    return s;
  };
}

/** Replaces a slot's binding; the earlier binding of the same declaration (a loop) dies here. */
function bind(f: Frame, slot: number, cell: Cell): void {
  const old = f.cells[slot];
  if (old !== undefined) release(old);
  f.cells[slot] = cell;
}

function zeroOf(t: TypeDesc): Value {
  switch (t.k) {
    case 'int':
      return 0n;
    case 'float':
      return 0;
    case 'string':
      return '';
    case 'bool':
      return false;
    default:
      return NOTHING;
  }
}

function compileStmt(c: Compiler, s: Stmt): Exec | null {
  const m = c.rt.meter;
  const sp = s.span;
  switch (s.kind) {
    case 'Doc':
    case 'ResolveOrder':
      return null;
    case 'Decl':
      return decl(c, s);
    case 'DataframeDecl':
      return dataframeDecl(c, s);
    case 'Ent':
      return ent(c, s);
    case 'Alias': {
      const target = c.expr(pathExpr(s.path));
      const head = c.resolve(s.path.parts[0] as string);
      const first = s.path.parts.length === 1 ? head : undefined;
      const { sym } = c.table.declare({
        name: s.name,
        kind: 'alias',
        mutable: first ? first.sym.mutable : true,
        shared: first ? first.sym.shared : false,
        authority: first ? first.sym.authority : false,
        type: first ? first.sym.type : null,
        arity: first ? first.sym.arity : null,
        span: sp,
      });
      c.aliases.set(sym, aliasTarget(c, s.path, head));
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        target(f);
        return GO;
      };
    }
    case 'Freeze':
      return freeze(c, s.path, sp);
    case 'CallStmt': {
      const target = c.callTarget(s.target);
      const args = s.args.map((a) => c.expr(a));
      const n = args.length;
      const world = c.rt.world;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        const t = target(f);
        const av = new Array<Value>(n);
        for (let i = 0; i < n; i++) av[i] = (args[i] as Eval)(f);
        if (typeof t === 'object' && t.tag === 'dataframe') world.append(t as DataframeValue, av, sp);
        else callValue(t, av, sp, f);
        return GO;
      };
    }
    case 'Command':
      return command(c, s);
    case 'Assign':
      return assign(c, s);
    case 'AwaitAll': {
      const target = c.expr(pathExpr(s.path));
      const world = c.rt.world;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        const b = target(f);
        if (typeof b !== 'object' || b.tag !== 'blocker') return typeError(`await_all needs a blocker, not ${describe(b)}`, sp);
        world.unawaited.delete(b);
        awaitAll(b);
        return GO;
      };
    }
    case 'Function':
      return compileFunction(c, s);
    case 'Main':
      return compileMain(c, s);
    case 'Merge':
      return compileMerge(c, s);
    case 'Return': {
      const vals = s.values.map((v) => c.expr(v));
      const n = vals.length;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        if (n === 0) f.ret = NOTHING;
        else if (n === 1) f.ret = (vals[0] as Eval)(f);
        else f.ret = { tag: 'row', values: vals.map((v) => v(f)) };
        return RET;
      };
    }
    case 'While': {
      const test = c.expr(s.cond);
      // A condition that calls something settles each time, not once the whole loop is over.
      const cond: Eval = mayLeavePayments(s.cond)
        ? (f) => {
            const v = test(f);
            if (f.escaped !== null) settle(f, undefined);
            return v;
          }
        : test;
      const body = compileBlock(c, s.body);
      const cs = s.cond.span;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        for (;;) {
          const v = cond(f);
          if (v !== true && !truthy(v, 'while', cs)) return GO;
          const r = body(f);
          if (r !== GO) return r;
        }
      };
    }
    case 'If': {
      const cond = c.expr(s.cond);
      const then = compileBlock(c, s.then);
      const otherwise = s.else ? compileBlock(c, s.else) : null;
      const cs = s.cond.span;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        const v = cond(f);
        if (v === true || truthy(v, 'if', cs)) return then(f);
        return otherwise ? otherwise(f) : GO;
      };
    }
    case 'Switch':
      return switchStmt(c, s);
    case 'Use':
      return use(c, s);
    case 'Assert': {
      const e = c.expr(s.expr);
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        if (!truthy(e(f), 'lang.assert', s.expr.span)) raise('MRG3009', 'lang.assert failed: the condition is false', sp);
        return GO;
      };
    }
    case 'App':
      return () => raise('MRG1014', 'an app is declared once, at the top of the program file', sp);
  }
}

// ------------------------------------------------------------------ declarations

function decl(c: Compiler, s: Decl): Exec {
  const m = c.rt.meter;
  const world = c.rt.world;
  const sp = s.span;
  const type = typeByName(s.type.name);
  if (!type) return () => typeError(`'${s.type.name}' is not a type`, s.type.span);
  const mutable = s.modifiers.includes('mutable');
  const shared = s.modifiers.includes('shared');
  const parts = s.target.parts;
  if (parts.length > 1) {
    // A scalar (or an empty node) declared at a spot of a DAG, creating the missing nodes.
    const place = c.place(s.target);
    if (type.k === 'dag' && s.init) return () => typeError(`a dag value (a view or a pruned DAG) is bound to a plain name, not to ${parts.join('.')}; graft it with ent`, sp);
    const init = s.init ? c.expr(s.init) : null;
    const what = `'${parts.join('.')}'`;
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      const pl = place(f);
      const v = init ? fit(init(f), type, what, sp) : zeroOf(type);
      world.declareAt(pl, type, v, mutable, sp);
      return GO;
    };
  }
  const name = parts[0] as string;
  c.nameHint = name;
  const init = s.init ? c.expr(s.init) : null;
  c.nameHint = '';
  const { sym } = c.table.declare({ name, kind: 'var', mutable, shared, authority: false, type: type.name, arity: null, span: sp });
  const slot = sym.slot;
  const node = c.nodeName(name, slot);
  switch (type.k) {
    case 'dag':
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        if (init) {
          const v = init(f);
          if (typeof v !== 'object' || v.tag !== 'dag') return typeError(`'${name}' is declared dag but gets ${describe(v)}`, sp);
          const cell = new Cell(v, type, mutable, shared, name);
          bind(f, slot, cell);
          // The name takes what its value was made with (a pruned value, a new membrane, a DAG a call returned).
          if (f.escaped !== null) cell.pay = adopt(f, v);
          return GO;
        }
        const old = f.cells[slot];
        if (old) release(old);
        const made = f.space.dag(node + f.suffix, mutable, sp);
        const cell = new Cell(made.value, type, mutable, shared, name);
        cell.pay = made.pay;
        f.cells[slot] = cell;
        return GO;
      };
    case 'dataframe':
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        const v = init ? init(f) : typeError(`declare a dataframe with its columns: \`mutable dataframe ${name} int32 x;\``, sp);
        if (typeof v !== 'object' || v.tag !== 'dataframe') return typeError(`'${name}' is declared dataframe but gets ${describe(v)}`, sp);
        const cell = new Cell(v, type, mutable, shared, name);
        bind(f, slot, cell);
        if (f.escaped !== null) cell.pay = adopt(f, v);
        return GO;
      };
    case 'blocker':
      if (init) return () => typeError(`a blocker starts empty; register work with \`${name} += call(…);\``, sp);
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        const old = f.cells[slot];
        if (old) release(old);
        const b: BlockerValue = { tag: 'blocker', name, pending: [] };
        const cell = new Cell(b, type, mutable, shared, name);
        cell.pay = f.space.blocker(node + f.suffix, b, sp);
        f.cells[slot] = cell;
        return GO;
      };
    default: {
      const what = `'${name}'`;
      return (f) => {
        if (++m.ops >= m.next) m.checkpoint(sp);
        const v = init ? fit(init(f), type, what, sp) : zeroOf(type);
        const old = f.cells[slot];
        if (old) release(old);
        const cell = new Cell(v, type, mutable, shared, name);
        cell.pay = f.space.slot(node, f.depth, type, v, mutable, sp);
        if (typeof v === 'bigint') setIntClass(cell, v);
        f.cells[slot] = cell;
        return GO;
      };
    }
  }
}

/** Remembers the values an unbounded int can take without changing its entity kind (scalar:intN). */
export function setIntClass(cell: Cell, v: bigint): void {
  const bits = BigInt(8 * minimalIntBytes(v));
  cell.lo = -(1n << (bits - 1n));
  cell.hi = (1n << (bits - 1n)) - 1n;
}

function dataframeDecl(c: Compiler, s: DataframeDecl): Exec {
  const m = c.rt.meter;
  const world = c.rt.world;
  const sp = s.span;
  const columns: { name: string; type: TypeDesc }[] = [];
  for (const col of s.columns) {
    const t = typeByName(col.type.name);
    if (!t || !('scalar' in t)) return () => typeError(`column '${col.name}' needs a scalar type, not '${col.type.name}'`, col.type.span);
    columns.push({ name: col.name, type: t });
  }
  const mutable = s.modifiers.includes('mutable');
  const shared = s.modifiers.includes('shared');
  const parts = s.target.parts;
  const label = parts.join('.');
  if (parts.length > 1) {
    const place = c.place(s.target);
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      world.dataframeAt(place(f), label, columns, mutable, sp);
      return GO;
    };
  }
  const { sym } = c.table.declare({ name: label, kind: 'var', mutable, shared, authority: false, type: 'dataframe', arity: null, span: sp });
  const node = c.nodeName(label, sym.slot);
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const old = f.cells[sym.slot];
    if (old) release(old);
    const made = f.space.dataframe(node + f.suffix, label, columns, mutable, sp);
    const cell = new Cell(made.value, DATAFRAME, mutable, shared, label);
    cell.pay = made.pay;
    f.cells[sym.slot] = cell;
    return GO;
  };
}

function ent(c: Compiler, s: Ent): Exec {
  const m = c.rt.meter;
  const world = c.rt.world;
  const sp = s.span;
  const target = c.place(s.target);
  const v = s.value;
  // A named value is moved by the graft (unless inert or shared); keep its cell for that and its payment.
  // An alias of a name stands for that name, as the alias was declared: the graft moves the name.
  let found = v.kind === 'Name' ? c.resolve(v.name) : undefined;
  let name = v.kind === 'Name' ? v.name : '';
  const alias = found ? c.aliases.get(found.sym) : undefined;
  if (alias && alias.path.parts.length === 1) {
    name = alias.path.parts[0] as string;
    found = aliasHead(alias, (found as Found).hops);
  }
  if (found && !c.aliases.has(found.sym)) {
    const read = c.cellReader(found, name, v.span);
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      const pl = target(f);
      const cell = read(f);
      world.ent(pl, cell.v, s.name, cell, sp);
      if (cell.mutable && !cell.shared) cell.moved = true;
      return GO;
    };
  }
  const value = c.expr(v);
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    world.ent(target(f), value(f), s.name, null, sp);
    return GO;
  };
}

function freeze(c: Compiler, path: Path, sp: Span): Exec {
  const m = c.rt.meter;
  const world = c.rt.world;
  const parts = path.parts;
  const first = parts[0] as string;
  const head = c.resolve(first);
  const inScopeNs = head === undefined && first === 'scope';
  if (inScopeNs) {
    // `freeze scope.x` freezes x, as `scope.x = v` assigns it; the scope and its own parts are no value.
    const own = inScope(parts);
    if (own !== parts) return freeze(c, { ...path, parts: own }, sp);
    const why = unfreezableScopePart(parts);
    if (why !== null) return () => raise('MRG3002', why, sp, FREEZE_NAMES_HINT);
  }
  const ofLang = inScopeNs ? parts[1] === 'imported' && parts[2] === 'lang' : c.langPath(first, head, parts.slice(1)) !== null;
  if (ofLang) {
    // The language is inert already: freezing it, a part of it or an alias of either changes nothing, as the checks say.
    return () => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      return GO;
    };
  }
  if (parts.length > 1) {
    const place = c.place(path);
    return (f) => {
      if (++m.ops >= m.next) m.checkpoint(sp);
      world.freezeAt(place(f), sp);
      return GO;
    };
  }
  if (!head) return () => nameError(`'${first}' is not declared here`, sp);
  const alias = c.aliases.get(head.sym);
  if (alias) {
    // From a body further in, an alias of mutable state needs a capture as the state does (said at the use).
    if (head.hops > 0 && !lexicallyReadable(head.sym)) {
      const refused = c.cellReader(head, first, sp);
      return (f) => (refused(f), GO);
    }
    // Freezing an alias freezes what it names, as the alias was declared (it has no cell of its own).
    return c.withAliasHead(alias, head.hops, () => freeze(c, alias.path, sp));
  }
  const read = c.cellReader(head, first, sp);
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const cell = read(f);
    const v = cell.v;
    if (typeof v === 'object' && (v.tag === 'dag' || v.tag === 'dataframe')) world.freezeValue(v as DagValue | DataframeValue, sp);
    const pay = world.op(sp, () => nodeOf(cell));
    if (pay !== null) world.op(sp, () => pay.freeze(v));
    cell.mutable = false;
    return GO;
  };
}

// ------------------------------------------------------------------ output and assignment

function command(c: Compiler, s: Command): Exec {
  const m = c.rt.meter;
  const sp = s.span;
  const [headExpr, ...restExprs] = s.parts;
  const head = c.expr(headExpr as Expr);
  const rest = restExprs.map((e) => c.expr(e));
  const bits = restExprs.map((e) => floatBitsOf(c, e));
  const world = c.rt.world;
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const h = head(f);
    if (typeof h === 'object' && h.tag === 'stream') {
      let out = '';
      for (let i = 0; i < rest.length; i++) {
        const b = bits[i] as number;
        if (b === AT_PLACE) world.lastScalarType = null;
        const v = (rest[i] as Eval)(f);
        out += formatValue(v, sp, b !== AT_PLACE ? b : typeof v === 'number' ? widthOf(world.lastScalarType) : 64);
        if (out.length >= LONG_STRING) {
          // Long output is written as it comes: a slow step (clock, heap) that never builds a giant string.
          longStringWork(out.length, sp);
          h.write(out);
          out = '';
        }
      }
      if (out !== '' || rest.length === 0) h.write(out);
      return GO;
    }
    callValue(h, rest.map((r) => r(f)), sp, f);
    return GO;
  };
}

/** A float read at a place inside a DAG: its width is the stored scalar's type, known when it is read. */
const AT_PLACE = 0;

/**
 * The declared width of a float read by name, so `cout x` prints what x holds (AT_PLACE for a path
 * or an alias of one); the `lang.memory.*` built-ins return float16 (spec part 17), so their calls
 * print as float16 too.
 */
function floatBitsOf(c: Compiler, e: Expr): number {
  if (e.kind === 'Call') return isLangMemoryCall(c, e.callee) ? 16 : 64;
  let name: string;
  if (e.kind === 'Member') {
    // `scope.x` is the name x (unless the program declared scope).
    if (e.object.kind !== 'Name' || e.object.name !== 'scope' || c.resolve('scope')) return AT_PLACE;
    name = e.name;
  } else if (e.kind === 'Name') name = e.name;
  else return 64;
  const sym = c.resolve(name)?.sym;
  if (sym !== undefined && (c.aliases.get(sym)?.path.parts.length ?? 0) > 1) return AT_PLACE;
  return widthOf(sym?.type ?? null);
}

function widthOf(type: string | null): number {
  return type === 'float16' ? 16 : type === 'float32' ? 32 : 64;
}

/** `lang.memory.<kind>.<fn>`, reached by that name or through an alias or a `use` of the language. */
function isLangMemoryCall(c: Compiler, callee: Expr): boolean {
  const below = c.langPathOf(callee);
  return below !== null && below.length === 3 && below[0] === 'memory';
}

/** An alias of `path` whose first name resolved to `head`; through another alias, that alias's target. */
function aliasTarget(c: Compiler, path: Path, head: Found | undefined): AliasTarget {
  // `scope.x` is the name x of this scope (unless the program declared scope, or x is one of scope's own parts).
  const own = head === undefined && path.parts[0] === 'scope' ? inScope(path.parts) : path.parts;
  if (own !== path.parts) return aliasTarget(c, { ...path, parts: own }, c.resolve(own[0] as string));
  const via = head ? c.aliases.get(head.sym) : undefined;
  if (!via) return { path, head };
  const hops = (head as Found).hops;
  if (path.parts.length === 1) return { path: via.path, head: aliasHead(via, hops) };
  return { path: { ...path, parts: [...via.path.parts, ...path.parts.slice(1)] }, head: aliasHead(via, hops) };
}

function assign(c: Compiler, s: Assign): Exec {
  let parts = s.target.parts;
  if (parts.length === 2 && parts[0] === 'scope' && !c.resolve('scope')) parts = parts.slice(1);
  const name = parts[0] as string;
  if (parts.length > 1) return assignAt(c, s, c.place({ ...s.target, parts }), parts);
  const found = c.resolve(name);
  const alias = found ? c.aliases.get(found.sym) : undefined;
  if (!alias) return assignName(c, s, name, found);
  // The target as the alias was declared; the value as it reads here.
  const hops = (found as Found).hops;
  const to = alias.path.parts;
  if (to.length > 1) return assignAt(c, s, c.withAliasHead(alias, hops, () => c.place(alias.path)), to);
  return assignName(c, s, to[0] as string, aliasHead(alias, hops));
}

/** `d.x.y = v`, `d.x += v` at a place inside a DAG. */
function assignAt(c: Compiler, s: Assign, place: (f: Frame) => Place, parts: readonly string[]): Exec {
  const m = c.rt.meter;
  const world = c.rt.world;
  const sp = s.span;
  const op = s.op;
  const value = c.expr(s.value);
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const pl = place(f);
    const t = world.leafType(pl, sp);
    const rhs = value(f);
    let nv = rhs;
    if (op !== '=') {
      let cur: Value = pl.base;
      for (const p of pl.path) cur = memberOf(c.rt, cur, p, sp);
      nv = binary(op === '+=' ? '+' : '-', cur, rhs, sp);
    }
    world.assignAt(pl, fit(nv, t, `'${parts.join('.')}'`, sp), sp);
    return GO;
  };
}

/** `x = v`, `x += v` to a name (found: what it resolved to), or `b += work` to a blocker. */
function assignName(c: Compiler, s: Assign, name: string, found: Found | undefined): Exec {
  const m = c.rt.meter;
  const sp = s.span;
  const op = s.op;
  if (!found) return () => nameError(`'${name}' is not declared here`, sp);
  if (found.hops > 0) {
    const why = found.sym.mutable
      ? `'${name}' belongs to an enclosing scope; list it in this callable's capture block to change it`
      : `'${name}' is inert in an enclosing scope and cannot change`;
    return found.sym.mutable ? () => capabilityError(why, sp) : () => freezeError(why, sp);
  }
  const read = c.cellReader(found, name, sp);
  if (found.sym.type === 'blocker' || found.sym.type === 'awaitable') return register(c, s, read, name);
  const value = c.expr(s.value);
  const what = `'${name}'`;
  // The commonest cases written in place: a cell of this frame, and `x += 1` (same steps, same spans).
  const slot = found.sym.slot;
  const lit = smallIntLiteral(s.value);
  const litSpan = s.value.span;
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const own = f.cells[slot];
    const cell = own !== undefined && !own.moved ? own : read(f);
    if (!cell.mutable) return freezeError(`'${name}' is inert${cell.t === null ? '' : ' (declare it mutable to change it)'}`, sp);
    const t = cell.t;
    if (t === null) return typeError(`'${name}' is not a variable`, sp);
    let rhs: Value;
    if (lit === null) rhs = value(f);
    else {
      if (++m.ops >= m.next) m.checkpoint(litSpan);
      rhs = lit;
    }
    let nv: Value;
    if (op === '=') nv = rhs;
    else {
      const cur = cell.v;
      if (typeof cur === 'bigint' && typeof rhs === 'bigint') nv = op === '+=' ? cur + rhs : cur - rhs;
      else nv = binary(op === '+=' ? '+' : '-', cur, rhs, sp);
    }
    if (t.k === 'int' && typeof nv === 'bigint' && (t.min === null ? nv >= cell.lo && nv <= cell.hi : nv >= t.min && nv <= (t.max as bigint))) {
      cell.v = nv;
      return GO;
    }
    const stored = fit(nv, t, what, sp);
    if (t.k === 'int' && t.min === null) {
      // An int that needs more bytes is another entity kind: its node is re-priced. One that needs
      // fewer keeps its kind (its value stays inside the class, the fast path above).
      checkIntSize(stored as bigint, sp);
      if (cell.pay !== null) cell.pay = cell.pay.resize(stored, sp);
      setIntClass(cell, stored as bigint);
    } else if (t.k === 'string' && cell.pay !== null) {
      cell.pay = cell.pay.resize(stored, sp);
    }
    cell.v = stored;
    return GO;
  };
}


/** `b += call(…)` / `b += vectorize f in out`: the work runs when the blocker is awaited. */
function register(c: Compiler, s: Assign, read: (f: Frame) => Cell, name: string): Exec {
  const m = c.rt.meter;
  const world = c.rt.world;
  const sp = s.span;
  if (s.op !== '+=') return () => typeError(`a blocker only takes work: \`${name} += call(…);\``, sp);
  const v = s.value;
  let make: (f: Frame) => { span: Span; run(): void };
  if (v.kind === 'Call') {
    const callee = c.expr(v.callee);
    const args = v.args.map((a) => c.expr(a));
    make = (f) => {
      const fn = callee(f);
      const av = args.map((a) => a(f));
      return { span: v.span, run: () => void callValue(fn, av, v.span, f) };
    };
  } else if (v.kind === 'Vectorize') {
    const fn = c.expr(pathExpr(v.fn));
    const input = c.expr(pathExpr(v.input));
    const output = c.expr(pathExpr(v.output));
    const rt = c.rt;
    const written = { fn: v.fn.parts.join('.'), input: v.input.parts.join('.'), output: v.output.parts.join('.') };
    make = (f) => {
      if (!rt.vectorize) return typeError('vectorize is not available in this build of the interpreter', v.span);
      return rt.vectorize(fn(f), input(f), output(f), v.span, f, rt, written);
    };
  } else {
    return () => typeError(`a blocker takes a call or a vectorize, not an expression: \`${name} += f(x);\``, sp);
  }
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const cell = read(f);
    if (!cell.mutable) return freezeError(`'${name}' is inert; declare it \`mutable blocker ${name};\``, sp);
    const b = cell.v;
    if (typeof b !== 'object' || b.tag !== 'blocker') return typeError(`'${name}' is not a blocker`, sp);
    b.pending.push(make(f));
    if (b.pending.length === 1) world.unawaited.add(b);
    return GO;
  };
}

/** Runs every pending piece of work in registration order, empties the blocker, raises the first error. */
export function awaitAll(b: BlockerValue): void {
  const work = b.pending;
  b.pending = [];
  let first: MergeError | null = null;
  for (const w of work) {
    try {
      w.run();
    } catch (e) {
      // Limits and internal failures stop the run at once; language errors wait for the others.
      if (!(e instanceof MergeError) || e.errorName === undefined) throw e;
      first ??= located(e, w.span);
    }
  }
  if (first) throw first;
}

function switchStmt(c: Compiler, s: Switch): Exec {
  const m = c.rt.meter;
  const sp = s.span;
  const subject = c.expr(s.subject);
  const cases = new Map<string, Exec>();
  for (const k of s.cases) if (!cases.has(k.label)) cases.set(k.label, compileBlock(c, k.body));
  const fallback = cases.get('default') ?? null;
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const v = subject(f);
    const key = typeof v === 'string' ? v : typeof v === 'object' && v.tag === 'error' ? v.name : typeof v === 'object' && v.tag === 'type' ? v.type.name : null;
    const body = (key !== null ? cases.get(key) : undefined) ?? fallback;
    if (body) return body(f);
    // An error no case handles is not swallowed: it goes on to the caller.
    if (typeof v === 'object' && v.tag === 'error') throw v.error;
    return GO;
  };
}

function use(c: Compiler, s: Use): Exec {
  const m = c.rt.meter;
  const sp = s.span;
  const source = c.expr({ kind: 'Name', name: s.source, span: sp });
  const srcFound = c.resolve(s.source);
  const srcSym = srcFound?.sym;
  const fromLang = c.langPath(s.source, srcFound, []);
  const rt = c.rt;
  const binds = s.bindings.map((b) => {
    const { sym } = c.table.declare({
      name: b.name,
      kind: 'use',
      mutable: false,
      shared: false,
      authority: srcSym?.authority ?? false,
      type: null,
      arity: null,
      span: b.span,
    });
    if (fromLang) c.takenFromLang.set(sym, [...fromLang, ...b.path]);
    return { path: b.path, name: b.name, slot: sym.slot, span: b.span };
  });
  return (f) => {
    if (++m.ops >= m.next) m.checkpoint(sp);
    const src = source(f);
    if (typeof src !== 'object' || src.tag !== 'namespace') return typeError(`use needs a namespace such as ambient, not ${describe(src)}`, sp);
    const values = binds.map((b) => {
      let v: Value = src;
      for (const p of b.path) {
        if (typeof v !== 'object' || v.tag !== 'namespace' || v.get(p) === undefined) {
          return capabilityError(`${s.source} does not hand out ${b.path.join('.')}`, b.span);
        }
        v = v.get(p) as Value;
      }
      return v;
    });
    binds.forEach((b, i) => {
      const v = values[i] as Value;
      const authority = src.authority || (typeof v === 'object' && (v.tag === 'stream' || (v.tag === 'namespace' && v.authority)));
      bind(f, b.slot, new Cell(v, null, false, false, b.name, authority));
    });
    return GO;
  };
}
