// Every test file runs with its own empty user folders, so no test reads or writes the real user's
// cache or profiles, and a profile the developer measured cannot change a test's prices.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'merg-e-user-'));
process.env['MERG_E_CACHE_DIR'] = join(home, 'cache');
process.env['MERG_E_CONFIG_DIR'] = join(home, 'config');
