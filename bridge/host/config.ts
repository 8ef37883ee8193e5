import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseConfigText, readConfigText, type ConfigKind } from '../../shared/config-file.ts';
import { HOST_CAPABILITIES } from './capabilities.ts';

const backendsSchema = z
  .object({
    /** Postgres for `sql`: a connection URL, e.g. `postgres://postgres@127.0.0.1:5432/test`. */
    postgres: z
      .object({ url: z.string().min(1), poolSize: z.number().int().positive().optional() })
      .strict()
      .optional(),
    /** NATS for `messaging`, e.g. `nats://127.0.0.1:4222`. */
    nats: z
      .object({ url: z.string().min(1) })
      .strict()
      .optional(),
    /**
     * Redis for `kv` and `redis` (the database is the URL's path, e.g. `redis://127.0.0.1:6379/3`). `kv` stores
     * every key as `<keyPrefix><bucket>:<key>`; `redis` (fermyon:spin/redis) stores keys as the component names
     * them, with `<keyPrefix>` in front only when it is set.
     */
    redis: z
      .object({ url: z.string().min(1), keyPrefix: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();

const componentSchema = z
  .object({
    /** Name used in logs and for the in-process call. */
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
    /** Path of the component (.wasm), relative to the config file. */
    wasm: z.string().min(1),
    /** Port to serve the component's wasi:http/incoming-handler on (0 picks a free one; omit for none). */
    port: z.number().int().min(0).max(65535).optional(),
    /** Address to listen on; loopback unless given. */
    listen: z.string().default('127.0.0.1'),
    /** Capabilities granted; a component importing anything else fails to load. */
    capabilities: z.array(z.enum(HOST_CAPABILITIES)).default([]),
    /** Backend settings for this component; override the top-level `backends`. */
    backends: backendsSchema.optional(),
    /** Hosts (`host` or `host:port`) outbound HTTP may reach; everything else is denied. */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /** The only config keys `wasi:config/store` gives this component. */
    config: z.record(z.string(), z.string()).default({}),
    /** NATS subjects whose messages call the component's `wasmcloud:messaging/handler`. */
    subscriptions: z.array(z.string().min(1)).default([]),
    /**
     * A path the host GETs once the component is loaded and before it serves it, e.g. `/actuator/health` for a
     * service `migrate port` made: such a component runs Spring's startup hooks (runners, ready listeners) when
     * it first composes, and answers after them, so its port opens after them as the JVM's did. An answer of 500
     * or more is logged as an error; the component is served anyway (its requests then fail as its start did).
     */
    startupPath: z.string().startsWith('/').optional(),
    limits: z
      .object({
        /**
         * Per request; past it the request is answered 503 and its worker stopped (in JSPI mode, a request
         * waiting on a call only loses its instance; see `workers`).
         */
        timeoutMs: z.number().int().positive().default(10_000),
        /** Linear memory cap per instance (and the worker's JS heap). */
        memoryMb: z.number().int().min(16).default(256),
        /** Worker mode: instances (worker threads) in the pool. JSPI mode: requests served at once per worker. */
        instances: z.number().int().min(1).max(64).default(2),
        /**
         * Requests one instance serves before the host replaces it with a fresh one (0: never). An instance keeps
         * its guest's globals (module-level variables, caches) from one request to the next, like a Spring
         * singleton; `1` gives every request a fresh instance (nothing leaks from one request to the next) at the
         * cost of one instantiation per request, done ahead of time: the worker keeps a spare instance ready.
         */
        reuse: z.number().int().min(0).default(0),
        /**
         * How instances run. `worker` (default): each instance in a worker thread whose capability calls block
         * it until the host has done the I/O, one request per worker. `jspi`: each request in an instance of its
         * own, suspended (JavaScript Promise Integration) while its capability call is in flight, so requests
         * interleave in one thread (`workers` threads, or the host's own): see docs/host-density.md.
         */
        mode: z.enum(['worker', 'jspi']).default('worker'),
        /**
         * JSPI mode: worker threads the instances run in, each serving up to `instances` requests at once; a
         * request computing past `timeoutMs` stops its worker (and fails the other requests that worker was
         * serving). `0` runs the instances in the host's own thread: no thread per component, but nothing can
         * stop a guest that computes without end.
         */
        workers: z.number().int().min(0).max(64).default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const hostConfigSchema = z
  .object({
    /** Where transpiled components are cached; the OS temp dir unless given. */
    cacheDir: z.string().optional(),
    backends: backendsSchema.default({}),
    components: z.array(componentSchema).min(1),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.components.forEach((component, index) => {
      if (names.has(component.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate component name ${component.name}`,
          path: ['components', index, 'name'],
        });
      }
      names.add(component.name);
    });
  });

export type HostConfig = z.infer<typeof hostConfigSchema>;
export type HostComponentConfig = HostConfig['components'][number];

const kind: ConfigKind = { label: 'host config', docs: 'the field documentation in bridge/host/config.ts' };

/** Reads and validates a host config file (YAML or JSON); relative `wasm` paths resolve against the file. */
export async function loadHostConfig(file: string): Promise<HostConfig> {
  const config = parseHostConfig(await readConfigText(file, kind), file);
  const base = dirname(resolve(file));
  return {
    ...config,
    ...(config.cacheDir === undefined ? {} : { cacheDir: resolve(base, config.cacheDir) }),
    components: config.components.map((component) => ({ ...component, wasm: resolve(base, component.wasm) })),
  };
}

/** Parses YAML or JSON text into a validated config; errors carry file:line:col and the line. Pure. */
export function parseHostConfig(text: string, file: string): HostConfig {
  return parseConfigText(text, file, hostConfigSchema, kind);
}
