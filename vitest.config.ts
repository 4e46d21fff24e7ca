import { defineConfig } from 'vitest/config'

// The project's own tests. The conformance suites under suites/ are run by `oob-conformance check`
// with their own config (src/runner), never by `npm test` directly.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'fixtures/**/*.test.ts', 'test/**/*.test.ts', 'spec/**/*.test.ts'],
    env: { PACT_DO_NOT_TRACK: 'true', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
