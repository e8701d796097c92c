// StrykerJS mutation testing. Run it with `npm run mutation [-- --mutate PATH]` (scripts/mutation.ts),
// which picks the folder, the incremental file and the report names; see TESTING.md. Not part of CI.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // related: false — vitest did not find the tests of a mutated file through the .js import specifiers;
  // per-test coverage still runs only the tests that reach each mutant.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // Only TypeScript sources get @ts-nocheck (the default also rewrites grammar/merg-e.html, which a test compares).
  disableTypeChecks: '{src,test}/**/*.ts',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) would each need the whole suite (about 3 minutes):
  // they are counted and listed as ignored instead; TESTING.md gives their number.
  ignoreStatic: true,
  // 2 cores shared with other work: never more than two test processes.
  concurrency: 2,
  timeoutMS: 10_000,
  // The first run of the target's tests, instrumented, on busy cores.
  dryRunTimeoutMinutes: 40,
  timeoutFactor: 2.5,
  incremental: true,
  // Sandboxes under node_modules/ confuse vite (it treats them as dependencies): keep the default place.
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['progress', 'clear-text', 'html', 'json'],
  thresholds: { high: 90, low: 70, break: null },
};
