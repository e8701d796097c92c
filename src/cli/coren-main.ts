// coren: what can this machine do, and should it compute or fetch? A thin shell over src/coren.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { fail, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { calibrate, calibrationJson, calibrationTable, type CalibrateOptions } from '../coren/calibrate.js';
import { MachCap } from '../coren/machcap.js';
import type { Probes } from '../coren/probes.js';
import { humanReport, jsonReport } from '../coren/report.js';
import { machineCacheDir } from '../user-folders.js';
import { decimalOption, parseOptions } from './args.js';
import { EXIT_OK, EXIT_STATUS_HELP, guard } from './guard.js';
import type { Io } from './io.js';
import { versionLine } from './version.js';

export const COREN_USAGE = `usage: coren [options]
       coren calibrate [--json] [--refresh] [--dir D]

Measures this machine once (FMA loop, memory bandwidth on one and all cores, disk, OS queries;
about 2-3 s), caches the figures in the user's cache folder (shared with merg-e run), and prints
its roofline and a verdict table: for each standard task, compute it here or fetch the memoized
result?

options:
  --json               one JSON document on stdout instead of the text report
  --refresh            measure again even if the cache is valid
  --dir D              the folder whose disk is probed (default: the cache folder)
  --net-mbps N         network speed in Mbit/s instead of the reported link (0: no network)
  --net-latency-ms N   network latency in ms (default 0)
  -h, --help           show this help
  -v, --version        show the version

The cache folder is $MERG_E_CACHE_DIR, else the platform's cache folder (on Linux
$XDG_CACHE_HOME/merg-e or ~/.cache/merg-e); the report names the file.

coren calibrate runs real kernels (scan, sort, sha256, matmul, etl) at two sizes each and compares
the model's predicted time with the measured one (ratio = predicted / measured).

${EXIT_STATUS_HELP}
examples:
  coren                          # report for this machine (measures on the first run)
  coren --json > machine.json    # the same as JSON
  coren --net-mbps 1000 --net-latency-ms 20
  coren --refresh --dir /data    # re-measure, probing the disk under /data
  coren calibrate                # how well the model predicts this runtime
`;

export interface CorenDeps {
  /** Measurement probes (tests pass fakes). */
  probes?: Probes;
  /** Calibration options (tests use tiny sizes). */
  calibrate?: CalibrateOptions;
}

const COREN_OPTIONS = {
  json: { type: 'boolean' },
  refresh: { type: 'boolean' },
  dir: { type: 'string' },
  'net-mbps': { type: 'string' },
  'net-latency-ms': { type: 'string' },
  version: { type: 'boolean', short: 'v' },
} as const;

interface Options {
  command: 'report' | 'calibrate';
  json: boolean;
  refresh: boolean;
  dir: string | undefined;
  netMbps?: number;
  netLatencyMs?: number;
  help: boolean;
  version: boolean;
}

export function parseCorenArgs(argv: readonly string[]): Options {
  const { values: v, positionals } = parseOptions('coren', argv, COREN_OPTIONS);
  const [sub, ...extra] = positionals;
  if (sub !== undefined && sub !== 'calibrate') fail('MRG4002', `coren: unexpected argument '${sub}'`, undefined, "Run 'coren --help' for the options; the only subcommand is 'calibrate'.");
  if (extra.length > 0) fail('MRG4002', `coren calibrate: unexpected argument '${extra[0]}'`, undefined, "Run 'coren --help' for the options.");
  const command = sub === 'calibrate' ? 'calibrate' : 'report';
  const program = command === 'calibrate' ? 'coren calibrate' : 'coren';
  const o: Options = { command, json: v.json === true, refresh: v.refresh === true, dir: v.dir, help: v.help === true, version: v.version === true };
  for (const [flag, key] of [['net-mbps', 'netMbps'], ['net-latency-ms', 'netLatencyMs']] as const) {
    const text = v[flag];
    if (text === undefined) continue;
    if (command === 'calibrate') fail('MRG4002', `coren calibrate: does not take --${flag}`, undefined, 'Network figures do not change a calibration; drop the option.');
    o[key] = decimalOption(program, `--${flag}`, text, { min: 0 });
  }
  return o;
}

/** Progress on one terminal line, cleared when done. */
function progressLine(io: Io): { show: (phase: string) => void; clear: () => void } {
  let shown = false;
  return {
    show: (phase) => {
      shown = true;
      io.err(`\r\x1b[Kcoren: measuring this machine: ${phase}…`);
    },
    clear: () => {
      if (shown) io.err('\r\x1b[K');
    },
  };
}

async function run(argv: string[], io: Io, deps: CorenDeps): Promise<number> {
  const o = parseCorenArgs(argv);
  if (o.help) {
    io.out(COREN_USAGE);
    return EXIT_OK;
  }
  if (o.version) {
    io.out(versionLine('coren'));
    return EXIT_OK;
  }
  const cacheDir = machineCacheDir();
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (e) {
    fail('MRG4042', `cannot create the cache folder ${cacheDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, undefined, 'Set MERG_E_CACHE_DIR to a folder you can write to.');
  }
  const progress = io.errIsTTY && !o.json ? progressLine(io) : undefined;
  const printWarning = (d: Diagnostic) => {
    progress?.clear();
    io.err(formatDiagnostic(d, { color: io.colorErr }) + '\n');
  };
  let cap: MachCap;
  try {
    cap = await MachCap.read(cacheDir, {
      refresh: o.refresh,
      ...(o.dir === undefined ? {} : { probeDir: resolve(io.cwd, o.dir) }),
      netMbps: o.netMbps,
      netLatencyMs: o.netLatencyMs,
      probes: deps.probes,
      onProgress: progress?.show,
      onWarning: printWarning,
    });
  } finally {
    progress?.clear();
  }
  if (o.command === 'calibrate') {
    const c = calibrate(cap, { ...deps.calibrate, progress: progress?.show });
    progress?.clear();
    io.out(o.json ? JSON.stringify(calibrationJson(c), null, 2) + '\n' : calibrationTable(c));
    return EXIT_OK;
  }
  io.out(o.json ? JSON.stringify(jsonReport(cap), null, 2) + '\n' : humanReport(cap));
  return EXIT_OK;
}

export async function corenMain(argv: string[], io: Io, deps: CorenDeps = {}): Promise<number> {
  return guard((args, io2) => run(args, io2, deps), argv, io);
}
