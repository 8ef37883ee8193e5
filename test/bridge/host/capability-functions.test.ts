// CAPABILITY_FUNCTIONS against what the host serves: in JSPI mode a function that calls a capability but is not
// listed is not made a `WebAssembly.Suspending` import, and the guest traps when it returns a promise.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_CAPABILITIES, resolveAllowedImports } from '../../../bridge/host/capabilities.ts';
import { CAPABILITY_FUNCTIONS, createGuestImports } from '../../../bridge/host/guest-imports.ts';
import { loadWitFolder } from '../../../codemods/wit/host-world.ts';
import { WIT_PACKAGES_DIR } from '../../../codemods/wit/world.ts';
import { parseInterfaceName } from '../../../shared/link-rule.ts';

/** Capabilities the guest's thread answers itself (config, a logger, the clock, randomness): no backend call. */
const LOCAL_CAPABILITIES = new Set(['config', 'logging', 'clocks', 'random']);

/**
 * Functions of a capability's interfaces that do not call the backend, each with why. Every other function the
 * host implements for a backend capability must be in CAPABILITY_FUNCTIONS.
 */
const LOCAL_FUNCTIONS: Record<string, string> = {
  'wasi:http/outgoing-handler#handle':
    'returns a future; the request is sent by wasi:http/types#[method]future-incoming-response.get',
  'wasi:keyvalue/atomics#[method]cas.current': 'answers the value [static]cas.new read',
  'spin:postgres/postgres#[static]connection.open':
    'opens a handle only; the first query or execute connects',
};

/** Every interface of the WIT packages the host's pins come from, by versioned name, with its functions. */
function readWitFunctions(): Map<string, string[]> {
  const functions = new Map<string, string[]>();
  for (const dir of readdirSync(WIT_PACKAGES_DIR))
    for (const pkg of loadWitFolder(join(WIT_PACKAGES_DIR, dir)).values())
      for (const [name, iface] of pkg.interfaces)
        functions.set(`${pkg.name}/${name}@${pkg.version}`, iface.funcs);
  return functions;
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string): string => camel(name).replace(/^[a-z]/, (c) => c.toUpperCase());

/** Whether the guest imports define `func` (jco's names: `fooBar`, class `Res` with `fooBar`/static `fooBar`). */
function isImplemented(iface: Record<string, unknown> | undefined, func: string): boolean {
  if (iface === undefined) return false;
  const match = /^\[(method|static|constructor)\]([a-z0-9-]+)(?:\.([a-z0-9-]+))?$/.exec(func);
  if (match === null) return typeof iface[camel(func)] === 'function';
  const [, kind, resource, method] = match;
  const cls = iface[pascal(resource!)] as (new () => object) | undefined;
  if (typeof cls !== 'function') return false;
  if (kind === 'constructor') return true;
  const owner = kind === 'static' ? cls : cls.prototype;
  return typeof (owner as Record<string, unknown>)[camel(method!)] === 'function';
}

const guest = createGuestImports({
  call: () => ({ ok: true, value: undefined }),
  log: () => undefined,
  config: {},
});
const wit = readWitFunctions();
/** The backend capabilities' interfaces the host serves, versioned, from the catalog (resolveAllowedImports). */
const served = [...resolveAllowedImports(HOST_CAPABILITIES)]
  .filter(([, capability]) => capability !== 'http-in' && !LOCAL_CAPABILITIES.has(capability))
  .map(([name]) => name);

describe('CAPABILITY_FUNCTIONS', () => {
  it('has the WIT of every interface a backend capability serves', () => {
    const missing = served.filter((name) => !wit.has(name));
    expect(missing).toEqual([]);
  });

  it('lists every function the host implements for a backend capability, unless it calls nothing', () => {
    const unlisted: string[] = [];
    for (const name of served) {
      const bare = parseInterfaceName(name).bare;
      for (const func of wit.get(name) ?? []) {
        if (!isImplemented(guest[bare], func)) continue; // not given: the component fails to instantiate instead
        const listed = CAPABILITY_FUNCTIONS[bare]?.includes(func) === true;
        if (!listed && LOCAL_FUNCTIONS[`${bare}#${func}`] === undefined) unlisted.push(`${name}#${func}`);
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('lists the function that sends outbound HTTP, which wasi:http/outgoing-handler#handle defers to', () => {
    expect(CAPABILITY_FUNCTIONS['wasi:http/types']).toContain('[method]future-incoming-response.get');
  });

  it('lists only functions the WIT defines and the host implements', () => {
    const unknown: string[] = [];
    for (const [bare, funcs] of Object.entries(CAPABILITY_FUNCTIONS)) {
      const defined = new Set(
        [...wit].filter(([name]) => parseInterfaceName(name).bare === bare).flatMap(([, f]) => f),
      );
      for (const func of funcs)
        if (!defined.has(func) || !isImplemented(guest[bare], func)) unknown.push(`${bare}#${func}`);
    }
    expect(unknown).toEqual([]);
  });

  it('exempts only functions that exist and are not listed', () => {
    for (const key of Object.keys(LOCAL_FUNCTIONS)) {
      const [bare, func] = key.split('#') as [string, string];
      expect(isImplemented(guest[bare], func), key).toBe(true);
      expect(CAPABILITY_FUNCTIONS[bare] ?? [], key).not.toContain(func);
    }
  });
});
