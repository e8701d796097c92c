// fast-check arbitraries for Merg-E programs: grammar-aware, mostly valid programs that use
// membranes (stacked quotas, copy_on_mutate), grafts (prune / ent), dataframes, callables (pure and
// with authority, recursive, with per-call membranes), blockers, vectorize and handlers. A program is
// generated as a tree of small numeric choices and rendered against the names in scope, so names are
// declared before use, moved names are not used again, and captures follow the rules: most programs
// get past the static checks and exercise the interpreter. Shrinking works on the choices, so a
// failing program shrinks to fewer and simpler statements.
import fc from 'fast-check';

/** One statement's choices; `body` feeds nested blocks (loops, branches, functions, handlers). */
export interface StatementChoice {
  readonly k: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly body: readonly StatementChoice[];
}

/** The features a program may use; all by default. */
export type ProgramFeature = 'membranes' | 'grafts' | 'dataframes' | 'callables' | 'blockers' | 'vectorize' | 'handlers' | 'loops' | 'strings';

export const PROGRAM_FEATURES: readonly ProgramFeature[] = ['membranes', 'grafts', 'dataframes', 'callables', 'blockers', 'vectorize', 'handlers', 'loops', 'strings'];

export interface ProgramOptions {
  /** Top-level statements: at most this many (default 24). */
  maxStatements?: number;
  /** Nesting of blocks (loops, branches, function bodies; default 3). */
  maxDepth?: number;
  /** Only these features (default all). */
  features?: readonly ProgramFeature[];
}

/** The choices of one statement and, nested, of its blocks. */
export function statementChoice(maxDepth = 3, maxBody = 4): fc.Arbitrary<StatementChoice> {
  const at = fc.memo((depth: number): fc.Arbitrary<StatementChoice> =>
    fc.record({
      k: fc.nat(1023),
      a: fc.nat(1023),
      b: fc.nat(1023),
      c: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -40, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(-129, 127, 128, 255, 256, 32767, 2 ** 31, -(2 ** 31) - 1, 600) }),
      body: depth <= 1 ? fc.constant([]) : fc.array(at(depth - 1), { maxLength: maxBody }),
    }),
  );
  return at(maxDepth);
}

/** Choices of a whole program. */
export function programChoices(opts: ProgramOptions = {}): fc.Arbitrary<StatementChoice[]> {
  return fc.array(statementChoice(opts.maxDepth ?? 3), { minLength: 1, maxLength: opts.maxStatements ?? 24 });
}

/** Merg-E program sources (script form). */
export function programSource(opts: ProgramOptions = {}): fc.Arbitrary<string> {
  const features = opts.features ?? PROGRAM_FEATURES;
  return programChoices(opts).map((cs) => renderProgram(cs, features));
}

/** Programs built around vectorize: a pure function, its input rows, an output under a quota, a handler. */
export function vectorizeProgram(): fc.Arbitrary<string> {
  return fc
    .record({
      schema: fc.nat(SCHEMAS.length - 1),
      rows: fc.array(fc.integer({ min: -20, max: 200 }), { minLength: 0, maxLength: 30 }),
      bad: fc.option(fc.integer({ min: -20, max: 200 }), { nil: null }),
      quota: fc.option(fc.integer({ min: 8, max: 160 }), { nil: null }),
      guarded: fc.boolean(),
      work: fc.nat(6),
      own: fc.nat(31),
      rest: fc.array(statementChoice(2), { maxLength: 4 }),
    })
    .map((p) => {
      const r = new Renderer(PROGRAM_FEATURES);
      const scope = r.topScope();
      const body = (s: Scope) => r.vectorizeBlock(s, { schema: p.schema, rows: p.rows, bad: p.bad, quota: p.quota, work: p.work, own: p.own });
      if (p.guarded) r.guarded(scope, (s) => body(s));
      else body(scope);
      for (const c of p.rest) r.statement(scope, c);
      return r.text();
    });
}

/** Renders choices into a program. Deterministic: the same choices give the same text. */
export function renderProgram(choices: readonly StatementChoice[], features: readonly ProgramFeature[] = PROGRAM_FEATURES): string {
  const r = new Renderer(features);
  const scope = r.topScope();
  for (const c of choices) r.statement(scope, c);
  return r.text();
}

// ------------------------------------------------------------------ rendering

/** Row shapes: dataframe columns and the parameters of the functions that read them. */
const SCHEMAS: readonly (readonly (readonly [type: 'int32' | 'string', name: string])[])[] = [
  [['int32', 'x']],
  [
    ['string', 'id'],
    ['int32', 'n'],
  ],
  [
    ['int32', 'a'],
    ['int32', 'b'],
  ],
];

const INT_TYPES = ['int', 'int32', 'int8', 'int64', 'uint16'] as const;

interface IntVar {
  readonly name: string;
  readonly mutable: boolean;
}
interface DagVar {
  readonly name: string;
  /** Int32 leaves declared below it (by path), still there. */
  readonly leaves: string[];
  frozen: boolean;
}
interface DfVar {
  readonly name: string;
  readonly schema: number;
  frozen: boolean;
}
interface FnVar {
  readonly name: string;
  readonly schema: number;
  /** Schema of the returned row, or null when it returns nothing. */
  readonly ret: number | null;
  /** Captures nothing mutable and no authority: it can be vectorized. */
  readonly pure: boolean;
}

interface Scope {
  readonly ints: IntVar[];
  readonly strs: string[];
  readonly dags: DagVar[];
  readonly dfs: DfVar[];
  readonly fns: FnVar[];
  readonly blockers: string[];
  /** cout and endl are in scope. */
  readonly authority: boolean;
  /** Inside a pure function body: only its parameters, locals, inert outer ints and pure functions. */
  readonly pure: boolean;
  readonly depth: number;
}

function mod(x: number, n: number): number {
  return ((x % n) + n) % n;
}

function pick<T>(xs: readonly T[], n: number): T | undefined {
  return xs.length === 0 ? undefined : xs[mod(n, xs.length)];
}

class Renderer {
  private readonly out: string[] = [];
  private indent = '';
  private n = 0;
  private readonly on: ReadonlySet<ProgramFeature>;

  constructor(features: readonly ProgramFeature[]) {
    this.on = new Set(features);
  }

  text(): string {
    return this.out.join('\n') + '\n';
  }

  topScope(): Scope {
    return { ints: [], strs: [], dags: [], dfs: [], fns: [], blockers: [], authority: true, pure: false, depth: 0 };
  }

  private line(s: string): void {
    this.out.push(this.indent + s);
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  private nested(open: string, close: string, fn: () => void): void {
    this.line(open);
    const saved = this.indent;
    this.indent += '  ';
    try {
      fn();
    } finally {
      this.indent = saved;
    }
    this.line(close);
  }

  /** A child block's scope: it sees everything of its parent; what it declares stays inside. */
  private child(s: Scope): Scope {
    return { ...s, ints: [...s.ints], strs: [...s.strs], dags: s.dags.map((d) => ({ ...d, leaves: [...d.leaves] })), dfs: [...s.dfs], fns: [...s.fns], blockers: [...s.blockers], depth: s.depth + 1 };
  }

  /** A function body's scope: inert outer ints and pure functions only (reading more needs captures). */
  private fnScope(s: Scope, pure: boolean): Scope {
    return {
      ints: s.ints.filter((i) => !i.mutable),
      strs: [],
      dags: [],
      dfs: [],
      fns: s.fns.filter((f) => f.pure),
      blockers: [],
      authority: !pure,
      pure,
      depth: s.depth + 1,
    };
  }

  // ---------------------------------------------------------------- expressions

  /** A literal; negative ones are unary minus, so parts of commands and returns are parenthesized. */
  private lit(c: number): string {
    return String(c);
  }

  intExpr(s: Scope, a: number, c: number, depth = 2): string {
    const mutableOk = s.ints;
    switch (a % 7) {
      case 0:
      case 1:
        return pick(mutableOk, a >> 3)?.name ?? this.lit(c);
      case 2:
        if (depth > 0) return `${this.intExpr(s, a >> 3, c, depth - 1)} ${pick(['+', '-', '*', '/', '%'], a >> 5)} ${this.intExpr(s, a >> 4, c + 1, depth - 1)}`;
        return this.lit(c);
      case 3: {
        const df = s.pure ? undefined : pick(s.dfs, a >> 3);
        return df ? `lang.dataframe.rows(${df.name})` : this.lit(c);
      }
      case 4: {
        const d = s.pure ? undefined : pick(s.dags, a >> 3);
        const leaf = d ? pick(d.leaves, a >> 5) : undefined;
        return d && leaf ? `${d.name}.${leaf}` : this.lit(c);
      }
      case 5: {
        const f = pick(s.fns.filter((g) => g.ret === 0 && g.schema === 0), a >> 3);
        return f && depth > 0 ? `${f.name}(${this.intExpr(s, a >> 4, c, depth - 1)})` : this.lit(c);
      }
      default:
        return this.lit(c);
    }
  }

  private rowValues(schema: number, a: number, c: number): string[] {
    return (SCHEMAS[schema] ?? []).map(([t], i) => (t === 'string' ? `"s${(a + i) % 50}"` : this.lit(c + i * 7)));
  }

  // ---------------------------------------------------------------- statements

  statement(s: Scope, ch: StatementChoice): void {
    const kinds = this.kinds(s);
    const kind = kinds[ch.k % kinds.length] as Kind;
    this[kind](s, ch);
  }

  private kinds(s: Scope): Kind[] {
    const all: [Kind, ProgramFeature | null, boolean][] = [
      ['declInt', null, true],
      ['declInt', null, true],
      ['assignInt', null, true],
      ['assignInt', null, true],
      ['cout', null, s.authority],
      ['assert', null, true],
      ['strings', 'strings', true],
      ['whileLoop', 'loops', s.depth < 3],
      ['ifElse', 'loops', s.depth < 3],
      ['declDag', 'membranes', !s.pure],
      ['quota', 'membranes', !s.pure],
      ['quota', 'membranes', !s.pure],
      ['copyOnMutate', 'membranes', !s.pure],
      ['leaf', 'membranes', !s.pure],
      ['assignLeaf', 'membranes', !s.pure],
      ['graft', 'grafts', !s.pure],
      ['graftVersion', 'grafts', !s.pure],
      ['freezeSomething', 'grafts', !s.pure],
      ['alias', 'grafts', !s.pure && s.authority],
      ['dataframe', 'dataframes', !s.pure],
      ['append', 'dataframes', !s.pure],
      ['append', 'dataframes', !s.pure],
      ['function', 'callables', !s.pure && s.depth < 2],
      ['function', 'callables', !s.pure && s.depth < 2],
      ['call', 'callables', true],
      ['blocker', 'blockers', !s.pure],
      ['vectorize', 'vectorize', !s.pure && s.depth < 2],
      ['vectorize', 'vectorize', !s.pure && s.depth < 2],
      ['handler', 'handlers', !s.pure && s.authority && s.depth < 2],
      ['memory', null, s.authority],
    ];
    return all.filter(([, f, ok]) => ok && (f === null || this.on.has(f))).map(([k]) => k);
  }

  declInt(s: Scope, ch: StatementChoice): void {
    const type = pick(INT_TYPES, ch.a) as string;
    const mutable = s.pure ? ch.b % 3 !== 0 : ch.b % 4 !== 0;
    const name = this.fresh('i');
    this.line(`${mutable ? 'mutable ' : ''}${type} ${name} = ${this.intExpr(s, ch.b, ch.c)};`);
    s.ints.push({ name, mutable });
  }

  assignInt(s: Scope, ch: StatementChoice): void {
    const v = pick(s.ints.filter((i) => i.mutable), ch.a);
    if (!v) return this.declInt(s, ch);
    const op = pick(['=', '+=', '-='], ch.b) as string;
    this.line(`${v.name} ${op} ${this.intExpr(s, ch.b >> 2, ch.c)};`);
  }

  cout(s: Scope, ch: StatementChoice): void {
    this.line(`cout "v " (${this.intExpr(s, ch.a, ch.c)}) endl;`);
  }

  assert(s: Scope, ch: StatementChoice): void {
    this.line(`lang.assert(${this.intExpr(s, ch.a, ch.c)} ${pick(['<', '<=', '!=', '>=', '>', '=='], ch.b)} ${this.lit(ch.c + (ch.b % 40))});`);
  }

  memory(s: Scope, ch: StatementChoice): void {
    const t = pick(['int32', 'int2048', 'float64', 'bool', 'string'], ch.a);
    this.line(t === 'string' ? `cout lang.memory.string.dynamic_rampoints(${ch.b % 100}) endl;` : `cout lang.memory.int.rampoints(lang.types.${t}) endl;`);
  }

  strings(s: Scope, ch: StatementChoice): void {
    const v = pick(s.strs, ch.a);
    if (!v || ch.b % 3 === 0) {
      const name = this.fresh('s');
      this.line(`mutable string ${name} = "t${ch.c}";`);
      s.strs.push(name);
      return;
    }
    this.line(ch.b % 3 === 1 ? `${v} = ${v} + "${'ab'.repeat(mod(ch.c, 5))}";` : s.authority ? `cout ${v} endl;` : `${v} = "u";`);
  }

  whileLoop(s: Scope, ch: StatementChoice): void {
    const i = this.fresh('w');
    this.line(`mutable int ${i} = 0;`);
    s.ints.push({ name: i, mutable: true });
    const inner = this.child(s);
    this.nested(`while ${i} < ${ch.a % 6} {`, '};', () => {
      for (const c of ch.body) this.statement(inner, c);
      this.line(`${i} += 1;`);
    });
  }

  ifElse(s: Scope, ch: StatementChoice): void {
    const cond = `(${this.intExpr(s, ch.a, ch.c)}) < ${this.lit(ch.b % 100)}`;
    const half = Math.ceil(ch.body.length / 2);
    this.nested(`if ${cond} {`, ch.b % 2 === 0 ? '};' : '} else {', () => {
      const inner = this.child(s);
      for (const c of ch.body.slice(0, half)) this.statement(inner, c);
    });
    if (ch.b % 2 === 0) return;
    this.indent += '  ';
    const inner = this.child(s);
    for (const c of ch.body.slice(half)) this.statement(inner, c);
    this.indent = this.indent.slice(2);
    this.line('};');
  }

  declDag(s: Scope, _ch: StatementChoice): void {
    const name = this.fresh('d');
    this.line(`mutable dag ${name};`);
    s.dags.push({ name, leaves: [], frozen: false });
  }

  private dagOrNew(s: Scope, n: number): DagVar {
    const d = pick(s.dags, n);
    if (d) return d;
    this.declDag(s, { k: 0, a: 0, b: 0, c: 0, body: [] });
    return s.dags[s.dags.length - 1] as DagVar;
  }

  quota(s: Scope, ch: StatementChoice): void {
    const over = this.dagOrNew(s, ch.a);
    const t = ch.b % 90;
    const d = t === 0 ? 0 : (ch.c & 0xffff) % (t + 1);
    const o = (ch.a >> 4) % 20;
    const name = this.fresh('m');
    this.line(`${ch.k % 5 === 0 ? 'shared ' : ''}mutable dag ${name} = membrane<quota<${t}, ${d}, ${o}>> ${over.name};`);
    s.dags.push({ name, leaves: [], frozen: false });
  }

  copyOnMutate(s: Scope, ch: StatementChoice): void {
    const over = this.dagOrNew(s, ch.a);
    const name = this.fresh('c');
    this.line(`mutable dag ${name} = membrane<copy_on_mutate> ${over.name};`);
    s.dags.push({ name, leaves: [], frozen: false });
  }

  leaf(s: Scope, ch: StatementChoice): void {
    const d = this.dagOrNew(s, ch.a);
    const leaf = this.fresh('l');
    if (ch.b % 5 === 0) {
      this.line(`mutable string ${d.name}.${leaf} = "${'x'.repeat(ch.c & 63)}";`);
      return;
    }
    this.line(`mutable int32 ${d.name}.${leaf} = ${this.lit(ch.c)};`);
    d.leaves.push(leaf);
  }

  assignLeaf(s: Scope, ch: StatementChoice): void {
    const d = pick(s.dags.filter((x) => x.leaves.length > 0), ch.a);
    if (!d) return this.leaf(s, ch);
    this.line(`${d.name}.${pick(d.leaves, ch.b)} ${mod(ch.c, 2) === 0 ? '=' : '+='} ${this.intExpr(s, ch.b >> 2, ch.c)};`);
  }

  graft(s: Scope, ch: StatementChoice): void {
    const from = pick(s.dags.filter((x) => x.leaves.length > 0), ch.a);
    const to = pick(s.dags, ch.b);
    if (!from || !to) return this.leaf(s, ch);
    const leaf = pick(from.leaves, ch.c & 0xff) as string;
    // Pruning from a mutable parent cuts the leaf out (a frozen parent gives a copy).
    if (!from.frozen) from.leaves.splice(from.leaves.indexOf(leaf), 1);
    const as = this.fresh('g');
    if (ch.k % 3 === 0) {
      const p = this.fresh('p');
      this.line(`mutable dag ${p} = prune ${from.name}.${leaf};`);
      this.line(`ent ${to.name} ${p} as ${as};`);
    } else {
      this.line(`ent ${to.name} prune ${from.name}.${leaf} as ${as};`);
    }
    to.leaves.push(as);
  }

  graftVersion(s: Scope, ch: StatementChoice): void {
    const to = this.dagOrNew(s, ch.a);
    this.line(`ent ${to.name} prune scope.imported.lang.Version as ${this.fresh('V')};`);
  }

  freezeSomething(s: Scope, ch: StatementChoice): void {
    const df = pick(s.dfs, ch.b);
    if (df && ch.a % 2 === 0) {
      this.line(`freeze ${df.name};`);
      df.frozen = true;
      return;
    }
    const d = pick(s.dags, ch.a);
    if (!d) return this.declDag(s, ch);
    const leaf = pick(d.leaves, ch.b);
    if (leaf && mod(ch.c, 2) === 0) this.line(`freeze ${d.name}.${leaf};`);
    else {
      this.line(`freeze ${d.name};`);
      d.frozen = true;
    }
  }

  alias(s: Scope, ch: StatementChoice): void {
    const d = pick(s.dags.filter((x) => x.leaves.length > 0), ch.a);
    if (!d) return this.leaf(s, ch);
    const name = this.fresh('al');
    this.line(`alias ${d.name}.${pick(d.leaves, ch.b)} as ${name};`);
    this.line(`cout "alias " ${name} endl;`);
  }

  dataframe(s: Scope, ch: StatementChoice): DfVar {
    const schema = ch.a % SCHEMAS.length;
    const cols = (SCHEMAS[schema] ?? []).map(([t, n]) => `${t} ${n}`).join(', ');
    const short = this.fresh('f');
    const home = ch.b % 3 === 0 ? pick(s.dags, ch.b >> 2) : undefined;
    const name = home ? `${home.name}.${short}` : short;
    this.line(`mutable dataframe ${name} ${cols};`);
    const df = { name, schema, frozen: false };
    s.dfs.push(df);
    return df;
  }

  append(s: Scope, ch: StatementChoice): void {
    const df = pick(s.dfs, ch.a) ?? this.dataframe(s, ch);
    const rows = 1 + (ch.b % 4);
    for (let i = 0; i < rows; i++) this.line(`${df.name}(${this.rowValues(df.schema, ch.a + i, ch.c + i).join(', ')});`);
  }

  /** A function: pure (vectorizable, maybe recursive, maybe with its own membrane) or with cout. */
  function(s: Scope, ch: StatementChoice): FnVar {
    const schema = ch.a % SCHEMAS.length;
    const pure = ch.b % 4 !== 0;
    const name = this.fresh('fn');
    const params = (SCHEMAS[schema] ?? []).map(([t, n]) => `${n} ${t}`).join(', ');
    const inner = this.fnScope(s, pure);
    for (const [t, n] of SCHEMAS[schema] ?? []) if (t === 'int32') inner.ints.push({ name: n, mutable: false });
    const membrane = mod(ch.c, 5) === 0 && this.on.has('membranes') ? `<membrane<quota<${ch.b % 40}, ${ch.b % 40}, 0>>>` : '';
    const caps = pure ? '' : ' cout; endl; ';
    const ret = pure ? (ch.k >> 3) % SCHEMAS.length : null;
    const fn: FnVar = { name, schema, ret, pure };
    const handler = ch.k % 7 === 0 && ret !== null ? `}!!{\n${this.indent}  return ${this.rowValues(ret, 1, 0).map((v) => `(${v})`).join(' ')};\n${this.indent}};` : '};';
    this.nested(`function ${name}(${params})${membrane}::{${caps}}{`, handler, () => {
      const recursive = ch.k % 5 === 0 && schema === 0 && ret === 0;
      if (recursive) this.line(`if x > 0 { return ${name}(x - 1) + 1; };`);
      for (const c of ch.body) this.statement(inner, c);
      if (!pure) this.line(`cout "in ${name} " ${pick(inner.ints, ch.c & 0xff)?.name ?? '0'} endl;`);
      if (ret !== null) this.line(`return ${this.retValues(inner, schema, ret, ch)};`);
    });
    s.fns.push(fn);
    return fn;
  }

  /** The returned row: computed from the parameters where the types agree. */
  private retValues(s: Scope, schema: number, ret: number, ch: StatementChoice): string {
    const params = SCHEMAS[schema] ?? [];
    return (SCHEMAS[ret] ?? [])
      .map(([t], i) => {
        const same = params.find(([pt], j) => pt === t && (j + ch.a) % 2 === i % 2) ?? params.find(([pt]) => pt === t);
        if (t === 'string') return same ? `${same[1]} + "!"` : `"r${i}"`;
        return same && ch.b % 3 !== 0 ? `${same[1]} ${pick(['+', '*', '-', '/'], ch.b + i)} ${this.lit((mod(ch.c, 7)) + i)}` : this.intExpr(s, ch.b + i, ch.c);
      })
      .join(' ');
  }

  call(s: Scope, ch: StatementChoice): void {
    const f = pick(s.fns, ch.a);
    if (!f) {
      if (!s.pure) this.function(s, ch);
      return;
    }
    const args = this.args(s, f.schema, ch);
    if (f.ret === 0 && f.schema === 0 && s.authority && ch.b % 2 === 0) this.line(`cout "call " ${f.name}(${args}) endl;`);
    else this.line(`${f.name}(${args});`);
  }

  private args(s: Scope, schema: number, ch: StatementChoice): string {
    return (SCHEMAS[schema] ?? []).map(([t], i) => (t === 'string' ? `"a${i}"` : this.intExpr(s, ch.b + i, ch.c + i, 1))).join(', ');
  }

  blocker(s: Scope, ch: StatementChoice): void {
    const f = pick(s.fns, ch.a) ?? this.function(s, ch);
    const b = this.fresh('b');
    this.line(`mutable blocker ${b};`);
    for (let i = 0; i <= ch.b % 3; i++) this.line(`${b} += ${f.name}(${this.args(s, f.schema, { ...ch, c: ch.c + i })});`);
    // Now and then the work is never awaited.
    if (mod(ch.c, 6) !== 0) this.line(`await_all ${b};`);
    s.blockers.push(b);
  }

  vectorize(s: Scope, ch: StatementChoice): void {
    this.vectorizeBlock(s, { schema: ch.a % SCHEMAS.length, rows: Array.from({ length: ch.b % 24 }, (_, i) => ch.c + i * ((ch.a % 5) - 1)), bad: ch.k % 3 === 0 ? ch.c + (ch.b % 7) : null, quota: ch.k % 2 === 0 ? 8 + (ch.a % 120) : null, work: ch.k % 7, own: ch.b >> 5 });
  }

  /** Input rows, a function over them (raising on `bad`), an output (under a quota), the vectorize. */
  /**
   * `own` bits: 1 f declares a membrane of its own (its locals can overrun it on some rows); 2 f
   * keeps a local dag; 4 f's result may not fit outDf's int32 column (a refused append that is not
   * a quota); 8 f calls the pure one-column function in scope, if any; 16 f hands back a local string
   * grown in a loop of its own.
   */
  vectorizeBlock(s: Scope, p: { schema: number; rows: readonly number[]; bad: number | null; quota: number | null; work: number; own?: number }): void {
    const own = p.own ?? 0;
    const schema = p.schema % SCHEMAS.length;
    const cols = SCHEMAS[schema] ?? [];
    const inDf = this.fresh('in');
    this.line(`mutable dataframe ${inDf} ${cols.map(([t, n]) => `${t} ${n}`).join(', ')};`);
    p.rows.forEach((v, i) => this.line(`${inDf}(${this.rowValues(schema, i, v).join(', ')});`));
    if (p.work % 2 === 0) this.line(`freeze ${inDf};`);
    const f = this.fresh('vf');
    const first = cols.find(([t]) => t === 'int32')?.[1] ?? 'n';
    const membrane = own & 1 && this.on.has('membranes') ? `<membrane<quota<${4 + p.work * 3}, ${4 + p.work * 3}, 0>>>` : '';
    const helper = own & 8 ? s.fns.find((g) => g.pure && g.schema === 0 && g.ret === 0) : undefined;
    this.nested(`function ${f}(${cols.map(([t, n]) => `${n} ${t}`).join(', ')})${membrane}::{}{`, '};', () => {
      if (p.bad !== null) this.line(`lang.assert ${first} != ${this.lit(p.bad)};`);
      if (own & 2) {
        this.line('mutable dag box;');
        this.line(`mutable int32 box.v = ${first};`);
      }
      if (p.work > 2 || own & 16) {
        this.line('mutable int k = 0;');
        this.line('mutable string pad = "";');
        this.line(`while k < ${own & 16 ? `${first} % 9` : p.work} { pad = pad + "ab"; k += 1; };`);
      }
      const value = own & 4 ? `${first} * ${first} * ${first} * 1000` : helper ? `${helper.name}(${first}) * 2` : `${first} * 2`;
      this.line(`return ${value} ${p.work > 2 || own & 16 ? 'pad' : `"${'y'.repeat(p.work)}"`};`);
    });
    let out = this.fresh('out');
    if (p.quota !== null) {
      const store = this.fresh('st');
      const q = this.fresh('q');
      this.line(`mutable dag ${store};`);
      this.line(`mutable dag ${q} = membrane<quota<${p.quota}, ${p.quota}, 0>> ${store};`);
      out = `${q}.${out}`;
    }
    this.line(`mutable dataframe ${out} int32 y, string pad;`);
    const b = this.fresh('vb');
    this.line(`mutable blocker ${b};`);
    this.line(`${b} += vectorize ${f} ${inDf} ${out};`);
    this.line(`await_all ${b};`);
    if (s.authority) this.line(`cout "rows " lang.dataframe.rows(${out}) endl;`);
    s.fns.push({ name: f, schema, ret: null, pure: true });
    s.dfs.push({ name: inDf, schema, frozen: p.work % 2 === 0 });
  }

  handler(s: Scope, ch: StatementChoice): void {
    this.guarded(s, (inner) => {
      for (const c of ch.body) this.statement(inner, c);
    }, ch.a % 3);
  }

  /**
   * A block whose errors a handler catches: a function with `!!` (seeing inert outer ints and pure
   * functions, holding cout) called at once. The handler prints what a program can read of the error.
   */
  guarded(s: Scope, body: (inner: Scope) => void, style = 0): void {
    const g = this.fresh('h');
    const inner = this.fnScope(s, false);
    this.nested(`function ${g}()::{ cout; endl; }{`, '}!!{', () => body(inner));
    this.indent += '  ';
    if (style === 1) {
      this.line('switch scope.exceptions[-1] {');
      this.line('  quota_error : { cout "quota " scope.exceptions[-1].message endl; };');
      this.line('  range_error : { cout "range " scope.exceptions[-1].line endl; };');
      this.line('  default : { cout "other " scope.exceptions[-1].name endl; };');
      this.line('};');
    } else if (style === 2) {
      this.line('cout "caught " scope.exceptions[-1].code " at " scope.exceptions[-1].file ":" scope.exceptions[-1].line endl;');
    } else {
      this.line('cout "caught " scope.exceptions[-1].name ": " scope.exceptions[-1].message endl;');
    }
    this.indent = this.indent.slice(2);
    this.line('};');
    this.line(`${g}();`);
  }
}

type Kind =
  | 'declInt'
  | 'assignInt'
  | 'cout'
  | 'assert'
  | 'memory'
  | 'strings'
  | 'whileLoop'
  | 'ifElse'
  | 'declDag'
  | 'quota'
  | 'copyOnMutate'
  | 'leaf'
  | 'assignLeaf'
  | 'graft'
  | 'graftVersion'
  | 'freezeSomething'
  | 'alias'
  | 'dataframe'
  | 'append'
  | 'function'
  | 'call'
  | 'blocker'
  | 'vectorize'
  | 'handler';
