// merg-e: a thin shell over the library; every subcommand lives in its own module.
import { fail } from '../diagnostics.js';
import { MERGE_COMMANDS } from './commands.js';
import { EXIT_OK, EXIT_USAGE, guard } from './guard.js';
import type { Io } from './io.js';

export function mergeUsage(): string {
  const width = Math.max(...[...MERGE_COMMANDS.keys()].map((k) => k.length));
  const rows = [...MERGE_COMMANDS].map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: merg-e <command> [options]', '', 'commands:', ...rows, '', "Run 'merg-e <command> --help' for a command's options and examples.", ''].join('\n');
}

export async function mergeMain(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mergeUsage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const entry = MERGE_COMMANDS.get(name);
  if (!entry) {
    const known = [...MERGE_COMMANDS.keys()].join(', ');
    return guard(async () => fail('MRG4002', `merg-e: unknown command '${name}' (the commands are ${known})`, undefined, "Run 'merg-e --help' for what each command does."), rest, io);
  }
  return guard(await entry.load(), rest, io);
}

