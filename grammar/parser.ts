// The Merg-E grammar as a Chevrotain EmbeddedActionsParser: each rule returns its piece of the typed AST,
// built by src/ast/build.ts (the grammar holds no semantics of its own: precedence, literal values,
// statement shape and the checks that come with them are the builder's). No CST is built: that saved
// about a quarter of the parse time and of its memory.
//
// Factoring choices that keep it LL(1) almost everywhere, without backtracking:
// - the first token picks the statement: a keyword, a modifier or type name (a declaration), or a plain
//   identifier / `scope` (`pathStatement`), which parses the name chain first and then decides by the
//   next token: an assignment operator, further expressions (a command, `lang.assert e`), or nothing
//   (a call statement `f(x);`);
// - binary expressions are a flat operand/operator list (`expression`), reduced by precedence as the
//   operands come;
// - the statement terminator is `;`, or nothing when the next token is on a later line and can begin a
//   statement (or is `}`, a fence or the end of the file); the builder turns that into the MRG1011 warning.
// Small pieces (a statement's end, a type, a path, the first operand of an expression, the leading
// `.name`s of a chain) are inlined by helper methods instead of being rules of their own. Each helper
// uses DSL indices (5–9) that the rules calling it leave free. Lookahead decisions go through
// grammar/lookahead.ts (same answers as Chevrotain's LL(k), computed faster). The rules are recorded
// exactly as the earlier CstParser recorded them, so the railroad diagrams did not change.
//
// Error recovery (statementList): Chevrotain's own recovery is off. It re-scanned the rest of the file
// for every error (320 KB of bad lines took 29 s) and recovered inside a repetition by calling itself
// once per error (4,000 bad statements ran out of stack). Here a statement list catches the error of a
// statement, skips to the end of that statement, and goes on: every token is skipped at most once.
//
// Hot repetitions keep their state in fields (the name chain being built, the operand and operator
// stacks of `expression`) instead of allocating closures on every call; a statement that fails leaves
// them as they were at its start (statementList resets them).
import type { IOrAlt, IParserErrorMessageProvider, IRecognitionException, IToken, Rule, TokenType } from 'chevrotain';

import { AstBuilder, type Block, type Place } from '../src/ast/build.js';
import type * as A from '../src/ast/types.js';
import { chevrotain } from './chevrotain.js';
import { TrieLookahead, type LookaheadTable } from './lookahead.js';
import { LOOKAHEAD_TABLE } from './lookahead-table.js';
import { RECORDED_RULES } from './recorded-rules.js';
import { productionFromRecord, type RuleRecords } from './rule-records.js';
import { mergeErrorMessages } from './messages.js';
import * as T from './tokens.js';

const { EmbeddedActionsParser, EMPTY_ALT, EOF, getLookaheadPaths, isRecognitionException, MismatchedTokenException, NoViableAltException, tokenMatcher } = chevrotain;

type Alts = IOrAlt<unknown>[];

export const MAX_LOOKAHEAD = 3;

/** The token types the parser knows (EOF included), and by name: what the build-time tables name. */
const TOKENS: readonly TokenType[] = [...T.allTokens, EOF];
const TOKENS_BY_NAME: ReadonlyMap<string, TokenType> = new Map(TOKENS.map((t) => [t.name, t]));

// Option objects of hot CONSUME/SUBRULE calls, shared instead of rebuilt on every call. The labels name
// the pieces in the railroad diagrams.
export const HEAD = { LABEL: 'head' };
export const NAME = { LABEL: 'name' };
export const THEN = { LABEL: 'then' };
export const OTHERWISE = { LABEL: 'otherwise' };
export const ELSE_IF = { LABEL: 'elseIf' };
export const VALUE = { LABEL: 'value' };
export const PARTS = { LABEL: 'parts' };
export const ARGS = { LABEL: 'args' };
export const INDEX = { LABEL: 'index' };

/** Tokens that may begin a statement, close a block, or end the file: where a `;` may be left out. */
export const STATEMENT_BOUNDARY: TokenType[] = [
  T.Name,
  T.Scope,
  T.Modifier,
  T.App,
  T.Use,
  T.ResolveOrder,
  T.Ent,
  T.Alias,
  T.Freeze,
  T.AwaitAll,
  T.Return,
  T.While,
  T.If,
  T.Switch,
  T.Main,
  T.Function,
  T.Merge,
  T.Actor,
  T.Dataframe,
  T.Dag,
  T.Blocker,
  T.Fence,
  T.RCurly,
  EOF,
];

/** After `prev`, may a statement end without `;`? When `next` is on a later line and is a statement boundary. */
export function semicolonMayBeOmitted(prev: IToken, next: IToken): boolean {
  if (next.tokenType === EOF) return prev.tokenType !== EOF;
  if (prev.tokenType === EOF || !(next.startLine! > T.tokenEnd(prev).endLine)) return false;
  return STATEMENT_BOUNDARY.some((t) => tokenMatcher(next, t));
}

/** The tokens a statement can begin with: the boundary without `}` and the end of the file. */
export const STATEMENT_START: readonly TokenType[] = STATEMENT_BOUNDARY.filter((t) => t !== T.RCurly && t !== EOF);

/** Tokens dropped at once by releaseConsumed. */
const RELEASE_BATCH = 8192;

const OPENERS = new Set<TokenType>([T.LCurly, T.LParen, T.LBracket]);
const CLOSERS = new Set<TokenType>([T.RCurly, T.RParen, T.RBracket]);

/** Chevrotain internals the recovery uses (present in 11.2.0, checked by test/grammar/definition.test.ts). */
interface Internals {
  /** The token vector being parsed, and the index of the last token consumed (LA(0)). */
  tokVector: (IToken | undefined)[];
  tokVectorLength: number;
  currIdx: number;
  SAVE_ERROR(e: IRecognitionException): IRecognitionException;
  errorMessageProvider: IParserErrorMessageProvider;
  getCurrRuleFullName(): string;
  raiseNoAltException(occurrence: number, errMsgTypes: string | undefined): never;
}

/** A path's head and `.word`s as they are read (pathInline is never re-entered while it runs). */
interface PathParts {
  parts: string[];
  last: IToken | undefined;
}

export class MergeParser extends EmbeddedActionsParser {
  /** Builds the AST of the parse in progress (set by parseTokens). */
  b: AstBuilder = new AstBuilder('', []);

  // State of the hot repetitions (see the file header).
  private chain: A.Expr | undefined;
  private readonly values: A.Expr[] = [];
  private readonly pending: IToken[] = [];
  private exprBase = 0;
  private readonly prefixes: IToken[] = [];
  private readonly pathParts: PathParts = { parts: [], last: undefined };
  private readonly modifierTokens: IToken[] = [];
  private readonly argStack: A.Expr[] = [];
  private blockPlace: Place = 'block';
  /** Set by parseTokens: the tokens before LA(0) are dropped as statements end (see releaseConsumed). */
  releaseTokens = false;
  private released = 0;
  /** Tokens dropped from the front of the vector by readOn: positions Chevrotain keeps count from the file's first token. */
  private dropped = 0;
  /**
   * Set by parseTokens for a file lexed as it is read: the next tokens when the parser looks past the
   * end of the vector; null at the end of the file.
   */
  more: (() => IToken[] | null) | undefined;

  override LA(howMuch: number): IToken {
    const internals = this as unknown as Internals;
    if (this.more !== undefined && internals.currIdx + howMuch >= internals.tokVectorLength) this.readOn(internals.currIdx + howMuch);
    return super.LA(howMuch);
  }

  /** Chevrotain's unchecked LA (lookahead and recovery): its end-of-file sentinels stand for tokens not lexed yet. */
  protected override LA_FAST(howMuch: number): IToken {
    const t = (this as unknown as Internals).tokVector[(this as unknown as Internals).currIdx + howMuch]!;
    return t.tokenType === EOF && this.more !== undefined ? this.LA(howMuch) : t;
  }

  protected override SKIP_TOKEN(): IToken {
    this.LA(2); // the token after the one skipped is lexed
    return super.SKIP_TOKEN();
  }

  // Chevrotain compares positions (a repetition that consumed nothing stops): counted from the file's start.
  exportLexerState(): number {
    return (this as unknown as Internals).currIdx + this.dropped;
  }

  importLexerState(position: number): void {
    (this as unknown as Internals).currIdx = position - this.dropped;
  }

  /**
   * Reads on until the vector holds `index`. The tokens before LA(0) are read and built: the vector
   * starts afresh at LA(0), so it stays small and young (one ever-growing vector lived in the old
   * generation and kept every token it held alive through the collections of the young one). Chevrotain's
   * end-of-file sentinels stay at its end.
   */
  private readOn(index: number): void {
    const internals = this as unknown as Internals;
    let tokens = internals.tokVector;
    const sentinels: IToken[] = [];
    while (tokens.length > 0 && tokens[tokens.length - 1]?.tokenType === EOF) sentinels.push(tokens.pop()!);
    const from = internals.currIdx;
    if (from > 0) {
      tokens = internals.tokVector = tokens.slice(from);
      internals.currIdx = 0;
      this.dropped += from;
      this.released = 0;
      index -= from;
    }
    try {
      while (index >= tokens.length) {
        const next = this.more!();
        if (next === null) {
          this.more = undefined;
          break;
        }
        tokens = internals.tokVector = tokens.concat(next); // one allocation of the exact size
      }
    } finally {
      // Also when `more` throws (a file nesting too deeply ends the parse): the vector stays well-formed.
      internals.tokVectorLength = tokens.length;
      for (const t of sentinels) tokens.push(t);
    }
  }

  /** Rules recorded ahead of time, rebuilt instead of recorded (topLevelRuleRecord). */
  private recordedRules: RuleRecords | null = null;

  /**
   * `table`: lookahead paths computed ahead of time; `rules`: the rules recorded ahead of time (the
   * command-line bundles have both: grammar/lookahead-table.ts, grammar/recorded-rules.ts).
   */
  constructor(validate: boolean, table: LookaheadTable | null = LOOKAHEAD_TABLE, rules: RuleRecords | null = RECORDED_RULES) {
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: new TrieLookahead({ maxLookahead: MAX_LOOKAHEAD, table, tokens: TOKENS }),
      errorMessageProvider: mergeErrorMessages,
      skipValidations: !validate,
    });
    // Validating records the rules: Chevrotain's checks are of the recording.
    this.recordedRules = validate ? null : rules;
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain's GastRecorder.topLevelRuleRecord (11.2.0, called by performSelfAnalysis for each rule),
   * which records a rule by running it in recording mode; a rule with a record is rebuilt from it.
   */
  topLevelRuleRecord(name: string, impl: () => unknown): Rule {
    const record = this.recordedRules?.get(name);
    const rebuilt = record === undefined ? null : productionFromRecord(record, TOKENS_BY_NAME);
    if (rebuilt !== null) return rebuilt as Rule;
    return (EmbeddedActionsParser.prototype as unknown as { topLevelRuleRecord(this: MergeParser, n: string, i: () => unknown): Rule }).topLevelRuleRecord.call(this, name, impl);
  }

  // Speed: the alternatives of every OR, and the bodies of hot MANY/OPTIONs, are built once per parser
  // (fields) rather than on every call; Chevrotain only reads them. Fields initialise before
  // performSelfAnalysis records the rules, and every closure reads the DSL methods through `this` at call time.

  /** May the statement that just ended omit its `;`? */
  private semicolonMayBeOmitted(): boolean {
    return semicolonMayBeOmitted(this.LA(0), this.LA(1));
  }

  // ------------------------------------------------------------ statement lists and recovery

  /**
   * The statements of the file (`inBlock` false) or of a block, up to its `}`. While the grammar is
   * recorded this is the MANY it has always been; when parsing, a loop that recovers from each error.
   */
  private statementList(place: Place, inBlock: boolean): A.Stmt[] {
    if (this.RECORDING_PHASE) {
      this.MANY(this.oneStatement);
      return [];
    }
    const out: A.Stmt[] = [];
    let seenNonDoc = false;
    for (;;) {
      const next = this.LA(1);
      if (next.tokenType === EOF || (inBlock && next.tokenType === T.RCurly)) return out;
      if (!this.startsStatement(next)) {
        this.skipJunk(inBlock);
        continue;
      }
      let s: A.Stmt | null;
      try {
        s = this.SUBRULE(this.statement);
      } catch (e) {
        if (!isRecognitionException(e as Error)) throw e;
        this.recover(next);
        continue;
      }
      if (this.releaseTokens) this.releaseConsumed();
      if (s === null) continue; // the builder reported why and left it out
      this.b.placement(s, place, seenNonDoc);
      if (s.kind !== 'Doc') seenNonDoc = true;
      if (place === 'top' && this.b.topLevel !== null && !this.b.topLevel(s)) continue; // seen and dropped
      out.push(s);
    }
  }

  /**
   * Drops the tokens before LA(0) from the token vector: the parser only reads forward, so once a
   * statement is built its tokens are garbage, and a large file's tokens (about 80 bytes per source byte
   * for dense code) need not all live beside its whole AST. In batches, so it costs nothing per statement.
   */
  resetRelease(): void {
    this.released = 0;
    this.dropped = 0;
  }

  private releaseConsumed(): void {
    const internals = this as unknown as Internals;
    const upTo = internals.currIdx;
    if (upTo - this.released < RELEASE_BATCH) return;
    const tokens = internals.tokVector;
    for (let i = this.released; i < upTo; i++) tokens[i] = undefined;
    this.released = upTo;
  }

  private readonly oneStatement = (): void => {
    this.SUBRULE(this.statement);
  };

  /** Token type indices that begin a statement (categories expanded), built on first use. */
  private statementStarts: Uint8Array | undefined;

  private startsStatement(t: IToken): boolean {
    this.statementStarts ??= typeTable(STATEMENT_START);
    return this.statementStarts[t.tokenTypeIdx] === 1;
  }

  /** The expected paths of each OR, by rule and occurrence, for "expected …" messages (computed once, not per error). */
  private readonly noAltPaths = new Map<string, TokenType[][][]>();

  /**
   * Chevrotain's raiseNoAltException (11.2.0, error_handler.js), with the expected paths cached: it walked
   * the grammar again for every error, most of the time of a file full of them.
   */
  raiseNoAltException(occurrence: number, errMsgTypes: string | undefined): never {
    const internals = this as unknown as Internals;
    const ruleName = internals.getCurrRuleFullName();
    const key = `${ruleName}/${occurrence}`;
    let expectedPathsPerAlt = this.noAltPaths.get(key);
    if (expectedPathsPerAlt === undefined) {
      expectedPathsPerAlt = getLookaheadPaths({ occurrence, rule: this.getGAstProductions()[ruleName]!, prodType: 'Alternation', maxLookahead: MAX_LOOKAHEAD });
      this.noAltPaths.set(key, expectedPathsPerAlt);
    }
    const actual: IToken[] = [];
    for (let i = 1; i <= MAX_LOOKAHEAD; i++) actual.push(this.LA(i));
    const previous = this.LA(0);
    const message = internals.errorMessageProvider.buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, customUserDescription: errMsgTypes, ruleName });
    throw internals.SAVE_ERROR(new NoViableAltException(message, this.LA(1), previous));
  }

  /** Tokens that begin no statement: one error (`expected a statement` / `expected '}'`), then skipped. */
  private skipJunk(inBlock: boolean): void {
    const internals = this as unknown as Internals;
    const actual = this.LA(1);
    const expected = inBlock ? T.RCurly : EOF;
    const message = internals.errorMessageProvider.buildMismatchTokenMessage({ expected, actual, previous: this.LA(0), ruleName: inBlock ? 'block' : 'program' });
    internals.SAVE_ERROR(new MismatchedTokenException(message, actual, this.LA(0)));
    for (let t = this.LA(1); t.tokenType !== EOF && !(inBlock && t.tokenType === T.RCurly) && !this.startsStatement(t); t = this.LA(1)) this.SKIP_TOKEN();
  }

  /**
   * After a statement's error (already saved by Chevrotain): skips to just after the `;` that ends it,
   * or to the `}` of the enclosing block, or to a token that begins a statement at the start of a later
   * line — counting brackets opened on the way, so a block inside the statement is skipped whole.
   * Always moves past the statement's first token, so the list makes progress.
   */
  private recover(first: IToken): void {
    this.resetState();
    let depth = 0;
    for (let t = this.LA(1); t.tokenType !== EOF; t = this.LA(1)) {
      const type = t.tokenType;
      if (depth === 0 && t !== first && t.startLine! > this.LA(0).startLine! && this.startsStatement(t) && this.LA(0).tokenType !== EOF) return;
      if (OPENERS.has(type)) depth++;
      else if (CLOSERS.has(type)) {
        if (depth === 0 && type === T.RCurly && t !== first) return;
        if (depth > 0) depth--;
      } else if (type === T.Semicolon && depth === 0) {
        this.SKIP_TOKEN();
        return;
      }
      this.SKIP_TOKEN();
    }
  }

  /** The hot repetitions' state as it is between statements. */
  private resetState(): void {
    this.chain = undefined;
    this.values.length = 0;
    this.pending.length = 0;
    this.exprBase = 0;
    this.prefixes.length = 0;
    this.modifierTokens.length = 0;
    this.argStack.length = 0;
    this.blockPlace = 'block';
  }

  // ------------------------------------------------------------ inlined pieces (no rule of their own)

  /** `;`, or nothing at a line break before the next statement. Uses index 9. */
  private statementEnd(): IToken | undefined {
    return this.OR9(this.statementEndAlts) as IToken | undefined;
  }

  private readonly statementEndAlts: Alts = [
    { ALT: () => this.CONSUME9(T.Semicolon) },
    { GATE: () => this.semicolonMayBeOmitted(), ALT: EMPTY_ALT() },
  ];

  /** A type in declaration or parameter position: a type name, `dag` or `blocker`. Uses index 8. */
  private typeRef(): IToken {
    return this.OR8(this.typeRefAlts) as IToken;
  }

  private readonly typeRefAlts: Alts = [{ ALT: () => this.CONSUME8(T.TypeName) }, { ALT: () => this.CONSUME8(T.Dag) }, { ALT: () => this.CONSUME8(T.Blocker) }];

  /** `a.b.c` as `head`, then `Dot`/`Word` pairs (the first part may be `scope`). Uses index 7. */
  private pathInline(): A.Path {
    const head = this.OR7(this.pathHeadAlts) as IToken;
    const p = this.pathParts;
    p.parts = this.RECORDING_PHASE ? [] : [head.image];
    p.last = undefined;
    this.MANY7(this.pathPart);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.path(head, p.parts, p.last);
  }

  private readonly pathHeadAlts: Alts = [{ ALT: () => this.CONSUME7(T.Name, HEAD) }, { ALT: () => this.CONSUME7(T.Scope, HEAD) }];
  private readonly pathPart = (): void => {
    this.CONSUME7(T.Dot);
    const word = this.CONSUME7(T.Word);
    const p = this.pathParts;
    p.parts.push(word.image);
    p.last = word;
  };

  /** After a name: leading `.word`s inline, then `postfixOp`s (index, call, later members). Uses index 6. */
  private nameTail(head: A.Expr): A.Expr {
    const saved = this.chain;
    this.chain = head;
    this.MANY6(this.nameTailPart);
    this.MANY5(this.nameTailPostfix);
    const result = this.chain;
    this.chain = saved;
    return result;
  }

  private readonly nameTailPart = (): void => {
    this.CONSUME6(T.Dot);
    const word = this.CONSUME6(T.Word);
    if (!this.RECORDING_PHASE) this.chain = this.b.member(this.chain!, word);
  };
  private readonly nameTailPostfix = (): void => {
    this.SUBRULE6(this.postfixOp);
  };

  /** One operand: prefix operators, then a name chain, a literal, `( e )` or a special form. Uses index 5 (and 6). */
  private operandBody(): A.Expr {
    const base = this.prefixes.length;
    this.MANY(this.prefixOp);
    const atom = this.OR5(this.operandAlts) as A.Expr;
    if (this.RECORDING_PHASE) return atom;
    let expr = atom;
    // The innermost prefix is the last one written.
    while (this.prefixes.length > base) expr = this.b.unary(this.prefixes.pop()!, expr);
    return expr;
  }

  private readonly prefixOp = (): void => {
    const op = this.CONSUME5(T.UnaryOp);
    this.prefixes.push(op);
  };
  private readonly operandHeadAlts: Alts = [{ ALT: () => this.CONSUME5(T.Name, HEAD) }, { ALT: () => this.CONSUME5(T.Scope, HEAD) }];
  private readonly operandAlts: Alts = [
    {
      ALT: () => {
        const head = this.OR6(this.operandHeadAlts) as IToken;
        return this.nameTail(this.RECORDING_PHASE ? (undefined as never) : this.b.name(head));
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME5(T.IntLiteral);
        return this.RECORDING_PHASE ? undefined : this.b.intLit(t);
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME5(T.DecimalLiteral);
        return this.RECORDING_PHASE ? undefined : this.b.decimalLit(t);
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME5(T.StringLiteral);
        return this.RECORDING_PHASE ? undefined : this.b.stringLit(t);
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME5(T.True);
        return this.RECORDING_PHASE ? undefined : this.b.boolLit(t, true);
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME5(T.False);
        return this.RECORDING_PHASE ? undefined : this.b.boolLit(t, false);
      },
    },
    {
      ALT: () => {
        this.CONSUME5(T.LParen);
        const e = this.SUBRULE5(this.expression);
        this.CONSUME5(T.RParen);
        return e;
      },
    },
    { ALT: () => this.SUBRULE5(this.membraneExpr) },
    { ALT: () => this.SUBRULE5(this.pruneExpr) },
    { ALT: () => this.SUBRULE5(this.vectorizeExpr) },
  ];

  // ------------------------------------------------------------ program and statements

  program = this.RULE('program', (): A.Stmt[] => this.statementList('top', false));

  block = this.RULE('block', (): Block => {
    const place = this.blockPlace;
    this.blockPlace = 'block';
    const open = this.CONSUME(T.LCurly);
    const body = this.statementList(place, true);
    const close = this.CONSUME(T.RCurly);
    return this.RECORDING_PHASE ? (undefined as never) : { body, span: this.b.between(open, close) };
  });

  statement = this.RULE('statement', (): A.Stmt | null => {
    return this.OR1(this.statementAlts) as A.Stmt | null;
  });

  private readonly modifier = (): void => {
    const t = this.CONSUME(T.Modifier);
    this.modifierTokens.push(t);
  };
  /** The modifiers just read, for the declaration rule that follows them (read at its start, before any nested statement). */
  private takeModifiers(): { modifiers: A.Modifier[]; start: IToken | undefined } {
    if (this.RECORDING_PHASE) return { modifiers: [], start: undefined };
    const tokens = this.modifierTokens;
    if (tokens.length === 0) return { modifiers: [], start: undefined };
    const start = tokens[0];
    const modifiers = this.b.modifiers(tokens);
    tokens.length = 0;
    return { modifiers, start };
  }
  private readonly declarationAlts: Alts = [
    { ALT: () => this.SUBRULE(this.functionDecl) },
    { ALT: () => this.SUBRULE(this.mergeDecl) },
    { ALT: () => this.SUBRULE(this.mainDecl) },
    { ALT: () => this.SUBRULE(this.dataframeDecl) },
    { ALT: () => this.SUBRULE(this.variableDecl) },
  ];
  private readonly statementKindAlts: Alts = [
    { ALT: () => this.SUBRULE(this.appStatement) },
    { ALT: () => this.SUBRULE(this.useStatement) },
    { ALT: () => this.SUBRULE(this.resolveOrderStatement) },
    { ALT: () => this.SUBRULE(this.entStatement) },
    { ALT: () => this.SUBRULE(this.aliasStatement) },
    { ALT: () => this.SUBRULE(this.freezeStatement) },
    { ALT: () => this.SUBRULE(this.awaitAllStatement) },
    { ALT: () => this.SUBRULE(this.returnStatement) },
    { ALT: () => this.SUBRULE(this.whileStatement) },
    { ALT: () => this.SUBRULE(this.ifStatement) },
    { ALT: () => this.SUBRULE(this.switchStatement) },
    {
      // A declaration: modifiers, then what is declared.
      ALT: () => {
        this.modifierTokens.length = 0;
        this.MANY(this.modifier);
        return this.OR3(this.declarationAlts);
      },
    },
    { ALT: () => this.SUBRULE(this.pathStatement) },
  ];
  private readonly statementAlts: Alts = [
    {
      ALT: () => {
        const fence = this.CONSUME(T.Fence);
        return this.RECORDING_PHASE ? undefined : this.b.doc(fence);
      },
    },
    {
      ALT: () => {
        const s = this.OR2(this.statementKindAlts) as A.Stmt | null;
        const semicolon = this.statementEnd();
        if (this.RECORDING_PHASE || s === null) return null;
        this.b.endOfStatement(s.span, semicolon);
        return s;
      },
    },
  ];

  appStatement = this.RULE('appStatement', (): A.App => {
    const kw = this.CONSUME(T.App);
    const name = this.CONSUME1(T.Name, { LABEL: 'name' });
    const params: IToken[] = [];
    this.MANY(() => {
      params.push(this.CONSUME2(T.Name, { LABEL: 'params' }));
    });
    this.blockPlace = 'app';
    const block = this.SUBRULE(this.block);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.app(kw, name, params, block);
  });

  useStatement = this.RULE('useStatement', (): A.Use => {
    const kw = this.CONSUME(T.Use);
    const source = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const bindings: A.UseBinding[] = [];
    this.MANY(() => {
      bindings.push(this.SUBRULE(this.useBinding));
    });
    const close = this.CONSUME(T.RCurly);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.use(kw, source, bindings, close);
  });

  useBinding = this.RULE('useBinding', (): A.UseBinding => {
    const path = this.SUBRULE(this.dottedName);
    this.CONSUME(T.As);
    const name = this.CONSUME(T.Name);
    const semicolon = this.statementEnd();
    return this.RECORDING_PHASE ? (undefined as never) : this.b.useBinding(path, name, semicolon);
  });

  resolveOrderStatement = this.RULE('resolveOrderStatement', (): A.ResolveOrder => {
    const kw = this.CONSUME(T.ResolveOrder);
    const refs = [this.SUBRULE1(this.nsRef)];
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(T.Comma));
      refs.push(this.SUBRULE2(this.nsRef));
    });
    return this.RECORDING_PHASE ? (undefined as never) : this.b.resolveOrder(kw, refs);
  });

  nsRef = this.RULE('nsRef', (): { text: string; span: A.Span } => this.OR(this.nsRefAlts) as { text: string; span: A.Span });

  private readonly nsRefAlts: Alts = [
    {
      ALT: () => {
        const dn = this.SUBRULE(this.dottedName);
        return this.RECORDING_PHASE ? undefined : { text: dn.parts.join('.'), span: dn.span };
      },
    },
    {
      ALT: () => {
        const dot = this.CONSUME(T.Dot);
        return this.RECORDING_PHASE ? undefined : { text: '.', span: this.b.span(dot) };
      },
    },
  ];

  entStatement = this.RULE('entStatement', (): A.Ent => {
    const kw = this.CONSUME(T.Ent);
    const target = this.pathInline();
    const value = this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    const name = this.CONSUME(T.Name, NAME);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.ent(kw, target, value, name);
  });

  aliasStatement = this.RULE('aliasStatement', (): A.Alias => {
    const kw = this.CONSUME(T.Alias);
    const path = this.pathInline();
    this.CONSUME(T.As);
    const name = this.CONSUME(T.Name, NAME);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.alias(kw, path, name);
  });

  freezeStatement = this.RULE('freezeStatement', (): A.Freeze => {
    const kw = this.CONSUME(T.Freeze);
    const path = this.pathInline();
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Freeze', path, span: this.b.from(kw, path.span) };
  });

  awaitAllStatement = this.RULE('awaitAllStatement', (): A.AwaitAll => {
    const kw = this.CONSUME(T.AwaitAll);
    const path = this.pathInline();
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'AwaitAll', path, span: this.b.from(kw, path.span) };
  });

  returnStatement = this.RULE('returnStatement', (): A.Return => {
    const kw = this.CONSUME(T.Return);
    const values: A.Expr[] = [];
    this.MANY(() => {
      values.push(this.SUBRULE(this.expression));
    });
    return this.RECORDING_PHASE ? (undefined as never) : this.b.returnStatement(kw, values);
  });

  whileStatement = this.RULE('whileStatement', (): A.While => {
    const kw = this.CONSUME(T.While);
    const cond = this.SUBRULE(this.expression);
    const block = this.SUBRULE(this.block);
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'While', cond, body: block.body, span: this.b.from(kw, block.span) };
  });

  ifStatement = this.RULE('ifStatement', (): A.If => {
    const kw = this.CONSUME(T.If);
    const cond = this.SUBRULE(this.expression);
    const then = this.SUBRULE1(this.block, THEN);
    let otherwise: Block | A.If | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Else);
      otherwise = this.OR(this.elseAlts) as Block | A.If;
    });
    return this.RECORDING_PHASE ? (undefined as never) : this.b.ifStatement(kw, cond, then, otherwise);
  });

  private readonly elseAlts: Alts = [{ ALT: () => this.SUBRULE2(this.block, OTHERWISE) }, { ALT: () => this.SUBRULE(this.ifStatement, ELSE_IF) }];

  switchStatement = this.RULE('switchStatement', (): A.Switch => {
    const kw = this.CONSUME(T.Switch);
    const subject = this.SUBRULE(this.expression);
    this.CONSUME(T.LCurly);
    const cases: A.SwitchCase[] = [];
    this.MANY(() => {
      cases.push(this.SUBRULE(this.switchCase));
    });
    const close = this.CONSUME(T.RCurly);
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Switch', subject, cases, span: this.b.between(kw, close) };
  });

  switchCase = this.RULE('switchCase', (): A.SwitchCase => {
    const label = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const block = this.SUBRULE(this.block);
    const semicolon = this.statementEnd();
    return this.RECORDING_PHASE ? (undefined as never) : this.b.switchCase(label, block, semicolon);
  });

  // ------------------------------------------------------------ declarations

  private readonly initializer = (): A.Expr => {
    this.CONSUME(T.Assign);
    return this.SUBRULE(this.expression);
  };

  variableDecl = this.RULE('variableDecl', (): A.Decl => {
    const { modifiers, start } = this.takeModifiers();
    const typeTok = this.typeRef();
    const type = this.RECORDING_PHASE ? (undefined as never) : this.b.typeRefOf(typeTok);
    const target = this.pathInline();
    const init = this.OPTION(this.initializer) ?? null;
    return this.RECORDING_PHASE ? (undefined as never) : this.b.decl(modifiers, start, typeTok, type, target, init);
  });

  dataframeDecl = this.RULE('dataframeDecl', (): A.DataframeDecl => {
    const { modifiers, start } = this.takeModifiers();
    const kw = this.CONSUME(T.Dataframe);
    const target = this.pathInline();
    const columns = [this.SUBRULE1(this.column)];
    this.MANY(() => {
      this.CONSUME(T.Comma);
      columns.push(this.SUBRULE2(this.column));
    });
    return this.RECORDING_PHASE ? (undefined as never) : this.b.dataframeDecl(modifiers, start, kw, target, columns);
  });

  column = this.RULE('column', (): A.Column => {
    const typeTok = this.CONSUME(T.TypeName);
    const type = this.RECORDING_PHASE ? (undefined as never) : this.b.typeOf(typeTok);
    const name = this.CONSUME(T.Name);
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Column', type, name: name.image, span: this.b.between(typeTok, name) };
  });

  functionDecl = this.RULE('functionDecl', (): A.FunctionDecl => {
    const { modifiers, start } = this.takeModifiers();
    const actor = this.OPTION1(() => this.CONSUME(T.Actor));
    const kw = this.CONSUME(T.Function);
    const name = this.CONSUME(T.Name);
    const params = this.SUBRULE(this.paramList);
    const membrane = this.OPTION2(() => this.SUBRULE(this.membraneArg)) ?? null;
    this.CONSUME(T.DoubleColon);
    const captures = this.SUBRULE(this.captures);
    const body = this.SUBRULE(this.block);
    const handler = this.OPTION3(() => this.SUBRULE(this.handler)) ?? null;
    if (this.RECORDING_PHASE) return undefined as never;
    const span = this.b.from(start ?? actor ?? kw, (handler ?? body).span);
    return { kind: 'Function', modifiers, actor: actor !== undefined, name: name.image, params, membrane, captures: captures.list, body: body.body, handler: handler?.body ?? null, span };
  });

  mainDecl = this.RULE('mainDecl', (): A.MainDecl => {
    const { modifiers, start } = this.takeModifiers();
    const kw = this.CONSUME(T.Main);
    this.CONSUME(T.LParen);
    this.CONSUME(T.RParen);
    const membrane = this.OPTION1(() => this.SUBRULE(this.membraneArg)) ?? null;
    this.CONSUME(T.DoubleColon);
    const captures = this.SUBRULE(this.captures);
    const body = this.SUBRULE(this.block);
    const handler = this.OPTION2(() => this.SUBRULE(this.handler)) ?? null;
    if (this.RECORDING_PHASE) return undefined as never;
    const span = this.b.from(start ?? kw, (handler ?? body).span);
    return { kind: 'Main', modifiers, membrane, captures: captures.list, body: body.body, handler: handler?.body ?? null, span };
  });

  mergeDecl = this.RULE('mergeDecl', (): A.MergeDecl => {
    const { modifiers, start } = this.takeModifiers();
    const actor = this.OPTION1(() => this.CONSUME(T.Actor));
    const kw = this.CONSUME(T.Merge);
    const source = this.SUBRULE(this.dottedName);
    this.CONSUME(T.As);
    const name = this.CONSUME1(T.Name, NAME);
    const params = this.SUBRULE(this.paramList);
    const membrane = this.OPTION2(() => this.SUBRULE(this.membraneArg)) ?? null;
    this.CONSUME(T.DoubleColon);
    const captures = this.SUBRULE1(this.captures, { LABEL: 'captures' });
    const constants = this.SUBRULE2(this.captures, { LABEL: 'constants' });
    const errors: string[] = [];
    const close = this.OPTION3(() => {
      this.CONSUME(T.At);
      this.CONSUME(T.LBracket);
      errors.push(this.CONSUME2(T.Name, { LABEL: 'errors' }).image);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        errors.push(this.CONSUME3(T.Name, { LABEL: 'errors' }).image);
      });
      return this.CONSUME(T.RBracket);
    });
    if (this.RECORDING_PHASE) return undefined as never;
    const end = close !== undefined ? this.b.span(close) : constants.span;
    return {
      kind: 'Merge',
      modifiers,
      actor: actor !== undefined,
      source: source.parts,
      name: name.image,
      params,
      membrane,
      captures: captures.list,
      constants: constants.list,
      errors,
      span: this.b.from(start ?? actor ?? kw, end),
    };
  });

  paramList = this.RULE('paramList', (): A.Param[] => {
    const params: A.Param[] = [];
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      params.push(this.SUBRULE1(this.param));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        params.push(this.SUBRULE2(this.param));
      });
    });
    this.CONSUME(T.RParen);
    return params;
  });

  param = this.RULE('param', (): A.Param => {
    const name = this.CONSUME(T.Name);
    const typeTok = this.typeRef();
    if (this.RECORDING_PHASE) return undefined as never;
    const type = this.b.typeRefOf(typeTok);
    return { kind: 'Param', name: name.image, type, span: this.b.joinTo(this.b.span(name), type.span) };
  });

  /** `<membrane<quota<15,0,0>>>` before a callable's `::` */
  membraneArg = this.RULE('membraneArg', (): A.MembraneSpec => {
    this.CONSUME(T.Less);
    const spec = this.SUBRULE(this.membraneSpec);
    this.CONSUME(T.Greater);
    return spec;
  });

  /** `membrane<quota<80, 40, 30>>` or `membrane<copy_on_mutate>` */
  membraneSpec = this.RULE('membraneSpec', (): A.MembraneSpec => {
    const kw = this.CONSUME(T.Membrane);
    this.CONSUME1(T.Less);
    const quota = this.OR(this.membraneKindAlts) as IToken[] | undefined;
    const close = this.CONSUME2(T.Greater);
    return this.RECORDING_PHASE ? (undefined as never) : this.b.membraneSpec(kw, quota, close);
  });

  private readonly membraneKindAlts: Alts = [
    {
      ALT: () => {
        this.CONSUME(T.Quota);
        this.CONSUME2(T.Less);
        const total = this.CONSUME1(T.IntLiteral);
        this.CONSUME1(T.Comma);
        const direct = this.CONSUME2(T.IntLiteral);
        this.CONSUME2(T.Comma);
        const overcommit = this.CONSUME3(T.IntLiteral);
        this.CONSUME1(T.Greater);
        return [total, direct, overcommit];
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.CopyOnMutate);
        return undefined;
      },
    },
  ];

  /** `{ a; b: c, }` — entries `inner[: outer]` separated by `;` or `,`, a trailing one allowed. */
  captures = this.RULE('captures', (): { list: A.Capture[]; span: A.Span } => {
    const open = this.CONSUME(T.LCurly);
    const list: A.Capture[] = [];
    this.OPTION1(() => {
      list.push(this.SUBRULE1(this.capture));
      this.MANY(() => {
        this.OR1(this.separatorAlts1);
        list.push(this.SUBRULE2(this.capture));
      });
      this.OPTION2(() => {
        this.OR2(this.separatorAlts2);
      });
    });
    const close = this.CONSUME(T.RCurly);
    return this.RECORDING_PHASE ? (undefined as never) : { list, span: this.b.between(open, close) };
  });

  private readonly separatorAlts1: Alts = [{ ALT: () => this.CONSUME1(T.Semicolon) }, { ALT: () => this.CONSUME1(T.Comma) }];
  private readonly separatorAlts2: Alts = [{ ALT: () => this.CONSUME2(T.Semicolon) }, { ALT: () => this.CONSUME2(T.Comma) }];

  capture = this.RULE('capture', (): A.Capture => {
    const inner = this.CONSUME1(T.Name, { LABEL: 'inner' });
    const outer = this.OPTION(() => {
      this.CONSUME(T.Colon);
      return this.CONSUME2(T.Name, { LABEL: 'outer' });
    });
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Capture', inner: inner.image, outer: (outer ?? inner).image, span: this.b.between(inner, outer ?? inner) };
  });

  handler = this.RULE('handler', (): Block => {
    this.CONSUME(T.Handler);
    return this.SUBRULE(this.block);
  });

  // ------------------------------------------------------------ name-led statements and names

  /** `x = e`, `b += f(x)`, `f(x)`, `cout "a" n endl`, `lang.assert e` — told apart after the name chain. */
  pathStatement = this.RULE('pathStatement', (): A.Stmt | null => {
    const head = this.OR1(this.pathStatementHeadAlts) as IToken;
    const lhs = this.nameTail(this.RECORDING_PHASE ? (undefined as never) : this.b.name(head));
    const rest = this.OPTION(this.pathStatementRest) as { op: IToken; value: A.Expr } | A.Expr[] | undefined;
    return this.RECORDING_PHASE ? null : this.b.pathStatement(lhs, rest);
  });

  private readonly pathStatementHeadAlts: Alts = [{ ALT: () => this.CONSUME(T.Identifier, HEAD) }, { ALT: () => this.CONSUME(T.Scope, HEAD) }];
  private commandParts: A.Expr[] = [];
  private readonly commandPart = (): void => {
    const part = this.SUBRULE2(this.expression, PARTS);
    this.commandParts.push(part);
  };
  private readonly pathStatementRestAlts: Alts = [
    {
      ALT: () => {
        const op = this.CONSUME(T.AssignOp);
        const value = this.SUBRULE1(this.expression, VALUE);
        return { op, value };
      },
    },
    {
      ALT: () => {
        // Command parts are expressions, which never hold a statement: no nesting of this list.
        const parts: A.Expr[] = (this.commandParts = []);
        this.AT_LEAST_ONE(this.commandPart);
        return parts;
      },
    },
  ];
  private readonly pathStatementRest = (): unknown => this.OR2(this.pathStatementRestAlts);

  /** A dotted path as its own rule (where several stand side by side: `vectorize f in out`). */
  path = this.RULE('path', (): A.Path => this.pathInline());

  /** `utils.is_prime`, `io.cout`, `lang.flow` — words joined by dots. */
  dottedName = this.RULE('dottedName', (): { parts: string[]; span: A.Span } => {
    const first = this.CONSUME1(T.Word);
    const parts = this.RECORDING_PHASE ? [] : [first.image];
    let last = first;
    this.MANY({
      // `resolve_order … imported .;`: a dot followed by no word is the next reference, not part of this one.
      GATE: this.dotWordFollows,
      DEF: () => {
        this.CONSUME(T.Dot);
        last = this.CONSUME2(T.Word);
        parts.push(last.image);
      },
    });
    return this.RECORDING_PHASE ? (undefined as never) : { parts: parts.slice(), span: this.b.between(first, last) };
  });

  private readonly dotWordFollows = (): boolean => tokenMatcher(this.LA(2), T.Word);

  // ------------------------------------------------------------ expressions

  /** Operands joined by binary operators, flat, reduced by precedence as they come. The first operand is inline. */
  expression = this.RULE('expression', (): A.Expr => {
    const first = this.operandBody();
    const savedBase = this.exprBase;
    const base = (this.exprBase = this.pending.length);
    this.values.push(first);
    this.MANY1(this.binaryTail);
    this.exprBase = savedBase;
    if (this.RECORDING_PHASE) {
      this.values.length = 0;
      return undefined as never;
    }
    while (this.pending.length > base) this.b.reduce(this.values, this.pending);
    return this.values.pop()!;
  });

  private readonly binaryTail = (): void => {
    const op = this.CONSUME1(T.BinaryOp);
    const operand = this.SUBRULE1(this.operand);
    if (this.RECORDING_PHASE) return;
    // All binary operators are left-associative: fold what binds at least as tightly first.
    this.b.reduceFor(op, this.values, this.pending, this.exprBase);
    this.pending.push(op);
    this.values.push(operand);
  };

  operand = this.RULE('operand', (): A.Expr => this.operandBody());

  /**
   * Index `[e]`, call `(e e, e)`, or a member `.name` after one of them, applied to the chain being built
   * (nameTail's `chain`: a chain nested in the index or the arguments restores it when it ends).
   */
  postfixOp = this.RULE('postfixOp', (): void => {
    this.OR(this.postfixAlts);
  });

  private readonly callArgument = (): void => {
    this.argStack.push(this.SUBRULE2(this.expression, ARGS));
    this.OPTION(this.optionalComma);
  };
  private readonly optionalComma = (): void => {
    this.CONSUME(T.Comma);
  };
  private readonly postfixAlts: Alts = [
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        const index = this.SUBRULE1(this.expression, INDEX);
        const close = this.CONSUME(T.RBracket);
        if (!this.RECORDING_PHASE) this.chain = this.b.index(this.chain!, index, close);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        const base = this.argStack.length;
        this.MANY(this.callArgument);
        const close = this.CONSUME(T.RParen);
        if (!this.RECORDING_PHASE) this.chain = this.b.call(this.chain!, this.argStack.splice(base), close);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.Dot);
        const word = this.CONSUME(T.Word);
        if (!this.RECORDING_PHASE) this.chain = this.b.member(this.chain!, word);
      },
    },
  ];

  membraneExpr = this.RULE('membraneExpr', (): A.Expr => {
    const membrane = this.SUBRULE(this.membraneSpec);
    const target = this.SUBRULE(this.operand);
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Membrane', membrane, target, span: this.b.joinTo(membrane.span, target.span) };
  });

  pruneExpr = this.RULE('pruneExpr', (): A.Expr => {
    const kw = this.CONSUME(T.Prune);
    const path = this.pathInline();
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Prune', path, span: this.b.from(kw, path.span) };
  });

  vectorizeExpr = this.RULE('vectorizeExpr', (): A.Expr => {
    const kw = this.CONSUME(T.Vectorize);
    const fn = this.SUBRULE1(this.path, { LABEL: 'fn' });
    const input = this.SUBRULE2(this.path, { LABEL: 'input' });
    const output = this.SUBRULE3(this.path, { LABEL: 'output' });
    return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Vectorize', fn, input, output, span: this.b.from(kw, output.span) };
  });
}

/** A table by token type index: 1 for each type that matches one of `types` (a category matches its members). */
export function typeTable(types: readonly TokenType[]): Uint8Array {
  const candidates = [...T.allTokens, EOF];
  const table = new Uint8Array(Math.max(...candidates.map((c) => c.tokenTypeIdx!)) + 1);
  for (const candidate of candidates) {
    if (types.some((t) => tokenMatcher({ tokenTypeIdx: candidate.tokenTypeIdx!, tokenType: candidate } as IToken, t))) table[candidate.tokenTypeIdx!] = 1;
  }
  return table;
}

/** Parser instances by nesting depth: [0] serves every parse; a parse started inside one gets the next. */
const parsers: MergeParser[] = [];
let depth = 0;
/** The parser of the parse that ended last. */
let lastUsed: MergeParser | undefined;

/** The one parser instance, built (self-analysed) on first use and reused for every parse. */
export function mergeParser(): MergeParser {
  return parserAt(0);
}

function parserAt(level: number): MergeParser {
  let p = parsers[level];
  if (p === undefined) {
    p = new MergeParser(T.validateGrammar());
    parsers[level] = p;
  }
  return p;
}

/** The parser of the parse that ended last (its errors, after a parse that threw). */
export function lastParser(): MergeParser {
  return lastUsed ?? mergeParser();
}

/**
 * Parses a token vector into the statements of a whole file, built by `builder`; errors are left in
 * `parser.errors`. With `release`, the vector's entries are cleared as they are parsed (the caller
 * hands over tokens it no longer needs).
 */
export function parseTokens(tokens: IToken[], builder: AstBuilder, release = false, more?: () => IToken[] | null): { body: A.Stmt[]; parser: MergeParser } {
  // A parse inside a parse (a module a streaming check reads while the program is parsed) gets a
  // parser of its own: the one in use is in the middle of its file.
  const p = parserAt(depth++);
  p.b = builder;
  p.input = tokens;
  p.releaseTokens = release;
  p.more = more;
  try {
    return { body: p.program(), parser: p };
  } finally {
    // The parser is reused: it keeps neither this parse's AST and diagnostics nor its tokens.
    p.b = new AstBuilder('', []);
    p.releaseTokens = false;
    p.more = undefined;
    p.resetRelease();
    const errors = p.errors;
    p.input = [];
    p.errors = errors;
    depth--;
    lastUsed = p;
  }
}
