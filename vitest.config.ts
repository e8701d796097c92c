import { defineConfig } from 'vitest/config';

// The random property campaign (npm run test:random) runs ten times the cases: give it time.
const campaign = process.env['npm_lifecycle_event'] === 'test:random' || process.env['MERG_E_RANDOM'] === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixed property-test seeds (npm run test:random draws fresh ones): test/support/properties.ts.
    setupFiles: ['test/support/setup.ts', 'test/support/user-folders.ts'],
    // Property tests and golden runs spawn work; keep the default timeout generous but finite.
    testTimeout: campaign ? 1_800_000 : 120_000,
    hookTimeout: 60_000,
  },
});
