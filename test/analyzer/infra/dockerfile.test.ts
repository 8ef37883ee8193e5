import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerfileReader, isDockerfile, parseDockerfile } from '../../../analyzer/infra/dockerfile.ts';
import { FIXTURES, contextFor } from './helpers.ts';

const estate = join(FIXTURES, 'estate');

describe('parseDockerfile', () => {
  const facts = parseDockerfile(readFileSync(join(estate, 'api/Dockerfile'), 'utf8'), 'api/Dockerfile');

  it('reads every stage with ARG defaults substituted and the runtime base image', () => {
    expect(facts.stages).toEqual([
      { index: 0, name: 'build', baseImage: 'maven:3.9-eclipse-temurin-17', line: 3 },
      { index: 1, baseImage: 'eclipse-temurin:17-jre', line: 7 },
    ]);
    expect(facts.baseImage).toBe('eclipse-temurin:17-jre');
  });

  it('keeps only the final stage env, with the physical line of each variable and secrets redacted', () => {
    expect(facts.env).toEqual([
      { name: 'SERVER_PORT', value: '8080', line: 8 },
      { name: 'STOCK_URL', value: 'http://stock:8080', line: 10 },
      { name: 'DB_PASSWORD', value: '***', line: 11 },
      { name: 'LEGACY_MODE', value: 'on', line: 12 },
    ]);
  });

  it('reads ports with protocols, user, exec entrypoint and shell cmd', () => {
    expect(facts.exposedPorts).toEqual([
      { port: 8080, protocol: 'tcp', line: 13 },
      { port: 9090, protocol: 'udp', line: 13 },
    ]);
    expect(facts.user).toBe('10001');
    expect(facts.entrypoint).toEqual({ form: 'exec', args: ['java', '-jar', '/app/app.jar'], line: 15 });
    expect(facts.cmd).toEqual({ form: 'shell', args: ['--spring.profiles.active=docker'], line: 16 });
    expect(facts.problems).toEqual([]);
  });

  it('reports a port over 65535 or a reversed range instead of looping on it', () => {
    const odd = parseDockerfile(
      'FROM x\nEXPOSE 99999999999999999999999999 9000-8000 70000/udp 8080\n',
      'Dockerfile',
    );
    expect(odd.exposedPorts).toEqual([{ port: 8080, protocol: 'tcp', line: 2 }]);
    expect(odd.problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'EXPOSE 99999999999999999999999999: a port is 0-65535'],
      [2, 'EXPOSE 9000-8000: the range ends before it starts'],
      [2, 'EXPOSE 70000/udp: a port is 0-65535'],
    ]);
  });

  it('inherits env from an earlier stage used as a base', () => {
    const text = 'FROM alpine:3 AS base\nENV A=1\nEXPOSE 80\nFROM base\nENV B=2\n';
    const f = parseDockerfile(text, 'Dockerfile');
    expect(f.baseImage).toBe('alpine:3');
    expect(f.env.map((e) => e.name)).toEqual(['A', 'B']);
    expect(f.exposedPorts.map((p) => p.port)).toEqual([80]);
  });

  it('reports an unknown instruction with its line and goes on', () => {
    const f = parseDockerfile(readFileSync(join(estate, 'worker/Dockerfile'), 'utf8'), 'worker/Dockerfile');
    expect(f.problems).toEqual([
      expect.objectContaining({
        code: 'dockerfile-unknown-instruction',
        file: 'worker/Dockerfile',
        line: 3,
        severity: 'warning',
      }),
    ]);
    expect(f.entrypoint?.args).toEqual(['/worker']);
  });

  it('reports a file without FROM and never throws on garbage', () => {
    const f = parseDockerfile('\u0000\u0001 not a dockerfile \\', 'Dockerfile');
    expect(f.problems.map((p) => p.code)).toContain('dockerfile-invalid');
    expect(f.stages).toEqual([]);
  });
});

describe('dockerfileReader', () => {
  it('maps every Dockerfile of the estate onto the core facts, sorted by file', async () => {
    const result = await dockerfileReader.read(contextFor(estate));
    expect(result.dockerfiles?.map((d) => [d.file, d.baseImage, d.exposedPorts])).toEqual([
      ['api/Dockerfile', 'eclipse-temurin:17-jre', [8080, 9090]],
      ['worker/Dockerfile', 'scratch', []],
    ]);
    expect(result.dockerfiles?.[0]?.entrypoint).toEqual(['java', '-jar', '/app/app.jar']);
    expect(result.findings?.map((f) => `${f.file}:${f.line} ${f.code}`)).toEqual([
      'worker/Dockerfile:3 dockerfile-unknown-instruction',
    ]);
  });
});

describe('isDockerfile', () => {
  it('takes Dockerfile variants, not the per-Dockerfile ignore file BuildKit reads', () => {
    expect(['Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'Containerfile'].map(isDockerfile)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isDockerfile('Dockerfile.dockerignore')).toBe(false);
  });
});
