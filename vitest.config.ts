import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,handlers,blocks,scripts,test}/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
