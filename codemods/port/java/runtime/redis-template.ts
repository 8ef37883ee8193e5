/**
 * Spring Data Redis's `StringRedisTemplate` as services call it (`opsForHash()`, `opsForValue()`), on an ioredis
 * client, writing the same keys and hash fields. `migrate codemod` moves these ioredis calls onto the redis
 * capability like any other, so only commands that capability has are used.
 */
import type { Redis } from 'ioredis';

/** `redis.opsForHash()`: a hash's fields, as strings. */
export class HashOperations {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async get(key: string, field: string): Promise<string | null> {
    return await this.redis.hget(key, field);
  }

  async put(key: string, field: string, value: string): Promise<void> {
    await this.redis.hset(key, field, value);
  }

  /** HSETNX's effect, as HGET then HSET: not atomic, unlike Spring's (two writers may both set the field). */
  async putIfAbsent(key: string, field: string, value: string): Promise<boolean> {
    if ((await this.redis.hget(key, field)) !== null) return false;
    await this.redis.hset(key, field, value);
    return true;
  }

  async putAll(key: string, fields: Map<string, string>): Promise<void> {
    await this.redis.hset(key, Object.fromEntries(fields));
  }

  async entries(key: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(key)));
  }

  async size(key: string): Promise<number> {
    return Object.keys(await this.redis.hgetall(key)).length;
  }

  async delete(key: string, ...fields: string[]): Promise<number> {
    return await this.redis.hdel(key, ...fields);
  }
}

/** `redis.opsForValue()`: plain string keys. */
export class ValueOperations {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async get(key: string): Promise<string | null> {
    return await this.redis.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.redis.set(key, value);
  }

  async increment(key: string): Promise<number> {
    return await this.redis.incr(key);
  }
}

export class StringRedisTemplate {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  opsForHash(): HashOperations {
    return new HashOperations(this.redis);
  }

  opsForValue(): ValueOperations {
    return new ValueOperations(this.redis);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(key)) > 0;
  }

  async hasKey(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) > 0;
  }
}
