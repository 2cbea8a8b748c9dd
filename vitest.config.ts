import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Polls wait for another process (sandbox, stand-in, browser); on a loaded CI machine that
    // takes longer than vitest's one-second default, and a poll stops as soon as it holds.
    expect: { poll: { timeout: 10_000 } },
    env: {
      // Handlers log through Powertools; tests assert on behaviour, not on log lines.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
