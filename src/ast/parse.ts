// The parser API: source text in, a usable AST and every diagnostic out (the first 100 of them, see
// src/diagnostic-list.ts). Never throws for bad input: lexical, syntax and placement problems are all
// MRG1xxx diagnostics with spans in the file.
import type { IRecognitionException, IToken } from 'chevrotain';

import { chevrotain } from '../../grammar/chevrotain.js';
import { lastParser, parseTokens } from '../../grammar/parser.js';
import { Identifier, Modifier } from '../../grammar/tokens.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { AstBuilder } from './build.js';
import { invalidBytes } from './decoding.js';
import { isStackOverflow, NestingCheck, nestingDiagnostic } from './depth.js';
import { ChunkedLexer, firstAtOrAfter, LEX_CHUNK, lexSource, type Lexed } from './lex.js';
import { afterSpan, firstLineSpan, tokenSpan } from './spans.js';
import type { Program, Stmt } from './types.js';

const { EOF, tokenMatcher } = chevrotain;

export interface ParseResult {
  program: Program;
  diagnostics: Diagnostic[];
}

/** Thrown through the parser when the next chunk of tokens nests too deeply to be parsed. */
const TOO_DEEP = Symbol('too deep');

export interface ParseOptions {
  /**
   * Called with each top-level statement as soon as it is built, in order; returning false leaves it
   * out of the returned Program's body (a consumer that streams, such as checkSource, keeps little).
   */
  onTopLevel?: (s: Stmt) => boolean;
}

export function parseProgram(original: string, file: string, options: ParseOptions = {}): ParseResult {
  return parseInChunks(original, file, LEX_CHUNK, options);
}

/** parseProgram with `chunk` source characters lexed at a time (tests use small chunks). */
export function parseInChunks(original: string, file: string, chunk: number, options: ParseOptions = {}): ParseResult {
  const decoded = invalidBytes(original, file);
  // Lexed as the parser reads on, the parser's token vector starting afresh at each chunk: a file's tokens
  // are never all alive at once (they were most of the parse's garbage-collection time).
  const lexer = new ChunkedLexer(decoded.text, file, chunk, false);
  const nesting = new NestingCheck(file);
  let tooDeep: Diagnostic | null = null;
  const more = (): IToken[] | null => {
    if (lexer.done) return null;
    const tokens = lexer.next();
    // Checked before the parser sees them: too deep for the recursive parser, checks or interpreter.
    tooDeep = nesting.feed(tokens);
    if (tooDeep !== null) throw TOO_DEEP;
    return tokens;
  };
  // The builder's diagnostics come after the parser's, as they did when the AST was built after parsing.
  const built = new DiagnosticList();
  let parsed: ReturnType<typeof parseTokens> | undefined;
  let overflow = false;
  try {
    const builder = new AstBuilder(file, built);
    builder.topLevel = options.onTopLevel ?? null;
    parsed = parseTokens([], builder, true, more);
  } catch (e) {
    if (e !== TOO_DEEP && !isStackOverflow(e)) throw e;
    overflow = e !== TOO_DEEP;
  }
  const before = prepared(decoded, lexer, file, tooDeep);
  if (before.tooDeep !== null) return unparsed(before, before.tooDeep);
  if (overflow || parsed === undefined) return outOfStack(before, lastParser().errors);
  syntaxDiagnostics(before, parsed.parser.errors);
  before.diagnostics.pushAll(built.result());
  const program = new AstBuilder(file, before.diagnostics).program(parsed.body, before.lexed.shebang, before.last);
  return { program, diagnostics: before.diagnostics.result() };
}

/** A source made ready for a parser: decoded, lexed, its nesting checked, its diagnostics so far. */
export interface Prepared {
  file: string;
  /** The text the lexer read (invalid bytes as U+FFFD). */
  source: string;
  lexed: Lexed;
  diagnostics: DiagnosticList;
  last: IToken | undefined;
  /** Where errors at the end of the file are reported. */
  eof: Span;
  /** MRG1021 when the file nests too deeply to be parsed. */
  tooDeep: Diagnostic | null;
  /** The first token after each character the lexer skipped: a parse error there is only the gap's echo. */
  echoes: Set<IToken>;
}

export function prepare(original: string, file: string): Prepared {
  const decoded = invalidBytes(original, file);
  const source = decoded.text;
  const lexed = lexSource(source, file);
  const diagnostics = new DiagnosticList().pushAll(decoded.warnings).pushAll(lexed.diagnostics);
  const last = lexed.tokens[lexed.tokens.length - 1];
  const eof: Span = last !== undefined ? afterSpan(tokenSpan(file, last)) : { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  // Too deep for the recursive parser, checks or interpreter: one MRG1021, and an empty program.
  const echoes = tokensAfter(lexed.tokens, lexed.skippedOffsets);
  return { file, source, lexed, diagnostics, last, eof, tooDeep: nestingDiagnostic(lexed.tokens, file), echoes };
}

/** What prepare returns, from a file lexed in chunks (lexed to its end here). */
function prepared(decoded: ReturnType<typeof invalidBytes>, lexer: ChunkedLexer, file: string, tooDeep: Diagnostic | null): Prepared {
  const lexed = lexer.rest();
  const diagnostics = new DiagnosticList().pushAll(decoded.warnings).pushAll(lexed.diagnostics);
  const last = lexer.last;
  const eof: Span = last !== undefined ? afterSpan(tokenSpan(file, last)) : { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { file, source: decoded.text, lexed, diagnostics, last, eof, tooDeep, echoes: lexer.echoes };
}

/** The parser's errors as diagnostics, each place once, none for the gap a skipped character left. */
export function syntaxDiagnostics(p: Prepared, errors: readonly IRecognitionException[]): void {
  const seen = new Set<string>();
  for (const e of errors) {
    if (p.echoes.has(e.token)) continue; // the parser tripping over the gap a skipped character left
    const d = syntaxDiagnostic(e, p.source, p.file, p.eof);
    const key = `${d.span!.line}:${d.span!.column}`;
    if (seen.has(key)) continue; // the same spot reported twice: the first says it best
    seen.add(key);
    p.diagnostics.push(d);
  }
}

/** The backstop when the parser still ran out of stack: what it saw first, and MRG1021. */
export function outOfStack(p: Prepared, errors: readonly IRecognitionException[]): ParseResult {
  const at = errors.length > 0 ? syntaxDiagnostic(errors[0]!, p.source, p.file, p.eof) : null;
  if (at !== null) p.diagnostics.push(at);
  return unparsed(p, diagnostic('MRG1021', 'the parser ran out of stack reading this file: its statements nest too deeply around syntax errors', at?.span ?? p.eof, 'Fix the first syntax error reported, or split deeply nested code into functions.'));
}

/** A file the parser did not read (too deep): an empty script, and its diagnostics. */
export function unparsed(p: Prepared, d: Diagnostic): ParseResult {
  p.diagnostics.push(d);
  const span: Span = { file: p.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { program: { kind: 'Program', file: p.file, form: 'script', shebang: p.lexed.shebang, body: [], span }, diagnostics: p.diagnostics.result() };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

function syntaxDiagnostic(e: IRecognitionException, source: string, file: string, eof: Span): Diagnostic {
  const t: IToken = e.token;
  if (t.tokenType === EOF || Number.isNaN(t.startOffset)) {
    return diagnostic('MRG1012', e.message, eof);
  }
  const span = firstLineSpan(tokenSpan(file, t), source, t.startOffset);
  if (t.tokenType === Identifier && expectedTypeName(e)) {
    return diagnostic('MRG1015', `'${t.image}' is not a type name`, span);
  }
  return diagnostic('MRG1010', e.message, span);
}

/** The first token after each skipped character (tokens are in offset order). */
function tokensAfter(tokens: IToken[], offsets: number[]): Set<IToken> {
  const out = new Set<IToken>();
  for (const offset of offsets) {
    const t = tokens[firstAtOrAfter(tokens, offset)];
    if (t !== undefined) out.add(t);
  }
  return out;
}

/** Did the parser want a type where it found a plain name (after modifiers, in a parameter or column)? */
function expectedTypeName(e: IRecognitionException): boolean {
  const rule = e.context?.ruleStack[e.context.ruleStack.length - 1];
  if (rule === 'param' || rule === 'column') return true;
  const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  return rule === 'statement' && previous !== undefined && tokenMatcher(previous, Modifier);
}
