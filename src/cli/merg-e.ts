#!/usr/bin/env node
// The merg-e command line unbundled (dist/src/cli/merg-e.js); the installed executable is bin/merg-e.js,
// which runs the same mergeMain from one bundled file (src/cli/launch.ts).
import { mergeMain } from './merge-main.js';
import { processIo } from './io.js';

process.exitCode = await mergeMain(process.argv.slice(2), processIo());
