// The merg-e subcommands. Each is loaded only when used, to keep startup fast.
import type { Command } from './io.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const MERGE_COMMANDS = new Map<string, CommandEntry>([
  // ['name', { summary, load: async () => (await import('./name.js')).name }],
]);
