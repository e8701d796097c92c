// The invalid bytes a decoded source still carries (src/source-file.ts keeps each as a lone surrogate
// U+DC80–U+DCFF): one MRG1022 warning per run of them, at its line and column with its byte offset,
// and the text the lexer reads, where each is U+FFFD (same length, so every position stays put).
import { diagnostic, type Diagnostic } from '../diagnostics.js';

/** With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only. */
const ESCAPED = /[\uDC80-\uDCFF]+/gu;
const ANY_ESCAPED = /[\uDC80-\uDCFF]/u;

/** UTF-8 length of `s` where every lone surrogate stands for one original byte. */
function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) n += 1;
    else n += 3;
  }
  return n;
}

function hexBytes(run: string): string {
  const shown = [...run.slice(0, 4)].map((c) => (c.charCodeAt(0) - 0xdc00).toString(16).toUpperCase().padStart(2, '0'));
  return shown.join(' ') + (run.length > 4 ? ' …' : '');
}

/** The MRG1022 warnings for `source` and the text to lex (unchanged when it holds no invalid bytes). */
export function invalidBytes(source: string, file: string): { text: string; warnings: Diagnostic[] } {
  if (!ANY_ESCAPED.test(source)) return { text: source, warnings: [] };
  const warnings: Diagnostic[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  let bytes = 0;
  for (const m of source.matchAll(ESCAPED)) {
    const at = m.index;
    // Lines are counted as the lexer counts them: \r\n, \r and \n each end one.
    for (let i = scanned; i < at; i++) {
      const c = source.charCodeAt(i);
      if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    bytes += byteLength(source.slice(scanned, at));
    scanned = at + m[0].length;
    const column = at - lineStart + 1;
    const what = m[0].length === 1 ? `byte ${hexBytes(m[0])} is` : `${m[0].length} bytes (${hexBytes(m[0])}) are`;
    warnings.push(diagnostic('MRG1022', `${what} not UTF-8 (byte offset ${bytes}); read as U+FFFD`, { file, line, column, endLine: line, endColumn: column + m[0].length - 1 }));
    bytes += m[0].length;
  }
  return { text: source.replace(ESCAPED, (run) => '\ufffd'.repeat(run.length)), warnings };
}
