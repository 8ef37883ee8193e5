import { defineConfig } from 'vitest/config';

/** `npm run e2e:clinic` runs the spring-clinic contract suite against a target it starts itself (test/clinic). */
export default defineConfig({
  test: {
    include: ['test/clinic/*.e2e.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
