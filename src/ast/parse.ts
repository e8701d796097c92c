// The parser API (contracts.md): source text in, a usable AST and every diagnostic out. Never throws for
// bad input: lexical, syntax and placement problems are all MRG1xxx diagnostics with spans in the file.
import type { IRecognitionException, IToken } from 'chevrotain';

import { chevrotain } from '../../grammar/chevrotain.js';
import { mergeParser, parseTokens } from '../../grammar/parser.js';
import { Identifier, Modifier } from '../../grammar/tokens.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import { AstBuilder } from './build.js';
import { invalidBytes } from './decoding.js';
import { isStackOverflow, nestingDiagnostic } from './depth.js';
import { lexSource } from './lex.js';
import { afterSpan, firstLineSpan, tokenSpan } from './spans.js';
import type { Program } from './types.js';

const { EOF, tokenMatcher } = chevrotain;

export interface ParseResult {
  program: Program;
  diagnostics: Diagnostic[];
}

export function parseProgram(original: string, file: string): ParseResult {
  const decoded = invalidBytes(original, file);
  const source = decoded.text;
  const lexed = lexSource(source, file);
  const diagnostics = new DiagnosticList().pushAll(decoded.warnings).pushAll(lexed.diagnostics);
  const last = lexed.tokens[lexed.tokens.length - 1];
  const eof: Span = last !== undefined ? afterSpan(tokenSpan(file, last)) : { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  // Too deep for the recursive parser, checks or interpreter: one MRG1021, and an empty program.
  const tooDeep = nestingDiagnostic(lexed.tokens, file);
  if (tooDeep !== null) return unparsed(file, lexed.shebang, diagnostics, tooDeep);
  let parsed: ReturnType<typeof parseTokens>;
  try {
    parsed = parseTokens(lexed.tokens);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    // Error recovery can still recurse too deeply: report what the parser saw before it gave up.
    const errors = mergeParser().errors;
    const at = errors.length > 0 ? syntaxDiagnostic(errors[0]!, source, file, eof) : null;
    if (at !== null) diagnostics.push(at);
    const d = diagnostic('MRG1021', 'the parser ran out of stack reading this file: its statements nest too deeply around syntax errors', at?.span ?? eof, 'Fix the first syntax error reported, or split deeply nested code into functions.');
    return unparsed(file, lexed.shebang, diagnostics, d);
  }
  const { cst, parser } = parsed;
  const seen = new Set<string>();
  const echoes = tokensAfter(lexed.tokens, lexed.skippedOffsets);
  for (const e of parser.errors) {
    if (echoes.has(e.token)) continue; // the parser tripping over the gap a skipped character left
    const d = syntaxDiagnostic(e, source, file, eof);
    const key = `${d.span!.line}:${d.span!.column}`;
    if (seen.has(key)) continue; // recovery can report the same spot twice; the first says it best
    seen.add(key);
    diagnostics.push(d);
  }
  const program = new AstBuilder(file, diagnostics).program(cst, lexed.shebang, last);
  return { program, diagnostics: diagnostics.result() };
}

/** A file the parser did not read (too deep): an empty script, its diagnostics sorted. */
function unparsed(file: string, shebang: string | null, diagnostics: DiagnosticList, d: Diagnostic): ParseResult {
  diagnostics.push(d);
  const span: Span = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { program: { kind: 'Program', file, form: 'script', shebang, body: [], span }, diagnostics: diagnostics.result() };
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
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    const t = tokens[lo];
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
