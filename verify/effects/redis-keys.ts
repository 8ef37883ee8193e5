/** Keys of one Redis database before and after a request, and what changed (adapter over ioredis, pure diff). */
import { Redis } from 'ioredis';
import { ErrorCode, wrapError } from '../../shared/errors.ts';
import type { KeyDelta } from '../model.ts';

/** Databases with more keys than this are not compared. */
const MAX_KEYS = 5000;

export interface KeyValue {
  type: string;
  /** hash → object, set → sorted members, list → items, zset → [member, score] pairs, string → text. */
  value: unknown;
}

export type KeySnapshot = Map<string, KeyValue>;

export class KeysReader {
  readonly #redis: Redis;
  readonly notes: string[] = [];

  constructor(url: string, db: number) {
    this.#redis = new Redis(url, { db, lazyConnect: true, maxRetriesPerRequest: 2 });
  }

  async snapshot(): Promise<KeySnapshot> {
    const out: KeySnapshot = new Map();
    try {
      if (this.#redis.status === 'wait') await this.#redis.connect();
      let cursor = '0';
      const keys: string[] = [];
      do {
        const [next, batch] = await this.#redis.scan(cursor, 'COUNT', '500');
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0' && keys.length <= MAX_KEYS);
      if (keys.length > MAX_KEYS) {
        const note = `the Redis database has more than ${MAX_KEYS} keys: its keys are not compared`;
        if (!this.notes.includes(note)) this.notes.push(note);
        return out;
      }
      for (const key of keys.sort()) out.set(key, await this.#read(key));
    } catch (error) {
      throw wrapError(
        ErrorCode.backend,
        'cannot read the Redis database',
        error,
        'check REDIS_URL and REDIS_DATABASE of the side',
      );
    }
    return out;
  }

  async #read(key: string): Promise<KeyValue> {
    const type = await this.#redis.type(key);
    if (type === 'hash') return { type, value: await this.#redis.hgetall(key) };
    if (type === 'set') return { type, value: (await this.#redis.smembers(key)).sort() };
    if (type === 'list') return { type, value: await this.#redis.lrange(key, 0, -1) };
    if (type === 'zset') return { type, value: await this.#redis.zrange(key, '0', '-1', 'WITHSCORES') };
    if (type === 'string') return { type, value: await this.#redis.get(key) };
    return { type, value: null };
  }

  close(): void {
    this.#redis.disconnect();
  }
}

function changes(type: string, before: unknown, after: unknown): Pick<KeyDelta, 'added' | 'removed'> {
  if (type === 'hash') {
    const a = (before ?? {}) as Record<string, string>;
    const b = (after ?? {}) as Record<string, string>;
    const added = Object.fromEntries(Object.entries(b).filter(([k, v]) => a[k] !== v));
    const removed = Object.keys(a).filter((k) => !(k in b));
    return { added, ...(removed.length > 0 ? { removed } : {}) };
  }
  if (type === 'set') {
    const a = new Set((before ?? []) as string[]);
    const b = new Set((after ?? []) as string[]);
    const removed = [...a].filter((m) => !b.has(m));
    return { added: [...b].filter((m) => !a.has(m)), ...(removed.length > 0 ? { removed } : {}) };
  }
  return {
    ...(after === undefined ? {} : { added: after }),
    ...(before === undefined ? {} : { removed: before }),
  };
}

/** Keys created, deleted and changed between two snapshots, sorted by key. Pure. */
export function diffKeys(before: KeySnapshot, after: KeySnapshot): KeyDelta[] {
  const out: KeyDelta[] = [];
  for (const [key, now] of after) {
    const then = before.get(key);
    if (then === undefined)
      out.push({ key, type: now.type, change: 'created', ...changes(now.type, undefined, now.value) });
    else if (JSON.stringify(then) !== JSON.stringify(now))
      out.push({ key, type: now.type, change: 'changed', ...changes(now.type, then.value, now.value) });
  }
  for (const [key, then] of before)
    if (!after.has(key)) out.push({ key, type: then.type, change: 'deleted', removed: then.value });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
