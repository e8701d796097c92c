// CST → typed AST. The grammar is syntax only; here we give it meaning: operator precedence, literal
// values, which name-led statement a `pathStatement` is, type-name widths, modifier sanity, where
// `app`/`main` may stand, and the missing-`;` warning. Spans come from tokens (no CST locations needed).
// A recovered (partial) CST yields a partial AST: a statement the parser could not finish is left out.
//
// Speed: this walks ~100k CST nodes per MB. Children are read by key directly (no visitor dispatch), a
// span is built once from its first and last token (no intermediate spans to join), and the order of
// every diagnostic and of every give-up (INCOMPLETE) is the order the checks are written in: a
// diagnostic reported before a statement is dropped stays reported.
import type { CstElement, CstNode, IToken } from 'chevrotain';

import { Fence, InvalidNumber, tokenEnd, type FencePayload } from '../../grammar/tokens.js';
import type { DiagnosticSink } from '../diagnostic-list.js';
import { diagnostic, type Code, type Span } from '../diagnostics.js';
import type * as A from './types.js';
import { afterSpan, joinSpans, tokenSpan } from './spans.js';

type Children = CstNode['children'];

/** Thrown when a recovered CST lacks a piece the AST needs; the enclosing statement is dropped. */
class Incomplete {}
const INCOMPLETE = new Incomplete();

/** Where a statement list sits: top of the file, directly in an app block, or in any other block. */
type Place = 'top' | 'app' | 'block';

const PRECEDENCE = new Map<string, number>([
  ['||', 1],
  ['&&', 2],
  ['==', 3],
  ['!=', 3],
  ['<', 4],
  ['<=', 4],
  ['>', 4],
  ['>=', 4],
  ['+', 5],
  ['-', 5],
  ['*', 6],
  ['/', 6],
  ['%', 6],
]);

const FLOAT_WIDTHS = new Set(['16', '32', '64', '128', '256']);
/** Type names already found valid (checking one takes a regex). */
const VALID_TYPE_NAMES = new Set(['int', 'string', 'bool']);
const NO_NODES: CstNode[] = [];

/** A CST element that is a token (a node has no `image`). */
function asToken(e: CstElement | undefined): IToken | undefined {
  return e !== undefined && (e as IToken).image !== undefined ? (e as IToken) : undefined;
}

/** A real token: not inserted by error recovery, with a position. */
function isReal(t: IToken): boolean {
  return t.isInsertedInRecovery !== true && !Number.isNaN(t.startOffset);
}

export class AstBuilder {
  constructor(
    private readonly file: string,
    private readonly diagnostics: DiagnosticSink,
  ) {}

  // ------------------------------------------------------------ access helpers

  private report(code: Code, message: string, span: Span): void {
    this.diagnostics.push(diagnostic(code, message, span));
  }

  /** A real (not recovery-inserted) token, or undefined. */
  private opt(c: Children, key: string, i = 0): IToken | undefined {
    const list = c[key];
    if (list === undefined) return undefined;
    const t = asToken(list[i]);
    return t !== undefined && isReal(t) ? t : undefined;
  }

  private tok(c: Children, key: string, i = 0): IToken {
    const t = this.opt(c, key, i);
    if (t === undefined) throw INCOMPLETE;
    return t;
  }

  /** All tokens under `key` (none inserted by recovery), or an empty list. */
  private toks(c: Children, key: string): IToken[] {
    const list = c[key];
    if (list === undefined) return [];
    for (let i = 0; i < list.length; i++) {
      const t = asToken(list[i]);
      if (t === undefined || t.isInsertedInRecovery === true) throw INCOMPLETE;
    }
    return list as IToken[];
  }

  private node(c: Children, key: string, i = 0): CstNode {
    const e = c[key]?.[i];
    if (e === undefined || (e as CstNode).children === undefined) throw INCOMPLETE;
    return e as CstNode;
  }

  private nodes(c: Children, key: string): CstNode[] {
    return (c[key] as CstNode[] | undefined) ?? NO_NODES;
  }

  // ------------------------------------------------------------ spans straight from tokens

  private span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  /** From the start of token `a` to the end of `end`. */
  private from(a: IToken, end: Span): Span {
    return { file: this.file, line: a.startLine!, column: a.startColumn!, endLine: end.endLine, endColumn: end.endColumn };
  }

  /** From the start of `start` to the end of token `b`. */
  private to(start: Span, b: IToken): Span {
    if (b.tokenType === Fence) return joinSpans(start, this.span(b));
    return { file: start.file, line: start.line, column: start.column, endLine: b.startLine!, endColumn: b.startColumn! + b.image.length - 1 };
  }

  /** From the start of token `a` to the end of token `b`. */
  private between(a: IToken, b: IToken): Span {
    if (b.tokenType === Fence) return joinSpans(this.span(a), this.span(b));
    return { file: this.file, line: a.startLine!, column: a.startColumn!, endLine: b.startLine!, endColumn: b.startColumn! + b.image.length - 1 };
  }

  /** From the modifiers' first token (when any), else from `first`, to the end of `end`. */
  private declSpan(start: IToken | undefined, first: IToken, end: Span): Span {
    return this.from(start ?? first, end);
  }

  // ------------------------------------------------------------ program and statement lists

  program(cst: CstNode, shebang: string | null, lastToken: IToken | undefined): A.Program {
    const body = this.statements(this.nodes(cst.children, 'statement'), 'top');
    let firstIdx = 0;
    while (firstIdx < body.length && body[firstIdx]!.kind === 'Doc') firstIdx++;
    const first = body[firstIdx];
    const form = first?.kind === 'App' ? 'app' : 'script';
    if (form === 'app') {
      for (let i = firstIdx + 1; i < body.length; i++) {
        const s = body[i]!;
        if (s.kind !== 'Doc') this.report('MRG1014', `only documentation may follow the app block; this ${describe(s)} is outside the app`, s.span);
      }
    }
    let endLine = 1;
    let endColumn = 1;
    if (lastToken !== undefined) {
      const end = lastToken.tokenType === Fence ? tokenEnd(lastToken) : { endLine: lastToken.startLine!, endColumn: lastToken.startColumn! + lastToken.image.length - 1 };
      endLine = end.endLine;
      endColumn = end.endColumn;
    }
    const span: Span = { file: this.file, line: 1, column: 1, endLine, endColumn };
    return { kind: 'Program', file: this.file, form, shebang, body, span };
  }

  private statements(list: CstNode[], place: Place): A.Stmt[] {
    const out: A.Stmt[] = [];
    let seenNonDoc = false;
    for (let i = 0; i < list.length; i++) {
      try {
        const s = this.statement(list[i]!);
        if (s.kind === 'App' && (place !== 'top' || seenNonDoc)) {
          this.report('MRG1014', "'app' must be the first statement of the file (after its shebang and documentation)", s.span);
        } else if (s.kind === 'Main' && place !== 'app') {
          this.report('MRG1014', "'main' is declared directly inside an app block; a script is itself the body of an implicit main", s.span);
        }
        if (s.kind !== 'Doc') seenNonDoc = true;
        out.push(s);
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
      }
    }
    return out;
  }

  private block(n: CstNode, place: Place = 'block'): { body: A.Stmt[]; span: Span } {
    const c = n.children;
    const open = this.tok(c, 'LCurly');
    const body = this.statements(this.nodes(c, 'statement'), place);
    const close = this.opt(c, 'RCurly');
    if (close !== undefined) return { body, span: this.between(open, close) };
    const last = body[body.length - 1];
    return { body, span: last !== undefined ? this.from(open, last.span) : this.between(open, open) };
  }

  private statement(n: CstNode): A.Stmt {
    const c = n.children;
    const fence = this.opt(c, 'Fence');
    if (fence !== undefined) return this.doc(fence);
    let stmt: A.Stmt | undefined;
    for (const key in c) {
      if (key === 'Semicolon' || key === 'Modifier') continue;
      stmt = this.statementOf(key, this.node(c, key).children, c);
    }
    if (stmt === undefined) throw INCOMPLETE;
    this.checkEnd(n, stmt.span);
    return stmt;
  }

  /** A statement that ended without `;` (and not at an error the parser recovered from): the MRG1011 warning. */
  private checkEnd(n: CstNode, span: Span): void {
    if (n.recoveredNode === true || n.children['Semicolon'] !== undefined) return;
    this.report('MRG1011', "missing ';' at the end of the statement; it was ended at the line break", afterSpan(span));
  }

  /** `outer` holds the statement's own children (the modifiers of a declaration). */
  private statementOf(rule: string, c: Children, outer: Children): A.Stmt {
    switch (rule) {
      case 'variableDecl':
      case 'dataframeDecl':
      case 'functionDecl':
      case 'mainDecl':
      case 'mergeDecl':
        return this.declaration(rule, c, outer);
      case 'pathStatement':
        return this.pathStatement(c);
      case 'appStatement':
        return this.app(c);
      case 'useStatement':
        return this.use(c);
      case 'resolveOrderStatement':
        return this.resolveOrder(c);
      case 'entStatement':
        return this.ent(c);
      case 'aliasStatement':
        return this.alias(c);
      case 'freezeStatement': {
        const kw = this.tok(c, 'Freeze');
        const path = this.path(c);
        return { kind: 'Freeze', path, span: this.from(kw, path.span) };
      }
      case 'awaitAllStatement': {
        const kw = this.tok(c, 'AwaitAll');
        const path = this.path(c);
        return { kind: 'AwaitAll', path, span: this.from(kw, path.span) };
      }
      case 'returnStatement':
        return this.returnStatement(c);
      case 'whileStatement':
        return this.whileStatement(c);
      case 'ifStatement':
        return this.ifStatement(c);
      case 'switchStatement':
        return this.switchStatement(c);
      default:
        throw INCOMPLETE;
    }
  }

  private doc(fence: IToken): A.Doc {
    const p = fence.payload as FencePayload;
    return { kind: 'Doc', tag: p.tag, text: p.text, span: this.span(fence) };
  }

  // ------------------------------------------------------------ simple statements

  private app(c: Children): A.App {
    const kw = this.tok(c, 'App');
    const name = this.tok(c, 'name').image;
    const params = this.toks(c, 'params').map((t) => t.image);
    const block = this.block(this.node(c, 'block'), 'app');
    return { kind: 'App', name, params, body: block.body, span: this.from(kw, block.span) };
  }

  private use(c: Children): A.Use {
    const kw = this.tok(c, 'Use');
    const bindings: A.UseBinding[] = [];
    for (const b of this.nodes(c, 'useBinding')) {
      try {
        const bc = b.children;
        const dn = this.dottedName(this.node(bc, 'dottedName'));
        const nameTok = this.tok(bc, 'Name');
        const span = this.to(dn.span, nameTok);
        this.checkEnd(b, span);
        bindings.push({ kind: 'UseBinding', path: dn.parts, name: nameTok.image, span });
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
      }
    }
    const end = this.opt(c, 'RCurly') ?? this.tok(c, 'LCurly');
    return { kind: 'Use', source: this.tok(c, 'Name').image, bindings, span: this.between(kw, end) };
  }

  private resolveOrder(c: Children): A.ResolveOrder {
    const kw = this.tok(c, 'ResolveOrder');
    let end = this.span(kw);
    const refs: string[] = [];
    for (const r of this.nodes(c, 'nsRef')) {
      const rc = r.children;
      const dot = this.opt(rc, 'Dot');
      if (dot !== undefined) {
        refs.push('.');
        end = this.span(dot);
      } else {
        const dn = this.dottedName(this.node(rc, 'dottedName'));
        refs.push(dn.parts.join('.'));
        end = dn.span;
      }
    }
    return { kind: 'ResolveOrder', refs, span: this.from(kw, end) };
  }

  private ent(c: Children): A.Ent {
    const kw = this.tok(c, 'Ent');
    const target = this.path(c);
    const value = this.expression(this.node(c, 'expression'));
    const name = this.tok(c, 'name');
    return { kind: 'Ent', target, value, name: name.image, span: this.between(kw, name) };
  }

  private alias(c: Children): A.Alias {
    const kw = this.tok(c, 'Alias');
    const path = this.path(c);
    const name = this.tok(c, 'name');
    return { kind: 'Alias', path, name: name.image, span: this.between(kw, name) };
  }

  private returnStatement(c: Children): A.Return {
    const kw = this.tok(c, 'Return');
    const list = this.nodes(c, 'expression');
    const values: A.Expr[] = [];
    for (let i = 0; i < list.length; i++) values.push(this.expression(list[i]!));
    const last = values[values.length - 1];
    return { kind: 'Return', values, span: last !== undefined ? this.from(kw, last.span) : this.span(kw) };
  }

  private whileStatement(c: Children): A.While {
    const kw = this.tok(c, 'While');
    const cond = this.expression(this.node(c, 'expression'));
    const block = this.block(this.node(c, 'block'));
    return { kind: 'While', cond, body: block.body, span: this.from(kw, block.span) };
  }

  private ifStatement(c: Children): A.If {
    const kw = this.tok(c, 'If');
    const cond = this.expression(this.node(c, 'expression'));
    const then = this.block(this.node(c, 'then'));
    let otherwise: A.Stmt[] | null = null;
    let end = then.span;
    if (c['otherwise'] !== undefined) {
      const b = this.block(this.node(c, 'otherwise'));
      otherwise = b.body;
      end = b.span;
    } else if (c['elseIf'] !== undefined) {
      const nested = this.ifStatement(this.node(c, 'elseIf').children);
      otherwise = [nested];
      end = nested.span;
    } else if (c['Else'] !== undefined) {
      throw INCOMPLETE;
    }
    return { kind: 'If', cond, then: then.body, else: otherwise, span: this.from(kw, end) };
  }

  private switchStatement(c: Children): A.Switch {
    const kw = this.tok(c, 'Switch');
    const subject = this.expression(this.node(c, 'expression'));
    const cases: A.SwitchCase[] = [];
    for (const sc of this.nodes(c, 'switchCase')) {
      try {
        const cc = sc.children;
        const label = this.tok(cc, 'Name');
        const block = this.block(this.node(cc, 'block'));
        const span = this.from(label, block.span);
        this.checkEnd(sc, span);
        cases.push({ kind: 'SwitchCase', label: label.image, body: block.body, span });
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
      }
    }
    const end = this.opt(c, 'RCurly') ?? this.tok(c, 'LCurly');
    return { kind: 'Switch', subject, cases, span: this.between(kw, end) };
  }

  // ------------------------------------------------------------ name-led statements

  private pathStatement(c: Children): A.Stmt {
    const lhs = this.nameChain(c);
    const op = this.opt(c, 'AssignOp');
    if (op !== undefined) {
      const target = pathOf(lhs);
      const value = this.expression(this.node(c, 'value'));
      if (target === null) {
        this.report('MRG1020', `cannot assign to ${describeExpr(lhs)}: the target of '${op.image}' must be a name or a dotted path`, lhs.span);
        throw INCOMPLETE;
      }
      return { kind: 'Assign', target, op: op.image as A.AssignOp, value, span: joinSpans(lhs.span, value.span) };
    }
    const partNodes = c['parts'] as CstNode[] | undefined;
    if (partNodes !== undefined) {
      const rest: A.Expr[] = [];
      for (let i = 0; i < partNodes.length; i++) rest.push(this.expression(partNodes[i]!));
      const last = rest[rest.length - 1]!;
      const span = joinSpans(lhs.span, last.span);
      if (isLangAssert(lhs)) {
        const extra = rest[1];
        if (extra !== undefined) this.report('MRG1010', 'lang.assert takes exactly one expression; join conditions with && or put them in parentheses', extra.span);
        return { kind: 'Assert', expr: rest[0]!, span };
      }
      rest.unshift(lhs);
      return { kind: 'Command', parts: rest, span };
    }
    if (lhs.kind === 'Call') {
      const target = pathOf(lhs.callee);
      if (target !== null) {
        if (isLangAssert(lhs.callee) && lhs.args.length === 1) return { kind: 'Assert', expr: lhs.args[0]!, span: lhs.span };
        return { kind: 'CallStmt', target, args: lhs.args, span: lhs.span };
      }
    }
    this.report('MRG1019', `${describeExpr(lhs)} alone is not a statement`, lhs.span);
    throw INCOMPLETE;
  }

  // ------------------------------------------------------------ declarations

  private declaration(rule: string, d: Children, outer: Children): A.Stmt {
    const modTokens = this.toks(outer, 'Modifier');
    const modifiers = modTokens.length === 0 ? [] : this.modifiers(modTokens);
    const start = modTokens[0];
    switch (rule) {
      case 'variableDecl':
        return this.variableDecl(d, modifiers, start);
      case 'dataframeDecl':
        return this.dataframeDecl(d, modifiers, start);
      case 'functionDecl':
        return this.functionDecl(d, modifiers, start);
      case 'mainDecl':
        return this.mainDecl(d, modifiers, start);
      default:
        return this.mergeDecl(d, modifiers, start);
    }
  }

  private modifiers(tokens: IToken[]): A.Modifier[] {
    const images: A.Modifier[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (images.includes(t.image as A.Modifier)) this.report('MRG1017', `'${t.image}' is written twice`, this.span(t));
      images.push(t.image as A.Modifier);
    }
    if (images.includes('mutable') && images.includes('inert')) {
      const t = tokens.find((x) => x.image === 'inert' || x.image === 'mutable')!;
      this.report('MRG1018', "a declaration cannot be both 'mutable' and 'inert'", this.span(t));
    }
    return images;
  }

  private variableDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.Decl {
    const typeTok = this.typeToken(c);
    const type = this.typeRefOf(typeTok);
    const target = this.path(c);
    let init: A.Expr | null = null;
    if (c['Assign'] !== undefined) init = this.expression(this.node(c, 'expression'));
    const span = this.declSpan(start, typeTok, (init ?? target).span);
    return { kind: 'Decl', modifiers, type, target, init, span };
  }

  /** The token of an inlined type (declaration or parameter): a type name, `dag` or `blocker`. */
  private typeToken(c: Children): IToken {
    return this.opt(c, 'TypeName') ?? this.opt(c, 'Dag') ?? this.tok(c, 'Blocker');
  }

  /** A TypeRef from its token; a type name has its width checked. */
  private typeRefOf(t: IToken): A.TypeRef {
    return t.tokenType.name === 'TypeName' ? this.typeOf(t) : { kind: 'TypeRef', name: t.image, span: this.span(t) };
  }

  /** A type name token, its width checked; `awaitable` (older spec) becomes `blocker`. */
  private typeOf(t: IToken): A.TypeRef {
    const span = this.span(t);
    const name = t.image;
    if (name === 'awaitable') {
      this.report('MRG1016', "'awaitable' is the older name of 'blocker'; read as 'blocker'", span);
      return { kind: 'TypeRef', name: 'blocker', span };
    }
    if (!VALID_TYPE_NAMES.has(name)) {
      const problem = typeNameProblem(name);
      if (problem === null) VALID_TYPE_NAMES.add(name);
      else this.report('MRG1015', problem, span);
    }
    return { kind: 'TypeRef', name, span };
  }

  private dataframeDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.DataframeDecl {
    const kw = this.tok(c, 'Dataframe');
    const target = this.path(c);
    const columnNodes = this.nodes(c, 'column');
    const columns: A.Column[] = [];
    for (let i = 0; i < columnNodes.length; i++) {
      const cc = columnNodes[i]!.children;
      const typeTok = this.tok(cc, 'TypeName');
      const type = this.typeOf(typeTok);
      const name = this.tok(cc, 'Name');
      columns.push({ kind: 'Column', type, name: name.image, span: this.between(typeTok, name) });
    }
    const last = columns[columns.length - 1];
    if (last === undefined) throw INCOMPLETE;
    return { kind: 'DataframeDecl', modifiers, target, columns, span: this.declSpan(start, kw, last.span) };
  }

  private functionDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.FunctionDecl {
    const first = this.opt(c, 'Actor') ?? this.tok(c, 'Function');
    const name = this.tok(c, 'Name').image;
    const params = this.paramList(this.node(c, 'paramList'));
    const membrane = c['membraneArg'] !== undefined ? this.membraneArg(this.node(c, 'membraneArg')) : null;
    const captures = this.captures(this.node(c, 'captures')).list;
    const body = this.block(this.node(c, 'block'));
    const handler = c['handler'] !== undefined ? this.block(this.node(this.node(c, 'handler').children, 'block')) : null;
    const span = this.declSpan(start, first, (handler ?? body).span);
    return { kind: 'Function', modifiers, actor: c['Actor'] !== undefined, name, params, membrane, captures, body: body.body, handler: handler?.body ?? null, span };
  }

  private mainDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.MainDecl {
    const kw = this.tok(c, 'Main');
    const membrane = c['membraneArg'] !== undefined ? this.membraneArg(this.node(c, 'membraneArg')) : null;
    const captures = this.captures(this.node(c, 'captures')).list;
    const body = this.block(this.node(c, 'block'));
    const handler = c['handler'] !== undefined ? this.block(this.node(this.node(c, 'handler').children, 'block')) : null;
    const span = this.declSpan(start, kw, (handler ?? body).span);
    return { kind: 'Main', modifiers, membrane, captures, body: body.body, handler: handler?.body ?? null, span };
  }

  private mergeDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.MergeDecl {
    const first = this.opt(c, 'Actor') ?? this.tok(c, 'Merge');
    const source = this.dottedName(this.node(c, 'dottedName')).parts;
    const name = this.tok(c, 'name').image;
    const params = this.paramList(this.node(c, 'paramList'));
    const membrane = c['membraneArg'] !== undefined ? this.membraneArg(this.node(c, 'membraneArg')) : null;
    const captures = this.captures(this.node(c, 'captures')).list;
    const constants = this.captures(this.node(c, 'constants'));
    const errors = this.toks(c, 'errors').map((t) => t.image);
    const end = c['At'] !== undefined ? this.span(this.tok(c, 'RBracket')) : constants.span;
    return {
      kind: 'Merge',
      modifiers,
      actor: c['Actor'] !== undefined,
      source,
      name,
      params,
      membrane,
      captures,
      constants: constants.list,
      errors,
      span: this.declSpan(start, first, end),
    };
  }

  private paramList(n: CstNode): A.Param[] {
    const list = this.nodes(n.children, 'param');
    const params: A.Param[] = [];
    for (let i = 0; i < list.length; i++) {
      const pc = list[i]!.children;
      const name = this.tok(pc, 'Name');
      const type = this.typeRefOf(this.typeToken(pc));
      params.push({ kind: 'Param', name: name.image, type, span: joinSpans(this.span(name), type.span) });
    }
    return params;
  }

  private captures(n: CstNode): { list: A.Capture[]; span: Span } {
    const c = n.children;
    const entries = this.nodes(c, 'capture');
    const list: A.Capture[] = [];
    for (let i = 0; i < entries.length; i++) {
      const ec = entries[i]!.children;
      const inner = this.tok(ec, 'inner');
      const outer = this.opt(ec, 'outer');
      if (outer === undefined && ec['Colon'] !== undefined) throw INCOMPLETE;
      list.push({ kind: 'Capture', inner: inner.image, outer: (outer ?? inner).image, span: this.between(inner, outer ?? inner) });
    }
    return { list, span: this.between(this.tok(c, 'LCurly'), this.tok(c, 'RCurly')) };
  }

  private membraneArg(n: CstNode): A.MembraneSpec {
    return this.membraneSpec(this.node(n.children, 'membraneSpec'));
  }

  private membraneSpec(n: CstNode): A.MembraneSpec {
    const c = n.children;
    const kw = this.tok(c, 'Membrane');
    const closers = this.toks(c, 'Greater');
    const close = closers[closers.length - 1];
    if (close === undefined) throw INCOMPLETE;
    const span = this.between(kw, close);
    if (c['Quota'] !== undefined) {
      const total = intValue(this.tok(c, 'IntLiteral', 0));
      const direct = intValue(this.tok(c, 'IntLiteral', 1));
      const overcommit = intValue(this.tok(c, 'IntLiteral', 2));
      return { kind: 'quota', total, direct, overcommit, span };
    }
    this.tok(c, 'CopyOnMutate');
    return { kind: 'copy_on_mutate', span };
  }

  // ------------------------------------------------------------ names and paths

  /** An inlined path (`head`, `Dot`/`Word` pairs) among the children `c`. */
  private path(c: Children): A.Path {
    const head = this.tok(c, 'head');
    const words = c['Word'];
    if (words === undefined) return { kind: 'Path', parts: [head.image], span: this.span(head) };
    if (words.length !== c['Dot']?.length) throw INCOMPLETE;
    const parts = [head.image];
    let last = head;
    for (let i = 0; i < words.length; i++) {
      last = this.tok(c, 'Word', i);
      parts.push(last.image);
    }
    return { kind: 'Path', parts, span: this.between(head, last) };
  }

  private dottedName(n: CstNode): { parts: string[]; span: Span } {
    const words = this.toks(n.children, 'Word');
    const first = words[0];
    if (first === undefined || words.length !== (n.children['Dot']?.length ?? 0) + 1) throw INCOMPLETE;
    return { parts: words.map((w) => w.image), span: this.between(first, words[words.length - 1]!) };
  }

  /** `head`, inline `.word`s, then `postfixOp` nodes, as nested Name/Member/Index/Call. */
  private nameChain(c: Children): A.Expr {
    const head = this.tok(c, 'head');
    let expr: A.Expr = { kind: 'Name', name: head.image, span: this.span(head) };
    const words = c['Word'];
    if (words !== undefined) {
      if (words.length !== c['Dot']?.length) throw INCOMPLETE;
      for (let i = 0; i < words.length; i++) {
        const word = this.tok(c, 'Word', i);
        expr = { kind: 'Member', object: expr, name: word.image, span: this.to(expr.span, word) };
      }
    }
    const ops = c['postfixOp'] as CstNode[] | undefined;
    if (ops === undefined) return expr;
    for (let i = 0; i < ops.length; i++) {
      const oc = ops[i]!.children;
      if (oc['Dot'] !== undefined) {
        const word = this.tok(oc, 'Word');
        expr = { kind: 'Member', object: expr, name: word.image, span: this.to(expr.span, word) };
      } else if (oc['LBracket'] !== undefined) {
        const index = this.expression(this.node(oc, 'index'));
        expr = { kind: 'Index', object: expr, index, span: this.to(expr.span, this.tok(oc, 'RBracket')) };
      } else {
        const argNodes = this.nodes(oc, 'args');
        const args: A.Expr[] = [];
        for (let j = 0; j < argNodes.length; j++) args.push(this.expression(argNodes[j]!));
        expr = { kind: 'Call', callee: expr, args, span: this.to(expr.span, this.tok(oc, 'RParen')) };
      }
    }
    return expr;
  }

  // ------------------------------------------------------------ expressions

  /** The first operand is inline in the expression's children; the others are `operand` nodes. */
  private expression(n: CstNode): A.Expr {
    const c = n.children;
    const first = this.operand(c);
    if (c['BinaryOp'] === undefined) return first;
    const operandNodes = this.nodes(c, 'operand');
    const ops = this.toks(c, 'BinaryOp');
    if (operandNodes.length !== ops.length) throw INCOMPLETE;
    // Precedence climbing over the flat list: all binary operators are left-associative.
    const values: A.Expr[] = [first];
    const pending: IToken[] = [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const p = PRECEDENCE.get(op.image)!;
      while (pending.length > 0 && PRECEDENCE.get(pending[pending.length - 1]!.image)! >= p) reduce(values, pending);
      pending.push(op);
      values.push(this.operand(operandNodes[i]!.children));
    }
    while (pending.length > 0) reduce(values, pending);
    return values[0]!;
  }

  private operand(c: Children): A.Expr {
    let expr = this.atom(c);
    const prefix = c['UnaryOp'];
    if (prefix !== undefined) {
      for (let i = prefix.length - 1; i >= 0; i--) {
        const op = this.tok(c, 'UnaryOp', i);
        expr = { kind: 'Unary', op: op.image as A.UnaryOp, operand: expr, span: this.from(op, expr.span) };
      }
    }
    return expr;
  }

  private atom(c: Children): A.Expr {
    if (c['head'] !== undefined) return this.nameChain(c);
    // One pass over the keys: the operand holds exactly one of these (probing each key is slower).
    for (const key in c) {
      switch (key) {
        case 'IntLiteral': {
          const t = this.tok(c, key);
          return { kind: 'IntLit', value: intValue(t), span: this.span(t) };
        }
        case 'DecimalLiteral': {
          const t = this.tok(c, key);
          return { kind: 'DecimalLit', text: t.image, value: Number(t.image), span: this.span(t) };
        }
        case 'StringLiteral': {
          const t = this.tok(c, key);
          return { kind: 'StringLit', value: this.unescape(t), span: this.span(t) };
        }
        case 'True':
        case 'False': {
          const t = this.tok(c, key);
          return { kind: 'BoolLit', value: key === 'True', span: this.span(t) };
        }
        case 'LParen':
          return this.expression(this.node(c, 'expression'));
      }
    }
    return this.specialForm(c);
  }

  private specialForm(c: Children): A.Expr {
    if (c['membraneExpr'] !== undefined) {
      const m = this.node(c, 'membraneExpr').children;
      const membrane = this.membraneSpec(this.node(m, 'membraneSpec'));
      const target = this.operand(this.node(m, 'operand').children);
      return { kind: 'Membrane', membrane, target, span: joinSpans(membrane.span, target.span) };
    }
    if (c['pruneExpr'] !== undefined) {
      const p = this.node(c, 'pruneExpr').children;
      const path = this.path(p);
      return { kind: 'Prune', path, span: this.from(this.tok(p, 'Prune'), path.span) };
    }
    if (c['vectorizeExpr'] !== undefined) {
      const v = this.node(c, 'vectorizeExpr').children;
      const fn = this.path(this.node(v, 'fn').children);
      const input = this.path(this.node(v, 'input').children);
      const output = this.path(this.node(v, 'output').children);
      return { kind: 'Vectorize', fn, input, output, span: this.from(this.tok(v, 'Vectorize'), output.span) };
    }
    throw INCOMPLETE;
  }

  /** The value of a string token; bad escapes are reported (MRG1004) and kept as written. */
  private unescape(t: IToken): string {
    const raw = t.image;
    const closed = t.tokenType.name === 'StringLiteral';
    const inner = raw.slice(1, closed ? raw.length - 1 : raw.length);
    if (!inner.includes('\\')) return inner;
    let out = '';
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = inner[i + 1];
      if (next === undefined) break; // a trailing backslash of an unterminated string (already MRG1002)
      const mapped = next === '"' ? '"' : next === '\\' ? '\\' : next === 'n' ? '\n' : next === 't' ? '\t' : undefined;
      if (mapped === undefined) {
        const column = t.startColumn! + 1 + i;
        this.report('MRG1004', `'\\${next}' is not an escape`, { file: this.file, line: t.startLine!, column, endLine: t.startLine!, endColumn: column + 1 });
        out += `\\${next}`;
      } else {
        out += mapped;
      }
      i++;
    }
    return out;
  }
}

/** Folds the last two values with the last pending operator (precedence climbing). */
function reduce(values: A.Expr[], pending: IToken[]): void {
  const right = values.pop()!;
  const left = values.pop()!;
  const op = pending.pop()!;
  values.push({ kind: 'Binary', op: op.image as A.BinaryOp, left, right, span: joinSpans(left.span, right.span) });
}

function intValue(t: IToken): bigint {
  return t.tokenType === InvalidNumber ? 0n : BigInt(t.image); // an invalid number was reported by the lexer pass
}

/** Why a lexical type name is not a valid type, or null when it is. */
export function typeNameProblem(name: string): string | null {
  if (name === 'int' || name === 'string' || name === 'bool') return null;
  const int = /^(u?int)([0-9]+)$/.exec(name);
  if (int !== null) {
    const width = int[2]!;
    const n = Number(width);
    if (!width.startsWith('0') && n >= 1 && n <= 16384) return null;
    return `'${name}' is not a type name: ${int[1]}N needs a width N from 1 to 16384`;
  }
  const float = /^float([0-9]*)$/.exec(name);
  if (float !== null) {
    if (FLOAT_WIDTHS.has(float[1]!)) return null;
    return `'${name}' is not a type name: float widths are 16, 32, 64, 128 and 256`;
  }
  return `'${name}' is not a type name`;
}

/** `a.b.c` as a Path when the expression is a plain name chain, else null. */
export function pathOf(e: A.Expr): A.Path | null {
  const parts: string[] = [];
  let cur: A.Expr = e;
  while (cur.kind === 'Member') {
    parts.push(cur.name);
    cur = cur.object;
  }
  if (cur.kind !== 'Name') return null;
  parts.push(cur.name);
  return { kind: 'Path', parts: parts.reverse(), span: e.span };
}

function isLangAssert(e: A.Expr): boolean {
  return e.kind === 'Member' && e.name === 'assert' && e.object.kind === 'Name' && e.object.name === 'lang';
}

function describeExpr(e: A.Expr): string {
  const p = pathOf(e);
  if (p !== null) return `'${p.parts.join('.')}'`;
  return e.kind === 'Call' ? 'this call' : e.kind === 'Index' ? 'this index expression' : 'this expression';
}

function describe(s: A.Stmt): string {
  return s.kind === 'Decl' || s.kind === 'DataframeDecl' ? 'declaration' : `${s.kind.toLowerCase()} statement`;
}
