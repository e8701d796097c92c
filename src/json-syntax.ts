// Why a JSON text does not parse, said without repeating the text. V8's messages quote the text
// around the error ("Unexpected token 'S', "SHELL=/bin"... is not valid JSON"), so a file named by
// mistake (/proc/self/environ as a profile) would be shown to whoever reads the error.

export interface JsonSyntaxProblem {
  /** UTF-16 offset of the first character that cannot be JSON. */
  readonly offset: number;
  /** What is wrong there, in V8's words minus the quoted text and its position. */
  readonly why: string;
}

/** `error` is what JSON.parse(text) threw. */
export function jsonSyntaxProblem(text: string, error: unknown): JsonSyntaxProblem {
  const message = error instanceof Error ? error.message : String(error);
  const at = /\bat position (\d+)/.exec(message);
  const offset = at ? Math.min(Number(at[1]), text.length) : firstBadOffset(text);
  let why = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+/, '')
    .replace(/\s*at position \d+/, '');
  // "Unexpected token 'x', "…" is not valid JSON": the token and the text around it are content.
  if (/^Unexpected token\b/.test(why) || /is not valid JSON$/.test(why)) why = 'unexpected character';
  why = why.replace(/^Unexpected end of JSON input$/, 'the text ends inside a value');
  return { offset, why: why.charAt(0).toLowerCase() + why.slice(1) };
}

/** 1-based line and column of a UTF-16 offset (lines end at \n, \r\n or \r, as JSON allows). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** `not valid JSON at line L, column C: WHY` — the phrase every JSON reader of the project uses. */
export function jsonSyntaxMessage(text: string, error: unknown): string {
  const p = jsonSyntaxProblem(text, error);
  const { line, column } = lineColumn(text, p.offset);
  return `not valid JSON at line ${line}, column ${column}: ${p.why}`;
}

const WS = /[ \t\n\r]*/y;
const LITERAL = /true|false|null/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Offset of the first character where `text` stops being JSON (text.length when it ends too soon),
 * for the messages in which V8 gives no position. Iterative, so deep nesting cannot overflow.
 */
export function firstBadOffset(text: string): number {
  let i = 0;
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const ws = () => match(WS);
  // Open containers: ']' or '}'. After a value inside one comes ',' or its closer.
  const open: string[] = [];
  for (;;) {
    // A value is expected here.
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
      } else {
        open.push(c === '{' ? '}' : ']');
        if (c === '{') {
          if (!match(STRING)) return i;
          ws();
          if (text[i] !== ':') return i;
          i++;
        }
        continue;
      }
    } else if (!(match(STRING) || match(NUMBER) || match(LITERAL))) {
      return i;
    }
    // A value ended: close containers, or go on after a comma.
    for (;;) {
      ws();
      const closer = open[open.length - 1];
      if (closer === undefined) return i < text.length ? i : -1;
      if (text[i] === closer) {
        open.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return i;
      i++;
      if (closer === '}') {
        ws();
        if (!match(STRING)) return i;
        ws();
        if (text[i] !== ':') return i;
        i++;
      }
      break;
    }
  }
}
