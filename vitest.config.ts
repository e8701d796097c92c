import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src/', import.meta.url));

// The random property campaign (npm run test:random) runs ten times the cases: give it time.
const campaign = process.env['npm_lifecycle_event'] === 'test:random' || process.env['MERG_E_RANDOM'] === '1';

export default defineConfig({
  // Tests that import the package by name ('merg-e-sim', 'merg-e-sim/testing', as a user's tests do)
  // get the sources; test/package/pack.test.ts checks the built package itself.
  resolve: {
    alias: [
      { find: /^merg-e-sim$/, replacement: `${src}index.ts` },
      { find: /^merg-e-sim\/(model|coren|testing)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Fixed property-test seeds (npm run test:random draws fresh ones): test/support/properties.ts.
    setupFiles: ['test/support/setup.ts', 'test/support/user-folders.ts'],
    // Property tests and golden runs spawn work; keep the default timeout generous but finite.
    testTimeout: campaign ? 1_800_000 : 120_000,
    hookTimeout: 60_000,
  },
});
