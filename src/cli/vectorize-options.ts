// vectorize's part of `merg-e run`: its options, the engine they configure (memo folder, machine,
// pool, deterministic seed, progress on a terminal) and what it adds to the output. src/cli/run.ts
// only forwards to these; the engine itself lives in src/runtime/vectorize.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { diagnostic, fail, MergeError, type Diagnostic } from '../diagnostics.js';
import { MachCap } from '../coren/index.js';
import { VectorizeEngine } from '../runtime/vectorize/engine.js';
import { machineFromFile } from '../runtime/vectorize/machine.js';
import { FolderMemo } from '../runtime/vectorize/memo.js';
import { reportsJson, reportsTable, type VectorizeReport } from '../runtime/vectorize/report.js';
import { machineCacheDir } from '../user-folders.js';
import { decimalOption } from './args.js';
import type { ProgramText } from './input.js';

/** Option specs of vectorize's `merg-e run` options. */
export const VECTORIZE_RUN_OPTIONS = {
  memo: { type: 'string' },
  'no-memo': { type: 'boolean' },
  workers: { type: 'string' },
  'schedule-seed': { type: 'string' },
  machine: { type: 'string' },
} as const;

export const VECTORIZE_RUN_HELP = `  --memo DIR            vectorize's memo store (default .merg-e/memo beside the program)
  --no-memo             no memo store: every vectorize computes
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

export interface VectorizeRun {
  readonly engine: VectorizeEngine;
  /** Warnings of setting up (machine) and of the run (memo). */
  warnings(): Diagnostic[];
  json(): VectorizeReport[];
  /** The `--report` table, or '' when nothing was vectorized. */
  table(): string;
}

/** Builds the engine for `merg-e run` from its options and the program it runs. */
export async function vectorizeForRun(v: VectorizeRunValues, program: ProgramText, io: RunIo): Promise<VectorizeRun> {
  if (v.memo !== undefined && v['no-memo']) fail('MRG4002', 'merg-e run: use --memo DIR or --no-memo, not both');
  const workers = v.workers === undefined ? undefined : decimalOption('merg-e run', '--workers', v.workers, { integer: true, min: 1 });
  const seed = v['schedule-seed'] === undefined ? null : decimalOption('merg-e run', '--schedule-seed', v['schedule-seed'], { integer: true, min: 0 });
  const setup: Diagnostic[] = [];
  const machine = await machineFor(v, program.source, io, setup);
  const memo = v['no-memo'] ? null : new FolderMemo(v.memo !== undefined ? resolve(io.cwd, v.memo) : join(program.dir, '.merg-e', 'memo'));
  const progress = io.errIsTTY ? (line: string | null) => io.err(line === null ? '\r\x1b[K' : `\r\x1b[K${line}`) : null;
  const engine = new VectorizeEngine({ ...(machine ? { machine } : {}), memo, ...(workers !== undefined ? { workers } : {}), seed, progress });
  return {
    engine,
    warnings: () => [...setup, ...engine.warnings],
    json: () => reportsJson(engine.reports),
    table: () => (engine.reports.length === 0 ? '' : reportsTable(engine.reports) + '\n'),
  };
}
