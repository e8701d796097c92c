// Strict option parsing shared by the merg-e commands: a parse error is bad usage (MRG4002, exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { fail } from '../diagnostics.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs (strict, positionals allowed) with `-h/--help` added; errors name the command. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    return parseArgs({ args: argv, options: all as O & { help: { type: 'boolean'; short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    fail('MRG4002', `merg-e ${command}: ${(e as Error).message}`);
  }
}
