import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpringConfig, propertiesReader } from '../../../analyzer/infra/properties.ts';
import { FIXTURES, contextFor } from './helpers.ts';

const estate = join(FIXTURES, 'estate');
const resources = 'api/src/main/resources';
const read = (name: string): string => readFileSync(join(estate, resources, name), 'utf8');

describe('parseSpringConfig', () => {
  it('reads .properties with separators, continuations, escapes and placeholders; redacts secrets', () => {
    const facts = parseSpringConfig(read('application.properties'), `${resources}/application.properties`);
    expect(facts.format).toBe('properties');
    expect(facts.profile).toBeUndefined();
    expect(facts.entries).toEqual([
      { key: 'spring.application.name', value: 'api', line: 1, placeholders: [] },
      {
        key: 'server.port',
        value: '${SERVER_PORT:8080}',
        line: 2,
        placeholders: [{ name: 'SERVER_PORT', default: '8080' }],
      },
      {
        key: 'stock.url',
        value: '${STOCK_URL:http://localhost:18081}',
        line: 5,
        placeholders: [{ name: 'STOCK_URL', default: 'http://localhost:18081' }],
      },
      {
        key: 'spring.datasource.password',
        value: '***',
        line: 6,
        placeholders: [{ name: 'DB_PASSWORD', default: '***' }],
      },
      { key: 'long.value', value: 'first,second', line: 7, placeholders: [] },
      { key: 'key:with:colons', value: 'yes', line: 9, placeholders: [] },
    ]);
  });

  it('flattens application-<profile>.yml and takes the profile from the name or on-profile', () => {
    const facts = parseSpringConfig(read('application-docker.yml'), `${resources}/application-docker.yml`);
    expect(facts.profile).toBe('docker');
    expect(facts.entries.map((e) => [e.key, e.value, e.line, e.profile])).toEqual([
      ['stock.url', 'http://stock:8080', 2, 'docker'],
      ['nats.subjects[0]', 'orders.placed', 5, 'docker'],
      ['nats.subjects[1]', 'orders.cancelled', 6, 'docker'],
      ['spring.config.activate.on-profile', 'debug', 11, 'debug'],
      ['logging.level.root', 'DEBUG', 14, 'debug'],
    ]);
  });

  it('reports broken YAML with file:line:col and keeps the good documents', () => {
    const facts = parseSpringConfig('a: 1\n---\nb: [1, 2\nc: 3\n', 'application.yml');
    expect(facts.entries.map((e) => e.key)).toEqual(['a']);
    expect(facts.problems[0]).toMatchObject({
      code: 'yaml-invalid',
      file: 'application.yml',
      severity: 'error',
    });
    expect(facts.problems[0]?.line).toBeGreaterThanOrEqual(3);
  });
});

describe('propertiesReader', () => {
  it('reads every Spring config file of the estate, skipping build output', async () => {
    const result = await propertiesReader.read(contextFor(estate));
    expect([...new Set(result.properties?.map((p) => p.file))]).toEqual([
      `${resources}/application-docker.yml`,
      `${resources}/application.properties`,
    ]);
    expect(result.properties?.find((p) => p.key === 'stock.url' && p.profile === undefined)).toEqual({
      file: `${resources}/application.properties`,
      line: 5,
      key: 'stock.url',
      value: '${STOCK_URL:http://localhost:18081}',
      placeholders: [{ name: 'STOCK_URL', default: 'http://localhost:18081' }],
    });
  });
});
