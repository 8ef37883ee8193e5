import { describe, expect, it } from 'vitest';
import type { Estate } from '../../analyzer/index.ts';
import { createPlan } from '../../planner/index.ts';
import { createSmallEstate } from './small-estate.ts';

describe('bindings', () => {
  it('binds the database from the edge, without credentials, and lists secrets by reference only', () => {
    const estate: Estate = createSmallEstate([{ id: 'svc', writes: true }]);
    estate.infra.push({ id: 'db', kind: 'postgres', image: 'postgres:16' });
    estate.edges.push({
      from: 'svc',
      to: 'db',
      toKind: 'infra',
      kind: 'sql',
      detail: 'spring.datasource.url → jdbc:postgresql://app:s3cret@db:5432/shop?password=s3cret&ssl=true',
      evidence: [{ from: 'compose', text: 'DB_HOST=db', source: { file: 'docker-compose.yml', line: 9 } }],
    });
    estate.services[0]!.container = {
      ports: [8080],
      env: [
        { name: 'DB_PASSWORD', value: '***', source: { file: 'docker-compose.yml', line: 11 } },
        { name: 'API_KEY', ref: 'secretKeyRef:svc/api-key', source: { file: 'k8s/svc.yaml', line: 30 } },
        { name: 'DB_HOST', value: 'db', source: { file: 'docker-compose.yml', line: 9 } },
      ],
    };
    const service = createPlan({ estate }).services[0]!;
    expect(service.bindings).toEqual([
      {
        capability: 'postgres',
        target: 'db',
        address: 'postgresql://db:5432/shop?password=***&ssl=true',
        detail: 'spring.datasource.url',
        evidence: ['docker-compose.yml:9'],
      },
    ]);
    expect(service.secrets).toEqual([
      { name: 'API_KEY', ref: 'secretKeyRef:svc/api-key', source: 'k8s/svc.yaml:30' },
      { name: 'DB_PASSWORD', ref: 'env:DB_PASSWORD', source: 'docker-compose.yml:11' },
    ]);
    expect(JSON.stringify(service)).not.toContain('s3cret');
  });

  it('reports a store the analysis could not resolve', () => {
    const estate: Estate = createSmallEstate([{ id: 'svc' }]);
    estate.edges.push({
      from: 'svc',
      to: null,
      toKind: 'unresolved',
      kind: 'kv',
      detail: 'no spring.data.redis.host property',
      evidence: [{ from: 'code', text: 'redis.get()', source: { file: 'svc/R.java', line: 4 } }],
    });
    const plan = createPlan({ estate });
    expect(plan.services[0]!.bindings).toEqual([
      { capability: 'redis', target: null, detail: 'no spring.data.redis.host property', evidence: [] },
    ]);
    expect(plan.findings).toEqual([
      expect.objectContaining({ code: 'unresolved-binding', services: ['svc'], at: 'svc/R.java:4' }),
    ]);
  });
});
