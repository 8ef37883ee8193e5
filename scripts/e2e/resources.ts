/** Per-run resources of `npm run e2e:sample`: a Postgres schema and a Redis database of its own. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ESTATE_ROOT } from '../../test/contract/spring-estate.ts';

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Claims an empty Redis database among 1..15 with a marker key, as samples/spring-orders/scripts/estate.sh does. */
export async function claimRedisDb(run: string): Promise<number> {
  for (let db = 1; db <= 15; db += 1) {
    const redis = new Redis(`${REDIS_URL}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      if ((await redis.dbsize()) !== 0) continue;
      if ((await redis.set('spring-orders:estate', run, 'NX')) === 'OK') return db;
    } finally {
      redis.disconnect();
    }
  }
  throw new Error('no empty Redis database among 1..15: stop other estates (npm run sample:stop)');
}

export async function flushRedisDb(db: number): Promise<void> {
  const redis = new Redis(`${REDIS_URL}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

export async function withDb(work: (db: pg.Client) => Promise<void>): Promise<void> {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    await work(db);
  } finally {
    await db.end();
  }
}

/** The schema the components write to, made as Spring's `spring.sql.init` makes it for the services. */
export async function createSchema(schema: string): Promise<void> {
  const sql = (service: string, file: string): Promise<string> =>
    readFile(join(ESTATE_ROOT, service, 'src/main/resources', file), 'utf8');
  await withDb(async (db) => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await db.query(`SET search_path = ${schema}`);
    await db.query(await sql('order-service', 'schema.sql'));
    await db.query(await sql('inventory-service', 'schema.sql'));
    await db.query(await sql('inventory-service', 'data.sql'));
  });
}

export const pgUrlFor = (schema: string): string =>
  `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
