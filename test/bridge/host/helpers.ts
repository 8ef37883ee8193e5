// The guest fixtures host tests load: built once per test run by the global setup (test/setup), from the specs in
// fixture-specs.ts.
import { getBuiltFixture } from '../../helpers/components.ts';

export { FIXTURES, FIXTURE_SPECS, type FixtureSpec } from './fixture-specs.ts';

/** The path of fixture `name`'s .wasm (fixtures/<name>.ts built against its world in fixture-specs.ts). */
export function getFixtureWasm(name: string): string {
  return getBuiltFixture(name).path;
}
