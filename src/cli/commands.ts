// The merg-e subcommands. Each is loaded only when used, to keep startup fast.
import type { Command } from './io.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const MERGE_COMMANDS = new Map<string, CommandEntry>([
  // ['name', { summary, load: async () => (await import('./name.js')).name }],
  ['check', { summary: 'parse Merg-E files and report every syntax problem', load: async () => (await import('./check.js')).check }],
  ['run', { summary: 'run a Merg-E program and report how it ended', load: async () => (await import('./run.js')).run }],
]);
