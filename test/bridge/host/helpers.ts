// The guest fixtures host tests load: built once per test run by the global setup (test/setup), from the specs in
// fixture-specs.ts.
import { expect } from 'vitest';
import { getBuiltFixture } from '../../helpers/components.ts';

export { FIXTURES, FIXTURE_SPECS, type FixtureSpec } from './fixture-specs.ts';

/** The path of fixture `name`'s .wasm (fixtures/<name>.ts built against its world in fixture-specs.ts). */
export function getFixtureWasm(name: string): string {
  return getBuiltFixture(name).path;
}

/** The machine's Postgres, NATS and Redis as host backends; Redis keys of this run under `<run>:`. */
export function getTestBackends(run: string): Record<string, unknown> {
  return {
    postgres: { url: 'postgres://postgres@127.0.0.1:5432/test', poolSize: 4 },
    nats: { url: 'nats://127.0.0.1:4222' },
    redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `${run}:` },
  };
}

/** One request to a component: method, path and body in; status and body out. */
export type CallComponent = (
  method: string,
  path: string,
  body?: string,
) => Promise<{ status: number; body: string }>;

/**
 * The kv-cas fixture's compare-and-swap on `key` (wasi:keyvalue/atomics@0.2.0-draft2): a swap onto an absent key,
 * onto the value read, and one that loses to another writer and wins on the retry with the handle it got back.
 * `stored` reads the key from Redis.
 */
export async function checkCompareAndSwap(
  call: CallComponent,
  key: string,
  stored: () => Promise<string | null>,
): Promise<void> {
  const swap = async (path: string, body: string): Promise<unknown> => {
    const response = await call('POST', `${path}/${key}`, body);
    if (response.status !== 200) throw new Error(`POST ${path}/${key}: ${response.status} ${response.body}`);
    return JSON.parse(response.body);
  };
  expect(await swap('/cas', 'one')).toEqual({ before: null, swapped: 'first' });
  expect(await stored()).toBe('one');
  expect(await swap('/cas', 'two')).toEqual({ before: 'one', swapped: 'first' });
  expect(await swap('/cas-race', 'three')).toEqual({ before: 'two', swapped: 'retry', seen: 'intruder' });
  expect(await stored()).toBe('three');
}
