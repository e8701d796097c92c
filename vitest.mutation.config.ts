// The vitest configuration StrykerJS uses (npm run mutation): the project's own, with the test files
// limited to the ones the mutation target names in MERG_E_MUTATION_TESTS (comma-separated globs), so a
// run over src/model does not spend its hours in vectorize's thread tests. See scripts/mutation.ts.
import { readdirSync, readFileSync } from 'node:fs';

import { configDefaults, defineConfig } from 'vitest/config';

import base from './vitest.config.js';

const tests = (process.env['MERG_E_MUTATION_TESTS'] ?? '').split(',').filter((g) => g !== '');

// Stryker runs the covering tests once per mutant: without isolation a test file's imports are loaded
// once per test process, not once per mutant (the mutants are switched on and off at run time).
// The Redis store's tests race real connections against one redis-server; in Stryker's shared test
// process at low priority their concurrent-writers case failed the dry run, so they stay out of
// mutation runs (npm test and CI run them). The store's mutants are then scored without them.
const exclude = [...configDefaults.exclude, 'test/vectorize/memo-redis.test.ts'];

// Test files that replace modules (vi.mock, vi.doMock) or load fresh copies of them get a module
// registry of their own: in the shared one a module may already be loaded unmocked, and module state
// (limits.ts's byte and work counts) moved by one file would leak into the next file's assertions.
const allTests = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f.replaceAll('\\', '/')}`);
const replacesModules = (f: string) => /\bvi\.(mock|doMock|resetModules)\(/.test(readFileSync(f, 'utf8'));
const isolated = allTests.filter(replacesModules);
const shared = allTests.filter((f) => !isolated.includes(f));
const include = tests.length > 0 ? tests : base.test?.include;

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // Not mergeConfig: it would add these globs to the project's instead of replacing them (and the
    // projects extend this root config, so the root's own globs are replaced too).
    include,
    projects: [
      { extends: true, test: { name: 'shared', isolate: false, include, exclude: [...exclude, ...isolated] } },
      { extends: true, test: { name: 'isolated', isolate: true, include, exclude: [...exclude, ...shared] } },
    ],
  },
});
