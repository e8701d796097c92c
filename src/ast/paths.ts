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

/** `exceptions` and `imported`: the parts of `scope` that belong to the scope itself, not its names. */
export function isScopeOwnPart(name: string): boolean {
  return name === 'exceptions' || name === 'imported';
}

/**
 * `scope.x.y` is x.y of the scope it is written in (a scope is the DAG of its declarations), unless
 * the program declared a name `scope`; `scope.exceptions` and `scope.imported` are the scope's own.
 * The checks and the interpreter both read `scope` paths through this.
 */
export function inScope(parts: string[]): string[] {
  const second = parts[1];
  return parts[0] === 'scope' && second !== undefined && !isScopeOwnPart(second) ? parts.slice(1) : parts;
}

/**
 * Why `freeze` cannot take this path, when it is the scope itself or one of its own namespaces
 * (`scope`, `scope.exceptions`, `scope.imported`), which hold names and are no value; else null.
 */
export function unfreezableScopePart(parts: readonly string[]): string | null {
  const [first, second] = parts;
  if (first !== 'scope' || parts.length > 2 || (second !== undefined && !isScopeOwnPart(second))) return null;
  return `'${parts.join('.')}' cannot be frozen: it is ${scopePartName(parts)}, not a value in it`;
}

/** `the scope itself`, `the scope's imports` or `the scope's exceptions`: what a path in `scope` starts at, in words. */
export function scopePartName(parts: readonly string[]): string {
  const second = parts[1];
  return second === undefined ? 'the scope itself' : `the scope's ${second === 'imported' ? 'imports' : 'exceptions'}`;
}
