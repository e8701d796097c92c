// CST → typed AST. The grammar is syntax only; here we give it meaning: operator precedence, literal
// values, which name-led statement a `pathStatement` is, type-name widths, modifier sanity, where
// `app`/`main` may stand, and the missing-`;` warning. Spans come from tokens (no CST locations needed).
// A recovered (partial) CST yields a partial AST: a statement the parser could not finish is left out.
import type { CstElement, CstNode, IToken } from 'chevrotain';

import { InvalidNumber, type FencePayload } from '../../grammar/tokens.js';
import { diagnostic, type Code, type Diagnostic, type Span } from '../diagnostics.js';
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

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && 'image' in e;
}

function isNode(e: CstElement | undefined): e is CstNode {
  return e !== undefined && 'children' in e;
}

export class AstBuilder {
  constructor(
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  // ------------------------------------------------------------ access helpers

  private report(code: Code, message: string, span: Span): void {
    this.diagnostics.push(diagnostic(code, message, span));
  }

  /** A real (not recovery-inserted) token, or undefined. */
  private opt(c: Children, key: string, i = 0): IToken | undefined {
    const e = c[key]?.[i];
    if (!isToken(e) || e.isInsertedInRecovery === true || Number.isNaN(e.startOffset)) return undefined;
    return e;
  }

  private tok(c: Children, key: string, i = 0): IToken {
    const t = this.opt(c, key, i);
    if (t === undefined) throw INCOMPLETE;
    return t;
  }

  private toks(c: Children, key: string): IToken[] {
    const list = c[key] ?? [];
    for (const e of list) if (!isToken(e) || e.isInsertedInRecovery === true) throw INCOMPLETE;
    return list as IToken[];
  }

  private node(c: Children, key: string, i = 0): CstNode {
    const e = c[key]?.[i];
    if (!isNode(e)) throw INCOMPLETE;
    return e;
  }

  private nodes(c: Children, key: string): CstNode[] {
    return (c[key] ?? []) as CstNode[];
  }

  private span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  // ------------------------------------------------------------ program and statement lists

  program(cst: CstNode, shebang: string | null, lastToken: IToken | undefined): A.Program {
    const body = this.statements(this.nodes(cst.children, 'statement'), 'top');
    const first = body.find((s) => s.kind !== 'Doc');
    const form = first?.kind === 'App' ? 'app' : 'script';
    if (form === 'app') {
      for (const s of body.slice(body.indexOf(first!) + 1)) {
        if (s.kind !== 'Doc') this.report('MRG1014', `only documentation may follow the app block; this ${describe(s)} is outside the app`, s.span);
      }
    }
    const end = lastToken !== undefined ? this.span(lastToken) : { file: this.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const span: Span = { file: this.file, line: 1, column: 1, endLine: end.endLine, endColumn: end.endColumn };
    return { kind: 'Program', file: this.file, form, shebang, body, span };
  }

  private statements(list: CstNode[], place: Place): A.Stmt[] {
    const out: A.Stmt[] = [];
    let seenNonDoc = false;
    for (const n of list) {
      try {
        const s = this.statement(n);
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
    const last = body[body.length - 1];
    const endSpan = close !== undefined ? this.span(close) : last !== undefined ? last.span : this.span(open);
    return { body, span: joinSpans(this.span(open), endSpan) };
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
        const path = this.path(c);
        return { kind: 'Freeze', path, span: joinSpans(this.span(this.tok(c, 'Freeze')), path.span) };
      }
      case 'awaitAllStatement': {
        const path = this.path(c);
        return { kind: 'AwaitAll', path, span: joinSpans(this.span(this.tok(c, 'AwaitAll')), path.span) };
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
    return { kind: 'App', name, params, body: block.body, span: joinSpans(this.span(kw), block.span) };
  }

  private use(c: Children): A.Use {
    const kw = this.tok(c, 'Use');
    const bindings: A.UseBinding[] = [];
    for (const b of this.nodes(c, 'useBinding')) {
      try {
        const bc = b.children;
        const dn = this.dottedName(this.node(bc, 'dottedName'));
        const nameTok = this.tok(bc, 'Name');
        const span = joinSpans(dn.span, this.span(nameTok));
        this.checkEnd(b, span);
        bindings.push({ kind: 'UseBinding', path: dn.parts, name: nameTok.image, span });
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
      }
    }
    const end = this.opt(c, 'RCurly') ?? this.tok(c, 'LCurly');
    return { kind: 'Use', source: this.tok(c, 'Name').image, bindings, span: joinSpans(this.span(kw), this.span(end)) };
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
    return { kind: 'ResolveOrder', refs, span: joinSpans(this.span(kw), end) };
  }

  private ent(c: Children): A.Ent {
    const kw = this.tok(c, 'Ent');
    const target = this.path(c);
    const value = this.expression(this.node(c, 'expression'));
    const name = this.tok(c, 'name');
    return { kind: 'Ent', target, value, name: name.image, span: joinSpans(this.span(kw), this.span(name)) };
  }

  private alias(c: Children): A.Alias {
    const kw = this.tok(c, 'Alias');
    const path = this.path(c);
    const name = this.tok(c, 'name');
    return { kind: 'Alias', path, name: name.image, span: joinSpans(this.span(kw), this.span(name)) };
  }

  private returnStatement(c: Children): A.Return {
    const kw = this.span(this.tok(c, 'Return'));
    const values = this.nodes(c, 'expression').map((e) => this.expression(e));
    const last = values[values.length - 1];
    return { kind: 'Return', values, span: last !== undefined ? joinSpans(kw, last.span) : kw };
  }

  private whileStatement(c: Children): A.While {
    const kw = this.tok(c, 'While');
    const cond = this.expression(this.node(c, 'expression'));
    const block = this.block(this.node(c, 'block'));
    return { kind: 'While', cond, body: block.body, span: joinSpans(this.span(kw), block.span) };
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
    return { kind: 'If', cond, then: then.body, else: otherwise, span: joinSpans(this.span(kw), end) };
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
        const span = joinSpans(this.span(label), block.span);
        this.checkEnd(sc, span);
        cases.push({ kind: 'SwitchCase', label: label.image, body: block.body, span });
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
      }
    }
    const end = this.opt(c, 'RCurly') ?? this.tok(c, 'LCurly');
    return { kind: 'Switch', subject, cases, span: joinSpans(this.span(kw), this.span(end)) };
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
    if (c['parts'] !== undefined) {
      const rest = this.nodes(c, 'parts').map((e) => this.expression(e));
      const last = rest[rest.length - 1]!;
      const span = joinSpans(lhs.span, last.span);
      if (isLangAssert(lhs)) {
        const extra = rest[1];
        if (extra !== undefined) this.report('MRG1010', 'lang.assert takes exactly one expression; join conditions with && or put them in parentheses', extra.span);
        return { kind: 'Assert', expr: rest[0]!, span };
      }
      return { kind: 'Command', parts: [lhs, ...rest], span };
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
    const seen = new Set<string>();
    for (const t of tokens) {
      if (seen.has(t.image)) this.report('MRG1017', `'${t.image}' is written twice`, this.span(t));
      seen.add(t.image);
    }
    if (seen.has('mutable') && seen.has('inert')) {
      const t = tokens.find((x) => x.image === 'inert' || x.image === 'mutable')!;
      this.report('MRG1018', "a declaration cannot be both 'mutable' and 'inert'", this.span(t));
    }
    return tokens.map((t) => t.image as A.Modifier);
  }

  private startSpan(start: IToken | undefined, fallback: Span): Span {
    return start !== undefined ? this.span(start) : fallback;
  }

  private variableDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.Decl {
    const type = this.typeRef(c);
    const target = this.path(c);
    let init: A.Expr | null = null;
    if (c['Assign'] !== undefined) init = this.expression(this.node(c, 'expression'));
    const span = joinSpans(this.startSpan(start, type.span), (init ?? target).span);
    return { kind: 'Decl', modifiers, type, target, init, span };
  }

  /** The inlined type of a declaration or parameter. */
  private typeRef(c: Children): A.TypeRef {
    const t = this.opt(c, 'TypeName');
    if (t !== undefined) return this.typeOf(t);
    const kw = this.opt(c, 'Dag') ?? this.tok(c, 'Blocker');
    return { kind: 'TypeRef', name: kw.image, span: this.span(kw) };
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
    const columns = this.nodes(c, 'column').map((col): A.Column => {
      const type = this.typeOf(this.tok(col.children, 'TypeName'));
      const name = this.tok(col.children, 'Name');
      return { kind: 'Column', type, name: name.image, span: joinSpans(type.span, this.span(name)) };
    });
    const last = columns[columns.length - 1];
    if (last === undefined) throw INCOMPLETE;
    return { kind: 'DataframeDecl', modifiers, target, columns, span: joinSpans(this.startSpan(start, this.span(kw)), last.span) };
  }

  private functionDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.FunctionDecl {
    const first = this.opt(c, 'Actor') ?? this.tok(c, 'Function');
    const name = this.tok(c, 'Name').image;
    const params = this.paramList(this.node(c, 'paramList'));
    const membrane = c['membraneArg'] !== undefined ? this.membraneArg(this.node(c, 'membraneArg')) : null;
    const captures = this.captures(this.node(c, 'captures')).list;
    const body = this.block(this.node(c, 'block'));
    const handler = c['handler'] !== undefined ? this.block(this.node(this.node(c, 'handler').children, 'block')) : null;
    const span = joinSpans(this.startSpan(start, this.span(first)), (handler ?? body).span);
    return { kind: 'Function', modifiers, actor: c['Actor'] !== undefined, name, params, membrane, captures, body: body.body, handler: handler?.body ?? null, span };
  }

  private mainDecl(c: Children, modifiers: A.Modifier[], start: IToken | undefined): A.MainDecl {
    const kw = this.tok(c, 'Main');
    const membrane = c['membraneArg'] !== undefined ? this.membraneArg(this.node(c, 'membraneArg')) : null;
    const captures = this.captures(this.node(c, 'captures')).list;
    const body = this.block(this.node(c, 'block'));
    const handler = c['handler'] !== undefined ? this.block(this.node(this.node(c, 'handler').children, 'block')) : null;
    const span = joinSpans(this.startSpan(start, this.span(kw)), (handler ?? body).span);
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
      span: joinSpans(this.startSpan(start, this.span(first)), end),
    };
  }

  private paramList(n: CstNode): A.Param[] {
    return this.nodes(n.children, 'param').map((p): A.Param => {
      const name = this.tok(p.children, 'Name');
      const type = this.typeRef(p.children);
      return { kind: 'Param', name: name.image, type, span: joinSpans(this.span(name), type.span) };
    });
  }

  private captures(n: CstNode): { list: A.Capture[]; span: Span } {
    const c = n.children;
    const list = this.nodes(c, 'capture').map((e): A.Capture => {
      const inner = this.tok(e.children, 'inner');
      const outer = this.opt(e.children, 'outer');
      if (outer === undefined && e.children['Colon'] !== undefined) throw INCOMPLETE;
      const span = joinSpans(this.span(inner), this.span(outer ?? inner));
      return { kind: 'Capture', inner: inner.image, outer: (outer ?? inner).image, span };
    });
    return { list, span: joinSpans(this.span(this.tok(c, 'LCurly')), this.span(this.tok(c, 'RCurly'))) };
  }

  private membraneArg(n: CstNode): A.MembraneSpec {
    return this.membraneSpec(this.node(n.children, 'membraneSpec'));
  }

  private membraneSpec(n: CstNode): A.MembraneSpec {
    const c = n.children;
    const kw = this.span(this.tok(c, 'Membrane'));
    const closers = this.toks(c, 'Greater');
    const close = closers[closers.length - 1];
    if (close === undefined) throw INCOMPLETE;
    const span = joinSpans(kw, this.span(close));
    if (c['Quota'] !== undefined) {
      const [total, direct, overcommit] = [0, 1, 2].map((i) => intValue(this.tok(c, 'IntLiteral', i))) as [bigint, bigint, bigint];
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
    const parts = [head.image];
    if (words === undefined) return { kind: 'Path', parts, span: this.span(head) };
    if (words.length !== c['Dot']?.length) throw INCOMPLETE;
    let last = head;
    for (let i = 0; i < words.length; i++) {
      last = this.tok(c, 'Word', i);
      parts.push(last.image);
    }
    return { kind: 'Path', parts, span: joinSpans(this.span(head), this.span(last)) };
  }

  private dottedName(n: CstNode): { parts: string[]; span: Span } {
    const words = this.toks(n.children, 'Word');
    const first = words[0];
    if (first === undefined || words.length !== (n.children['Dot']?.length ?? 0) + 1) throw INCOMPLETE;
    return { parts: words.map((w) => w.image), span: joinSpans(this.span(first), this.span(words[words.length - 1]!)) };
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
        expr = { kind: 'Member', object: expr, name: word.image, span: joinSpans(expr.span, this.span(word)) };
      }
    }
    const ops = c['postfixOp'];
    if (ops === undefined) return expr;
    for (const op of ops as CstNode[]) {
      const c = op.children;
      if (c['Dot'] !== undefined) {
        const word = this.tok(c, 'Word');
        expr = { kind: 'Member', object: expr, name: word.image, span: joinSpans(expr.span, this.span(word)) };
      } else if (c['LBracket'] !== undefined) {
        const index = this.expression(this.node(c, 'index'));
        expr = { kind: 'Index', object: expr, index, span: joinSpans(expr.span, this.span(this.tok(c, 'RBracket'))) };
      } else {
        const args = this.nodes(c, 'args').map((a) => this.expression(a));
        expr = { kind: 'Call', callee: expr, args, span: joinSpans(expr.span, this.span(this.tok(c, 'RParen'))) };
      }
    }
    return expr;
  }

  // ------------------------------------------------------------ expressions

  /** The first operand is inline in the expression's children; the others are `operand` nodes. */
  private expression(n: CstNode): A.Expr {
    const c = n.children;
    const first = this.operand(c);
    const binary = c['BinaryOp'];
    if (binary === undefined) return first;
    const operandNodes = this.nodes(c, 'operand');
    const ops = this.toks(c, 'BinaryOp');
    if (operandNodes.length !== ops.length) throw INCOMPLETE;
    // Precedence climbing over the flat list: all binary operators are left-associative.
    const values: A.Expr[] = [first];
    const pending: IToken[] = [];
    const reduce = () => {
      const right = values.pop()!;
      const left = values.pop()!;
      const op = pending.pop()!;
      values.push({ kind: 'Binary', op: op.image as A.BinaryOp, left, right, span: joinSpans(left.span, right.span) });
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const p = PRECEDENCE.get(op.image)!;
      while (pending.length > 0 && PRECEDENCE.get(pending[pending.length - 1]!.image)! >= p) reduce();
      pending.push(op);
      values.push(this.operand(operandNodes[i]!.children));
    }
    while (pending.length > 0) reduce();
    return values[0]!;
  }

  private operand(c: Children): A.Expr {
    let expr = this.atom(c);
    const prefix = c['UnaryOp'];
    if (prefix !== undefined) {
      for (let i = prefix.length - 1; i >= 0; i--) {
        const op = this.tok(c, 'UnaryOp', i);
        expr = { kind: 'Unary', op: op.image as A.UnaryOp, operand: expr, span: joinSpans(this.span(op), expr.span) };
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
          return { kind: 'IntLit', value: t.tokenType === InvalidNumber ? 0n : BigInt(t.image), span: this.span(t) };
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
      return { kind: 'Prune', path, span: joinSpans(this.span(this.tok(p, 'Prune')), path.span) };
    }
    if (c['vectorizeExpr'] !== undefined) {
      const v = this.node(c, 'vectorizeExpr').children;
      const fn = this.path(this.node(v, 'fn').children);
      const input = this.path(this.node(v, 'input').children);
      const output = this.path(this.node(v, 'output').children);
      return { kind: 'Vectorize', fn, input, output, span: joinSpans(this.span(this.tok(v, 'Vectorize')), output.span) };
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
