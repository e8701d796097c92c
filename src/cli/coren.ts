#!/usr/bin/env node
// coren: machine capability and compute-or-fetch verdicts. Arrives with the coren issue.
process.stderr.write('coren: not yet implemented in this build (see the coren issue)\n');
process.exitCode = 2;
