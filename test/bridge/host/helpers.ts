// The guest fixtures host tests load: built once per test run by the global setup (test/setup), from the specs in
// fixture-specs.ts.
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
