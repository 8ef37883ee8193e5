// A Redis database of a test's own on the machine's shared Redis, so that test files (and other runs) beside it
// never write into the same one.
import { Redis } from 'ioredis';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** The key that marks a database as taken (it stays in the database until the test flushes it). */
export const CLAIM_KEY = 'migrate-test-claim';

/**
 * The first empty database from 15 down to 1, claimed with SET NX (the claim expires after an hour, should the
 * test die before it flushes the database). Flush it and disconnect the client when done.
 */
export async function claimRedisDatabase(): Promise<{ db: number; client: Redis }> {
  for (let index = 15; index >= 1; index -= 1) {
    const client = new Redis(`${REDIS_URL}/${index}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    if (
      (await client.dbsize()) === 0 &&
      (await client.set(CLAIM_KEY, String(process.pid), 'EX', 3600, 'NX'))
    ) {
      return { db: index, client };
    }
    client.disconnect();
  }
  throw new Error('no empty Redis database among 1-15');
}
