import { defineConfig } from 'vitest/config';
import LongestFirst from './test/setup/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    // Builds every test component once per run, before any test file (test/setup/component-jobs.ts).
    globalSetup: ['test/setup/global-setup.ts'],
    // Bounds for a hang, not expectations: a test takes at most seconds on two quiet cores, and a machine busy with
    // other builds runs it ten to twenty times slower (seen); hooks start real servers and hosts. Tests wait for
    // conditions, never for a guessed time. Tests that type-check whole projects with tsc declare more.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // the files that take minutes start first (test/setup/sequencer.ts)
    sequence: { sequencer: LongestFirst },
    // Two test files at a time (vitest's default on two cores is one): most wait on real servers, and the tests
    // share nothing a neighbour could break (own schemas, subjects, Redis databases, ports, private backends).
    maxWorkers: 2,
    reporters: ['default'],
  },
});
