// Lexing a whole file: the shebang, the token vector, and every lexical diagnostic (MRG1001–MRG1004, MRG1013).
import type { IToken } from 'chevrotain';

import { Fence, InvalidNumber, tokenize, UnterminatedString, type FencePayload } from '../../grammar/tokens.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { firstLineSpan, tokenSpan } from './spans.js';

export interface Lexed {
  tokens: IToken[];
  shebang: string | null;
  diagnostics: Diagnostic[];
  /** Offsets of characters the lexer skipped (MRG1001): a parse error right after one is its echo. */
  skippedOffsets: number[];
}

export function lexSource(source: string, file: string): Lexed {
  const result = tokenize(source);
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    const text = source.slice(e.offset, e.offset + e.length);
    const what = e.length === 1 ? `unexpected character '${text}'` : `unexpected characters '${text.length > 20 ? `${text.slice(0, 20)}…` : text}'`;
    const line = e.line ?? 1;
    const column = e.column ?? 1;
    diagnostics.push(diagnostic('MRG1001', `${what}: it begins no Merg-E token`, { file, line, column, endLine: line, endColumn: column + e.length - 1 }));
  }
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === UnterminatedString) {
      diagnostics.push(diagnostic('MRG1002', 'this string is not closed before the end of the line', tokenSpan(file, t)));
    } else if (type === InvalidNumber) {
      diagnostics.push(diagnostic('MRG1013', `'${t.image}' is not a number: numbers are decimal digits, optionally with a fraction (3.14159)`, tokenSpan(file, t)));
    } else if (type === Fence && !(t.payload as FencePayload).closed) {
      diagnostics.push(diagnostic('MRG1003', 'this ``` documentation block has no closing ``` line', firstLineSpan(tokenSpan(file, t), source, t.startOffset)));
    }
  }
  const meta = result.groups['meta'];
  const shebang = meta !== undefined && meta.length > 0 ? meta[0]!.image : null;
  return { tokens, shebang, diagnostics, skippedOffsets: result.errors.map((e) => e.offset) };
}
