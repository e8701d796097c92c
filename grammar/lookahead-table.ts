// The lookahead paths of every decision of the grammar, computed ahead of time. In the command-line
// bundles scripts/build.mjs replaces this module with the table it computed from this grammar
// (grammar/build-tables.ts), so a command parses without walking the grammar for paths. From
// the sources (the library, tests) there is none: each decision computes its paths on first use.
import type { LookaheadTable } from './lookahead.js';

export const LOOKAHEAD_TABLE: LookaheadTable | null = null;
