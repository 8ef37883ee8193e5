/**
 * The capability catalog: which WIT interface each kind of side effect maps to on each target runtime, and how
 * mature that interface is. One place in the code for these versions (DESIGN.md, "Capability catalog"); the
 * analyzer scores readiness from it, `migrate build` checks a component's imports against it, and the host
 * binds exactly these interfaces.
 */
import { REAL_TARGETS, type RealTarget } from './runtimes.ts';

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
  'document',
  'grpc-in',
] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/**
 * Targets of `migrate build`: the real runtimes (shared/runtimes.ts: `wasmcloud` = wasmCloud 2.x, `spin` = Spin 3.x
 * as SpinKube runs it today, `spin4` = the Spin 4 CLI) and `embedded`, migrate's own Node host (bridge/host). The
 * host is not a dialect of its own: it serves every real target's pins, and a component built for it takes a real
 * runtime's pins (see {@link resolvePinsTarget}), so what runs locally is what ships.
 */
export const TARGETS = ['wasmcloud', 'spin', 'spin4', 'embedded'] as const;
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

const noDocument = no(
  'port-needed',
  'no target has a document-store interface (MongoDB speaks its own TCP protocol; components get no raw sockets)',
  "keep the documents in Postgres (JSONB) through the target's SQL interface, or reach the store through an HTTP data API",
);
/** What each runtime's host world offers for incoming requests (runtimes/*: wasi:http only, no gRPC interface). */
const noGrpc = (served: string): CapabilitySupport =>
  no(
    'port-needed',
    `gRPC needs HTTP/2 with trailers end to end; the target serves requests only through ${served}, with no gRPC interface and no HTTP/2 guarantee from its listener`,
    'serve the methods as JSON over HTTP (Connect protocol or grpc-gateway paths) in the component, and keep a gRPC-JSON transcoder (Envoy) in front for gRPC clients',
  );

type RealTargetCatalog = Readonly<Record<EffectKind, Readonly<Record<RealTarget, CapabilitySupport>>>>;

/**
 * effect kind → real target → support: the exact interface and version each runtime's host world serves (the
 * WIT under runtimes/; test/codemods/build/catalog-pins.test.ts checks every pin against it).
 */
const spinVariables = (note: string): CapabilitySupport =>
  ok({ interface: 'wasi:config/store@0.2.0-draft-2024-09-27', maturity: 'phase-2-draft', note });
// Both Spins: 3.x (SpinKube) and the 4 CLI serve the same Spin interfaces for what migrate binds.
const spinSql = ok({
  // 3.0.0 on both Spins: spin:postgres@4.2.0 (the only 4.x in Spin 4's world) has `async func`s, which
  // componentize-js guests cannot import, and 4.0.0 (sync) is not in Spin 4's world by name.
  interface: 'spin:postgres/postgres@3.0.0',
  maturity: 'vendor',
  note: 'the address comes from the variable db_url or spring.datasource.*; list it in allowed_outbound_hosts',
});
const spinKv = ok({ interface: 'wasi:keyvalue/store@0.2.0-draft2', maturity: 'phase-2-draft' });
const spinRedis = ok({
  interface: 'fermyon:spin/redis@2.0.0',
  maturity: 'vendor',
  note: 'the address must be listed in allowed_outbound_hosts',
});
const spinNoPublish = no(
  'blocker',
  'Spin has no NATS messaging (only outbound MQTT and Redis pub/sub)',
  'target wasmCloud for this service, or switch the subject to Redis pub/sub or MQTT first',
);
const spinNoSubscribe = no(
  'blocker',
  'Spin cannot subscribe to NATS subjects (its triggers are HTTP, Redis and, via plugins, MQTT/cron)',
  'target wasmCloud for this service, or bridge the subject to HTTP with a small relay',
);
// Needs componentize-js's `stdio` feature (off for other targets: it traps the guest's get-stdout/get-stderr
// otherwise), which also imports stdin, the terminals and wasi:filesystem; Spin serves all of wasi:cli.
const spinLog = ok({
  interface: `wasi:cli/stdout@${WASI_CLI}`,
  maturity: 'stable',
  note: 'Spin has no wasi:logging: stdout/stderr are the log',
});
const spinNoFs = no(
  'port-needed',
  'Spin mounts only static files, read-only',
  'ship static files with the component; keep data in key-value or SQL',
);

const REAL_CATALOG: RealTargetCatalog = {
  'http-in': { wasmcloud: httpIn, spin: httpIn, spin4: httpIn },
  'http-out': {
    wasmcloud: httpOut,
    spin: ok({ ...httpOutBinding, note: 'hosts must be listed in allowed_outbound_hosts' }),
    spin4: ok({ ...httpOutBinding, note: 'hosts must be listed in allowed_outbound_hosts' }),
  },
  sql: {
    wasmcloud: ok({
      // 0.1.1-draft (sync), not 0.2.0: wasmcloud:postgres@0.2.0 is `async func`, which componentize-js cannot import.
      interface: 'wasmcloud:postgres/query@0.1.1-draft',
      maturity: 'vendor',
      note: 'wasmCloud 2 built-in postgres plugin',
    }),
    spin: spinSql,
    spin4: spinSql,
  },
  kv: {
    wasmcloud: ok({ interface: 'wasi:keyvalue/store@0.2.0-draft', maturity: 'phase-2-draft' }),
    spin: spinKv,
    spin4: spinKv,
  },
  // Redis data structures (hashes, sets, scripts: Spring Data Redis repositories, ioredis beyond get/set) need
  // Redis itself; wasi:keyvalue has only keys and values. Spin's outbound Redis has them (`execute` for the rest).
  redis: {
    wasmcloud: no(
      'port-needed',
      'wasmCloud has no Redis interface with hashes, sets or scripts: wasi:keyvalue stores only keys and values',
      'target spin or embedded for this service, or keep each entity as one value (e.g. JSON) under its key with caps.kv',
    ),
    spin: spinRedis,
    spin4: spinRedis,
  },
  publish: {
    wasmcloud: ok({
      // 0.2.0 (sync), not 0.3.0 (async).
      interface: 'wasmcloud:messaging/consumer@0.2.0',
      maturity: 'vendor',
      note: 'wasmCloud 2 built-in NATS plugin',
    }),
    spin: spinNoPublish,
    spin4: spinNoPublish,
  },
  subscribe: {
    wasmcloud: ok({
      interface: 'wasmcloud:messaging/handler@0.2.0',
      maturity: 'vendor',
      note: 'exported by the component',
    }),
    spin: spinNoSubscribe,
    spin4: spinNoSubscribe,
  },
  config: {
    wasmcloud: ok({ interface: 'wasi:config/store@0.2.0-rc.1', maturity: 'phase-2-draft' }),
    spin: spinVariables('Spin variables'),
    spin4: spinVariables('Spin variables'),
  },
  secret: {
    wasmcloud: ok({ interface: 'wasmcloud:secrets/store@2.1.0', maturity: 'vendor' }),
    spin: spinVariables('secret variables'),
    spin4: spinVariables('secret variables'),
  },
  log: {
    wasmcloud: ok({ interface: 'wasi:logging/logging@0.1.0-draft', maturity: 'phase-1-draft' }),
    spin: spinLog,
    spin4: spinLog,
  },
  clock: { wasmcloud: clock, spin: clock, spin4: clock },
  random: { wasmcloud: random, spin: random, spin4: random },
  fs: {
    wasmcloud: no(
      'port-needed',
      'no filesystem in wasmCloud components',
      'keep files in a blob store (wasi:blobstore) or key-value',
    ),
    spin: spinNoFs,
    spin4: spinNoFs,
  },
  thread: { wasmcloud: noThreads, spin: noThreads, spin4: noThreads },
  process: { wasmcloud: noProcess, spin: noProcess, spin4: noProcess },
  native: { wasmcloud: noNative, spin: noNative, spin4: noNative },
  document: { wasmcloud: noDocument, spin: noDocument, spin4: noDocument },
  'grpc-in': {
    wasmcloud: noGrpc('wasi:http/incoming-handler@0.2.0 (wasmCloud 2.7)'),
    spin: noGrpc('wasi:http/incoming-handler@0.2.0–0.2.6 (Spin 3.6 HTTP trigger)'),
    spin4: noGrpc('wasi:http/incoming-handler@0.2.x and 0.3.0-rc (Spin 4 HTTP trigger)'),
  },
};

/**
 * migrate's host serves what any real target binds (every target's pins), so a kind is supported there when one
 * real target supports it; otherwise the first real target's reason and way out.
 */
function getEmbeddedSupport(kind: EffectKind): CapabilitySupport {
  const supports = REAL_TARGETS.map((target) => REAL_CATALOG[kind][target]);
  const bindings = new Map<string, CapabilityBinding>();
  for (const support of supports) {
    if (support.supported) for (const binding of support.bindings) bindings.set(binding.interface, binding);
  }
  if (bindings.size > 0) return { supported: true, bindings: [...bindings.values()] };
  if (kind === 'fs')
    return no('port-needed', 'the host gives components no filesystem', 'keep data in key-value or SQL');
  if (kind === 'grpc-in') return noGrpc('wasi:http/incoming-handler on an HTTP/1.1 listener (node:http)');
  return supports[0]!;
}

export function getCapabilitySupport(kind: EffectKind, target: Target): CapabilitySupport {
  return target === 'embedded' ? getEmbeddedSupport(kind) : REAL_CATALOG[kind][target];
}

/** effect kind → target → support, `embedded` included (derived from the real targets). */
export const CAPABILITY_CATALOG: Readonly<Record<EffectKind, Readonly<Record<Target, CapabilitySupport>>>> =
  Object.fromEntries(
    EFFECT_KINDS.map((kind) => [kind, { ...REAL_CATALOG[kind], embedded: getEmbeddedSupport(kind) }]),
  ) as Record<EffectKind, Record<Target, CapabilitySupport>>;

/** The WIT interfaces a target supports at all; `migrate build` rejects a component importing anything else. */
export function getSupportedInterfaces(target: Target): ReadonlySet<string> {
  const interfaces = new Set<string>();
  for (const kind of EFFECT_KINDS) {
    const support = getCapabilitySupport(kind, target);
    if (support.supported) for (const binding of support.bindings) interfaces.add(binding.interface);
  }
  return interfaces;
}

/**
 * The real target whose pins a build for `target` takes. A real target is its own; `embedded` (migrate's host)
 * takes wasmCloud's pins, or the first real target that supports every effect kind the service uses (Spin for a
 * service on Redis structures), so the component verified locally is the one deployed. `undefined` when no real
 * target supports them all (the host still runs it; it deploys nowhere as built).
 */
export function resolvePinsTarget(target: Target, kinds: readonly EffectKind[]): RealTarget | undefined {
  if (target !== 'embedded') return target;
  return REAL_TARGETS.find((real) => kinds.every((kind) => REAL_CATALOG[kind][real].supported));
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
