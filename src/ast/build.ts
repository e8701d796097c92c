// Building the typed AST, called by the grammar's rules (grammar/parser.ts) as they finish each piece.
// The grammar is syntax only; here is what gives it meaning: operator precedence, literal values, which
// name-led statement a `pathStatement` is, type-name widths, modifier sanity, where `app`/`main` may
// stand, and the missing-`;` warning. Spans come straight from tokens: a span is built once from its
// first and last token (no intermediate spans to join). Diagnostics are reported in the order the
// parser meets them; a statement this builder refuses (MRG1019, MRG1020) is returned as null and left
// out of the program.
import type { IToken } from 'chevrotain';

import { Fence, InvalidNumber, tokenEnd, type FencePayload } from '../../grammar/tokens.js';
import type { DiagnosticSink } from '../diagnostic-list.js';
import { diagnostic, type Code, type Span } from '../diagnostics.js';
import { pathOf } from './paths.js';
import { afterSpan, joinSpans, tokenSpan } from './spans.js';
import type * as A from './types.js';

/** Where a statement list sits: top of the file, directly in an app block, or in any other block. */
export type Place = 'top' | 'app' | 'block';

/** A block's statements and its span from `{` to `}`. */
export interface Block {
  body: A.Stmt[];
  span: Span;
}

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

export class AstBuilder {
  /**
   * Sees each statement of the file's top level as soon as it is built (checkSource checks it there and
   * then); false leaves it out of Program.body, so a big file's AST need not all live at once. Null:
   * every statement is kept.
   */
  topLevel: ((s: A.Stmt) => boolean) | null = null;

  constructor(
    readonly file: string,
    private readonly diagnostics: DiagnosticSink,
  ) {}

  private report(code: Code, message: string, span: Span): void {
    this.diagnostics.push(diagnostic(code, message, span));
  }

  // ------------------------------------------------------------ spans straight from tokens

  span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  /** From the start of token `a` to the end of `end`. */
  from(a: IToken, end: Span): Span {
    return { file: this.file, line: a.startLine!, column: a.startColumn!, endLine: end.endLine, endColumn: end.endColumn };
  }

  /** From the start of `start` to the end of token `b`. */
  to(start: Span, b: IToken): Span {
    if (b.tokenType === Fence) return joinSpans(start, this.span(b));
    return { file: start.file, line: start.line, column: start.column, endLine: b.startLine!, endColumn: b.startColumn! + b.image.length - 1 };
  }

  /** From the start of token `a` to the end of token `b`. */
  between(a: IToken, b: IToken): Span {
    if (b.tokenType === Fence) return joinSpans(this.span(a), this.span(b));
    return { file: this.file, line: a.startLine!, column: a.startColumn!, endLine: b.startLine!, endColumn: b.startColumn! + b.image.length - 1 };
  }

  /** From the start of `a` to the end of `b`. */
  joinTo(a: Span, b: Span): Span {
    return joinSpans(a, b);
  }

  // ------------------------------------------------------------ program and statement lists

  program(body: A.Stmt[], shebang: string | null, lastToken: IToken | undefined): A.Program {
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

  /** Where `app` and `main` may stand (MRG1014); the statement stays in the program either way. */
  placement(s: A.Stmt, place: Place, seenNonDoc: boolean): void {
    if (s.kind === 'App' && (place !== 'top' || seenNonDoc)) {
      this.report('MRG1014', "'app' must be the first statement of the file (after its shebang and documentation)", s.span);
    } else if (s.kind === 'Main' && place !== 'app') {
      this.report('MRG1014', "'main' is declared directly inside an app block; a script is itself the body of an implicit main", s.span);
    }
  }

  /** A statement that ended without `;` (at a line break): the MRG1011 warning. */
  endOfStatement(span: Span, semicolon: IToken | undefined): void {
    if (semicolon === undefined) this.report('MRG1011', "missing ';' at the end of the statement; it was ended at the line break", afterSpan(span));
  }

  doc(fence: IToken): A.Doc {
    const p = fence.payload as FencePayload;
    return { kind: 'Doc', tag: p.tag, text: p.text, span: this.span(fence) };
  }

  // ------------------------------------------------------------ simple statements

  app(kw: IToken, name: IToken, params: IToken[], block: Block): A.App {
    return { kind: 'App', name: name.image, params: params.map((t) => t.image), body: block.body, span: this.from(kw, block.span) };
  }

  use(kw: IToken, source: IToken, bindings: A.UseBinding[], close: IToken): A.Use {
    return { kind: 'Use', source: source.image, bindings, span: this.between(kw, close) };
  }

  useBinding(path: { parts: string[]; span: Span }, name: IToken, semicolon: IToken | undefined): A.UseBinding {
    const span = this.to(path.span, name);
    this.endOfStatement(span, semicolon);
    return { kind: 'UseBinding', path: path.parts, name: name.image, span };
  }

  resolveOrder(kw: IToken, refs: { text: string; span: Span }[]): A.ResolveOrder {
    return { kind: 'ResolveOrder', refs: refs.map((r) => r.text), span: this.from(kw, refs[refs.length - 1]!.span) };
  }

  ent(kw: IToken, target: A.Path, value: A.Expr, name: IToken): A.Ent {
    return { kind: 'Ent', target, value, name: name.image, span: this.between(kw, name) };
  }

  alias(kw: IToken, path: A.Path, name: IToken): A.Alias {
    return { kind: 'Alias', path, name: name.image, span: this.between(kw, name) };
  }

  returnStatement(kw: IToken, values: A.Expr[]): A.Return {
    const last = values[values.length - 1];
    return { kind: 'Return', values, span: last !== undefined ? this.from(kw, last.span) : this.span(kw) };
  }

  ifStatement(kw: IToken, cond: A.Expr, then: Block, otherwise: Block | A.If | undefined): A.If {
    if (otherwise === undefined) return { kind: 'If', cond, then: then.body, else: null, span: this.from(kw, then.span) };
    const nested = 'kind' in otherwise;
    return { kind: 'If', cond, then: then.body, else: nested ? [otherwise] : otherwise.body, span: this.from(kw, otherwise.span) };
  }

  switchCase(label: IToken, block: Block, semicolon: IToken | undefined): A.SwitchCase {
    const span = this.from(label, block.span);
    this.endOfStatement(span, semicolon);
    return { kind: 'SwitchCase', label: label.image, body: block.body, span };
  }

  // ------------------------------------------------------------ name-led statements

  /** What a name-led statement is, once it is read: an assignment, a command, an assertion or a call; null (reported) when none. */
  pathStatement(lhs: A.Expr, rest: { op: IToken; value: A.Expr } | A.Expr[] | undefined): A.Stmt | null {
    if (rest !== undefined && !Array.isArray(rest)) {
      const { op, value } = rest;
      const target = pathOf(lhs);
      if (target === null) {
        this.report('MRG1020', `cannot assign to ${describeExpr(lhs)}: the target of '${op.image}' must be a name or a dotted path`, lhs.span);
        return null;
      }
      return { kind: 'Assign', target, op: op.image as A.AssignOp, value, span: joinSpans(lhs.span, value.span) };
    }
    if (rest !== undefined) {
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
    return null;
  }

  // ------------------------------------------------------------ declarations

  /** The modifiers of a declaration as written; one twice is MRG1017, `mutable` with `inert` MRG1018. */
  modifiers(tokens: readonly IToken[]): A.Modifier[] {
    const images: A.Modifier[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (images.includes(t.image as A.Modifier)) this.report('MRG1017', `'${t.image}' is written twice`, this.span(t));
      images.push(sharedWord(t.image) as A.Modifier);
    }
    if (images.includes('mutable') && images.includes('inert')) {
      const t = tokens.find((x) => x.image === 'inert' || x.image === 'mutable')!;
      this.report('MRG1018', "a declaration cannot be both 'mutable' and 'inert'", this.span(t));
    }
    return images.slice(); // exact size (see sharedWord)
  }

  decl(modifiers: A.Modifier[], start: IToken | undefined, typeTok: IToken, type: A.TypeRef, target: A.Path, init: A.Expr | null): A.Decl {
    return { kind: 'Decl', modifiers, type, target, init, span: this.from(start ?? typeTok, (init ?? target).span) };
  }

  /** A TypeRef from its token; a type name has its width checked. */
  typeRefOf(t: IToken): A.TypeRef {
    return t.tokenType.name === 'TypeName' ? this.typeOf(t) : { kind: 'TypeRef', name: sharedWord(t.image), span: this.span(t) };
  }

  /** A type name token, its width checked; `awaitable` (older spec) becomes `blocker`. */
  typeOf(t: IToken): A.TypeRef {
    const span = this.span(t);
    const name = sharedWord(t.image);
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

  dataframeDecl(modifiers: A.Modifier[], start: IToken | undefined, kw: IToken, target: A.Path, columns: A.Column[]): A.DataframeDecl {
    return { kind: 'DataframeDecl', modifiers, target, columns, span: this.from(start ?? kw, columns[columns.length - 1]!.span) };
  }

  membraneSpec(kw: IToken, quota: IToken[] | undefined, close: IToken): A.MembraneSpec {
    const span = this.between(kw, close);
    if (quota === undefined) return { kind: 'copy_on_mutate', span };
    return { kind: 'quota', total: intValue(quota[0]!), direct: intValue(quota[1]!), overcommit: intValue(quota[2]!), span };
  }

  // ------------------------------------------------------------ names, paths and expressions

  /** A path from its head and the words after it (`last` is the last word's token). */
  path(head: IToken, parts: string[], last: IToken | undefined): A.Path {
    return { kind: 'Path', parts: parts.length > 1 ? parts.slice() : parts, span: last === undefined ? this.span(head) : this.between(head, last) };
  }

  name(head: IToken): A.Name {
    return { kind: 'Name', name: head.image, span: this.span(head) };
  }

  member(object: A.Expr, word: IToken): A.Member {
    return { kind: 'Member', object, name: word.image, span: this.to(object.span, word) };
  }

  index(object: A.Expr, index: A.Expr, close: IToken): A.Index {
    return { kind: 'Index', object, index, span: this.to(object.span, close) };
  }

  call(callee: A.Expr, args: A.Expr[], close: IToken): A.Call {
    return { kind: 'Call', callee, args, span: this.to(callee.span, close) };
  }

  unary(op: IToken, operand: A.Expr): A.Unary {
    return { kind: 'Unary', op: op.image as A.UnaryOp, operand, span: this.from(op, operand.span) };
  }

  /** Before operator `op` joins the list: folds the pending operators (above `base`) that bind at least as tightly. */
  reduceFor(op: IToken, values: A.Expr[], pending: IToken[], base: number): void {
    const p = PRECEDENCE.get(op.image)!;
    while (pending.length > base && PRECEDENCE.get(pending[pending.length - 1]!.image)! >= p) this.reduce(values, pending);
  }

  /** Folds the last two values with the last pending operator (precedence climbing). */
  reduce(values: A.Expr[], pending: IToken[]): void {
    const right = values.pop()!;
    const left = values.pop()!;
    const op = pending.pop()!;
    values.push({ kind: 'Binary', op: op.image as A.BinaryOp, left, right, span: joinSpans(left.span, right.span) });
  }

  intLit(t: IToken): A.IntLit {
    return { kind: 'IntLit', value: intValue(t), span: this.span(t) };
  }

  decimalLit(t: IToken): A.DecimalLit {
    return { kind: 'DecimalLit', text: t.image, value: Number(t.image), span: this.span(t) };
  }

  stringLit(t: IToken): A.StringLit {
    return { kind: 'StringLit', value: this.unescape(t), span: this.span(t) };
  }

  boolLit(t: IToken, value: boolean): A.BoolLit {
    return { kind: 'BoolLit', value, span: this.span(t) };
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

export function intValue(t: IToken): bigint {
  if (t.tokenType === InvalidNumber) return 0n; // reported by the lexer pass
  const image = t.image;
  if (image.length > 3) return BigInt(image);
  const n = Number(image);
  return (SMALL_INTS[n] ??= BigInt(n));
}

// Memory of a large AST (a 16 MiB source must parse in the default heap): every array the AST keeps
// has its exact size (arrays built by push keep room for 16 more elements, ~130 bytes), and the
// values that repeat are shared instead of allocated per node — integer literals below 1,000 (a
// BigInt each, 24 bytes) and the words of modifiers and types (a fresh copy of the source text each).

/** The BigInt of each integer literal 0–999, made on first use. */
const SMALL_INTS: bigint[] = [];
/** Modifier and type words seen so far (a few dozen in practice; bounded all the same). */
const WORDS = new Map<string, string>();
const MAX_WORDS = 4096;

/** One shared string per modifier or type word. */
export function sharedWord(image: string): string {
  const known = WORDS.get(image);
  if (known !== undefined) return known;
  if (WORDS.size < MAX_WORDS) WORDS.set(image, image);
  return image;
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

export function isLangAssert(e: A.Expr): boolean {
  return e.kind === 'Member' && e.name === 'assert' && e.object.kind === 'Name' && e.object.name === 'lang';
}

export function describeExpr(e: A.Expr): string {
  const p = pathOf(e);
  if (p !== null) return `'${p.parts.join('.')}'`;
  return e.kind === 'Call' ? 'this call' : e.kind === 'Index' ? 'this index expression' : 'this expression';
}

export function describe(s: A.Stmt): string {
  return s.kind === 'Decl' || s.kind === 'DataframeDecl' ? 'declaration' : `${s.kind.toLowerCase()} statement`;
}
