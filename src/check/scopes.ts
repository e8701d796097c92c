// Lexical scopes shared by the static checks and the interpreter's compiler, so both resolve a name
// to the same declaration. One FnTable per callable body (or program); blocks inside it only limit
// visibility, they do not get storage of their own: every declaration of a body owns one slot.
import type { Span } from '../diagnostics.js';

export type SymKind = 'var' | 'param' | 'capture' | 'constant' | 'callable' | 'use' | 'app-arg' | 'alias' | 'builtin';

export interface Sym {
  readonly name: string;
  readonly slot: number;
  readonly kind: SymKind;
  readonly mutable: boolean;
  readonly shared: boolean;
  /** Host authority: only reachable through use and capture blocks. */
  readonly authority: boolean;
  /** Declared type name, when there is one. */
  readonly type: string | null;
  /** Number of parameters, when this names a callable. */
  readonly arity: number | null;
  readonly span: Span | null;
  /** Static checks: where the value was moved (ent, capture), while that is certain. */
  movedAt?: Span | null;
}

export type FnKind = 'program' | 'app' | 'main' | 'function' | 'merge' | 'module';

export interface Found {
  sym: Sym;
  /** How many callable boundaries the name is above its use (0: local). */
  hops: number;
}

/** A name found from one body, seen from a body `hops` callable boundaries further down. */
export function seenFrom(f: Found, hops: number): Found {
  return { sym: f.sym, hops: f.hops + hops };
}

export class FnTable {
  private readonly blocks: Map<string, Sym>[] = [new Map()];
  size = 0;

  constructor(
    readonly kind: FnKind,
    /** The enclosing body, for lexical reads of inert names; null for merged callables and programs. */
    readonly parent: FnTable | null,
  ) {}

  push(): void {
    this.blocks.push(new Map());
  }

  pop(): void {
    this.blocks.pop();
  }

  /** Declares in the innermost block; returns the earlier symbol instead when the name is taken there. */
  declare(fields: Omit<Sym, 'slot'>): { sym: Sym; duplicate: Sym | null } {
    const block = this.blocks[this.blocks.length - 1] as Map<string, Sym>;
    const duplicate = block.get(fields.name) ?? null;
    // A literal of every field, not `{ ...fields, slot }`: V8 gives each object spread with an added
    // key a hidden class of its own (about 300 bytes a symbol more; a third of a big check's heap).
    const sym: Sym = {
      name: fields.name,
      slot: this.size++,
      kind: fields.kind,
      mutable: fields.mutable,
      shared: fields.shared,
      authority: fields.authority,
      type: fields.type,
      arity: fields.arity,
      span: fields.span,
      movedAt: null,
    };
    block.set(fields.name, sym);
    return { sym, duplicate };
  }

  local(name: string): Sym | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const s = (this.blocks[i] as Map<string, Sym>).get(name);
      if (s) return s;
    }
    return undefined;
  }

  lookup(name: string): Found | undefined {
    let hops = 0;
    for (let t: FnTable | null = this; t; t = t.parent, hops++) {
      const sym = t.local(name);
      if (sym) return { sym, hops };
    }
    return undefined;
  }

  /** The body `hops` callable boundaries above this one (0: this one). */
  above(hops: number): FnTable {
    let t: FnTable = this;
    for (let i = 0; i < hops; i++) t = t.parent!;
    return t;
  }

  /** Every symbol visible here in this body (what `scope.imported` can reach). */
  visible(): Sym[] {
    const out = new Map<string, Sym>();
    for (const b of this.blocks) for (const [k, s] of b) out.set(k, s);
    return [...out.values()];
  }
}

/** True when a symbol of an enclosing body may be read without a capture (inert, not authority). */
export function lexicallyReadable(sym: Sym): boolean {
  return !sym.mutable && !sym.authority;
}
