// REFERENCE ONLY (bench/reference): the CST → AST builder of the CstParser (cst-parser.ts), kept as the
// reference for test/grammar/equivalence.test.ts and the parser bench. Not used by merg-e itself.
// It walks the CST and builds each node with the constructors the new parser uses (src/ast/build.ts),
// so the equivalence test compares the two parsers' structure: which node each piece of text becomes.
// A recovered (partial) CST yields a partial AST: a statement the parser could not finish is left out.
import type { CstElement, CstNode, IToken } from 'chevrotain';

import type { DiagnosticSink } from '../../src/diagnostic-list.js';
import { AstBuilder, type Place } from '../../src/ast/build.js';
import type { Span } from '../../src/diagnostics.js';
import type * as A from '../../src/ast/types.js';
import { joinSpans } from '../../src/ast/spans.js';

type Children = CstNode['children'];

/** Thrown when a recovered CST lacks a piece the AST needs; the enclosing statement is dropped. */
class Incomplete {}
const INCOMPLETE = new Incomplete();


const NO_NODES: CstNode[] = [];

/** A CST element that is a token (a node has no `image`). */
function asToken(e: CstElement | undefined): IToken | undefined {
  return e !== undefined && (e as IToken).image !== undefined ? (e as IToken) : undefined;
}

/** A real token: not inserted by error recovery, with a position. */
function isReal(t: IToken): boolean {
  return t.isInsertedInRecovery !== true && !Number.isNaN(t.startOffset);
}

export class CstAstBuilder {
  /** The node constructors and checks both parsers share (src/ast/build.ts). */
  private readonly leaf: AstBuilder;

  constructor(file: string, diagnostics: DiagnosticSink) {
    this.leaf = new AstBuilder(file, diagnostics);
  }

  // ------------------------------------------------------------ access helpers

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
    return this.leaf.span(t);
  }

  private from(a: IToken, end: Span): Span {
    return this.leaf.from(a, end);
  }

  private to(start: Span, b: IToken): Span {
    return this.leaf.to(start, b);
  }

  private between(a: IToken, b: IToken): Span {
    return this.leaf.between(a, b);
  }

  /** From the modifiers' first token (when any), else from `first`, to the end of `end`. */
  private declSpan(start: IToken | undefined, first: IToken, end: Span): Span {
    return this.from(start ?? first, end);
  }

  // ------------------------------------------------------------ program and statement lists

  program(cst: CstNode, shebang: string | null, lastToken: IToken | undefined): A.Program {
    return this.leaf.program(this.statements(this.nodes(cst.children, 'statement'), 'top'), shebang, lastToken);
  }

  private statements(list: CstNode[], place: Place): A.Stmt[] {
    const out: A.Stmt[] = [];
    let seenNonDoc = false;
    for (let i = 0; i < list.length; i++) {
      try {
        const s = this.statement(list[i]!);
        this.leaf.placement(s, place, seenNonDoc);
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
    if (fence !== undefined) return this.leaf.doc(fence);
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
    if (n.recoveredNode !== true) this.leaf.endOfStatement(span, this.opt(n.children, 'Semicolon') ?? (n.children['Semicolon'] as IToken[] | undefined)?.[0]);
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
    let rest: { op: IToken; value: A.Expr } | A.Expr[] | undefined;
    if (op !== undefined) rest = { op, value: this.expression(this.node(c, 'value')) };
    const partNodes = c['parts'] as CstNode[] | undefined;
    if (op === undefined && partNodes !== undefined) rest = partNodes.map((n) => this.expression(n));
    const s = this.leaf.pathStatement(lhs, rest);
    if (s === null) throw INCOMPLETE;
    return s;
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
    return this.leaf.modifiers(tokens);
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

  private typeRefOf(t: IToken): A.TypeRef {
    return this.leaf.typeRefOf(t);
  }

  private typeOf(t: IToken): A.TypeRef {
    return this.leaf.typeOf(t);
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
    if (c['Quota'] !== undefined) return this.leaf.membraneSpec(kw, [this.tok(c, 'IntLiteral', 0), this.tok(c, 'IntLiteral', 1), this.tok(c, 'IntLiteral', 2)], close);
    this.tok(c, 'CopyOnMutate');
    return this.leaf.membraneSpec(kw, undefined, close);
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
      this.leaf.reduceFor(op, values, pending, 0);
      pending.push(op);
      values.push(this.operand(operandNodes[i]!.children));
    }
    while (pending.length > 0) this.leaf.reduce(values, pending);
    return values[0]!;
  }

  private operand(c: Children): A.Expr {
    let expr = this.atom(c);
    const prefix = c['UnaryOp'];
    if (prefix !== undefined) {
      for (let i = prefix.length - 1; i >= 0; i--) {
        expr = this.leaf.unary(this.tok(c, 'UnaryOp', i), expr);
      }
    }
    return expr;
  }

  private atom(c: Children): A.Expr {
    if (c['head'] !== undefined) return this.nameChain(c);
    // One pass over the keys: the operand holds exactly one of these (probing each key is slower).
    for (const key in c) {
      switch (key) {
        case 'IntLiteral':
          return this.leaf.intLit(this.tok(c, key));
        case 'DecimalLiteral':
          return this.leaf.decimalLit(this.tok(c, key));
        case 'StringLiteral':
          return this.leaf.stringLit(this.tok(c, key));
        case 'True':
        case 'False':
          return this.leaf.boolLit(this.tok(c, key), key === 'True');
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

}
