// Name chains as paths: `a.b.c` written as member expressions, read by the builder (assignment and
// call targets) and by the interpreter (places, and names that reach the language).
import type { Expr, Path } from './types.js';

/** `a.b.c` as a Path when the expression is a plain name chain, else null. */
export function pathOf(e: Expr): Path | null {
  const parts: string[] = [];
  let cur: Expr = e;
  while (cur.kind === 'Member') {
    parts.push(cur.name);
    cur = cur.object;
  }
  if (cur.kind !== 'Name') return null;
  parts.push(cur.name);
  return { kind: 'Path', parts: parts.reverse(), span: e.span };
}
