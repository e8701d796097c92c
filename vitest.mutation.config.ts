// The vitest configuration StrykerJS uses (npm run mutation): the project's own, with the test files
// limited to the ones the mutation target names in MERG_E_MUTATION_TESTS (comma-separated globs), so a
// run over src/model does not spend its hours in vectorize's thread tests. See scripts/mutation.ts.
import { defineConfig } from 'vitest/config';

import base from './vitest.config.js';

const tests = (process.env['MERG_E_MUTATION_TESTS'] ?? '').split(',').filter((g) => g !== '');

// Not mergeConfig: it would add these globs to the project's instead of replacing them.
export default defineConfig({ ...base, test: { ...base.test, ...(tests.length > 0 ? { include: tests } : {}) } });
