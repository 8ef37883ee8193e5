import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { typescriptPlugin } from '../../../../analyzer/languages/typescript/index.ts';
import type { DiscoveredService, LanguageAnalysis } from '../../../../analyzer/languages/types.ts';
import { getReadiness } from '../../../../analyzer/readiness.ts';

async function analyze(files: Record<string, string>): Promise<LanguageAnalysis> {
  const service: DiscoveredService = {
    id: 'svc',
    name: 'svc',
    language: 'typescript',
    framework: 'express',
    root: 'svc',
    absRoot: '/nonexistent/svc',
    build: { tool: 'npm', file: 'svc/package.json' },
  };
  const sources = Object.entries(files).map(([name, text]) => ({
    path: `svc/src/${name}`,
    text,
    hash: createHash('sha1').update(text).digest('hex'),
  }));
  return typescriptPlugin.analyze(service, sources, { estateRoot: '/nonexistent' });
}

const NODE_REDIS_PLAIN = `import { createClient } from 'redis';
const client = createClient();
await client.connect();
export const write = (k: string, v: string) => client.set(k, v);
`;

const rows = (a: LanguageAnalysis): string[] =>
  a.effects
    .filter((e) => e.kind === 'kv' || e.kind === 'redis')
    .map((e) => `${e.site.file.replace('svc/src/', '')}:${e.site.line} ${e.kind} ${e.detail.summary}`);

describe('typescript plug-in: ioredis effects, decided per service as migrate codemod does', () => {
  it('keeps get/set/del/exists on kv when the service calls nothing else: ready on wasmCloud', async () => {
    const a = await analyze({
      'cache.ts': `import Redis from 'ioredis';
const redis = new Redis();
export async function cache(key: string, value: string) {
  if (await redis.exists(key)) return redis.get(key);
  await redis.set(key, value);
  await redis.del(\`old:\${key}\`);
  return value;
}
`,
    });
    expect(rows(a)).toEqual([
      'cache.ts:4 kv exists key',
      'cache.ts:4 kv get key',
      'cache.ts:5 kv set key',
      'cache.ts:6 kv delete old:${key}',
    ]);
    expect(a.effects.map((e) => e.detail.api)).toEqual([
      'ioredis.exists',
      'ioredis.get',
      'ioredis.set',
      'ioredis.del',
    ]);
    expect(getReadiness(a.effects).wasmcloud.level).toBe('ready');
    expect(a.findings).toEqual([]);
  });

  it('classes hgetall, sadd, incr and multi as redis, and moves the service’s get/set with them', async () => {
    const a = await analyze({
      'profiles.ts': `import Redis from 'ioredis';
export const redis = new Redis();
export const profile = (id: string) => redis.hgetall(\`profile:\${id}\`);
export async function save(id: string) {
  await redis.multi().sadd('profiles', id).exec();
  await redis.incr('profile-count');
}
`,
      'seen.ts': `import Redis from 'ioredis';
const redis = new Redis();
export async function touch(id: string) {
  await redis.set(\`seen:\${id}\`, Date.now().toString());
  return redis.get(\`seen:\${id}\`);
}
`,
    });
    expect(rows(a)).toEqual([
      'profiles.ts:3 redis hgetall profile:${id}',
      'profiles.ts:5 redis multi',
      'profiles.ts:6 redis incr profile-count',
      'seen.ts:4 redis set seen:${id}',
      'seen.ts:5 redis get seen:${id}',
    ]);
    expect(a.effects.find((e) => e.detail.api === 'ioredis.hgetall')?.detail).toMatchObject({
      operation: 'hgetall',
      key: 'profile:${id}',
    });
    const readiness = getReadiness(a.effects);
    expect([readiness.wasmcloud.level, readiness.spin.level, readiness.embedded.level]).toEqual([
      'port-needed',
      'ready',
      'ready',
    ]);
    expect(readiness.wasmcloud.blockers[0]?.reason).toMatch(/wasi:keyvalue stores only keys and values/);
    expect(a.findings.map((f) => [f.code, f.severity, f.service, f.file, f.line])).toEqual([
      ['redis-mode', 'info', 'svc', 'svc/src/seen.ts', 4],
    ]);
  });

  it('does not count connection calls, as the codemod does not: redis.on leaves get on caps.kv', async () => {
    const a = await analyze({
      'client.ts': `import Redis from 'ioredis';
const redis = new Redis();
redis.on('error', () => undefined);
export const read = (k: string) => redis.get(k);
`,
    });
    expect(rows(a)).toEqual(['client.ts:4 kv get k']);
  });

  it('classes node-redis the same way, without counting its required connect()', async () => {
    const a = await analyze({
      'store.ts': `import { createClient } from 'redis';
const client = createClient();
await client.connect();
export const read = (k: string) => client.get(k);
export const tags = (k: string) => client.sMembers(\`tags:\${k}\`);
`,
      'plain.ts': NODE_REDIS_PLAIN,
    });
    expect(rows(a)).toEqual([
      'store.ts:4 redis get k',
      'store.ts:5 redis sMembers tags:${k}',
      'plain.ts:4 redis set k',
    ]);
    expect(a.effects.map((e) => e.detail.api)).toEqual(['redis.get', 'redis.sMembers', 'redis.set']);
    const plain = await analyze({
      'plain.ts': NODE_REDIS_PLAIN,
    });
    expect(rows(plain)).toEqual(['plain.ts:4 kv set k']);
  });
});
