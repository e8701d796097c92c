// coren: what can this machine do, and should it compute or fetch? A thin shell over src/coren.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { diagnostic, fail, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { calibrate, calibrationJson, calibrationTable, type CalibrateOptions } from '../coren/calibrate.js';
import { MachCap } from '../coren/machcap.js';
import type { Probes } from '../coren/probes.js';
import { formatBandwidth, formatCount } from '../coren/format.js';
import { humanReport, jsonReport } from '../coren/report.js';
import { loadMemoKey, storeRatesPath } from '../runtime/vectorize/memo/index.js';
import { machineCacheDir } from '../user-folders.js';
import { decimalOption, parseOptions } from './args.js';
import { EXIT_OK, EXIT_STATUS_HELP, guard } from './guard.js';
import { openMemoStore, storeFigures } from './memo-store.js';
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
  --store URL|DIR      price fetches from this memo store instead of the link: a
                       Redis server (redis://[user:pass@]host:port[/db], rediss://)
                       or a memo folder, measured once (round trip, fetch time,
                       bytes/s; cached beside the machine; --refresh measures again)
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
  coren --store redis://cache.example:6379/0   # the verdicts against a shared memo store
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
  store: { type: 'string' },
  version: { type: 'boolean', short: 'v' },
} as const;

interface Options {
  command: 'report' | 'calibrate';
  json: boolean;
  refresh: boolean;
  dir: string | undefined;
  netMbps?: number;
  netLatencyMs?: number;
  store?: string;
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
  if (v.store !== undefined) {
    if (command === 'calibrate') fail('MRG4002', 'coren calibrate: does not take --store', undefined, 'A store does not change a calibration; drop the option.');
    if (v['net-mbps'] !== undefined || v['net-latency-ms'] !== undefined) fail('MRG4002', 'coren: --store measures the network to the store; it does not go with --net-mbps or --net-latency-ms');
    o.store = v.store;
  }
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
  if (o.store !== undefined) return storeReport(o.store, o, cap, cacheDir, io, printWarning);
  io.out(o.json ? JSON.stringify(jsonReport(cap), null, 2) + '\n' : humanReport(cap));
  return EXIT_OK;
}

/**
 * `coren --store URL|DIR`: the verdict table with the network being the store — its measured
 * latency (a tiny entry's fetch) and bytes per second — or, when it cannot be reached, none (every
 * verdict computes, with a warning).
 */
function storeReport(text: string, o: Options, cap: MachCap, cacheDir: string, io: Io, warn: (d: Diagnostic) => void): number {
  const key = (): Buffer => {
    const k = loadMemoKey(cacheDir);
    k.warnings.forEach(warn);
    return k.key;
  };
  const memo = openMemoStore(text, io.cwd, key);
  let store: StoreJson;
  let priced: MachCap;
  try {
    const got = storeFigures(memo, cacheDir, o.refresh);
    if (got.kind === 'measured') {
      const r = got.rates;
      if (got.saveError) warn(diagnostic('MRG4094', `could not cache the figures of the memo store ${memo.location}: ${got.saveError.message}`));
      priced = cap.withStore(memo.location, r.latencySec, 1 / r.secPerByte);
      store = { location: memo.location, reachable: true, rttSec: r.rttSec, latencySec: r.latencySec, bytesPerSec: 1 / r.secPerByte, valuesPerSec: 1 / r.secPerValue, secPerByte: r.secPerByte, secPerValue: r.secPerValue, measuredAt: r.measuredAt, fromCache: got.fromCache, file: storeRatesPath(cacheDir) };
    } else {
      const code = got.kind === 'down' ? 'MRG4091' : 'MRG4094';
      warn(diagnostic(code, `memo store ${memo.location}: ${got.why}; ${got.kind === 'down' ? 'every verdict computes' : 'cannot price fetches from it'}`));
      priced = cap.withStore(memo.location, 0, 0);
      store = { location: memo.location, reachable: false, why: got.why };
    }
  } finally {
    memo.close?.();
  }
  if (o.json) {
    io.out(JSON.stringify({ ...jsonReport(priced), store }, null, 2) + '\n');
    return EXIT_OK;
  }
  const text2 = humanReport(priced);
  const line = store.reachable
    ? `  store     ${store.location}: ${store.rttSec !== null ? `round trip ${(store.rttSec * 1000).toPrecision(3)} ms, ` : ''}fetch ${(store.latencySec * 1000).toPrecision(3)} ms + ${formatBandwidth(store.bytesPerSec)} of result bytes, ${formatCount(BigInt(Math.round(store.valuesPerSec)))} values/s; measured ${store.measuredAt.slice(0, 16).replace('T', ' ')} UTC${store.fromCache ? `, from the cache ${store.file}` : `, cached in ${store.file}`}`
    : `  store     ${store.location}: unreachable (${store.why})`;
  // The store line goes after the network line it explains.
  const lines = text2.split('\n');
  const at = lines.findIndex((l) => l.startsWith('  network'));
  lines.splice(at + 1, 0, line);
  io.out(lines.join('\n'));
  return EXIT_OK;
}

/** `store` of `coren --store URL --json`. */
type StoreJson =
  | { location: string; reachable: true; rttSec: number | null; latencySec: number; bytesPerSec: number; valuesPerSec: number; secPerByte: number; secPerValue: number; measuredAt: string; fromCache: boolean; file: string }
  | { location: string; reachable: false; why: string };

export async function corenMain(argv: string[], io: Io, deps: CorenDeps = {}): Promise<number> {
  return guard((args, io2) => run(args, io2, deps), argv, io);
}
