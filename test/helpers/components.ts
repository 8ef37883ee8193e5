// The components the test run's global setup built (test/setup/global-setup.ts): test files load these instead of
// compiling their own.
import { inject } from 'vitest';
import type { BuiltService } from '../../codemods/build/build-service.ts';
import type { Target } from '../../shared/catalog.ts';
import { serviceKey, type BuiltFixture } from '../setup/component-jobs.ts';

function getFailure(name: string): Error {
  const failure = inject('testComponents').failures[name];
  return new Error(
    failure === undefined
      ? `the global setup built no ${name}: list this test file in its usedBy in test/setup/component-jobs.ts (COMPONENT_JOBS)`
      : `the global setup could not build ${name}: ${failure}`,
  );
}

/** A host guest fixture (test/bridge/host/fixtures/<name>.ts), built. */
export function getBuiltFixture(name: string): BuiltFixture {
  const built = inject('testComponents').fixtures[name];
  if (built === undefined) throw getFailure(`fixture ${name}`);
  return built;
}

/**
 * A sample service ported, codemodded and built for `target` (the folder, the .wasm and the build result). Shared
 * by the test files that load it: read it, do not change it.
 */
export function getBuiltService(service: string, target: Target): BuiltService {
  const key = serviceKey(service, target);
  const built = inject('testComponents').services[key];
  if (built === undefined) throw getFailure(key);
  return built;
}
