// Static checks run before a program runs (and by `merg-e check`): undefined names, assignment to inert
// names, use after a visible move, wrong argument counts, duplicate declarations and authority that was
// not handed to a callable. Names resolve exactly as the interpreter resolves them (scopes.ts).
import { inScope, isScopeOwnPart, unfreezableScopePart } from '../ast/paths.js';
import type { Capture, Expr, FunctionDecl, MergeDecl, Param, Path, Program, Span, Stmt } from '../ast/types.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { langCaptured, placeAliasCaptured, scopePathCaptured } from '../words.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { isModuleProblem, type ModuleLookup, type ModuleProblem } from './modules.js';
import { FnTable, lexicallyReadable, seenFrom, type FnKind, type Found, type Sym, type SymKind } from './scopes.js';


export interface CheckOptions {
  modules?: ModuleLookup;
}

/** The app arguments a host hands over. */
export const APP_ARGUMENTS: ReadonlyMap<string, { authority: boolean }> = new Map([
  ['lang', { authority: false }],
  ['ambient', { authority: true }],
]);

export function checkProgram(program: Program, opts: CheckOptions = {}): Diagnostic[] {
  const c = new Checker(opts);
  c.program(program);
  return c.out.result();
}

/** One entry of a capture or constant block, seen from the declaring scope. */
interface CaptureEntry {
  inner: string;
  sym: Sym | undefined;
  /** The body that declares `sym`. */
  owner: FnTable | undefined;
  constant: boolean;
  span: Span;
}

function isMoving(sym: Sym): boolean {
  return sym.mutable && !sym.shared;
}

/** Exported for test/check/linear.property.test.ts, which holds the undo log to the old copy-everything way. */
export class Checker {
  readonly out = new DiagnosticList();
  protected table = new FnTable('program', null);
  /** Names frozen by `freeze` (assignment after it is to an inert value). */
  private readonly frozen = new Set<Sym>();
  /** Aliases by what they name: the name (found from the alias's own body), or a path inside a DAG. */
  private readonly aliasOf = new Map<Sym, Found | readonly string[]>();
  /** Aliases of the language or a path in it (that path): inert, read everywhere, never captured. */
  private readonly langAliases = new Map<Sym, readonly string[]>();
  /** Aliases of the scope itself, of its own parts (`scope.imported`), which no freeze can change, or of a path in them: never captured. */
  private readonly scopeAliases = new Map<Sym, readonly string[]>();
  private readonly checkedModules = new Set<string>();
  /** Undo log of moves: what each moved name was before, and the body that declares it. */
  private readonly moves: { sym: Sym; owner: FnTable; before: Span | null }[] = [];

  constructor(private readonly opts: CheckOptions) {}

  private report(code: Parameters<typeof diagnostic>[0], message: string, span: Span, hint?: string): void {
    this.out.push(diagnostic(code, message, span, hint));
  }

  private declare(name: string, kind: SymKind, span: Span, f: Partial<Omit<Sym, 'name' | 'kind' | 'slot' | 'span'>> = {}): Sym {
    const { sym, duplicate } = this.table.declare({
      name,
      kind,
      mutable: f.mutable ?? false,
      shared: f.shared ?? false,
      authority: f.authority ?? false,
      type: f.type ?? null,
      arity: f.arity ?? null,
      span,
    });
    if (duplicate && duplicate.span) {
      this.report('MRG2005', `'${name}' is already declared in this block (line ${duplicate.span.line})`, span);
    }
    return sym;
  }

  /** Streaming (topLevel): null until the first statement that is not documentation says the form. */
  private streamed: { form: 'script' | 'app'; builtins: Span | null } | null = null;

  /**
   * Streaming check (checkSource): one top-level statement as the parser builds it, checked now and
   * then dropped (false). An app is decided by its first non-documentation statement: from there on
   * every statement is kept (true) and checked by end, as `program` checks it. The result is what
   * `program` gives on the whole Program when the file parses without errors.
   */
  topLevel(s: Stmt, file: string): boolean {
    if (s.kind === 'Doc') return false;
    if (this.streamed === null) {
      if (s.kind === 'App') {
        this.streamed = { form: 'app', builtins: null };
      } else {
        // The builtins' span is the program's (line 1); its end is known at the end of the file.
        const builtins: Span = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
        this.streamed = { form: 'script', builtins };
        this.builtins(builtins);
      }
    }
    if (this.streamed.form === 'app') return true;
    this.stmt(s);
    return false;
  }

  /** Ends a streaming check: `p` is the parsed program, holding the statements topLevel kept. */
  end(p: Program): void {
    const builtins = this.streamed?.builtins ?? null;
    if (builtins === null) {
      this.program(p);
      return;
    }
    builtins.endLine = p.span.endLine;
    builtins.endColumn = p.span.endColumn;
  }

  program(p: Program): void {
    const app = p.body.find((s) => s.kind === 'App');
    if (p.form === 'app' && app && app.kind === 'App') {
      this.table = new FnTable('app', null);
      for (const name of app.params) {
        const arg = APP_ARGUMENTS.get(name);
        if (!arg) {
          this.report('MRG2006', `the host hands an app only 'lang' and 'ambient', not '${name}'`, app.span, "Declare the app as `app NAME lang ambient { … };`.");
        }
        this.declare(name, 'app-arg', app.span, { authority: arg?.authority ?? true });
      }
      this.stmts(app.body);
      return;
    }
    this.builtins(p.span);
    this.stmts(p.body);
  }

  /** What a script's host hands it. */
  private builtins(span: Span): void {
    this.declare('cout', 'builtin', span, { authority: true });
    this.declare('cerr', 'builtin', span, { authority: true });
    this.declare('endl', 'builtin', span);
  }

  private stmts(ss: readonly Stmt[]): void {
    for (const s of ss) this.stmt(s);
  }

  /** A block whose moves may not happen (if, while, switch case): moves inside do not leak out. */
  private conditionalBlock(ss: readonly Stmt[]): void {
    const mark = this.moveMark();
    this.table.push();
    this.stmts(ss);
    this.table.pop();
    this.undoMoves(mark);
  }

  /** Where the moves of a block start, for undoMoves at its end. */
  protected moveMark(): number {
    return this.moves.length;
  }

  /** Marks `sym` (declared in `owner`) as moved at `span`, remembering what it was for undoMoves. */
  private move(sym: Sym, owner: FnTable, span: Span): void {
    this.moves.push({ sym, owner, before: sym.movedAt ?? null });
    sym.movedAt = span;
  }

  /**
   * Undoes the moves since `mark` of the names of the current body (those of enclosing bodies stay
   * moved: a nested callable's capture happens when it is declared, whatever the branch). Each entry
   * is visited once per enclosing block that ends, so the checks stay linear in the program (copying
   * every visible name's state at every block made them quadratic).
   */
  protected undoMoves(mark: number): void {
    const log = this.moves;
    for (let i = log.length - 1; i >= mark; i--) {
      const m = log[i]!;
      if (m.owner === this.table) m.sym.movedAt = m.before;
    }
    let kept = mark;
    for (let i = mark; i < log.length; i++) {
      const m = log[i]!;
      if (m.owner !== this.table) log[kept++] = m;
    }
    log.length = kept;
  }

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case 'Doc':
      case 'ResolveOrder':
        return;
      case 'Decl':
        if (s.init) this.expr(s.init);
        if (s.target.parts.length > 1) {
          this.path(s.target);
          return;
        }
        this.declare(s.target.parts[0] as string, 'var', s.span, { mutable: s.modifiers.includes('mutable'), shared: s.modifiers.includes('shared'), type: s.type.name });
        return;
      case 'DataframeDecl':
        if (s.target.parts.length > 1) {
          this.path(s.target);
          return;
        }
        this.declare(s.target.parts[0] as string, 'var', s.span, { mutable: s.modifiers.includes('mutable'), shared: s.modifiers.includes('shared'), type: 'dataframe' });
        return;
      case 'Ent': {
        this.path(s.target);
        this.expr(s.value);
        if (s.value.kind === 'Name') {
          const f = this.table.lookup(s.value.name);
          const t = f && this.standsFor(f);
          if (t && t.hops === 0 && isMoving(t.sym)) this.move(t.sym, this.table, s.span);
        }
        return;
      }
      case 'Alias': {
        // `alias scope.x as y` names x, as the run reads it.
        const path = this.inScope(s.path);
        this.path(path);
        const f = path.parts.length === 1 ? this.table.lookup(path.parts[0] as string) : undefined;
        // An alias of (a path in) the language is inert like it, so every scope reads it.
        const ofLang = path.parts[0] === 'lang' && this.langIsLanguage();
        const sym = this.declare(s.name, 'alias', s.span, f ? { ...f.sym } : { mutable: !ofLang });
        const langPath = ofLang ? path.parts : f && this.langAliases.get(f.sym);
        // A path in the scope itself, decided here as the run decides it (no declared `scope` at the alias).
        const scopePart = f ? this.scopeAliases.get(f.sym) : path.parts[0] === 'scope' && this.scopeIsTheScope() ? path.parts : undefined;
        if (langPath) this.langAliases.set(sym, langPath);
        else if (scopePart) this.scopeAliases.set(sym, scopePart);
        // The scope and its own namespaces name no value; a path below them is a place like any other.
        if (langPath || (scopePart && unfreezableScopePart(scopePart))) return;
        if (f) {
          const named = this.aliasOf.get(f.sym);
          // An alias of an alias names what that one names (hops counted from this body).
          this.aliasOf.set(sym, named === undefined ? f : isPlace(named) ? named : seenFrom(named, f.hops));
        } else if (path.parts.length > 1) this.aliasOf.set(sym, path.parts);
        return;
      }
      case 'Freeze':
        this.freeze(this.inScope(s.path), s.span);
        return;
      case 'CallStmt':
        this.path(s.target);
        for (const a of s.args) this.expr(a);
        this.arity(this.pathSym(s.target), s.args.length, s.span);
        return;
      case 'Command': {
        for (const p of s.parts) this.expr(p);
        const head = s.parts[0];
        if (head && head.kind === 'Name') this.arity(this.table.lookup(head.name)?.sym, s.parts.length - 1, s.span);
        return;
      }
      case 'Assign':
        this.expr(s.value);
        this.assignTarget(s.target);
        return;
      case 'AwaitAll':
        this.path(s.path);
        return;
      case 'Function':
        this.callable(s.name, 'function', s.params, s.captures, [], s.body, s.handler, s.span, s.modifiers);
        return;
      case 'Main':
        this.callable('main', 'main', [], s.captures, [], s.body, s.handler, s.span, s.modifiers);
        return;
      case 'Merge':
        this.merge(s);
        return;
      case 'Return':
        for (const v of s.values) this.expr(v);
        return;
      case 'While':
        this.expr(s.cond);
        this.conditionalBlock(s.body);
        return;
      case 'If':
        this.expr(s.cond);
        this.conditionalBlock(s.then);
        if (s.else) this.conditionalBlock(s.else);
        return;
      case 'Switch':
        this.expr(s.subject);
        for (const k of s.cases) this.conditionalBlock(k.body);
        return;
      case 'Use': {
        const src = this.read(s.source, s.span);
        for (const b of s.bindings) this.declare(b.name, 'use', b.span, { authority: src?.authority ?? false });
        return;
      }
      case 'Assert':
        this.expr(s.expr);
        return;
      case 'App':
        return;
    }
  }

  private assignTarget(target: Path): void {
    // `scope.x = v` assigns x, as the run does (for `scope.imported` too: there is no such name).
    const parts = target.parts.length === 2 && target.parts[0] === 'scope' && this.scopeIsTheScope() ? target.parts.slice(1) : target.parts;
    if (parts.length > 1) {
      this.path(target);
      return;
    }
    const name = parts[0] as string;
    const f = this.table.lookup(name);
    if (!f) {
      this.report('MRG2001', `'${name}' is not declared here`, target.span);
      return;
    }
    // A mutable alias of an enclosing body is that body's state, like the name it stands for (the run refuses it too).
    if (f.hops > 0 && f.sym.mutable) {
      this.report('MRG2006', `'${name}' belongs to an enclosing scope; list it in this callable's capture block to change it`, target.span);
      return;
    }
    const named = this.standsFor(f);
    // An alias of a place inside a DAG: what is there decides, when the program runs.
    if (named === undefined && f.sym.mutable) return;
    const t = named ?? f;
    if (!t.sym.mutable || this.frozen.has(t.sym)) {
      const why = this.frozen.has(t.sym) ? 'was frozen' : t.sym.kind === 'constant' ? 'is a captured constant' : 'is inert';
      this.report('MRG2002', `'${name}' ${why} and cannot be assigned`, target.span);
      return;
    }
    // Moved is said of the name that moved (an alias's is the name it stands for), as the run says it.
    this.moved(t.sym, t === f ? name : t.sym.name, target.span);
  }

  private moved(sym: Sym, name: string, span: Span): void {
    if (sym.movedAt) this.report('MRG2003', `'${name}' was moved at line ${sym.movedAt.line} and cannot be used any more`, span);
  }

  /** Reads a name; reports what is wrong with reading it here. */
  private read(name: string, span: Span): Sym | undefined {
    return this.readFound(name, span)?.sym;
  }

  private readFound(name: string, span: Span): Found | undefined {
    const f = this.table.lookup(name);
    if (!f) {
      if (name !== 'lang' && name !== 'scope') this.report('MRG2001', `'${name}' is not declared here`, span);
      return undefined;
    }
    if (f.hops > 0 && !lexicallyReadable(f.sym)) {
      const what = f.sym.authority ? 'authority' : 'mutable';
      this.report('MRG2006', `'${name}' is ${what} in an enclosing scope; list it in this callable's capture block`, span);
    }
    const t = this.standsFor(f);
    if (t) this.moved(t.sym, t === f ? name : t.sym.name, span);
    return f;
  }

  /**
   * The name that is moved, frozen and assigned when `f` is: itself, or the name an alias of a name
   * stands for (the run reads and writes that name's cell). Undefined for an alias of a place inside
   * a DAG or of the language, whose moves and freezes the checks do not follow.
   */
  private standsFor(f: Found): Found | undefined {
    // Every name read comes here: a name that is not an alias costs one comparison.
    if (f.sym.kind !== 'alias') return f;
    if (this.langAliases.has(f.sym)) return undefined;
    const named = this.aliasOf.get(f.sym);
    if (named === undefined) return f;
    return isPlace(named) ? undefined : seenFrom(named, f.hops);
  }

  /** `freeze scope.x` freezes x, as `scope.x = v` assigns it; the scope and its own parts cannot be frozen. */
  private freeze(p: Path, span: Span): void {
    const f = p.parts.length === 1 ? this.table.lookup(p.parts[0] as string) : undefined;
    const scopePart = f ? this.scopeAliases.get(f.sym) : this.scopeIsTheScope() ? p.parts : undefined;
    const why = scopePart && unfreezableScopePart(scopePart);
    if (why) {
      this.report('MRG2009', why, span);
      return;
    }
    this.path(p);
    const t = f && this.standsFor(f);
    if (t) this.frozen.add(t.sym);
  }

  /** A path as the run reads it: `scope.x.y` is x.y of this scope unless the program declared `scope`. */
  private inScope(p: Path): Path {
    return p.parts[0] === 'scope' && this.scopeIsTheScope() ? { ...p, parts: inScope(p.parts) } : p;
  }

  /** `scope` here is the scope: the program declared no name `scope`. */
  private scopeIsTheScope(): boolean {
    return this.table.lookup('scope') === undefined;
  }

  /** `lang` here is the language: no program name hides it (a script), or it is the app's argument. */
  private langIsLanguage(): boolean {
    const f = this.table.lookup('lang');
    return f === undefined || f.sym.kind === 'app-arg';
  }

  private path(p: Path): void {
    const first = p.parts[0];
    if (first !== undefined) this.read(first, p.span);
  }

  private pathSym(p: Path): Sym | undefined {
    return p.parts.length === 1 ? this.table.lookup(p.parts[0] as string)?.sym : undefined;
  }

  private arity(sym: Sym | undefined, got: number, span: Span): void {
    if (!sym || sym.arity === null || sym.arity === got) return;
    this.report('MRG2004', `'${sym.name}' takes ${sym.arity} argument${sym.arity === 1 ? '' : 's'}, but ${got} ${got === 1 ? 'is' : 'are'} given`, span);
  }

  private expr(e: Expr): void {
    switch (e.kind) {
      case 'Name':
        this.read(e.name, e.span);
        return;
      case 'Member': {
        // scope.exceptions / scope.imported are the scope's own; scope.x reads x.
        if (e.object.kind === 'Name' && e.object.name === 'scope' && this.scopeIsTheScope()) {
          if (!isScopeOwnPart(e.name)) this.read(e.name, e.span);
          return;
        }
        this.expr(e.object);
        return;
      }
      case 'Index':
        this.expr(e.object);
        this.expr(e.index);
        return;
      case 'Call':
        this.expr(e.callee);
        for (const a of e.args) this.expr(a);
        if (e.callee.kind === 'Name') this.arity(this.table.lookup(e.callee.name)?.sym, e.args.length, e.span);
        return;
      case 'Unary':
        this.expr(e.operand);
        return;
      case 'Binary':
        this.expr(e.left);
        this.expr(e.right);
        return;
      case 'Membrane':
        this.expr(e.target);
        return;
      case 'Prune':
        this.path(e.path);
        return;
      case 'Vectorize':
        this.path(e.fn);
        this.path(e.input);
        this.path(e.output);
        return;
      default:
        return;
    }
  }

  /** Checks a capture block in the declaring scope and returns the callee's view of each entry. */
  private captures(caps: readonly Capture[], constant: boolean): CaptureEntry[] {
    return caps.map((k) => {
      let f = this.readFound(k.outer, k.span);
      const named = f ? this.aliasOf.get(f.sym) : undefined;
      const ofLang = f && this.langAliases.get(f.sym);
      const ofScope = f && this.scopeAliases.get(f.sym);
      if (f === undefined && k.outer === 'lang') this.report('MRG2001', langCaptured(k.outer, null), k.span);
      else if (ofLang) {
        this.report('MRG2001', langCaptured(k.outer, ofLang), k.span);
        f = undefined;
      } else if (ofScope) {
        this.report('MRG2001', scopePathCaptured(k.outer, ofScope), k.span);
        f = undefined;
      } else if (named !== undefined && isPlace(named)) {
        this.report('MRG2001', placeAliasCaptured(k.outer, named), k.span);
        f = undefined;
      } else if (named !== undefined) {
        // An alias of a name captures (and moves) that name.
        f = seenFrom(named, (f as Found).hops);
      }
      return { inner: k.inner, sym: f?.sym, owner: f === undefined ? undefined : this.table.above(f.hops), constant, span: k.span };
    });
  }

  /** Captures move what they capture when the declaration runs. */
  private moveCaptured(entries: readonly CaptureEntry[]): void {
    for (const e of entries) if (!e.constant && e.sym && e.owner && isMoving(e.sym)) this.move(e.sym, e.owner, e.span);
  }

  private callable(
    name: string,
    kind: FnKind,
    params: readonly Param[],
    caps: readonly Capture[],
    constants: readonly Capture[],
    body: readonly Stmt[],
    handler: readonly Stmt[] | null,
    span: Span,
    modifiers: readonly string[],
    lexicalParent: FnTable | null = this.table,
  ): void {
    const entries = [...this.captures(caps, false), ...this.captures(constants, true)];
    this.moveCaptured(entries);
    this.body(name, kind, params, entries, body, handler, span, lexicalParent);
    this.declare(name, 'callable', span, { mutable: modifiers.includes('mutable'), shared: modifiers.includes('shared'), arity: params.length });
  }

  private body(
    name: string,
    kind: FnKind,
    params: readonly Param[],
    entries: readonly CaptureEntry[],
    body: readonly Stmt[],
    handler: readonly Stmt[] | null,
    span: Span,
    lexicalParent: FnTable | null,
  ): void {
    const outer = this.table;
    this.table = new FnTable(kind, lexicalParent);
    try {
      this.declare(name, 'callable', span, { arity: params.length });
      for (const e of entries) {
        this.declare(e.inner, e.constant ? 'constant' : 'capture', e.span, {
          mutable: !e.constant && (e.sym?.mutable ?? false),
          shared: e.sym?.shared ?? false,
          authority: e.sym?.authority ?? false,
          type: e.sym?.type ?? null,
          arity: e.sym?.arity ?? null,
        });
      }
      for (const p of params) this.declare(p.name, 'param', p.span, { type: p.type.name });
      // The handler runs when the body failed, maybe before its moves happened.
      const mark = this.moveMark();
      this.table.push();
      this.stmts(body);
      this.table.pop();
      if (handler) {
        this.undoMoves(mark);
        this.conditionalBlock(handler);
      }
    } finally {
      this.table = outer;
    }
  }

  /** Reported once per module, at the first merge that names it. */
  private moduleProblem(name: string, p: ModuleProblem, span: Span): void {
    if (this.checkedModules.has(`module ${name}`)) return;
    this.checkedModules.add(`module ${name}`);
    if (p.kind === 'unreadable') {
      this.report('MRG2007', `cannot read module '${name}' (${p.file}): ${p.why}`, span);
    } else {
      const more = p.errors > 1 ? ` (and ${p.errors - 1} more)` : '';
      this.report('MRG2008', `module '${name}' (${p.file}) has errors; the first${more}: ${p.why}`, span, `Run merg-e check on ${p.file} and fix it.`);
    }
  }

  private merge(s: MergeDecl): void {
    const modName = s.source.slice(0, -1).join('.');
    const fnName = s.source[s.source.length - 1] ?? '';
    const found = this.opts.modules?.(modName) ?? null;
    if (found !== null && isModuleProblem(found)) this.moduleProblem(modName, found, s.span);
    const module = found !== null && !isModuleProblem(found) ? found : null;
    const fn = module?.body.find((x): x is FunctionDecl => x.kind === 'Function' && x.name === fnName);
    const entries = [...this.captures(s.captures, false), ...this.captures(s.constants, true)];
    this.moveCaptured(entries);
    if (module && !fn) this.report('MRG2001', `module '${modName}' has no callable '${fnName}'`, s.span);
    if (fn) {
      if (fn.params.length !== s.params.length) {
        this.report('MRG2004', `${s.source.join('.')} takes ${fn.params.length} parameter${fn.params.length === 1 ? '' : 's'}, but the merge declares ${s.params.length}`, s.span);
      }
      const given = new Set(entries.map((e) => e.inner));
      let missing = false;
      for (const need of fn.captures) {
        if (given.has(need.inner)) continue;
        missing = true;
        this.report('MRG2001', `${s.source.join('.')} needs '${need.inner}'; hand it over in the merge's capture or constant block`, s.span);
      }
      // A module's callable is checked once, against its module's constants and the merge's blocks
      // (not when the merge already lacks what it needs: that would only repeat the same error).
      const key = `${modName}.${fnName}`;
      if (module && !missing && !this.checkedModules.has(key)) {
        this.checkedModules.add(key);
        const outer = this.table;
        this.table = new FnTable('module', null);
        try {
          for (const st of module.body) if (st.kind === 'Decl' && st.target.parts.length === 1) this.declare(st.target.parts[0] as string, 'var', st.span, { type: st.type.name });
          const moduleTable = this.table;
          this.body(fn.name, 'merge', fn.params, entries, fn.body, fn.handler, fn.span, moduleTable);
        } finally {
          this.table = outer;
        }
      }
    }
    this.declare(s.name, 'callable', s.span, { mutable: s.modifiers.includes('mutable'), shared: s.modifiers.includes('shared'), arity: s.params.length });
  }
}

/** An alias's target that is a path inside a DAG, not a name. */
function isPlace(t: Found | readonly string[]): t is readonly string[] {
  return Array.isArray(t);
}
