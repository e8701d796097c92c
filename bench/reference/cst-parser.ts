// REFERENCE ONLY (bench/reference): the CstParser the grammar was before it became an
// EmbeddedActionsParser (grammar/parser.ts), kept with its CST → AST builder (cst-build.ts) as the
// reference that test/grammar/equivalence.test.ts holds the new parser to. Not used by merg-e itself.
// The Merg-E grammar as a Chevrotain CstParser with error recovery. Syntax only: names, precedence,
// literal values and statement placement are the AST builder's business (src/ast/build.ts).
//
// Factoring choices that keep it LL(1) almost everywhere, without backtracking:
// - the first token picks the statement: a keyword, a modifier or type name (a declaration), or a plain
//   identifier / `scope` (`pathStatement`), which parses the name chain first and then decides by the
//   next token: an assignment operator, further expressions (a command, `lang.assert e`), or nothing
//   (a call statement `f(x);`);
// - binary expressions are a flat operand/operator list (`expression`); precedence climbing happens in
//   the builder;
// - the statement terminator is `;`, or nothing when the next token is on a later line and can begin a
//   statement (or is `}`, a fence or the end of the file); the builder turns that into the MRG1011 warning.
// For speed the CST is kept shallow: small pieces (a statement's end, a type, a path, the first operand
// of an expression, the leading `.name`s of a chain) are inlined by helper methods instead of being rules
// of their own. Each helper uses DSL indices (5–9) that the rules calling it leave free. Lookahead
// decisions go through grammar/lookahead.ts (same answers as Chevrotain's LL(k), computed faster).
import type { CstNode, IOrAlt, IToken } from 'chevrotain';

import { chevrotain } from '../../grammar/chevrotain.js';
import { TrieLookahead } from '../../grammar/lookahead.js';
import { mergeErrorMessages } from '../../grammar/messages.js';
import * as T from '../../grammar/tokens.js';
import { ARGS, ELSE_IF, HEAD, INDEX, MAX_LOOKAHEAD, NAME, OTHERWISE, PARTS, semicolonMayBeOmitted, THEN, VALUE } from '../../grammar/parser.js';

const { CstParser, EMPTY_ALT, tokenMatcher } = chevrotain;

type Alts = IOrAlt<unknown>[];

export class MergeParser extends CstParser {
  constructor(validate: boolean) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: new TrieLookahead({ maxLookahead: MAX_LOOKAHEAD }),
      errorMessageProvider: mergeErrorMessages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
    if (validate) assertPlainChildrenSafe(this);
  }

  /**
   * Each CST node's `children` as a plain object literal. Chevrotain 11.2.0 (pinned) builds it with
   * `Object.create(null)`, which V8 keeps as a slow hash table: parsing then spends about a third of its
   * time inserting into (and collecting) those tables, and the AST builder reading them. Same node, same
   * keys, only the prototype differs: safe because no rule, token or label name is an Object.prototype
   * property (checked with the grammar validations, see assertPlainChildrenSafe). This replaces an
   * internal TreeBuilder method that does exactly this plus a node-location hook, which is a no-op here
   * (no nodeLocationTracking).
   */
  cstInvocationStateUpdate(ruleName: string): void {
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push({ name: ruleName, children: {} });
  }

  // Speed: the alternatives of every OR, and the bodies of hot MANY/OPTIONs, are built once per parser
  // (fields) rather than on every call; Chevrotain only reads them. Fields initialise before
  // performSelfAnalysis records the rules, and every closure reads the DSL methods through `this` at call time.

  private semicolonMayBeOmitted(): boolean {
    return semicolonMayBeOmitted(this.LA(0), this.LA(1));
  }

  // ------------------------------------------------------------ inlined pieces (no CST node of their own)

  /** `;`, or nothing at a line break before the next statement. Uses index 9. */
  private statementEnd(): void {
    this.OR9(this.statementEndAlts);
  }

  private readonly statementEndAlts: Alts = [
    { ALT: () => this.CONSUME9(T.Semicolon) },
    { GATE: () => this.semicolonMayBeOmitted(), ALT: EMPTY_ALT() },
  ];

  /** A type in declaration or parameter position: `head` is a type name, `dag` or `blocker`. Uses index 8. */
  private typeRef(): void {
    this.OR8(this.typeRefAlts);
  }

  private readonly typeRefAlts: Alts = [{ ALT: () => this.CONSUME8(T.TypeName) }, { ALT: () => this.CONSUME8(T.Dag) }, { ALT: () => this.CONSUME8(T.Blocker) }];

  /** `a.b.c` as `head`, then `Dot`/`Word` pairs (the first part may be `scope`). Uses index 7. */
  private pathInline(): void {
    this.OR7(this.pathHeadAlts);
    this.MANY7(this.pathPart);
  }

  private readonly pathHeadAlts: Alts = [{ ALT: () => this.CONSUME7(T.Name, HEAD) }, { ALT: () => this.CONSUME7(T.Scope, HEAD) }];
  private readonly pathPart = (): void => {
    this.CONSUME7(T.Dot);
    this.CONSUME7(T.Word);
  };

  /** After a name: leading `.word`s inline, then `postfixOp` nodes (index, call, later members). Uses index 6. */
  private nameTail(): void {
    this.MANY6(this.nameTailPart);
    this.MANY5(this.nameTailPostfix);
  }

  private readonly nameTailPart = (): void => {
    this.CONSUME6(T.Dot);
    this.CONSUME6(T.Word);
  };
  private readonly nameTailPostfix = (): void => {
    this.SUBRULE6(this.postfixOp);
  };

  /** One operand: prefix operators, then a name chain, a literal, `( e )` or a special form. Uses index 5 (and 6). */
  private operandBody(): void {
    this.MANY(this.prefixOp);
    this.OR5(this.operandAlts);
  }

  private readonly prefixOp = (): void => {
    this.CONSUME5(T.UnaryOp);
  };
  private readonly operandHeadAlts: Alts = [{ ALT: () => this.CONSUME5(T.Name, HEAD) }, { ALT: () => this.CONSUME5(T.Scope, HEAD) }];
  private readonly operandAlts: Alts = [
    {
      ALT: () => {
        this.OR6(this.operandHeadAlts);
        this.nameTail();
      },
    },
    { ALT: () => this.CONSUME5(T.IntLiteral) },
    { ALT: () => this.CONSUME5(T.DecimalLiteral) },
    { ALT: () => this.CONSUME5(T.StringLiteral) },
    { ALT: () => this.CONSUME5(T.True) },
    { ALT: () => this.CONSUME5(T.False) },
    {
      ALT: () => {
        this.CONSUME5(T.LParen);
        this.SUBRULE5(this.expression);
        this.CONSUME5(T.RParen);
      },
    },
    { ALT: () => this.SUBRULE5(this.membraneExpr) },
    { ALT: () => this.SUBRULE5(this.pruneExpr) },
    { ALT: () => this.SUBRULE5(this.vectorizeExpr) },
  ];

  // ------------------------------------------------------------ program and statements

  private readonly oneStatement = (): void => {
    this.SUBRULE(this.statement);
  };

  program = this.RULE('program', () => {
    this.MANY(this.oneStatement);
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LCurly);
    this.MANY(this.oneStatement);
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE('statement', () => {
    this.OR1(this.statementAlts);
  });

  private readonly modifier = (): void => {
    this.CONSUME(T.Modifier);
  };
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
        this.MANY(this.modifier);
        this.OR3(this.declarationAlts);
      },
    },
    { ALT: () => this.SUBRULE(this.pathStatement) },
  ];
  private readonly statementAlts: Alts = [
    { ALT: () => this.CONSUME(T.Fence) },
    {
      ALT: () => {
        this.OR2(this.statementKindAlts);
        this.statementEnd();
      },
    },
  ];

  appStatement = this.RULE('appStatement', () => {
    this.CONSUME(T.App);
    this.CONSUME1(T.Name, { LABEL: 'name' });
    this.MANY(() => this.CONSUME2(T.Name, { LABEL: 'params' }));
    this.SUBRULE(this.block);
  });

  useStatement = this.RULE('useStatement', () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.useBinding));
    this.CONSUME(T.RCurly);
  });

  useBinding = this.RULE('useBinding', () => {
    this.SUBRULE(this.dottedName);
    this.CONSUME(T.As);
    this.CONSUME(T.Name);
    this.statementEnd();
  });

  resolveOrderStatement = this.RULE('resolveOrderStatement', () => {
    this.CONSUME(T.ResolveOrder);
    this.SUBRULE1(this.nsRef);
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(T.Comma));
      this.SUBRULE2(this.nsRef);
    });
  });

  nsRef = this.RULE('nsRef', () => {
    this.OR(this.nsRefAlts);
  });

  private readonly nsRefAlts: Alts = [{ ALT: () => this.SUBRULE(this.dottedName) }, { ALT: () => this.CONSUME(T.Dot) }];

  entStatement = this.RULE('entStatement', () => {
    this.CONSUME(T.Ent);
    this.pathInline();
    this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    this.CONSUME(T.Name, NAME);
  });

  aliasStatement = this.RULE('aliasStatement', () => {
    this.CONSUME(T.Alias);
    this.pathInline();
    this.CONSUME(T.As);
    this.CONSUME(T.Name, NAME);
  });

  freezeStatement = this.RULE('freezeStatement', () => {
    this.CONSUME(T.Freeze);
    this.pathInline();
  });

  awaitAllStatement = this.RULE('awaitAllStatement', () => {
    this.CONSUME(T.AwaitAll);
    this.pathInline();
  });

  private readonly returnValue = (): void => {
    this.SUBRULE(this.expression);
  };

  returnStatement = this.RULE('returnStatement', () => {
    this.CONSUME(T.Return);
    this.MANY(this.returnValue);
  });

  whileStatement = this.RULE('whileStatement', () => {
    this.CONSUME(T.While);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
  });

  ifStatement = this.RULE('ifStatement', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.SUBRULE1(this.block, THEN);
    this.OPTION(this.elsePart);
  });

  private readonly elsePart = (): void => {
    this.CONSUME(T.Else);
    this.OR(this.elseAlts);
  };
  private readonly elseAlts: Alts = [{ ALT: () => this.SUBRULE2(this.block, OTHERWISE) }, { ALT: () => this.SUBRULE(this.ifStatement, ELSE_IF) }];

  switchStatement = this.RULE('switchStatement', () => {
    this.CONSUME(T.Switch);
    this.SUBRULE(this.expression);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.switchCase));
    this.CONSUME(T.RCurly);
  });

  switchCase = this.RULE('switchCase', () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.block);
    this.statementEnd();
  });

  // ------------------------------------------------------------ declarations

  private readonly initializer = (): void => {
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expression);
  };

  variableDecl = this.RULE('variableDecl', () => {
    this.typeRef();
    this.pathInline();
    this.OPTION(this.initializer);
  });

  dataframeDecl = this.RULE('dataframeDecl', () => {
    this.CONSUME(T.Dataframe);
    this.pathInline();
    this.SUBRULE1(this.column);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.column);
    });
  });

  column = this.RULE('column', () => {
    this.CONSUME(T.TypeName);
    this.CONSUME(T.Name);
  });

  functionDecl = this.RULE('functionDecl', () => {
    this.OPTION1(() => this.CONSUME(T.Actor));
    this.CONSUME(T.Function);
    this.CONSUME(T.Name);
    this.SUBRULE(this.paramList);
    this.OPTION2(() => this.SUBRULE(this.membraneArg));
    this.CONSUME(T.DoubleColon);
    this.SUBRULE(this.captures);
    this.SUBRULE(this.block);
    this.OPTION3(() => this.SUBRULE(this.handler));
  });

  mainDecl = this.RULE('mainDecl', () => {
    this.CONSUME(T.Main);
    this.CONSUME(T.LParen);
    this.CONSUME(T.RParen);
    this.OPTION1(() => this.SUBRULE(this.membraneArg));
    this.CONSUME(T.DoubleColon);
    this.SUBRULE(this.captures);
    this.SUBRULE(this.block);
    this.OPTION2(() => this.SUBRULE(this.handler));
  });

  mergeDecl = this.RULE('mergeDecl', () => {
    this.OPTION1(() => this.CONSUME(T.Actor));
    this.CONSUME(T.Merge);
    this.SUBRULE(this.dottedName);
    this.CONSUME(T.As);
    this.CONSUME1(T.Name, NAME);
    this.SUBRULE(this.paramList);
    this.OPTION2(() => this.SUBRULE(this.membraneArg));
    this.CONSUME(T.DoubleColon);
    this.SUBRULE1(this.captures, { LABEL: 'captures' });
    this.SUBRULE2(this.captures, { LABEL: 'constants' });
    this.OPTION3(() => {
      this.CONSUME(T.At);
      this.CONSUME(T.LBracket);
      this.CONSUME2(T.Name, { LABEL: 'errors' });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME3(T.Name, { LABEL: 'errors' });
      });
      this.CONSUME(T.RBracket);
    });
  });

  paramList = this.RULE('paramList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE1(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
    });
    this.CONSUME(T.RParen);
  });

  param = this.RULE('param', () => {
    this.CONSUME(T.Name);
    this.typeRef();
  });

  /** `<membrane<quota<15,0,0>>>` before a callable's `::` */
  membraneArg = this.RULE('membraneArg', () => {
    this.CONSUME(T.Less);
    this.SUBRULE(this.membraneSpec);
    this.CONSUME(T.Greater);
  });

  /** `membrane<quota<80, 40, 30>>` or `membrane<copy_on_mutate>` */
  membraneSpec = this.RULE('membraneSpec', () => {
    this.CONSUME(T.Membrane);
    this.CONSUME1(T.Less);
    this.OR(this.membraneKindAlts);
    this.CONSUME2(T.Greater);
  });

  private readonly membraneKindAlts: Alts = [
    {
      ALT: () => {
        this.CONSUME(T.Quota);
        this.CONSUME2(T.Less);
        this.CONSUME1(T.IntLiteral);
        this.CONSUME1(T.Comma);
        this.CONSUME2(T.IntLiteral);
        this.CONSUME2(T.Comma);
        this.CONSUME3(T.IntLiteral);
        this.CONSUME1(T.Greater);
      },
    },
    { ALT: () => this.CONSUME(T.CopyOnMutate) },
  ];

  /** `{ a; b: c, }` — entries `inner[: outer]` separated by `;` or `,`, a trailing one allowed. */
  captures = this.RULE('captures', () => {
    this.CONSUME(T.LCurly);
    this.OPTION1(() => {
      this.SUBRULE1(this.capture);
      this.MANY(() => {
        this.OR1(this.separatorAlts1);
        this.SUBRULE2(this.capture);
      });
      this.OPTION2(() => {
        this.OR2(this.separatorAlts2);
      });
    });
    this.CONSUME(T.RCurly);
  });

  private readonly separatorAlts1: Alts = [{ ALT: () => this.CONSUME1(T.Semicolon) }, { ALT: () => this.CONSUME1(T.Comma) }];
  private readonly separatorAlts2: Alts = [{ ALT: () => this.CONSUME2(T.Semicolon) }, { ALT: () => this.CONSUME2(T.Comma) }];

  capture = this.RULE('capture', () => {
    this.CONSUME1(T.Name, { LABEL: 'inner' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.CONSUME2(T.Name, { LABEL: 'outer' });
    });
  });

  handler = this.RULE('handler', () => {
    this.CONSUME(T.Handler);
    this.SUBRULE(this.block);
  });

  // ------------------------------------------------------------ name-led statements and names

  /** `x = e`, `b += f(x)`, `f(x)`, `cout "a" n endl`, `lang.assert e` — told apart after the name chain. */
  pathStatement = this.RULE('pathStatement', () => {
    this.OR1(this.pathStatementHeadAlts);
    this.nameTail();
    this.OPTION(this.pathStatementRest);
  });

  private readonly pathStatementHeadAlts: Alts = [{ ALT: () => this.CONSUME(T.Identifier, HEAD) }, { ALT: () => this.CONSUME(T.Scope, HEAD) }];
  private readonly commandPart = (): void => {
    this.SUBRULE2(this.expression, PARTS);
  };
  private readonly pathStatementRestAlts: Alts = [
    {
      ALT: () => {
        this.CONSUME(T.AssignOp);
        this.SUBRULE1(this.expression, VALUE);
      },
    },
    { ALT: () => this.AT_LEAST_ONE(this.commandPart) },
  ];
  private readonly pathStatementRest = (): void => {
    this.OR2(this.pathStatementRestAlts);
  };

  /** A dotted path as its own node (where several stand side by side: `vectorize f in out`). */
  path = this.RULE('path', () => {
    this.pathInline();
  });

  /** `utils.is_prime`, `io.cout`, `lang.flow` — words joined by dots. */
  dottedName = this.RULE('dottedName', () => {
    this.CONSUME1(T.Word);
    this.MANY(this.dottedNameRest);
  });

  private readonly dottedNameRest = {
    // `resolve_order … imported .;`: a dot followed by no word is the next reference, not part of this one.
    GATE: () => tokenMatcher(this.LA(2), T.Word),
    DEF: () => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Word);
    },
  };

  // ------------------------------------------------------------ expressions

  /** Operands joined by binary operators, flat; the builder applies precedence. The first operand is inline. */
  expression = this.RULE('expression', () => {
    this.operandBody();
    this.MANY1(this.binaryTail);
  });

  private readonly binaryTail = (): void => {
    this.CONSUME1(T.BinaryOp);
    this.SUBRULE1(this.operand);
  };

  operand = this.RULE('operand', () => {
    this.operandBody();
  });

  /** Index `[e]`, call `(e e, e)`, or a member `.name` after one of them. */
  postfixOp = this.RULE('postfixOp', () => {
    this.OR(this.postfixAlts);
  });

  private readonly callArgument = (): void => {
    this.SUBRULE2(this.expression, ARGS);
    this.OPTION(this.optionalComma);
  };
  private readonly optionalComma = (): void => {
    this.CONSUME(T.Comma);
  };
  private readonly postfixAlts: Alts = [
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        this.SUBRULE1(this.expression, INDEX);
        this.CONSUME(T.RBracket);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        this.MANY(this.callArgument);
        this.CONSUME(T.RParen);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.Dot);
        this.CONSUME(T.Word);
      },
    },
  ];

  membraneExpr = this.RULE('membraneExpr', () => {
    this.SUBRULE(this.membraneSpec);
    this.SUBRULE(this.operand);
  });

  pruneExpr = this.RULE('pruneExpr', () => {
    this.CONSUME(T.Prune);
    this.pathInline();
  });

  vectorizeExpr = this.RULE('vectorizeExpr', () => {
    this.CONSUME(T.Vectorize);
    this.SUBRULE1(this.path, { LABEL: 'fn' });
    this.SUBRULE2(this.path, { LABEL: 'input' });
    this.SUBRULE3(this.path, { LABEL: 'output' });
  });
}

/**
 * Checked with the grammar validations (test/grammar/definition.test.ts): the CST child keys (token names,
 * rule names, CONSUME and SUBRULE labels) are no Object.prototype property, and Chevrotain still has the
 * TreeBuilder method MergeParser replaces, so plain-object `children` stay exact.
 */
function assertPlainChildrenSafe(parser: MergeParser): void {
  if (typeof (CstParser.prototype as unknown as Record<string, unknown>)['cstInvocationStateUpdate'] !== 'function') {
    throw new Error('Chevrotain no longer has TreeBuilder.cstInvocationStateUpdate: revisit MergeParser.cstInvocationStateUpdate');
  }
  const keys = new Set(T.allTokens.map((t) => t.name));
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'Rule' || o['type'] === 'NonTerminal') keys.add(o['name'] as string);
      if (o['type'] === 'NonTerminal' && typeof o['label'] === 'string') keys.add(o['label']);
      if (typeof o['terminalLabel'] === 'string') keys.add(o['terminalLabel']);
      Object.values(o).forEach(walk);
    }
  };
  walk(parser.getSerializedGastProductions());
  for (const k of keys) if (k in Object.prototype) throw new Error(`CST child key '${k}' is an Object.prototype property`);
}

let parser: MergeParser | undefined;

/** The one parser instance, built (self-analysed) on first use and reused for every parse. */
export function mergeParser(): MergeParser {
  parser ??= new MergeParser(T.validateGrammar());
  return parser;
}

/** Parses a token vector into the CST of a whole file; errors are left in `parser.errors`. */
export function parseTokens(tokens: IToken[]): { cst: CstNode; parser: MergeParser } {
  const p = mergeParser();
  p.input = tokens;
  const cst = p.program();
  return { cst, parser: p };
}
