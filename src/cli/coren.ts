#!/usr/bin/env node
// The coren command line unbundled (dist/src/cli/coren.js); the installed executable is bin/coren.js,
// which runs the same corenMain from one bundled file (src/cli/launch.ts).
import { corenMain } from './coren-main.js';
import { processIo } from './io.js';

process.exitCode = await corenMain(process.argv.slice(2), processIo());
