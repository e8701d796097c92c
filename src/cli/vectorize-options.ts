// vectorize's part of `merg-e run`: its options, the engine they configure (memo folder, machine,
// pool, deterministic seed, progress on a terminal) and what it adds to the output. src/cli/run.ts
// only forwards to these; the engine itself lives in src/runtime/vectorize.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { diagnostic, fail, MergeError, type Diagnostic } from '../diagnostics.js';
import { MachCap } from '../coren/index.js';
import { measureInterpreter } from '../runtime/interp-rate.js';
import { VectorizeEngine } from '../runtime/vectorize/engine.js';
import { machineFromFile } from '../runtime/vectorize/machine.js';
import { DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_TOTAL_BYTES, interpreterRate, isStoreUrl, loadMemoKey, parseRedisUrl, type MeasuredRates, type MemoStore } from '../runtime/vectorize/memo/index.js';
import { reportsJson, reportsTable, type InterpreterSpeed, type MemoSummary, type VectorizeReport } from '../runtime/vectorize/report.js';
import { defaultMemoDir, machineCacheDir, userCacheDir } from '../user-folders.js';
import { decimalOption } from './args.js';
import { openMemoStore, storeFigures } from './memo-store.js';
import type { ProgramText } from './input.js';

/** Option specs of vectorize's `merg-e run` options. */
export const VECTORIZE_RUN_OPTIONS = {
  memo: { type: 'string' },
  'no-memo': { type: 'boolean' },
  'memo-max-entry': { type: 'string' },
  'memo-max-size': { type: 'string' },
  'memo-ttl': { type: 'string' },
  workers: { type: 'string' },
  'schedule-seed': { type: 'string' },
  machine: { type: 'string' },
} as const;

export const VECTORIZE_RUN_HELP = `  --memo DIR|URL        vectorize's memo store: a folder (default: memo/ in the user
                        cache folder, ~/.cache/merg-e) or a Redis server shared by
                        many machines, redis://[user:pass@]host:port[/db] (rediss://
                        for TLS); MERG_E_MEMO=DIR|URL does the same. Entries are
                        signed with MERG_E_MEMO_KEY, MERG_E_MEMO_KEY_FILE, or the
                        key file created in the user cache folder
  --no-memo             no memo store: every vectorize computes
  --memo-max-entry SIZE the largest result stored (default 64M; K, M, G = KiB…)
  --memo-max-size SIZE  the most the memo folder holds; least recently used
                        entries are evicted first (default 1G)
  --memo-ttl BASE       how long a Redis entry lives: BASE scaled by how much it
                        saves (coren's suggestTtl, BASE/10 to 100·BASE); seconds or
                        30m, 12h, 7d (default 1d)
  --workers N           vectorize's worker pool size (default: from this machine)
  --schedule-seed S     deterministic vectorize: simulated workers, interleaving fixed by S
  --machine FILE        a fixed machine for vectorize's verdicts (JSON: opsPerSec,
                        memBytesPerSec, netBytesPerSec, …) instead of this machine as
                        measured once by coren (cached in the user's cache folder,
                        as coren reports; the environment variable
                        MERG_E_MACHINE=FILE|nominal does the same)
`;

export interface VectorizeRunValues {
  memo?: string | undefined;
  'no-memo'?: boolean | undefined;
  'memo-max-entry'?: string | undefined;
  'memo-max-size'?: string | undefined;
  'memo-ttl'?: string | undefined;
  workers?: string | undefined;
  'schedule-seed'?: string | undefined;
  machine?: string | undefined;
}

/** What the command needs of its Io (src/cli/io.ts). */
interface RunIo {
  err(text: string): void;
  errIsTTY: boolean;
  cwd: string;
}

/**
 * The machine: --machine FILE, else $MERG_E_MACHINE (a file, or `nominal`), else coren's measurement
 * (once per host, cached) when the program vectorizes. Under a test runner (VITEST set) the default is
 * `nominal`: tests never measure the machine they run on.
 */
async function machineFor(v: VectorizeRunValues, source: string, io: RunIo, warnings: Diagnostic[]): Promise<MachCap | undefined> {
  if (v.machine !== undefined) return machineFromFile(resolve(io.cwd, v.machine));
  const fromEnv = process.env['MERG_E_MACHINE'] ?? (process.env['VITEST'] ? 'nominal' : undefined);
  if (fromEnv === 'nominal') return undefined;
  if (fromEnv !== undefined && fromEnv !== '') return machineFromFile(resolve(io.cwd, fromEnv));
  // Measuring takes a second or two the first time: only for a program that can use it.
  if (!/\bvectorize\b/.test(source)) return undefined;
  const dir = machineCacheDir();
  let shown = false;
  try {
    mkdirSync(dir, { recursive: true });
    const cap = await MachCap.read(dir, {
      onProgress: io.errIsTTY
        ? (phase) => {
            shown = true;
            io.err(`\r\x1b[Kmerg-e: measuring this machine once for vectorize (cached in ${dir}): ${phase}…`);
          }
        : undefined,
      onWarning: (d) => warnings.push(d),
    });
    return cap;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    warnings.push(diagnostic('MRG4044', `could not measure this machine for vectorize (${e.message}); using a nominal machine`));
    return undefined;
  } finally {
    if (shown) io.err('\r\x1b[K');
  }
}

const UNITS = new Map<string, number>([['', 1], ['b', 1], ['k', 2 ** 10], ['kb', 2 ** 10], ['kib', 2 ** 10], ['m', 2 ** 20], ['mb', 2 ** 20], ['mib', 2 ** 20], ['g', 2 ** 30], ['gb', 2 ** 30], ['gib', 2 ** 30], ['t', 2 ** 40], ['tb', 2 ** 40], ['tib', 2 ** 40]]);

/** A size such as `64M`, `1.5G`, `4096` (bytes); K, M, G, T are binary multiples, as coren prints them. */
export function parseSize(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS.get((m[2] as string).toLowerCase()) : undefined;
  const n = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(Number.isSafeInteger(n) && n > 0)) fail('MRG4002', `merg-e run: ${flag} needs a size such as 4096, 512K, 64M or 2G, got '${text}'`);
  return n;
}

const DURATION_UNITS = new Map<string, number>([['', 1], ['s', 1], ['m', 60], ['h', 3600], ['d', 86_400]]);

/** A duration such as `3600`, `90m`, `12h`, `7d` (seconds without a unit). */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  const n = m ? Number(m[1]) * (DURATION_UNITS.get(m[2] as string) as number) : NaN;
  if (!(Number.isFinite(n) && n >= 1 && n <= 10 * 365 * 86_400)) fail('MRG4002', `merg-e run: ${flag} needs a duration from 1 second to 10 years such as 3600, 90m, 12h or 7d, got '${text}'`);
  return n;
}

/** The memo store's limits from the options; the entry limit may not exceed the store's. */
function memoLimits(v: VectorizeRunValues): { maxEntryBytes: number; maxTotalBytes: number } {
  const maxEntryBytes = v['memo-max-entry'] === undefined ? DEFAULT_MAX_ENTRY_BYTES : parseSize('--memo-max-entry', v['memo-max-entry']);
  const maxTotalBytes = v['memo-max-size'] === undefined ? Math.max(DEFAULT_MAX_TOTAL_BYTES, maxEntryBytes) : parseSize('--memo-max-size', v['memo-max-size']);
  if (maxEntryBytes > maxTotalBytes) fail('MRG4002', `merg-e run: --memo-max-entry (${v['memo-max-entry'] ?? maxEntryBytes}) is larger than --memo-max-size (${v['memo-max-size'] ?? maxTotalBytes})`);
  return { maxEntryBytes, maxTotalBytes };
}

/**
 * The memo store: --memo DIR|URL, else $MERG_E_MEMO, else `memo/` in the user's cache folder (never
 * beside the program: an installed example lives in node_modules). Entries are signed with the memo
 * key (key.ts), loaded now when the program vectorizes, else on first use. Nothing connects here: a
 * Redis store connects when a vectorize first asks it.
 */
function memoFor(v: VectorizeRunValues, source: string, io: RunIo, warnings: Diagnostic[]): MemoStore | null {
  if (v['no-memo']) return null;
  const given = v.memo ?? (process.env['MERG_E_MEMO'] || undefined);
  const url = given !== undefined && isStoreUrl(given) ? parseRedisUrl(given) : null;
  if (url && v['memo-max-size'] !== undefined) fail('MRG4002', 'merg-e run: --memo-max-size bounds a memo folder; a Redis store is bounded by its own maxmemory');
  const limits = memoLimits(v);
  const cacheDir = userCacheDir();
  const key = (): Buffer => {
    const k = loadMemoKey(cacheDir);
    warnings.push(...k.warnings);
    return k.key;
  };
  const open = (k: Buffer | (() => Buffer)): MemoStore => openMemoStore(given ?? defaultMemoDir(), io.cwd, k, url ? { maxEntryBytes: limits.maxEntryBytes } : limits);
  if (!/\bvectorize\b/.test(source)) return open(key);
  try {
    return open(key());
  } catch (e) {
    if (!(e instanceof MergeError) || e.code !== 'MRG4036') throw e;
    warnings.push({ ...e.diagnostic, message: `${e.message}; this run has no memo store` });
    return null;
  }
}

/**
 * The memo store's fetch figures (store-rates.ts): cached per store beside the machine's, else
 * measured now (the first vectorize that asks the store). A store that cannot be measured is
 * MRG4094 and priced as before (a folder at the disk's read rate, Redis on the machine's network);
 * a store that is down is the engine's MRG4091/4092 instead.
 */
function measuredRates(memo: MemoStore, io: RunIo, warnings: Diagnostic[]): (MeasuredRates & { fromCache: boolean }) | null {
  const cacheDir = userCacheDir();
  if (io.errIsTTY) io.err(`\r\x1b[Kmerg-e: measuring the memo store ${memo.location} (once; cached in ${cacheDir})…`);
  const got = storeFigures(memo, cacheDir);
  if (io.errIsTTY) io.err('\r\x1b[K');
  switch (got.kind) {
    case 'measured':
      if (got.saveError) warnings.push(diagnostic('MRG4094', `could not cache the figures of the memo store ${memo.location}: ${got.saveError.message}; it is measured again next time`));
      return { ...got.rates, fromCache: got.fromCache };
    case 'down':
      return null;
    default:
      warnings.push(diagnostic('MRG4094', `could not measure the memo store ${memo.location} (${got.why}); its fetches are priced with ${memo.transport === 'disk' ? "the disk's read rate" : "the machine's network"} this run`));
      return null;
  }
}

/** This machine's interpreter speed (interp-rate.ts); null, with MRG4095, if the measuring loop fails. */
function interpreterSpeed(io: RunIo, warnings: Diagnostic[]): InterpreterSpeed | null {
  const cacheDir = userCacheDir();
  try {
    if (io.errIsTTY) io.err(`\r\x1b[Kmerg-e: measuring the interpreter's speed (once; cached in ${cacheDir})…`);
    return interpreterRate(cacheDir, () => measureInterpreter(), {
      onSaveError: (e) => warnings.push(diagnostic('MRG4095', `could not cache the interpreter's speed in ${cacheDir}: ${e.message}; it is measured again next time`)),
    });
  } catch (e) {
    warnings.push(diagnostic('MRG4095', `could not measure the interpreter's speed (${(e as Error).message}); computing is priced at the machine's roofline this run`));
    return null;
  } finally {
    if (io.errIsTTY) io.err('\r\x1b[K');
  }
}

export interface VectorizeRun {
  readonly engine: VectorizeEngine;
  /** Warnings of setting up (machine) and of the run (memo). */
  warnings(): Diagnostic[];
  json(): VectorizeReport[];
  /** The memo store as the run used it (`memo` of --json), null without one. */
  memoJson(): MemoSummary | null;
  /** The `--report` table, or '' when nothing was vectorized. */
  table(): string;
  /** Closes the memo store's connection, if it has one. */
  close(): void;
}

/** Builds the engine for `merg-e run` from its options and the program it runs. */
export async function vectorizeForRun(v: VectorizeRunValues, program: ProgramText, io: RunIo): Promise<VectorizeRun> {
  if (v.memo !== undefined && v['no-memo']) fail('MRG4002', 'merg-e run: use --memo DIR|URL or --no-memo, not both');
  const memoTtlSec = v['memo-ttl'] === undefined ? undefined : parseDuration('--memo-ttl', v['memo-ttl']);
  const workers = v.workers === undefined ? undefined : decimalOption('merg-e run', '--workers', v.workers, { integer: true, min: 1 });
  const seed = v['schedule-seed'] === undefined ? null : decimalOption('merg-e run', '--schedule-seed', v['schedule-seed'], { integer: true, min: 0 });
  const setup: Diagnostic[] = [];
  const machine = await machineFor(v, program.source, io, setup);
  const memo = memoFor(v, program.source, io, setup);
  const progress = io.errIsTTY ? (line: string | null) => io.err(line === null ? '\r\x1b[K' : `\r\x1b[K${line}`) : null;
  // A machine given as figures (--machine FILE) fixes every verdict; otherwise the store is measured too.
  const storeRates = memo && machine?.figures.measuredAt !== 'fixed' ? () => measuredRates(memo, io, setup) : null;
  // So is the interpreter: W is priced at its measured speed, not at the roofline's multiply-adds.
  const interpreter = memo && machine?.figures.measuredAt !== 'fixed' && /\bvectorize\b/.test(program.source) ? interpreterSpeed(io, setup) : null;
  const engine = new VectorizeEngine({ ...(machine ? { machine } : {}), memo, storeRates, interpreter, ...(workers !== undefined ? { workers } : {}), ...(memoTtlSec !== undefined ? { memoTtlSec } : {}), seed, progress });
  return {
    engine,
    warnings: () => [...setup, ...engine.warnings],
    json: () => reportsJson(engine.reports),
    memoJson: () => engine.memoSummary(),
    table: () => (engine.reports.length === 0 ? '' : reportsTable(engine.reports, engine.memoSummary()) + '\n'),
    close: () => memo?.close?.(),
  };
}
