import { AppError, ErrorCode } from '../../shared/errors.ts';
import {
  ENGINE_IMPORTS,
  ENGINE_STDIO_IMPORTS,
  getCapabilitySupport,
  type EffectKind,
} from '../../shared/catalog.ts';

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

/**
 * Capabilities whose Spin interface the host also serves (catalog target `spin`), so a component built with
 * `--target spin` runs here: `spin:postgres` on the SQL backend, Spin variables from the component's config,
 * stdout as its log.
 */
const SPIN_SERVED: readonly HostCapability[] = ['sql', 'config', 'logging'];

/**
 * Interfaces every component built by componentize-js imports, whatever its world says: wasi:http `types`
 * with the wasi:io and monotonic clock it uses; `outgoing-handler` (StarlingMonkey's `fetch`; without the
 * `http-out` capability every outbound request is answered `HTTP-request-denied`); wall clock and random
 * (`Date.now`, `crypto`; the engine's `clocks`/`random` features must stay on, see codemods/build); and
 * `wasi:cli/stderr` (engine diagnostics, logged under the component's name).
 */
const BASELINE = ENGINE_IMPORTS.map((name) => `${name}@0.2.10`);

function split(name: string): { bare: string; version: string } {
  const at = name.indexOf('@');
  return at === -1 ? { bare: name, version: '' } : { bare: name.slice(0, at), version: name.slice(at + 1) };
}

/** The versioned interfaces a set of capabilities allows, from the capability catalog (target `embedded`). */
export function resolveAllowedImports(
  capabilities: Iterable<HostCapability>,
): Map<string, HostCapability | 'http-in'> {
  const allowed = new Map<string, HostCapability | 'http-in'>();
  for (const name of BASELINE) allowed.set(name, 'http-in');
  for (const capability of capabilities) {
    const support = getCapabilitySupport(KIND[capability], 'embedded');
    if (!support.supported) continue;
    for (const binding of support.bindings) {
      const { bare, version } = split(binding.interface);
      const pkg = bare.slice(0, bare.indexOf('/'));
      for (const sibling of SIBLINGS[capability]) allowed.set(`${pkg}/${sibling}@${version}`, capability);
    }
    if (capability === 'logging')
      for (const name of ENGINE_STDIO_IMPORTS) allowed.set(`${name}@0.2.10`, capability);
    const spin = getCapabilitySupport(KIND[capability], 'spin');
    if (SPIN_SERVED.includes(capability) && spin.supported) {
      for (const binding of spin.bindings) allowed.set(binding.interface, capability);
    }
  }
  return allowed;
}

/** WASI 0.2.x interfaces are semver compatible (a 0.2.12 import is served by a 0.2.10 host); drafts must match. */
function isCompatible(declared: string, offered: string): boolean {
  if (declared === offered) return true;
  const stable = /^0\.2\.\d+$/;
  return declared === '' || (stable.test(declared) && stable.test(offered));
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
    const { bare, version } = split(name);
    const match = [...allowed.keys()].find((offered) => {
      const o = split(offered);
      return o.bare === bare && isCompatible(version, o.version);
    });
    if (match === undefined) {
      const known = [...allowed.keys()].find((offered) => split(offered).bare === bare);
      throw new AppError(
        ErrorCode.unsupported,
        known === undefined
          ? `component ${component} imports ${name}, which the host is not configured to give it`
          : `component ${component} imports ${name}, but the host gives ${known}`,
        {
          hint:
            known === undefined
              ? `grant the capability that provides ${bare} in the host config, or rebuild the component without it`
              : 'rebuild the component against the WIT version in the capability catalog',
        },
      );
    }
  }
}
