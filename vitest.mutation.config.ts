// The vitest configuration StrykerJS uses (npm run mutation): the project's own, with the test files
// limited to the ones the mutation target names in MERG_E_MUTATION_TESTS (comma-separated globs), so a
// run over src/model does not spend its hours in vectorize's thread tests. See scripts/mutation.ts.
import { configDefaults, defineConfig } from 'vitest/config';

import base from './vitest.config.js';

const tests = (process.env['MERG_E_MUTATION_TESTS'] ?? '').split(',').filter((g) => g !== '');

// Not mergeConfig: it would add these globs to the project's instead of replacing them. Stryker runs
// the covering tests once per mutant: without isolation a test file's imports are loaded once per
// test process, not once per mutant (the mutants are switched on and off at run time).
// The Redis store's tests race real connections against one redis-server; in Stryker's shared test
// process at low priority their concurrent-writers case failed the dry run, so they stay out of
// mutation runs (npm test and CI run them). The store's mutants are then scored without them.
const exclude = [...configDefaults.exclude, 'test/vectorize/memo-redis.test.ts'];

export default defineConfig({ ...base, test: { ...base.test, isolate: false, exclude, ...(tests.length > 0 ? { include: tests } : {}) } });
