import { describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../analyzer/index.ts';

describe('Java parsing on worker threads', () => {
  it.each(['samples/spring-orders', 'test/analyzer/fixtures/mini-estate'])(
    'gives the same estate for %s with workers on and off',
    async (root) => {
      const inProcess = await analyzeEstate(root, { readers: [], workers: false });
      const onWorkers = await analyzeEstate(root, { readers: [], workers: true });
      expect(onWorkers).toEqual(inProcess);
      expect(onWorkers.services.length).toBeGreaterThan(0);
    },
  );
});
