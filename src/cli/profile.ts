// merg-e profile: `list` shows every runtime profile (shipped and the user's own); `measure` writes
// the v8-measured profile (this interpreter's own entity sizes) to the user's profile folder or --out.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { writeFileAtomic } from '../atomic-write.js';
import { fail, MergeError } from '../diagnostics.js';
import { heapProfileText, measureV8Profile, V8_PROFILE } from '../runtime/heap-profile.js';
import { schemaReference } from '../schemas/index.js';
import { userProfilesDir } from '../user-folders.js';
import { decimalOption, parseOptions } from './args.js';
import { EXIT_OK, EXIT_STATUS_HELP } from './guard.js';
import type { Io } from './io.js';
import { profileCatalog } from '../runtime/profiles.js';
import { table } from './table.js';

export const PROFILE_HELP = `usage: merg-e profile list [--json]
       merg-e profile measure [options]

list: every runtime profile a command can use by name: the shipped ones and
your own, from your profile folder (a profile of yours with a shipped
profile's name takes its place). --json prints [{"name","origin","file",
"shadows"}]. Any profile file can also be named by its path (--profile FILE).

measure: measures this interpreter's own entity sizes on the V8 heap: for
every entity kind it allocates many entities through the real model, forces
garbage collection, and divides the heap's growth by the count. Writes the
result as the runtime profile '${V8_PROFILE}', by default into your profile
folder, where run, compare and basket find it: runtimes/ in $MERG_E_CONFIG_DIR,
else in the platform's config folder (Linux: $XDG_CONFIG_HOME/merg-e or
~/.config/merg-e; macOS: ~/Library/Application Support/merg-e; Windows:
%APPDATA%\\merg-e). Takes about 15 seconds.

options:
  --json          (list) print JSON
  --out FILE      (measure) write the profile here instead
  --count N       (measure) entities per sample (default 10000; at least 100)
  --samples N     (measure) samples per kind, the median is kept (default 3)
  -h, --help      show this help

${EXIT_STATUS_HELP}
examples:
  merg-e profile list
  merg-e profile measure
  merg-e profile measure --out /tmp/v8-measured.json --count 5000
`;

const PROFILE_OPTIONS = {
  json: { type: 'boolean' },
  out: { type: 'string' },
  count: { type: 'string' },
  samples: { type: 'string' },
} as const;

function whole(name: string, v: string | undefined, min: number): number | undefined {
  return v === undefined ? undefined : decimalOption('merg-e profile measure', `--${name}`, v, { integer: true, min });
}

function cannotWrite(shown: string, e: unknown): never {
  if (e instanceof MergeError) throw e;
  return fail('MRG4025', `cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
}

function list(json: boolean, io: Io): number {
  const entries = profileCatalog();
  if (json) {
    io.out(JSON.stringify(entries) + '\n');
    return EXIT_OK;
  }
  const rows = [['profile', 'origin', 'file'], ...entries.map((e) => [e.name, e.origin === 'user' ? (e.shadows ? 'yours (in place of the shipped one)' : 'yours') : 'shipped', e.file])];
  io.out(table(rows, ['left', 'left', 'left']) + `\nyour profile folder: ${userProfilesDir()}\n`);
  return EXIT_OK;
}

function measure(v: ReturnType<typeof parseOptions<typeof PROFILE_OPTIONS>>['values'], io: Io): number {
  const out = v.out === undefined ? join(userProfilesDir(), `${V8_PROFILE}.json`) : resolve(io.cwd, v.out);
  const shown = v.out ?? out;
  const count = whole('count', v.count, 100);
  const samples = whole('samples', v.samples, 1);
  // Refuse an unwritable destination before spending seconds on the measurement.
  try {
    if (v.out === undefined) mkdirSync(dirname(out), { recursive: true });
    if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) fail('MRG4025', `cannot write ${shown}: it is a folder; name the profile file to write`);
    if (!statSync(dirname(out)).isDirectory()) fail('MRG4025', `cannot write ${shown}: ${dirname(out)} is not a folder`);
  } catch (e) {
    cannotWrite(shown, e);
  }
  const m = measureV8Profile({
    count,
    samples,
    onProgress: io.errIsTTY ? (what) => io.err(`\rmeasuring ${what}...`.padEnd(60)) : undefined,
  });
  if (io.errIsTTY) io.err('\r'.padEnd(61) + '\r');
  try {
    writeFileAtomic(out, heapProfileText(m, schemaReference('runtime-profile', out)));
  } catch (e) {
    cannotWrite(shown, e);
  }
  const b = m.profile.bytes;
  io.err(`wrote ${shown}: dag_node ${b.get('dag_node')} B, scalar:int32 ${b.get('scalar:int32')} B, string ${b.get('string')} B + ${b.get('string_byte')} B/byte, row ${b.get('row')} B, scope ${b.get('scope')} B\n`);
  return EXIT_OK;
}

export async function profile(argv: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseOptions('merg-e profile', argv, PROFILE_OPTIONS);
  if (v.help) {
    io.out(PROFILE_HELP);
    return EXIT_OK;
  }
  const [action, ...rest] = positionals;
  if ((action !== 'measure' && action !== 'list') || rest.length > 0) {
    fail('MRG4002', `merg-e profile: the actions are 'list' and 'measure', got '${positionals.join(' ')}'`);
  }
  if (action === 'list') {
    if (v.out !== undefined || v.count !== undefined || v.samples !== undefined) fail('MRG4002', 'merg-e profile list: takes only --json');
    return list(v.json === true, io);
  }
  if (v.json) fail('MRG4002', 'merg-e profile measure: does not take --json');
  return measure(v, io);
}
