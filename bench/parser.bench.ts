// Front-end speed: lexing vs full parsing (lex + AST with positions) of a generated >= 1 MB program,
// the EmbeddedActionsParser against the CstParser it replaced (bench/reference) and against what
// Chevrotain itself allows, error recovery on bad input, and `merg-e check` startup vs `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import type { CstNode, CstParser, IToken } from 'chevrotain';

import { chevrotain } from '../grammar/chevrotain.js';
import { parseTokens } from '../grammar/parser.js';
import { allTokens } from '../grammar/tokens.js';
import { AstBuilder } from '../src/ast/build.js';
import { lexSource } from '../src/ast/lex.js';
import { hasErrors, parseInChunks, parseProgram } from '../src/ast/parse.js';
import { countDiagnostics } from '../src/diagnostic-list.js';
import { parseProgramCst } from './reference/cst-parse.js';
import { generateProgram } from './programs.js';
import { fmt, table, type Bench } from './timing.js';

const TARGET_MBS = 10;
const TARGET_RATIO = 2.5;
const TARGET_STARTUP = 4;

// ---------------------------------------------------------------- Chevrotain's floor (not merg-e)
//
// A CstParser as Chevrotain ships it (default lookahead, recovery on) that only CONSUMEs every token,
// run over merg-e's own tokens retyped to one token type: with the lexer, it bounds what any front end
// built from Chevrotain can reach on this input and machine.

const AnyToken = chevrotain.createToken({ name: 'AnyToken', pattern: chevrotain.Lexer.NA });

class ConsumeOnly extends chevrotain.CstParser {
  constructor() {
    super([...allTokens, AnyToken], { recoveryEnabled: true, skipValidations: true });
    this.performSelfAnalysis();
  }
  program = this.RULE('program', () => {
    this.MANY(() => this.CONSUME(AnyToken));
  });
}

function consumeOnly(parser: CstParser & { program(): CstNode }, tokens: IToken[]): () => void {
  const anyTokens: IToken[] = tokens.map((t) => ({ ...t, tokenType: AnyToken, tokenTypeIdx: AnyToken.tokenTypeIdx! }));
  return () => {
    parser.input = anyTokens;
    parser.program();
    if (parser.errors.length > 0) throw new Error('the reference parser failed');
  };
}

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

interface Timed {
  /** Best wall time in ms. */
  best: number;
  /** Best CPU time of the process in ms (on a shared machine, wall time also counts the waits for a core; CPU time counts V8's collector threads too). */
  bestCpu: number;
  /** Share of this job's total time (all rounds) spent in garbage-collection pauses. */
  gcShare: number;
}

/**
 * Best time in ms of each job, run in interleaved rounds so that machine noise hits all of them alike,
 * and the share of each job's time spent in GC pauses (perf_hooks 'gc' entries inside its runs).
 */
async function interleaved<K extends string>(rounds: number, jobs: Record<K, () => void>): Promise<Record<K, Timed>> {
  const keys = Object.keys(jobs) as K[];
  const gcs: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: { key: K; start: number; end: number }[] = [];
  const out = {} as Record<K, Timed>;
  for (const k of keys) {
    jobs[k]();
    out[k] = { best: Infinity, bestCpu: Infinity, gcShare: 0 };
  }
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      jobs[k]();
      const end = performance.now();
      const used = process.cpuUsage(cpu);
      windows.push({ key: k, start, end });
      out[k].best = Math.min(out[k].best, end - start);
      out[k].bestCpu = Math.min(out[k].bestCpu, (used.user + used.system) / 1000);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the observer deliver the last entries
  observer.disconnect();
  for (const k of keys) {
    const mine = windows.filter((w) => w.key === k);
    const total = mine.reduce((sum, w) => sum + (w.end - w.start), 0);
    const gc = gcs.filter((g) => mine.some((w) => g.start >= w.start && g.start < w.end)).reduce((sum, g) => sum + g.duration, 0);
    out[k].gcShare = gc / total;
  }
  return out;
}

/** Throughput of one source: merg-e's phases, the CstParser it replaced and Chevrotain's floor, side by side. */
/** A Chevrotain Lexer of the token definitions (each keyword its own pattern): the lexer before merg-e typed words after lexing. */
const definitionsLexer = new chevrotain.Lexer(allTokens, { positionTracking: 'onlyStart', ensureOptimizations: true, skipValidations: true });

async function throughput(source: string) {
  const check = parseProgram(source, 'bench.merge');
  if (hasErrors(check.diagnostics)) throw new Error('the generated program does not parse cleanly');
  const lexed = lexSource(source, 'bench.merge');
  const times = await interleaved(9, {
    lex: () => void lexSource(source, 'bench.merge'),
    definitionsLex: () => void definitionsLexer.tokenize(source),
    parse: () => void parseTokens(lexed.tokens, new AstBuilder('bench.merge', [])),
    full: () => void parseProgram(source, 'bench.merge'),
    // The same parse with the whole file lexed before parsing, as before lexing in chunks.
    wholeLex: () => void parseInChunks(source, 'bench.merge', Number.MAX_SAFE_INTEGER),
    cstFull: () => void parseProgramCst(source, 'bench.merge'),
    consumeOnly: consumeOnly(new ConsumeOnly(), lexed.tokens),
  });
  return { bytes: source.length, tokens: lexed.tokens.length, ...times };
}

/** Best wall time in ms of running a command to completion. */
function bestSpawn(trials: number, cmd: string, args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    best = Math.min(best, ms);
  }
  return best;
}

/** Bad input that the old recovery handled in quadratic time (or ran out of stack on): time and what is reported. */
function recovery() {
  const cases = [
    { label: '`}!!{ cout` lines, 320 KB', source: '}!!{ cout\n'.repeat(32_000) },
    { label: '4,000 bad statements `x = = 1;`', source: 'x = = 1;\n'.repeat(4_000) },
  ];
  return cases.map(({ label, source }) => {
    const t0 = performance.now();
    const { diagnostics } = parseProgram(source, 'bad.merge');
    const ms = performance.now() - t0;
    const counts = countDiagnostics(diagnostics);
    const deep = diagnostics.some((d) => d.code === 'MRG1021');
    return [label, fmt(ms, 0), counts.errors.toLocaleString('en-US'), deep ? 'yes' : 'no'];
  });
}

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

const bench: Bench = {
  name: 'parser',
  title: 'Front end: lexing, parsing and `merg-e check` startup',
  async run() {
    const loadBefore = loadavg()[0]!;
    const withDocs = generateProgram(1_100_000);
    const codeOnly = withDocs.replace(/```devdoc\n[^`]*```\n/g, '');
    const results = [
      { label: "generated program (examples' forms, one doc fence per block)", r: await throughput(withDocs) },
      { label: 'same program, doc fences removed (code only)', r: await throughput(codeOnly) },
    ];
    const rows = results.map(({ label, r }) => [
      label,
      fmt(r.bytes / 1e6, 2),
      r.tokens.toLocaleString('en-US'),
      fmt(mbPerSecond(r.bytes, r.lex.best), 1),
      fmt(mbPerSecond(r.bytes, r.parse.best), 1),
      fmt(mbPerSecond(r.bytes, r.full.best), 1),
      fmt(r.full.best / r.lex.best, 2),
      fmt(mbPerSecond(r.bytes, r.lex.bestCpu), 1),
      fmt(mbPerSecond(r.bytes, r.full.bestCpu), 1),
      fmt(r.full.bestCpu / r.lex.bestCpu, 2),
      `${fmt(r.full.gcShare * 100, 0)}%`,
      fmt(mbPerSecond(r.bytes, r.cstFull.best), 1),
      `${fmt(r.cstFull.best / r.full.best, 2)}x`,
    ]);

    const main = results[0]!.r;
    const mbs = (ms: number) => fmt(mbPerSecond(main.bytes, ms), 1);
    const floorMs = main.lex.best + main.consumeOnly.best;
    const floor = table(
      ['on the same ' + main.tokens.toLocaleString('en-US') + ' tokens (first input)', 'MB/s', 'ms', 'ms / lex'],
      [
        ['merg-e lexer: lexing, words typed as keywords after, lexical checks (= lex above)', mbs(main.lex.best), fmt(main.lex.best, 1), '1.00'],
        ['Chevrotain Lexer of the token definitions (each keyword its own pattern; the lexer before)', mbs(main.definitionsLex.best), fmt(main.definitionsLex.best, 1), fmt(main.definitionsLex.best / main.lex.best, 2)],
        ['CstParser that only CONSUMEs every token into one node (recovery on)', mbs(main.consumeOnly.best), fmt(main.consumeOnly.best, 1), ''],
        ['**floor**: lexer + that CONSUME-only pass (no grammar, no AST)', `**${mbs(floorMs)}**`, fmt(floorMs, 1), fmt(floorMs / main.lex.best, 2)],
        ['merg-e: full parse (EmbeddedActionsParser)', mbs(main.full.best), fmt(main.full.best, 1), fmt(main.full.best / main.lex.best, 2)],
        ['merg-e: full parse, whole file lexed first (before lexing in chunks)', mbs(main.wholeLex.best), fmt(main.wholeLex.best, 1), fmt(main.wholeLex.best / main.lex.best, 2)],
        ['merg-e before: full parse (CstParser + AST builder)', mbs(main.cstFull.best), fmt(main.cstFull.best, 1), fmt(main.cstFull.best / main.lex.best, 2)],
      ],
    );

    const chunked = table(
      ['full parse (both inputs)', 'wall MB/s', 'CPU MB/s', 'GC share', 'CPU time / lex CPU time'],
      results.flatMap(({ label, r }) => [
        [`${label}: lexed in chunks as the parser reads (now)`, fmt(mbPerSecond(r.bytes, r.full.best), 1), fmt(mbPerSecond(r.bytes, r.full.bestCpu), 1), `${fmt(r.full.gcShare * 100, 0)}%`, fmt(r.full.bestCpu / r.lex.bestCpu, 2)],
        [`${label}: whole file lexed first (before)`, fmt(mbPerSecond(r.bytes, r.wholeLex.best), 1), fmt(mbPerSecond(r.bytes, r.wholeLex.bestCpu), 1), `${fmt(r.wholeLex.gcShare * 100, 0)}%`, fmt(r.wholeLex.bestCpu / r.lex.bestCpu, 2)],
      ]),
    );

    const bad = recovery();

    const here = dirname(fileURLToPath(import.meta.url));
    const cli = join(here, '..', 'src', 'cli', 'merg-e.js');
    const dir = mkdtempSync(join(tmpdir(), 'merge-bench-'));
    const tiny = join(dir, 'tiny.merge');
    writeFileSync(tiny, 'mutable int x = 1;\ncout "x is " x endl;\n');
    // Interleave the two so machine noise hits both alike.
    let node = Infinity;
    let check = Infinity;
    for (let round = 0; round < 5; round++) {
      node = Math.min(node, bestSpawn(3, process.execPath, ['-e', '0']));
      check = Math.min(check, bestSpawn(3, process.execPath, [cli, 'check', tiny]));
    }
    const startup = check / node;
    const loadAfter = loadavg()[0]!;

    const fullMbs = mbPerSecond(main.bytes, main.full.best);
    const ratio = main.full.best / main.lex.best;
    const fullCpuMbs = mbPerSecond(main.bytes, main.full.bestCpu);
    const cpuRatio = main.full.bestCpu / main.lex.bestCpu;
    const definitionsRatio = main.full.best / main.definitionsLex.best;
    return [
      `Load average (1 min) on this ${availableParallelism()}-core machine: ${fmt(loadBefore, 2)} before, ${fmt(loadAfter, 2)} after: other work shares the cores, so compare within one run.`,
      '',
      table(['input', 'MB', 'tokens', 'lex MB/s', 'parse only (tokens → AST) MB/s', 'full parse MB/s', 'full / lex time', 'by CPU time: lex MB/s', 'full parse MB/s', 'full / lex', 'GC share of full', 'CstParser before: full MB/s', 'speed-up'], rows),
      '',
      'Lex = `lexSource`: a Chevrotain Lexer that reads every word as a name and types keywords and type names after it (the',
      'same tokens as a Lexer of the token definitions, `test/grammar/lexer.test.ts`), and the lexical checks.',
      'Full parse = `parseProgram`: lexing with start positions, the lexical checks, the EmbeddedActionsParser building',
      'the typed AST with a full span (line, column, end line, end column) on every node, and the diagnostics.',
      '"CstParser before" is the same pipeline with the CstParser and its CST → AST builder this replaced (`bench/reference/`),',
      'which `test/grammar/equivalence.test.ts` holds the new parser to. Best of 9 interleaved rounds each (wall time unless',
      'marked CPU: the process\'s CPU time, which on a shared machine leaves out the waits for a core but counts V8\'s',
      'collector threads); the GC share is the time in garbage-collection pauses over all rounds.',
      '',
      '### Lexing in chunks',
      '',
      'The full parse lexes 64 KiB of whole lines at a time as the parser reads on, and the parser\'s token vector starts',
      'afresh at each chunk (from the next token it reads), so a file\'s tokens never all live at once and die young; before,',
      'the whole file was lexed first and its tokens were promoted to the old generation before the parser read them.',
      'Same AST and diagnostics (`test/grammar/chunks.test.ts`).',
      '',
      chunked,
      '',
      '### What Chevrotain itself allows (not merg-e)',
      '',
      floor,
      '',
      '### Error recovery on bad input (one parse each)',
      '',
      table(['input', 'ms', 'errors found', 'false MRG1021 "nests too deeply"'], bad),
      '',
      'Before, the first took about 29 s and reported one error; the second reported one error and a false MRG1021.',
      '',
      table(
        ['startup', 'best wall time (ms)'],
        [
          ['`node -e 0`', fmt(node, 1)],
          ['`merg-e check tiny.merge`', fmt(check, 1)],
        ],
      ),
      '',
      table(
        ['target', 'measured', 'verdict'],
        [
          [`full parse >= ${TARGET_MBS} MB/s warm`, `${fmt(fullMbs, 1)} MB/s by wall time (floor ${mbs(floorMs)} MB/s), ${fmt(fullCpuMbs, 1)} MB/s by CPU time`, `${verdict(fullMbs >= TARGET_MBS)} (wall), ${verdict(fullCpuMbs >= TARGET_MBS)} (CPU)`],
          [`full parse <= ${TARGET_RATIO}x lex-only time`, `${fmt(ratio, 2)}x by wall time, ${fmt(cpuRatio, 2)}x by CPU time (${fmt(definitionsRatio, 2)}x the time of a Chevrotain Lexer of the token definitions)`, `${verdict(ratio <= TARGET_RATIO)} (wall), ${verdict(cpuRatio <= TARGET_RATIO)} (CPU)`],
          [`check startup <= ${TARGET_STARTUP}x node -e 0`, `${fmt(startup, 2)}x`, verdict(startup <= TARGET_STARTUP)],
        ],
      ),
    ].join('\n');
  },
};

export default bench;
