import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeReader, parseCompose, readComposeFile } from '../../../analyzer/infra/compose.ts';
import { FIXTURES, contextFor } from './helpers.ts';

const estate = join(FIXTURES, 'estate');

describe('readComposeFile', () => {
  it('reads services sorted by name with image, build, ports, networks and the project name', async () => {
    const facts = await readComposeFile(estate, 'docker-compose.yml');
    expect(facts.project).toBe('shop');
    expect(facts.networks).toEqual(['back', 'front']);
    expect(facts.services.map((s) => s.name)).toEqual(['api', 'postgres', 'stock']);
    const api = facts.services[0];
    expect(api?.line).toBe(5);
    expect(api?.image).toBe('shop/api:1.0');
    expect(api?.build).toEqual({ context: 'api', dockerfile: 'api/Dockerfile', line: 6 });
    expect(api?.ports).toEqual([
      { target: '8080', published: '18080', hostIp: '127.0.0.1', protocol: 'tcp', line: 18 },
      { target: '9090', published: '19090', protocol: 'udp', line: 19 },
    ]);
    expect(api?.networks).toEqual(['back', 'front']);
    expect(facts.services[1]?.networks).toEqual(['back']);
  });

  it('reads map and list env, merge keys, and env_file values with secrets redacted', async () => {
    const facts = await readComposeFile(estate, 'docker-compose.yml');
    const [api, postgres, stock] = facts.services;
    expect(api?.env.map((e) => [e.name, e.value, e.source])).toEqual([
      ['DB_HOST', 'postgres', 'environment'],
      ['STOCK_URL', 'http://stock:8080', 'environment'],
      ['API_TOKEN', '***', 'environment'],
      ['DB_USER', 'shop', '.env.secret'],
      ['DB_PASSWORD', '***', '.env.secret'],
      ['QUEUE_URL', 'amqp://shop:***@rabbit:5672', '.env.secret'],
    ]);
    expect(api?.envFiles).toEqual([
      { path: '.env.secret', required: true, found: true, line: 14 },
      { path: 'missing.env', required: false, found: false, line: 15 },
    ]);
    expect(postgres?.env).toEqual([
      { name: 'POSTGRES_PASSWORD', value: '***', source: 'environment', line: 41 },
    ]);
    expect(stock?.env).toEqual([
      { name: 'STOCK_LEVEL', value: '10', source: 'environment', line: 31 },
      { name: 'FROM_SHELL', source: 'environment', line: 32 },
    ]);
    expect(JSON.stringify(facts)).not.toMatch(/hunter2|s3cret|abc123|:pw@/);
    expect(facts.problems).toEqual([]);
  });

  it('reads depends_on in list and map form, and the healthcheck', async () => {
    const facts = await readComposeFile(estate, 'docker-compose.yml');
    const [api, , stock] = facts.services;
    expect(api?.dependsOn).toEqual([
      { service: 'postgres', condition: 'service_healthy', line: 23 },
      { service: 'stock', condition: 'service_started', line: 25 },
    ]);
    expect(stock?.dependsOn).toEqual([{ service: 'postgres', condition: 'service_started', line: 33 }]);
    expect(stock?.healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', 'http://localhost:8080/health'],
      interval: '5s',
      retries: 3,
      line: 34,
    });
  });

  it('reports a required env_file that is missing, with the line that names it', async () => {
    const facts = parseCompose('services:\n  a:\n    image: x\n', 'sub/compose.yaml');
    expect(facts.project).toBe('sub');
    const text = 'services:\n  a:\n    image: x\n    env_file: nope.env\n';
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'compose-'));
    try {
      await writeFile(join(dir, 'compose.yaml'), text);
      const read = await readComposeFile(dir, 'compose.yaml');
      expect(read.problems).toEqual([
        expect.objectContaining({
          file: 'compose.yaml',
          line: 4,
          severity: 'error',
          code: 'compose-invalid',
        }),
      ]);
      expect(read.problems[0]?.message).toContain('nope.env');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('turns broken YAML into a finding with line and column instead of throwing', () => {
    const facts = parseCompose(
      'services:\n  api:\n    image: "unterminated\n  db: [\n',
      'docker-compose.yml',
    );
    expect(facts.services).toEqual([]);
    expect(facts.problems.length).toBeGreaterThan(0);
    for (const p of facts.problems) {
      expect(p).toMatchObject({ code: 'yaml-invalid', file: 'docker-compose.yml', severity: 'error' });
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('composeReader', () => {
  it('reports a map key that is a list (nested 300 deep) instead of stringifying it', () => {
    const key = `${'['.repeat(300)}1${']'.repeat(300)}`;
    const facts = parseCompose(`services:\n  a:\n    image: x\n${key}: y\n`, 'compose.yaml');
    expect(facts.problems).toEqual([
      expect.objectContaining({ line: 4, message: 'a map key is a list or a map; use a plain scalar key' }),
    ]);
  });

  it('refuses an env_file that is a device or a FIFO instead of reading forever', async () => {
    const { execFileSync } = await import('node:child_process');
    const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'compose-'));
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.env')]);
      const escape = '../'.repeat(dir.split('/').length) + 'dev/zero';
      await writeFile(
        join(dir, 'compose.yaml'),
        `services:\n  a:\n    image: x\n    env_file: [pipe.env, ${escape}]\n`,
      );
      const read = await readComposeFile(dir, 'compose.yaml');
      expect(read.problems.map((p) => [p.line, p.code])).toEqual([
        [4, 'compose-invalid'],
        [4, 'compose-invalid'],
      ]);
      expect(read.problems[0]?.message).toContain('not a regular file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('maps compose services onto the core facts with env_file refs and conditions', async () => {
    const result = await composeReader.read(contextFor(estate));
    const api = result.compose?.find((s) => s.name === 'api');
    expect(api).toMatchObject({
      file: 'docker-compose.yml',
      line: 5,
      project: 'shop',
      image: 'shop/api:1.0',
      build: { context: 'api', dockerfile: 'api/Dockerfile' },
      ports: [
        { container: 8080, host: 18080, hostIp: '127.0.0.1' },
        { container: 9090, host: 19090 },
      ],
      dependsOn: ['postgres', 'stock'],
      dependsOnConditions: { postgres: 'service_healthy', stock: 'service_started' },
      envFiles: ['.env.secret', 'missing.env'],
    });
    expect(api?.env.find((e) => e.name === 'DB_PASSWORD')).toEqual({
      file: '.env.secret',
      line: 3,
      name: 'DB_PASSWORD',
      value: '***',
      ref: { kind: 'env_file', name: '.env.secret' },
    });
    expect(result.findings).toEqual([]);
  });
});
