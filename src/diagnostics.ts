// One table of every diagnostic code the project emits, and the printer for them.
// Ranges: MRG1xxx syntax, MRG2xxx static checks, MRG3xxx runtime errors, MRG4xxx file/profile/usage.
// Codes are stable: never renumber one; retire it instead.
import { codeFrameColumns, type BabelCodeFrameOptions } from '@babel/code-frame';
import { styleText } from 'node:util';

import { codeWindow, printableText } from './code-window.js';

export type Severity = 'error' | 'warning';

/** A source range. Lines and columns are 1-based; `endColumn` is the column of the last character. */
export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface CodeInfo {
  severity: Severity;
  /** The Merg-E error name a runtime code raises (what `switch scope.exceptions[-1]` matches). */
  errorName?: MergeErrorName;
  title: string;
  /** How to fix it, when the message itself does not say. */
  hint: string;
}

export type MergeErrorName =
  | 'syntax_error'
  | 'name_error'
  | 'type_error'
  | 'range_error'
  | 'ownership_error'
  | 'freeze_error'
  | 'quota_error'
  | 'capability_error'
  | 'io_error';

/** How to freeze what is in a scope: the hint of MRG2009, and of the run's MRG3002 for the same freeze. */
export const FREEZE_NAMES_HINT = 'Freeze the names in it one by one: freeze x; (or freeze scope.x;).';

export const CODES = {
  // ---- MRG1xxx: syntax (lexer and parser) ----
  MRG1001: { severity: 'error', errorName: 'syntax_error', title: 'unexpected character', hint: 'Remove the character; Merg-E source uses ASCII punctuation and has no comments besides ``` fences.' },
  MRG1002: { severity: 'error', errorName: 'syntax_error', title: 'unterminated string literal', hint: 'Close the string with a double quote on the same line.' },
  MRG1003: { severity: 'error', errorName: 'syntax_error', title: 'unterminated documentation fence', hint: 'Close the reverse-markdown block with a line of three backticks.' },
  MRG1004: { severity: 'error', errorName: 'syntax_error', title: 'invalid escape in string literal', hint: 'Only \\" \\\\ \\n and \\t are escapes; write \\\\ for a backslash.' },
  MRG1010: { severity: 'error', errorName: 'syntax_error', title: 'unexpected token', hint: 'Check the statement against the language reference in the README.' },
  MRG1011: { severity: 'warning', title: "missing ';' at end of line", hint: "End every statement with ';'." },
  MRG1012: { severity: 'error', errorName: 'syntax_error', title: 'unexpected end of file', hint: "A block or statement is not closed; check for a missing '}' or ';'." },
  MRG1013: { severity: 'error', errorName: 'syntax_error', title: 'invalid literal', hint: 'Write the number as plain decimal digits.' },
  MRG1014: { severity: 'error', errorName: 'syntax_error', title: 'statement not allowed here', hint: 'Move the statement to where the language reference allows it.' },
  MRG1015: { severity: 'error', errorName: 'syntax_error', title: 'invalid type name', hint: 'Use int, intN/uintN (N in 1..16384), float16..float256, string, bool, dag, dataframe or blocker.' },
  MRG1016: { severity: 'warning', title: 'old type name', hint: "Write 'blocker'; 'awaitable' is its name from an older spec snapshot." },
  MRG1017: { severity: 'error', errorName: 'syntax_error', title: 'duplicate modifier', hint: 'Write each modifier once.' },
  MRG1018: { severity: 'error', errorName: 'syntax_error', title: 'conflicting modifiers', hint: "A declaration is either mutable or inert; drop one of the two." },
  MRG1019: { severity: 'error', errorName: 'syntax_error', title: 'not a statement', hint: 'Assign to it (x = …;), call it (f(…);), or give a command its arguments (cout "text" endl;).' },
  MRG1020: { severity: 'error', errorName: 'syntax_error', title: 'invalid assignment target', hint: 'Assign to a name or a dotted path (a.b.c = …;).' },
  MRG1021: { severity: 'error', errorName: 'syntax_error', title: 'nesting too deep', hint: 'Split deeply nested or very long expressions into named declarations or functions.' },
  MRG1022: { severity: 'warning', title: 'invalid UTF-8', hint: 'Save the file as UTF-8; each byte that is not UTF-8 is read as U+FFFD (\u{FFFD}).' },
  MRG1023: { severity: 'warning', title: 'more warnings not shown', hint: 'Fix the ones shown first; only the first 100 diagnostics of a file are shown.' },
  MRG1024: { severity: 'error', title: 'more diagnostics not shown', hint: 'Fix the ones shown first; only the first 100 diagnostics of a file are shown.' },

  // ---- MRG2xxx: static checks ----
  MRG2001: { severity: 'error', errorName: 'name_error', title: 'undefined name', hint: 'Declare the name, capture it in the callable\'s first block, or bind it with use.' },
  MRG2002: { severity: 'error', errorName: 'freeze_error', title: 'assignment to an inert name', hint: 'Declare it mutable if it must change.' },
  MRG2003: { severity: 'error', errorName: 'ownership_error', title: 'use after move', hint: 'The value was moved by ent or a capture; declare it shared, or use it before moving it.' },
  MRG2004: { severity: 'error', errorName: 'type_error', title: 'wrong number of arguments', hint: 'Pass exactly as many arguments as the callable declares parameters.' },
  MRG2005: { severity: 'error', errorName: 'name_error', title: 'duplicate declaration', hint: 'Choose another name; a scope declares each name once.' },
  MRG2006: { severity: 'error', errorName: 'capability_error', title: 'authority not handed to this scope', hint: 'Bind it with use, or capture it in the callable\'s first block.' },
  MRG2007: { severity: 'error', errorName: 'io_error', title: 'module not readable', hint: 'A merge `merge NAME.f …` reads NAME.mrm from the program\'s folder: create it there, or fix the merge\'s name.' },
  MRG2008: { severity: 'error', errorName: 'syntax_error', title: 'module has errors', hint: 'Run merg-e check on the module and fix what it reports.' },
  MRG2009: { severity: 'error', errorName: 'type_error', title: 'the scope cannot be frozen', hint: FREEZE_NAMES_HINT },

  // ---- MRG3xxx: runtime errors ----
  MRG3001: { severity: 'error', errorName: 'name_error', title: 'name_error', hint: 'Declare the name before using it, or capture it.' },
  MRG3002: { severity: 'error', errorName: 'type_error', title: 'type_error', hint: 'Check the operand and declaration types.' },
  MRG3003: { severity: 'error', errorName: 'range_error', title: 'range_error', hint: 'Declare a wider type (or int, which is unbounded).' },
  MRG3004: { severity: 'error', errorName: 'ownership_error', title: 'ownership_error', hint: 'The value was moved; declare it shared or stop using the old name.' },
  MRG3005: { severity: 'error', errorName: 'freeze_error', title: 'freeze_error', hint: 'Frozen and inert values cannot change; change a mutable copy instead.' },
  MRG3006: { severity: 'error', errorName: 'quota_error', title: 'quota_error', hint: 'Raise the membrane\'s quota, or allocate less through it.' },
  MRG3007: { severity: 'error', errorName: 'capability_error', title: 'capability_error', hint: 'The script was not handed this authority.' },
  MRG3008: { severity: 'error', errorName: 'io_error', title: 'io_error', hint: 'Check that the file exists and is readable.' },
  MRG3009: { severity: 'error', errorName: 'range_error', title: 'assertion failed', hint: 'The lang.assert condition was false.' },
  MRG3010: { severity: 'error', title: 'step limit reached', hint: 'Raise --max-steps if the program is meant to run this long.' },
  MRG3011: { severity: 'error', title: 'time limit reached', hint: 'Raise --timeout if the program is meant to run this long.' },
  MRG3012: { severity: 'error', title: 'call depth limit reached', hint: 'The program recursed too deeply; check the recursion ends.' },
  MRG3013: { severity: 'error', errorName: 'range_error', title: 'integer too large', hint: 'Integers are limited to 16384 bits.' },
  MRG3014: { severity: 'error', title: 'memory limit reached', hint: 'The program holds too much at once (long strings, many rows); hold less, or give Node a larger heap (NODE_OPTIONS=--max-old-space-size=MB).' },
  MRG3015: { severity: 'error', errorName: 'name_error', title: 'membrane ended', hint: 'A membrane ends with the scope of the name it is bound to; keep that name (or a value through the membrane) in scope for as long as something is allocated through it.' },
  MRG3020: { severity: 'warning', title: 'blocker work never awaited', hint: 'Run the work with `await_all NAME;` before the blocker goes out of scope, or do not register it.' },
  MRG3099: { severity: 'error', title: 'internal error', hint: 'This is a bug in merg-e-sim; please file it with the program that caused it.' },

  // ---- MRG4xxx: files, profiles, baskets, caches, usage ----
  MRG4001: { severity: 'error', title: 'cannot read file', hint: 'Check the path and permissions.' },
  MRG4002: { severity: 'error', title: 'bad usage', hint: 'Run the command with --help for its usage.' },
  MRG4010: { severity: 'error', title: 'invalid runtime profile', hint: 'Fix the profile file as the message says; see baskets/runtimes/*.json for valid ones.' },
  MRG4011: { severity: 'error', title: 'unknown runtime profile', hint: 'List the profiles in baskets/runtimes/.' },
  MRG4020: { severity: 'error', title: 'invalid basket', hint: 'Fix basket.json as the message says.' },
  MRG4021: { severity: 'error', title: 'unknown basket', hint: 'List the baskets: the folders of baskets/ that hold a basket.json.' },
  MRG4022: { severity: 'error', title: 'basket program failed', hint: 'A basket program must run to the end under every profile; fix the program or its quotas.' },
  MRG4023: { severity: 'warning', title: 'basket counts are stale', hint: "Run 'merg-e basket --write' to measure the basket again and commit counts.json." },
  MRG4024: { severity: 'error', title: 'heap measurement failed', hint: 'Run it with nothing else busy in the process; see merg-e profile measure --help.' },
  MRG4025: { severity: 'error', title: 'cannot write file', hint: 'Check that the folder exists and is writable.' },
  MRG4030: { severity: 'warning', title: 'corrupt memo entry ignored', hint: 'The entry is recomputed and replaced; nothing else is needed.' },
  MRG4031: { severity: 'warning', title: 'memo entry failed authentication', hint: 'The entry is not signed with this store\'s key (forged, or written with another key); it was not used, and the result was computed and stored again. Machines sharing a store must share the key (MERG_E_MEMO_KEY or the key file).' },
  MRG4032: { severity: 'warning', title: 'memo entry not written', hint: 'Check that the memo store (--memo, default the memo folder in the user cache folder) is writable; the result was still computed.' },
  MRG4033: { severity: 'error', title: 'invalid machine spec', hint: 'A --machine file is a JSON object with numbers opsPerSec, memBytesPerSec and netBytesPerSec (see MachCap.fixed).' },
  MRG4034: { severity: 'warning', title: 'memo entry too large', hint: 'The result was used but not stored; raise the limit with --memo-max-entry SIZE if such results are worth keeping.' },
  MRG4035: { severity: 'error', title: 'unusable memo key', hint: 'MERG_E_MEMO_KEY, or the file MERG_E_MEMO_KEY_FILE names, must hold a secret of at least 32 characters (e.g. openssl rand -hex 32).' },
  MRG4036: { severity: 'warning', title: 'memo key warning', hint: 'The memo key file should be readable by its owner only (chmod 600); without a key the run has no memo store.' },
  MRG4040: { severity: 'warning', title: 'machine cache ignored', hint: 'The cache was corrupt or from another host; the machine is measured again.' },
  MRG4041: { severity: 'error', title: 'invalid FnCost', hint: 'FnCost fields are unsigned 64-bit integers written as decimal strings.' },
  MRG4042: { severity: 'error', title: 'cannot measure in this folder', hint: 'Pass --dir with an existing folder you can write to; coren writes its probe files and cache there.' },
  MRG4043: { severity: 'error', title: 'invalid coren option value', hint: 'Network speed (Mbit/s) and latency (ms) are finite numbers >= 0; see coren --help.' },
  MRG4044: { severity: 'warning', title: 'machine cache not written', hint: 'Check that the folder is writable; the machine is measured again next time.' },
  MRG4045: { severity: 'error', title: 'machine measurement failed', hint: 'A probe failed as the message says; fix the cause and run coren --refresh.' },
  MRG4046: { severity: 'error', title: 'invalid MachCap argument', hint: 'MachCap rates, sizes and TTLs are finite numbers > 0 (sizes: whole bytes).' },
  MRG4050: { severity: 'error', title: 'basket counts disagree with themselves', hint: "counts.json's total must be the sum of weight x counts of its programs; run 'merg-e basket --write' to measure the basket again instead of editing the file." },
  MRG4051: { severity: 'error', title: 'runtime profile gives the basket no bytes', hint: 'Give the profile the byte counts of its runtime; the kinds the basket allocates must not all be 0.' },
  MRG4052: { severity: 'warning', title: 'program unlike the basket', hint: "Its points do not mean the same on every runtime; make the basket hold programs like it (merg-e basket fit), blend prices (\"portability\" in basket.json), or raise \"warnSpread\" in basket.json." },
  MRG4053: { severity: 'error', title: 'cannot fit a basket', hint: "Give --corpus folders holding .merge/.mrg programs that run to the end, and two to ten profiles (--profiles a,b,...); see merg-e basket fit --help." },
  MRG4054: { severity: 'warning', title: 'corpus program left out', hint: 'Fix the program (merg-e run FILE shows why it stops) or take it out of the corpus folder; the fit goes on without it.' },
  MRG4070: { severity: 'error', title: 'merg-e-sim is not built', hint: "Run 'npm ci' (or 'npm run build') in the merg-e-sim folder, then run the command again." },
  MRG4080: { severity: 'error', title: 'cannot write the HTML report', hint: 'Name a file (--html OUT.html) in a folder that exists and that you can write to; nothing was written.' },
  MRG4090: { severity: 'error', title: 'invalid memo store', hint: 'Give --memo (or MERG_E_MEMO) a folder, or redis://[user:pass@]host:port[/db] (rediss:// for TLS).' },
  MRG4091: { severity: 'warning', title: 'memo store unreachable', hint: 'Check the store (is it running, are the address, user and password in the URL right?); the run computes everything meanwhile, with the same results.' },
  MRG4092: { severity: 'warning', title: 'memo store lost during the run', hint: 'The store stopped answering; the rest of the run computed what it would have fetched. Results are the same.' },
  MRG4093: { severity: 'warning', title: 'memo store full', hint: 'The store refused the entry (Redis maxmemory with the noeviction policy); the result was used here. Give Redis more memory or an eviction policy such as volatile-lru.' },
  MRG4094: { severity: 'warning', title: 'memo store not measured', hint: 'Fetches from the store are priced with assumed figures this run; the measurement is tried again on the next run (or coren --store URL --refresh).' },
  MRG4095: { severity: 'warning', title: 'interpreter speed not measured', hint: 'Computing is priced at the machine\'s roofline this run, which makes computing look far cheaper than it is; please report this.' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function codeInfo(code: Code): CodeInfo {
  return CODES[code];
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  /** What went wrong and why, in one or two sentences. */
  message: string;
  span?: Span;
  /** The file a diagnostic without a place is about (an unreadable program, a bad profile); a span's file wins. */
  file?: string;
  /** How to fix it; defaults to the table's hint. */
  hint?: string;
}

export function diagnostic(code: Code, message: string, span?: Span, hint?: string): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, message };
  if (span) d.span = span;
  if (hint) d.hint = hint;
  return d;
}

/** The file a diagnostic is about, if any. */
export function diagnosticFile(d: Diagnostic): string | null {
  return d.span?.file ?? d.file ?? null;
}

/**
 * A refused operation or a failed run, carrying its diagnostic. Library code throws this; the CLI
 * prints it. Anything else that escapes is an internal error (MRG3099).
 */
export class MergeError extends Error {
  readonly diagnostic: Diagnostic;
  /** Structured extras (quota errors: membrane, limit, used, requested) for --json output. */
  readonly details: ReadonlyMap<string, unknown>;
  constructor(d: Diagnostic, details: ReadonlyMap<string, unknown> = new Map()) {
    super(d.message);
    this.name = 'MergeError';
    this.diagnostic = d;
    this.details = details;
  }
  get code(): Code {
    return this.diagnostic.code;
  }
  /** The Merg-E error name, if this is a language-level error a handler may catch. */
  get errorName(): MergeErrorName | undefined {
    return (CODES[this.diagnostic.code] as CodeInfo).errorName;
  }
}

export function fail(code: Code, message: string, span?: Span, hint?: string): never {
  throw new MergeError(diagnostic(code, message, span, hint));
}

export interface FormatOptions {
  /** Source text of span.file, for the code frame (none: no frame). */
  source?: string | undefined;
  color?: boolean;
}

/**
 * Whether to colour what goes to `stream`, decided for that stream alone, as Node decides for its
 * own output: FORCE_COLOR (any value but 0/false) forces it on, else NO_COLOR (https://no-color.org)
 * or TERM=dumb turn it off, else the stream must be a terminal.
 */
export function useColor(stream: Pick<NodeJS.WriteStream, 'isTTY'>, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return Boolean(stream.isTTY);
}

/** `file:line:col CODE severity: message`, a code frame with a caret, and `help:` with the fix. */
export function formatDiagnostic(d: Diagnostic, opts: FormatOptions = {}): string {
  const color = opts.color ?? false;
  // validateStream: false — the caller decided for the stream this goes to (styleText would ask stdout).
  const paint = (style: Parameters<typeof styleText>[0], s: string) => (color ? styleText(style, s, { validateStream: false }) : s);
  const where = d.span ? `${printableText(d.span.file)}:${d.span.line}:${d.span.column} ` : '';
  const sev = paint(d.severity === 'error' ? 'red' : 'yellow', d.severity);
  const lines = [`${where}${paint('bold', d.code)} ${sev}: ${printableText(d.message)}`];
  if (d.span && opts.source !== undefined) {
    const endColumn = d.span.endLine === d.span.line ? Math.max(d.span.endColumn + 1, d.span.column + 1) : undefined;
    // Only the lines shown, clipped and made printable (src/code-window.ts); `startLine` (supported by
    // @babel/code-frame 7, missing from its types) keeps the file's line numbers in the gutter.
    const w = codeWindow(opts.source, { line: d.span.line, column: d.span.column, endLine: d.span.endLine, endColumn });
    const frameOpts: BabelCodeFrameOptions & { startLine: number } = { highlightCode: color, forceColor: color, linesAbove: 1, linesBelow: 1, startLine: w?.startLine ?? 1 };
    if (w !== null) lines.push(codeFrameColumns(w.text, { start: w.start, end: w.end }, frameOpts));
  }
  lines.push(`  ${paint('cyan', 'help')}: ${printableText(d.hint ?? CODES[d.code].hint)}`);
  return lines.join('\n');
}

/** One diagnostic as JSON: the one shape every command prints (check's list, --json errors, run's error). */
export interface DiagnosticJson {
  code: Code;
  severity: Severity;
  message: string;
  /** The file it is about; null only when it is about no file (bad usage, an internal error). */
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  /** How to fix it. */
  hint: string;
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: diagnosticFile(d),
    line: d.span?.line ?? null,
    column: d.span?.column ?? null,
    endLine: d.span?.endLine ?? null,
    endColumn: d.span?.endColumn ?? null,
    hint: d.hint ?? CODES[d.code].hint,
  };
}
