import { describe, expect, it } from 'vitest';
import { kvTransform } from '../../../codemods/transforms/kv.ts';
import { checkCase, transformText, type Case } from './harness.ts';

const repository = `import { Redis } from 'ioredis';

export class ProductRepository {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async save(id: string, hash: Record<string, string>): Promise<void> {
    const key = \`product:\${id}\`;
    await this.redis.multi().del(key).hset(key, hash).sadd('product', id).exec();
  }

  async findById(id: string): Promise<Record<string, string>> {
    return this.redis.hgetall(\`product:\${id}\`);
  }

  async findAll(): Promise<string[]> {
    return this.redis.smembers('product');
  }

  async existsById(id: string): Promise<boolean> {
    return (await this.redis.exists(\`product:\${id}\`)) === 1;
  }

  async count(): Promise<number> {
    return this.redis.scard('product');
  }

  async deleteById(id: string): Promise<void> {
    await this.redis.multi().del(\`product:\${id}\`).srem('product', id).exec();
  }
}
`;

const cases: Case[] = [
  {
    name: 'moves a Spring Data Redis style repository to caps.redis, multi()…exec() to atomic',
    input: repository,
    expected: `import type { Redis } from 'ioredis';
import { caps } from './caps/capabilities.ts';

export class ProductRepository {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async save(id: string, hash: Record<string, string>): Promise<void> {
    const key = \`product:\${id}\`;
    await caps.redis.atomic([['del', key], ['hset', key, hash], ['sadd', 'product', id]]);
  }

  async findById(id: string): Promise<Record<string, string>> {
    return caps.redis.hgetall(\`product:\${id}\`);
  }

  async findAll(): Promise<string[]> {
    return caps.redis.smembers('product');
  }

  async existsById(id: string): Promise<boolean> {
    return (await caps.redis.exists(\`product:\${id}\`)) === 1;
  }

  async count(): Promise<number> {
    return caps.redis.scard('product');
  }

  async deleteById(id: string): Promise<void> {
    await caps.redis.atomic([['del', \`product:\${id}\`], ['srem', 'product', id]]);
  }
}
`,
  },
  {
    name: 'puts plain get/set on caps.redis too when the service uses hashes elsewhere (same keys as hgetall)',
    others: {
      'profiles.ts': `import Redis from 'ioredis';\nexport const redis = new Redis();\nexport const profile = (id: string) => redis.hgetall(\`profile:\${id}\`);\n`,
    },
    input: `import { redis } from './profiles.ts';

export async function touch(id: string) {
  await redis.set(\`seen:\${id}\`, Date.now().toString());
  return redis.get(\`seen:\${id}\`);
}
`,
    expected: `import { caps } from './caps/capabilities.ts';

export async function touch(id: string) {
  await caps.redis.set(\`seen:\${id}\`, Date.now().toString());
  return caps.redis.get(\`seen:\${id}\`);
}
`,
  },
  {
    name: 'keeps plain get/set/del/exists on caps.kv (wasi:keyvalue) when the service uses nothing else',
    input: `import Redis from 'ioredis';

const redis = new Redis();

export async function cache(key: string, value: string) {
  if (await redis.exists(key)) return redis.get(key);
  await redis.set(key, value);
  return value;
}
`,
    expected: `import { caps } from './caps/capabilities.ts';

export async function cache(key: string, value: string) {
  if (await caps.kv.exists(key)) return caps.kv.get(key);
  await caps.kv.set(key, value);
  return value;
}
`,
  },
  {
    name: 'leaves connection calls (on, quit) in place without moving the service off caps.kv',
    input: `import Redis from 'ioredis';

const redis = new Redis();
redis.on('error', (error) => console.error(error));

export const read = (key: string) => redis.get(key);
export const close = () => redis.quit();
`,
    expected: `import Redis from 'ioredis';
import { caps } from './caps/capabilities.ts';

const redis = new Redis();
redis.on('error', (error) => console.error(error));

export const read = (key: string) => caps.kv.get(key);
export const close = () => redis.quit();
`,
  },
  {
    name: 'reads the hashes of Promise.all(ids.map((id) => redis.hgetall(key))) in one caps.redis.hgetallMany',
    input: `import { Redis } from 'ioredis';

const redis = new Redis();

export async function findAll(): Promise<Record<string, string>[]> {
  const ids = await redis.smembers('product');
  return Promise.all(ids.map((id) => redis.hgetall(\`product:\${id}\`)));
}

export const some = (ids: string[]) => Promise.all(ids.map((id) => redis.hgetall(id, 'extra')));
export const other = (ids: string[]) => Promise.all(ids.map((id) => redis.smembers(id)));
`,
    expected: `import { caps } from './caps/capabilities.ts';

export async function findAll(): Promise<Record<string, string>[]> {
  const ids = await caps.redis.smembers('product');
  return caps.redis.hgetallMany(ids.map((id) => \`product:\${id}\`));
}

export const some = (ids: string[]) => Promise.all(ids.map((id) => caps.redis.hgetall(id, 'extra')));
export const other = (ids: string[]) => Promise.all(ids.map((id) => caps.redis.smembers(id)));
`,
  },
  {
    name: 'no change when already migrated',
    input: `import { caps } from './caps/capabilities.ts';
export const find = (id: string) => caps.redis.hgetall(\`product:\${id}\`);
export const save = (k: string) => caps.redis.atomic([['del', k], ['sadd', 'product', k]]);
`,
    expected: `import { caps } from './caps/capabilities.ts';
export const find = (id: string) => caps.redis.hgetall(\`product:\${id}\`);
export const save = (k: string) => caps.redis.atomic([['del', k], ['sadd', 'product', k]]);
`,
  },
];

describe('kv transform (ioredis → caps.kv or caps.redis)', () => {
  it.each(cases)('$name', (c) => {
    const { first, second } = checkCase(c, [kvTransform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });

  it('reports multi() chains whose results are read, pipelines, multi-key dels and other commands', () => {
    const input = `import { Redis } from 'ioredis';
const redis = new Redis();
const replies = await redis.multi().hset('h', 'f', 'v').exec();
await redis.pipeline().hset('h', 'f', 'v').exec();
await redis.multi().del('a', 'b').exec();
await redis.zadd('z', 1, 'm');
await redis.set('k', 'v', 'EX', 60);
`;
    const { output, result } = transformText(input, [kvTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes.map((n) => [n.transform, n.line])).toEqual([
      ['kv', 3],
      ['kv', 4],
      ['kv', 5],
      ['kv', 6],
      ['kv', 7],
    ]);
    expect(result.files[0]?.notes[0]?.message).toContain('caps.redis.execute');
  });
});
