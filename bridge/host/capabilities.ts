import { AppError, ErrorCode } from '../../shared/errors.ts';
import {
  ENGINE_IMPORTS,
  ENGINE_STDIO_IMPORTS,
  getCapabilitySupport,
  type EffectKind,
} from '../../shared/catalog.ts';
import { isLinkCompatible, parseInterfaceName } from '../../shared/link-rule.ts';
import { REAL_TARGETS } from '../../shared/runtimes.ts';

/** Capabilities a component can be granted in the host config. */
export const HOST_CAPABILITIES = [
  'sql',
  'kv',
  'redis',
  'messaging',
  'http-out',
  'config',
  'logging',
  'clocks',
  'random',
] as const;
export type HostCapability = (typeof HOST_CAPABILITIES)[number];

const KIND: Record<HostCapability, EffectKind> = {
  sql: 'sql',
  kv: 'kv',
  redis: 'redis',
  messaging: 'publish',
  'http-out': 'http-out',
  config: 'config',
  logging: 'log',
  clocks: 'clock',
  random: 'random',
};

/** Sibling interfaces of the catalog's binding that come with the capability (same package and version). */
const SIBLINGS: Record<HostCapability, readonly string[]> = {
  sql: ['types', 'query', 'prepared'],
  kv: ['store', 'atomics', 'batch'],
  redis: ['redis'],
  messaging: ['types', 'consumer'],
  'http-out': ['outgoing-handler'],
  config: ['store'],
  logging: ['logging'],
  clocks: ['wall-clock', 'monotonic-clock'],
  random: ['random', 'insecure'],
};

/** Packages whose WIT has fewer of a capability's siblings: Spin's Postgres is one interface. */
const PACKAGE_SIBLINGS: Readonly<Record<string, readonly string[]>> = {
  'spin:postgres': ['postgres'],
};

/**
 * Interfaces every component built by componentize-js imports, whatever its world says: wasi:http `types`
 * with the wasi:io and monotonic clock it uses; `outgoing-handler` (StarlingMonkey's `fetch`; without the
 * `http-out` capability every outbound request is answered `HTTP-request-denied`); wall clock and random
 * (`Date.now`, `crypto`; the engine's `clocks`/`random` features must stay on, see codemods/build); and
 * `wasi:cli/stderr` (engine diagnostics, logged under the component's name).
 */
const BASELINE = ENGINE_IMPORTS.map((name) => `${name}@0.2.10`);

/**
 * The versioned interfaces a set of capabilities allows: every real target's pins from the capability catalog
 * (wasmCloud's `wasi:config/store@0.2.0-rc.1`, Spin's config and key-value drafts, its stdout log, …), so a
 * component built for any target runs here unchanged.
 */
export function resolveAllowedImports(
  capabilities: Iterable<HostCapability>,
): Map<string, HostCapability | 'http-in'> {
  const allowed = new Map<string, HostCapability | 'http-in'>();
  for (const name of BASELINE) allowed.set(name, 'http-in');
  for (const capability of capabilities) {
    for (const target of REAL_TARGETS) {
      const support = getCapabilitySupport(KIND[capability], target);
      if (!support.supported) continue;
      for (const binding of support.bindings) {
        const { bare, version } = parseInterfaceName(binding.interface);
        allowed.set(binding.interface, capability);
        const pkg = bare.slice(0, bare.indexOf('/'));
        // Siblings only within the catalog's own package (wasmcloud:postgres/types next to …/query).
        for (const sibling of PACKAGE_SIBLINGS[pkg] ?? SIBLINGS[capability]) {
          if (pkg !== 'wasi:cli') allowed.set(`${pkg}/${sibling}@${version}`, capability);
        }
      }
    }
    if (capability === 'logging')
      for (const name of ENGINE_STDIO_IMPORTS) allowed.set(`${name}@0.2.10`, capability);
  }
  return allowed;
}

/**
 * Checks a component's imports against what it was granted; throws an AppError naming the first interface
 * the host is not configured to give.
 */
export function checkImports(
  component: string,
  imports: readonly string[],
  capabilities: Iterable<HostCapability>,
): void {
  const allowed = resolveAllowedImports(capabilities);
  for (const name of imports) {
    const { bare, version } = parseInterfaceName(name);
    const match = [...allowed.keys()].find((offered) => {
      const o = parseInterfaceName(offered);
      return o.bare === bare && (version === '' || isLinkCompatible(version, o.version));
    });
    if (match === undefined) {
      const known = [...allowed.keys()].find((offered) => parseInterfaceName(offered).bare === bare);
      throw new AppError(
        ErrorCode.unsupported,
        known === undefined
          ? `component ${component} imports ${name}, which the host is not configured to give it`
          : `component ${component} imports ${name}, but the host gives ${known}`,
        {
          hint:
            known === undefined
              ? `grant the capability that provides ${bare} in the host config, or rebuild the component without it`
              : 'rebuild the component with migrate build --target wasmcloud, spin or spin4 (the versions the host serves)',
        },
      );
    }
  }
}
