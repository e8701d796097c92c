import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and golden runs spawn work; keep the default timeout generous but finite.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
