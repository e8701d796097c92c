// coren: what can this machine do, and should it compute or fetch? A thin shell over src/coren.
import { isAbsolute, resolve } from 'node:path';

import { fail, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { calibrate, calibrationJson, calibrationTable, type CalibrateOptions } from '../coren/calibrate.js';
import { MachCap } from '../coren/machcap.js';
import type { Probes } from '../coren/probes.js';
import { humanReport, jsonReport } from '../coren/report.js';
import { EXIT_OK, guard } from './guard.js';
import type { Io } from './io.js';

export const COREN_USAGE = `usage: coren [--json] [--refresh] [--dir D] [--net-mbps N] [--net-latency-ms N]
       coren calibrate [--json] [--refresh] [--dir D]

Measures this machine once (FMA loop, memory bandwidth on one and all cores, disk, OS queries;
about 2-3 s), caches the figures in D/.coren-cache.json, and prints its roofline and a verdict
table: for each standard task, compute it here or fetch the memoized result?

options:
  --json               one JSON document on stdout instead of the text report
  --refresh            measure again even if the cache is valid
  --dir D              folder for the disk probe and the cache (default: the current folder)
  --net-mbps N         network speed in Mbit/s instead of the reported link (0: no network)
  --net-latency-ms N   network latency in ms (default 0)
  -h, --help           this help

coren calibrate runs real kernels (scan, sort, sha256, matmul, etl) at two sizes each and compares
the model's predicted time with the measured one (ratio = predicted / measured).

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

interface Options {
  command: 'report' | 'calibrate';
  json: boolean;
  refresh: boolean;
  dir: string | undefined;
  netMbps?: number;
  netLatencyMs?: number;
  help: boolean;
}

function numberOption(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) fail('MRG4043', `${flag} must be a finite number >= 0, got '${text}'`);
  return n;
}

export function parseCorenArgs(argv: readonly string[]): Options {
  const o: Options = { command: 'report', json: false, refresh: false, dir: undefined, help: false };
  const args = [...argv];
  if (args[0] === 'calibrate') {
    o.command = 'calibrate';
    args.shift();
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) fail('MRG4002', `${flag} needs a value`, undefined, `Write ${flag} followed by its value; see coren --help.`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) fail('MRG4002', `${flag} takes no value`);
    };
    switch (flag) {
      case '--json':
        noValue();
        o.json = true;
        break;
      case '--refresh':
        noValue();
        o.refresh = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '--dir':
        o.dir = value();
        break;
      case '--net-mbps':
      case '--net-latency-ms': {
        if (o.command === 'calibrate') fail('MRG4002', `coren calibrate does not take ${flag}`, undefined, 'Network figures do not change a calibration; drop the option.');
        const n = numberOption(flag, value());
        if (flag === '--net-mbps') o.netMbps = n;
        else o.netLatencyMs = n;
        break;
      }
      default:
        fail('MRG4002', arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}'`, undefined, "Run 'coren --help' for the options; the only subcommand is 'calibrate'.");
    }
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
  const dir = o.dir === undefined ? io.cwd : isAbsolute(o.dir) ? o.dir : resolve(io.cwd, o.dir);
  const progress = io.errIsTTY && !o.json ? progressLine(io) : undefined;
  const printWarning = (d: Diagnostic) => {
    progress?.clear();
    io.err(formatDiagnostic(d, { color: io.colorErr }) + '\n');
  };
  let cap: MachCap;
  try {
    cap = await MachCap.read(dir, {
      refresh: o.refresh,
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
