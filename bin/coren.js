#!/usr/bin/env node
// The coren executable (package.json "bin"): loads the bundled command line that `npm run build`
// made in dist/bin, with a compile cache in the user's cache folder (bin/start.js, src/cli/launch.ts).
import { start } from './start.js';

await start('coren');
