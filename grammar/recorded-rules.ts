// The grammar's rules, recorded ahead of time (grammar/rule-records.ts). In the command-line bundles
// scripts/build.mjs replaces this module with the records it made from this grammar
// (grammar/build-tables.ts), so building the parser does not run every rule in Chevrotain's recording
// mode (about three quarters of the time it took). From the sources (the library, tests) there are
// none: the parser records its rules as Chevrotain does.
import type { RuleRecords } from './rule-records.js';

export const RECORDED_RULES: RuleRecords | null = null;
