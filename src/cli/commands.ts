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
  ['compare', { summary: 'run a program under several runtime profiles and compare its RAM-points', load: async () => (await import('./compare.js')).compare }],
  ['basket', { summary: "a basket's entity counts and every kind's price under each profile", load: async () => (await import('./basket.js')).basket }],
  ['profile', { summary: "list the runtime profiles, or measure this interpreter's own (v8-measured)", load: async () => (await import('./profile.js')).profile }],
]);
