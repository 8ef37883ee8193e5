/**
 * The capability catalog: which WIT interface each kind of side effect maps to on each target runtime, and how
 * mature that interface is. One place in the code for these versions (DESIGN.md, "Capability catalog"); the
 * analyzer scores readiness from it, `migrate build` checks a component's imports against it, and the host
 * binds exactly these interfaces.
 */

/** Every kind of side effect the analyzer reports. */
export const EFFECT_KINDS = [
  'http-in',
  'http-out',
  'sql',
  'kv',
  'redis',
  'publish',
  'subscribe',
  'config',
  'secret',
  'clock',
  'random',
  'log',
  'fs',
  'thread',
  'process',
  'native',
] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/** Wasm runtimes a service can be moved to. `embedded` is migrate's own Node host (bridge/host). */
export const TARGETS = ['wasmcloud', 'spin', 'embedded'] as const;
export type Target = (typeof TARGETS)[number];

/** How settled an interface is upstream. */
export type Maturity = 'stable' | 'phase-2-draft' | 'phase-1-draft' | 'vendor';

export interface CapabilityBinding {
  /** Fully qualified WIT interface, e.g. `wasi:keyvalue/store@0.2.0-draft`. */
  interface: string;
  maturity: Maturity;
  /** One line on what the runtime's provider does with it. */
  note?: string;
}

/** What a target offers for one effect kind: a binding, or a reason it cannot, with the way out. */
export type CapabilitySupport =
  | { supported: true; bindings: readonly CapabilityBinding[] }
  | { supported: false; severity: 'blocker' | 'port-needed'; reason: string; wayOut: string };

const WASI_HTTP = '0.2.10'; // StarlingMonkey (componentize-js 0.23) implements wasi:http 0.2.10
const WASI_CLI = '0.2.10';

const ok = (...bindings: CapabilityBinding[]): CapabilitySupport => ({ supported: true, bindings });
const no = (severity: 'blocker' | 'port-needed', reason: string, wayOut: string): CapabilitySupport => ({
  supported: false,
  severity,
  reason,
  wayOut,
});

const httpIn = ok({ interface: `wasi:http/incoming-handler@${WASI_HTTP}`, maturity: 'stable' });
const httpOutBinding: CapabilityBinding = {
  interface: `wasi:http/outgoing-handler@${WASI_HTTP}`,
  maturity: 'stable',
};
const httpOut = ok(httpOutBinding);
const clock = ok({ interface: `wasi:clocks/wall-clock@${WASI_CLI}`, maturity: 'stable' });
const random = ok({ interface: `wasi:random/random@${WASI_CLI}`, maturity: 'stable' });
const noThreads = no(
  'blocker',
  'components are single-threaded: no threads, executors or @Async',
  'make the work synchronous per request, or move background work to a message subscriber (publish an event and handle it in its own component)',
);
const noProcess = no(
  'blocker',
  'components cannot start processes',
  'call the program as a service over HTTP, or port its logic into the component',
);
const noNative = no(
  'blocker',
  'native code (JNI, N-API addons) cannot run inside a component',
  'replace the native library with a pure Java/TypeScript one, or compile it to its own Wasm component',
);

/** effect kind → target → support. */
export const CAPABILITY_CATALOG: Readonly<Record<EffectKind, Readonly<Record<Target, CapabilitySupport>>>> = {
  'http-in': { wasmcloud: httpIn, spin: httpIn, embedded: httpIn },
  'http-out': {
    wasmcloud: httpOut,
    spin: ok({ ...httpOutBinding, note: 'hosts must be listed in allowed_outbound_hosts' }),
    embedded: ok({
      ...httpOutBinding,
      note: 'deny by default; allowed hosts come from the host config',
    }),
  },
  sql: {
    wasmcloud: ok({
      interface: 'wasmcloud:postgres/query@0.1.1-draft',
      maturity: 'vendor',
      note: 'provider-sqldb-postgres',
    }),
    // 3.0.0, not 4.x: spin:postgres@4 functions are `async func`, which componentize-js guests cannot call.
    spin: ok({
      interface: 'spin:postgres/postgres@3.0.0',
      maturity: 'vendor',
      note: 'the address comes from the variable db_url or spring.datasource.*; list it in allowed_outbound_hosts',
    }),
    embedded: ok({
      interface: 'wasmcloud:postgres/query@0.1.1-draft',
      maturity: 'vendor',
      note: 'bound to a pg pool',
    }),
  },
  kv: {
    wasmcloud: ok({
      interface: 'wasi:keyvalue/store@0.2.0-draft',
      maturity: 'phase-2-draft',
      note: 'provider-keyvalue-redis',
    }),
    spin: ok({ interface: 'wasi:keyvalue/store@0.2.0-draft2', maturity: 'phase-2-draft' }),
    embedded: ok({
      interface: 'wasi:keyvalue/store@0.2.0-draft',
      maturity: 'phase-2-draft',
      note: 'bound to Redis',
    }),
  },
  // Redis data structures (hashes, sets, scripts: Spring Data Redis repositories, ioredis beyond get/set) need
  // Redis itself; wasi:keyvalue has only keys and values. Spin's outbound Redis has them (`execute` for the rest).
  redis: {
    wasmcloud: no(
      'port-needed',
      'wasmCloud has no Redis interface with hashes, sets or scripts: wasi:keyvalue stores only keys and values',
      'target spin or embedded for this service, or keep each entity as one value (e.g. JSON) under its key with caps.kv',
    ),
    spin: ok({
      interface: 'fermyon:spin/redis@2.0.0',
      maturity: 'vendor',
      note: 'the address must be listed in allowed_outbound_hosts',
    }),
    embedded: ok({
      interface: 'fermyon:spin/redis@2.0.0',
      maturity: 'vendor',
      note: 'bound to the configured Redis backend',
    }),
  },
  publish: {
    wasmcloud: ok({
      interface: 'wasmcloud:messaging/consumer@0.2.0',
      maturity: 'vendor',
      note: 'provider-messaging-nats',
    }),
    spin: no(
      'blocker',
      'Spin has no NATS messaging (only outbound MQTT and Redis pub/sub)',
      'target wasmCloud for this service, or switch the subject to Redis pub/sub or MQTT first',
    ),
    embedded: ok({
      interface: 'wasmcloud:messaging/consumer@0.2.0',
      maturity: 'vendor',
      note: 'bound to NATS',
    }),
  },
  subscribe: {
    wasmcloud: ok({
      interface: 'wasmcloud:messaging/handler@0.2.0',
      maturity: 'vendor',
      note: 'exported by the component',
    }),
    spin: no(
      'blocker',
      'Spin cannot subscribe to NATS subjects (its triggers are HTTP, Redis and, via plugins, MQTT/cron)',
      'target wasmCloud for this service, or bridge the subject to HTTP with a small relay',
    ),
    embedded: ok({
      interface: 'wasmcloud:messaging/handler@0.2.0',
      maturity: 'vendor',
      note: 'NATS subscription calls the export',
    }),
  },
  config: {
    wasmcloud: ok({ interface: 'wasi:config/store@0.2.0-draft', maturity: 'phase-2-draft' }),
    spin: ok({
      interface: 'wasi:config/store@0.2.0-draft-2024-09-27',
      maturity: 'phase-2-draft',
      note: 'Spin variables',
    }),
    embedded: ok({
      interface: 'wasi:config/store@0.2.0-draft',
      maturity: 'phase-2-draft',
      note: 'only configured keys',
    }),
  },
  secret: {
    wasmcloud: ok({ interface: 'wasmcloud:secrets/store@0.1.0-draft', maturity: 'vendor' }),
    spin: ok({
      interface: 'wasi:config/store@0.2.0-draft-2024-09-27',
      maturity: 'phase-2-draft',
      note: 'secret variables',
    }),
    embedded: ok({
      interface: 'wasi:config/store@0.2.0-draft',
      maturity: 'phase-2-draft',
      note: 'secrets as config keys',
    }),
  },
  log: {
    wasmcloud: ok({ interface: 'wasi:logging/logging@0.1.0-draft', maturity: 'phase-1-draft' }),
    // Needs componentize-js's `stdio` feature (off for other targets: it traps the guest's get-stdout/get-stderr
    // otherwise), which also imports stdin, the terminals and wasi:filesystem; Spin serves all of wasi:cli.
    spin: ok({
      interface: `wasi:cli/stdout@${WASI_CLI}`,
      maturity: 'stable',
      note: 'Spin keeps stdout/stderr as the log',
    }),
    embedded: ok({ interface: 'wasi:logging/logging@0.1.0-draft', maturity: 'phase-1-draft' }),
  },
  clock: { wasmcloud: clock, spin: clock, embedded: clock },
  random: { wasmcloud: random, spin: random, embedded: random },
  fs: {
    wasmcloud: no(
      'port-needed',
      'no filesystem in wasmCloud components',
      'keep files in a blob store (wasi:blobstore) or key-value',
    ),
    spin: no(
      'port-needed',
      'Spin mounts only static files, read-only',
      'ship static files with the component; keep data in key-value or SQL',
    ),
    embedded: no('port-needed', 'the host gives components no filesystem', 'keep data in key-value or SQL'),
  },
  thread: { wasmcloud: noThreads, spin: noThreads, embedded: noThreads },
  process: { wasmcloud: noProcess, spin: noProcess, embedded: noProcess },
  native: { wasmcloud: noNative, spin: noNative, embedded: noNative },
};

export function getCapabilitySupport(kind: EffectKind, target: Target): CapabilitySupport {
  return CAPABILITY_CATALOG[kind][target];
}

/** The WIT interfaces a target supports at all; `migrate build` rejects a component importing anything else. */
export function getSupportedInterfaces(target: Target): ReadonlySet<string> {
  const interfaces = new Set<string>();
  for (const kind of EFFECT_KINDS) {
    const support = CAPABILITY_CATALOG[kind][target];
    if (support.supported) for (const binding of support.bindings) interfaces.add(binding.interface);
  }
  return interfaces;
}

/**
 * What the StarlingMonkey engine (componentize-js, with the features codemods/build/build-component.ts leaves
 * on: http, clocks, random) imports in every component, whatever the world says. Unversioned: the engine's WASI patch version
 * (0.2.12 with componentize-js 0.23) moves with componentize-js releases. Every target runs wasi:cli, clocks,
 * io, random and wasi:http 0.2.
 */
export const ENGINE_IMPORTS: readonly string[] = [
  'wasi:cli/stderr',
  'wasi:clocks/monotonic-clock',
  'wasi:clocks/wall-clock',
  'wasi:http/outgoing-handler',
  'wasi:http/types',
  'wasi:io/error',
  'wasi:io/poll',
  'wasi:io/streams',
  'wasi:random/random',
];

/**
 * What the engine imports on top of {@link ENGINE_IMPORTS} when its `stdio` feature is on (a world importing
 * `wasi:cli/stdout`); allowed on targets that bind a wasi:cli interface, as Spin does for logs.
 */
export const ENGINE_STDIO_IMPORTS: readonly string[] = [
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stderr',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:filesystem/preopens',
  'wasi:filesystem/types',
];
