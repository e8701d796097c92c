#!/usr/bin/env node
// The merg-e executable: everything it does is in merge-main.ts, which tests call directly.
import { mergeMain } from './merge-main.js';
import { processIo } from './io.js';

process.exitCode = await mergeMain(process.argv.slice(2), processIo());
