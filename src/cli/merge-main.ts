// merg-e: a thin shell over the library; every subcommand lives in its own module.
// `merg-e FILE …` is `merg-e run FILE …`, so a script starting with `#!/usr/bin/env merg-e` runs.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

import { fail } from '../diagnostics.js';
import { MERGE_COMMANDS } from './commands.js';
import { EXIT_OK, EXIT_STATUS_HELP, EXIT_USAGE, guard } from './guard.js';
import type { Io } from './io.js';
import { versionLine } from './version.js';

export function mergeUsage(): string {
  const width = Math.max(...[...MERGE_COMMANDS.keys()].map((k) => k.length), 'help'.length);
  const rows = [...MERGE_COMMANDS].map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: merg-e <command> [options]',
    '       merg-e FILE [options]        (the same as merg-e run FILE: for #!/usr/bin/env merg-e)',
    '',
    'commands:',
    ...rows,
    `  ${'help'.padEnd(width)}  merg-e help COMMAND shows a command's options and examples`,
    '',
    'options:',
    '  -h, --help     show this help',
    '  -v, --version  show the version',
    '',
    EXIT_STATUS_HELP,
    "Run 'merg-e <command> --help' (or 'merg-e help <command>') for a command's options and examples.",
    '',
  ].join('\n');
}

/** A first word that names a program rather than a command: `merg-e prog.merge` runs it. */
function isProgramFile(word: string, cwd: string): boolean {
  if (word === '-' || /\.(merge|mrg|mrm)$/.test(word) || word.includes('/') || word.includes('\\')) return true;
  const path = resolve(cwd, word);
  return existsSync(path) && !statSync(path).isDirectory();
}

function unknownCommand(name: string): never {
  const known = [...MERGE_COMMANDS.keys()].join(', ');
  const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
  return fail('MRG4002', `merg-e: ${what} (the commands are ${known}, help)`, undefined, "Run 'merg-e --help' for what each command does; to run a program, name its file.");
}

export async function mergeMain(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(mergeUsage());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h') {
    io.out(mergeUsage());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.out(versionLine('merg-e'));
    return EXIT_OK;
  }
  if (name === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) {
      io.out(mergeUsage());
      return EXIT_OK;
    }
    const entry = MERGE_COMMANDS.get(topic);
    if (!entry || extra.length > 0) {
      return guard(async () => (extra.length > 0 ? fail('MRG4002', `merg-e help: takes one command, got '${rest.join(' ')}'`) : unknownCommand(topic)), [], io);
    }
    return guard(await entry.load(), ['--help'], io);
  }
  const entry = MERGE_COMMANDS.get(name);
  if (entry) return guard(await entry.load(), rest, io);
  if ((name === '-' || !name.startsWith('-')) && isProgramFile(name, io.cwd)) return guard(await MERGE_COMMANDS.get('run')!.load(), argv, io);
  return guard(async () => unknownCommand(name), rest, io);
}
