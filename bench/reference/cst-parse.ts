// REFERENCE ONLY (bench/reference): parseProgram as it was with the CstParser, kept so that
// test/grammar/equivalence.test.ts holds the EmbeddedActionsParser to the ASTs and diagnostics it gave,
// and `npm run bench -- parser` measures the two side by side. Not used by merg-e itself.
import { isStackOverflow } from '../../src/ast/depth.js';
import { outOfStack, prepare, syntaxDiagnostics, unparsed, type ParseResult } from '../../src/ast/parse.js';
import { CstAstBuilder } from './cst-build.js';
import { mergeParser, parseTokens } from './cst-parser.js';

export function parseProgramCst(original: string, file: string): ParseResult {
  const before = prepare(original, file);
  if (before.tooDeep !== null) return unparsed(before, before.tooDeep);
  let parsed: ReturnType<typeof parseTokens>;
  try {
    parsed = parseTokens(before.lexed.tokens);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return outOfStack(before, mergeParser().errors);
  }
  syntaxDiagnostics(before, parsed.parser.errors);
  const program = new CstAstBuilder(file, before.diagnostics).program(parsed.cst, before.lexed.shebang, before.last);
  return { program, diagnostics: before.diagnostics.result() };
}
