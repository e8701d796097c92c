// The typed AST of the Merg-E fragment (../shared/spec/language.md). Built from Chevrotain's CST by
// src/ast/build.ts; consumed by the static checks and the interpreter. Every node carries its span.
// Integers are bigint. Names are plain strings: consumers keep them in Maps, never as object keys.
import type { Span } from '../diagnostics.js';

export type { Span };

interface Node {
  span: Span;
}

export type Modifier = 'mutable' | 'inert' | 'shared' | 'reentrant' | 'hazardous';

/** A type in declaration or parameter position: `int32`, `float256`, `string`, `dag`, `blocker`, … */
export interface TypeRef extends Node {
  kind: 'TypeRef';
  name: string;
}

/** `a.b.c` — a dotted path of identifiers (the first part may be `scope`). */
export interface Path extends Node {
  kind: 'Path';
  parts: string[];
}

// ---------------------------------------------------------------- expressions

export interface IntLit extends Node {
  kind: 'IntLit';
  value: bigint;
}
export interface DecimalLit extends Node {
  kind: 'DecimalLit';
  /** Source text, kept for exact re-rendering. */
  text: string;
  value: number;
}
export interface StringLit extends Node {
  kind: 'StringLit';
  /** Unescaped value. */
  value: string;
}
export interface BoolLit extends Node {
  kind: 'BoolLit';
  value: boolean;
}
/** A bare identifier (or `scope`). Dotted access is `Member`. */
export interface Name extends Node {
  kind: 'Name';
  name: string;
}
export interface Member extends Node {
  kind: 'Member';
  object: Expr;
  name: string;
}
export interface Index extends Node {
  kind: 'Index';
  object: Expr;
  index: Expr;
}
export interface Call extends Node {
  kind: 'Call';
  callee: Expr;
  args: Expr[];
}
export type UnaryOp = '-' | '!';
export interface Unary extends Node {
  kind: 'Unary';
  op: UnaryOp;
  operand: Expr;
}
export type BinaryOp = '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';
export interface Binary extends Node {
  kind: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

export interface QuotaSpec extends Node {
  kind: 'quota';
  total: bigint;
  direct: bigint;
  overcommit: bigint;
}
export interface CopyOnMutateSpec extends Node {
  kind: 'copy_on_mutate';
}
export type MembraneSpec = QuotaSpec | CopyOnMutateSpec;

/** `membrane<quota<80,40,30>> olddag` */
export interface MembraneExpr extends Node {
  kind: 'Membrane';
  membrane: MembraneSpec;
  target: Expr;
}
/** `prune scope.imported.lang.Version` */
export interface PruneExpr extends Node {
  kind: 'Prune';
  path: Path;
}
/** `vectorize f inDf outDf` */
export interface VectorizeExpr extends Node {
  kind: 'Vectorize';
  fn: Path;
  input: Path;
  output: Path;
}

export type Expr =
  | IntLit
  | DecimalLit
  | StringLit
  | BoolLit
  | Name
  | Member
  | Index
  | Call
  | Unary
  | Binary
  | MembraneExpr
  | PruneExpr
  | VectorizeExpr;

// ---------------------------------------------------------------- statements

/** A reverse-markdown fence: ```tag … ``` */
export interface Doc extends Node {
  kind: 'Doc';
  /** The tag after the opening fence, '' when none (`userdoc`, `devdoc`, `expect`, …). */
  tag: string;
  /** The lines between the fences, joined with '\n'. */
  text: string;
}

/** `mutable int32 x = 1;`, `inert float256 olddag.coolfloat256.pi = 3.14159;`, `mutable dag d = membrane<…> o;` */
export interface Decl extends Node {
  kind: 'Decl';
  modifiers: Modifier[];
  type: TypeRef;
  target: Path;
  init: Expr | null;
}

export interface Column extends Node {
  kind: 'Column';
  type: TypeRef;
  name: string;
}
/** `mutable dataframe inDf string id, int32 startval, int32 endval;` */
export interface DataframeDecl extends Node {
  kind: 'DataframeDecl';
  modifiers: Modifier[];
  target: Path;
  columns: Column[];
}

/** `ent dag4 version as Version;` */
export interface Ent extends Node {
  kind: 'Ent';
  target: Path;
  value: Expr;
  name: string;
}
/** `alias a.b as c;` */
export interface Alias extends Node {
  kind: 'Alias';
  path: Path;
  name: string;
}
/** `freeze inDf;` */
export interface Freeze extends Node {
  kind: 'Freeze';
  path: Path;
}
/** `inDf("foo" 17 99);` appends a row to a dataframe; `f(x);` calls a callable and drops the result. */
export interface CallStmt extends Node {
  kind: 'CallStmt';
  target: Path;
  args: Expr[];
}
/** `cout "counted " n " primes" endl;` — the first part is applied to the rest. */
export interface Command extends Node {
  kind: 'Command';
  parts: Expr[];
}
export type AssignOp = '=' | '+=' | '-=';
/** `x = e;`, `x += e;` — on a blocker, `b += call(…)` / `b += vectorize …` registers pending work. */
export interface Assign extends Node {
  kind: 'Assign';
  target: Path;
  op: AssignOp;
  value: Expr;
}
export interface AwaitAll extends Node {
  kind: 'AwaitAll';
  path: Path;
}

export interface Param extends Node {
  kind: 'Param';
  name: string;
  type: TypeRef;
}
/** One entry of a capture or constant block: `inner: outer;` or `name;` (inner === outer). */
export interface Capture extends Node {
  kind: 'Capture';
  inner: string;
  outer: string;
}

export interface FunctionDecl extends Node {
  kind: 'Function';
  modifiers: Modifier[];
  actor: boolean;
  name: string;
  params: Param[];
  membrane: MembraneSpec | null;
  captures: Capture[];
  body: Stmt[];
  handler: Stmt[] | null;
}
export interface MainDecl extends Node {
  kind: 'Main';
  modifiers: Modifier[];
  membrane: MembraneSpec | null;
  captures: Capture[];
  body: Stmt[];
  handler: Stmt[] | null;
}
/** `reentrant mutable merge utils.is_prime as is_prime(x int)<membrane<…>>::{ok_count;}{max_prime;}@[range_error];` */
export interface MergeDecl extends Node {
  kind: 'Merge';
  modifiers: Modifier[];
  actor: boolean;
  /** `['utils', 'is_prime']`: module `utils.mrm`, callable `is_prime`. */
  source: string[];
  name: string;
  params: Param[];
  membrane: MembraneSpec | null;
  captures: Capture[];
  constants: Capture[];
  /** The `@[…]` list of error names the callable may raise. */
  errors: string[];
}
export interface Return extends Node {
  kind: 'Return';
  values: Expr[];
}
export interface While extends Node {
  kind: 'While';
  cond: Expr;
  body: Stmt[];
}
export interface If extends Node {
  kind: 'If';
  cond: Expr;
  then: Stmt[];
  /** `else { … }` gives statements; `else if …` gives a one-element list holding that If. */
  else: Stmt[] | null;
}
export interface SwitchCase extends Node {
  kind: 'SwitchCase';
  label: string;
  body: Stmt[];
}
export interface Switch extends Node {
  kind: 'Switch';
  subject: Expr;
  cases: SwitchCase[];
}
export interface UseBinding extends Node {
  kind: 'UseBinding';
  path: string[];
  name: string;
}
/** `use ambient { io.cout as cout; };` */
export interface Use extends Node {
  kind: 'Use';
  source: string;
  bindings: UseBinding[];
}
/** `resolve_order lang.flow lang.type lang imported;` — '.' is kept as '.'. */
export interface ResolveOrder extends Node {
  kind: 'ResolveOrder';
  refs: string[];
}
/** `lang.assert e;` */
export interface Assert extends Node {
  kind: 'Assert';
  expr: Expr;
}
/** `app myApp lang ambient { … };` */
export interface App extends Node {
  kind: 'App';
  name: string;
  params: string[];
  body: Stmt[];
}

export type Stmt =
  | Doc
  | Decl
  | DataframeDecl
  | Ent
  | Alias
  | Freeze
  | CallStmt
  | Command
  | Assign
  | AwaitAll
  | FunctionDecl
  | MainDecl
  | MergeDecl
  | Return
  | While
  | If
  | Switch
  | Use
  | ResolveOrder
  | Assert
  | App;

export interface Program {
  kind: 'Program';
  file: string;
  /** `app` when the first non-doc statement is an App, else `script` (an implicit main). */
  form: 'app' | 'script';
  shebang: string | null;
  body: Stmt[];
  span: Span;
}
