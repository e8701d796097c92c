#!/usr/bin/env node
// The coren executable: everything it does is in coren-main.ts, which tests call directly.
import { corenMain } from './coren-main.js';
import { processIo } from './io.js';

process.exitCode = await corenMain(process.argv.slice(2), processIo());
