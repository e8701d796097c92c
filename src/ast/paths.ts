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
  // slice(): an array grown by push keeps spare capacity (17 slots for one name); a path is kept for
  // every assignment of a program, so a compact copy saves about 130 bytes each (16 MiB of `x=1;`
  // ran out of heap without it).
  return { kind: 'Path', parts: parts.reverse().slice(), span: e.span };
}
