import { defineConfig } from 'vitest/config';

/** `npm run e2e:sample` runs the contract suite against targets it starts itself (test/contract/*.e2e.ts). */
export default defineConfig({
  test: {
    include: ['test/contract/*.e2e.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
