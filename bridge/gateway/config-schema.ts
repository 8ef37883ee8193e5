import { z } from 'zod';

const loopbackHosts = ['127.0.0.1', '::1', 'localhost'] as const;

const upstreamUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\/[^/]+\/?$/.test(value), {
    message: 'an upstream is an origin such as http://127.0.0.1:8081 (no path)',
  });

/** How the sticky key is taken from a request. */
const stickySchema = z
  .object({
    /** Where the key comes from: a request header, a cookie, or the client's address. */
    from: z.enum(['header', 'cookie', 'address']).default('address'),
    /** Header or cookie name (ignored for `address`). */
    name: z.string().min(1).default('x-user-id'),
  })
  .strict();

/** The QA override: a header or cookie whose value (`wasm` or `container`, optionally `:<token>`) forces a side. */
const overrideSchema = z
  .object({
    enabled: z.boolean().default(true),
    header: z.string().min(1).default('x-migrate-side'),
    cookie: z.string().min(1).default('migrate-side'),
    /** When set, the override must read `<side>:<token>`; a wrong token is answered 403. */
    token: z.string().min(8).optional(),
    /** Name of an environment variable holding the override token (preferred over `token`). */
    tokenEnv: z.string().min(1).optional(),
  })
  .strict();

/** Learned noise (Diffy): fields that differ between two calls of the primary itself are not differences. */
const noiseSchema = z
  .object({
    /** A field is noise once it differed in at least this share of primary-vs-primary comparisons. */
    minRate: z.number().min(0).max(1).default(0.05),
    /** The first this-many shadowed requests per route always call the primary twice. */
    warmup: z.number().int().min(0).default(10),
    /** After warm-up, the share of shadowed requests that still call the primary twice. */
    sampleRate: z.number().min(0).max(1).default(0.1),
  })
  .strict();

const shadowSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Share of requests (0–1) sent to both sides. */
    sampleRate: z.number().min(0).max(1).default(1),
    /**
     * Shadow POST/PATCH too. Only set this when the shadow side writes somewhere harmless
     * (its own database or a dry-run backend): the shadow copy of a write is really executed.
     */
    allowNonIdempotent: z.boolean().default(false),
    /** JSON fields never compared: a name matches at any depth (`createdAt`), a dotted path from the root (`order.id`, `items[].sku`). */
    ignore: z.array(z.string().min(1)).default([]),
    /** Response headers compared besides status and body (lower case). */
    compareHeaders: z.array(z.string().min(1)).default(['content-type']),
    /** Request and response bodies larger than this are not shadowed (the request is still served). */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 1024),
    /** How many differing exchanges are kept per route as samples. */
    maxSamples: z.number().int().min(0).default(20),
    noise: noiseSchema.default(noiseSchema.parse({})),
  })
  .strict();

/** Recording of shadowed exchanges as NDJSON for `migrate verify --replay` (docs/verify.md). */
const recordSchema = z
  .object({
    /** The NDJSON file appended to (relative to the config file). */
    path: z.string().min(1),
    /** Share (0–1) of shadowed exchanges written. */
    sampleRate: z.number().min(0).max(1).default(1),
    /** Requests with a larger body are not recorded; larger response bodies are left out of the record. */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024),
  })
  .strict();

const gatesSchema = z
  .object({
    /** Sliding window the gates look at. */
    windowMs: z.number().int().min(1000).default(30_000),
    /** Requests each compared side needs inside the window before a gate can decide. */
    minSamples: z.number().int().min(1).default(50),
    /** What a breach does: roll the route back to weight 0, or freeze it at its current weight. */
    action: z.enum(['rollback', 'freeze']).default('rollback'),
    /**
     * Breach when wasm's error rate exceeds container's by more than `maxIncrease` (absolute, 0–1) beyond
     * chance: the rates are compared by their Wilson score intervals at `z` standard deviations (wasm's lower
     * bound against container's upper bound; 1.96 ≈ 95 %), so 2 errors in 31 requests do not decide. 0
     * compares the raw rates.
     */
    errorRate: z
      .object({ maxIncrease: z.number().min(0).max(1), z: z.number().min(0).max(5).default(1.96) })
      .strict()
      .optional(),
    /**
     * Breach when wasm's p99 exceeds container's p99 times `maxRatio` (and `minMs`), and at least `minSlow`
     * wasm answers in the window were that slow: in a window of 30 the p99 is the slowest answer, and one
     * pause (a collection, a resumed process) must not decide alone.
     */
    latencyP99: z
      .object({
        maxRatio: z.number().min(1),
        minMs: z.number().min(0).default(5),
        minSlow: z.number().int().min(1).default(3),
      })
      .strict()
      .optional(),
    /**
     * No gate judges the route until this long after a weight change and until wasm served this many
     * requests since it; both sides' windows then start together, so they are compared over the same time.
     */
    warmup: z
      .object({
        minRequests: z.number().int().min(0).default(20),
        minMs: z.number().int().min(0).default(5000),
      })
      .strict()
      .default({ minRequests: 20, minMs: 5000 }),
    /**
     * While every origin of a side is out its requests go to the other side; once it has been out this long,
     * each of them counts as a failure of that side in the window (a dead component is rolled back). A shorter
     * outage counts nothing: checks and ejections are guesses, and on a busy machine a live process can look
     * silent for half a second.
     */
    failoverGraceMs: z.number().int().min(0).default(2000),
    /** Breach when more than this share of shadow comparisons differ (after noise filtering). */
    diffRate: z
      .object({ max: z.number().min(0).max(1) })
      .strict()
      .optional(),
  })
  .strict();

/** Active health checks: each origin of both sides is asked `GET path` every `intervalMs`. */
const healthSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Path asked on container origins (Spring: `/actuator/health`); default: the route's prefix. */
    path: z.string().startsWith('/').optional(),
    /** Path asked on wasm origins; default: `path`. */
    wasmPath: z.string().startsWith('/').optional(),
    intervalMs: z.number().int().min(50).default(1000),
    /** A check without an answer within this long failed. */
    timeoutMs: z.number().int().min(10).default(2000),
    /** Consecutive failed checks (no answer, or 5xx) before an origin is taken out. */
    unhealthyAfter: z.number().int().min(1).default(3),
    /** Consecutive good checks (any answer below 500) before it is put back. */
    healthyAfter: z.number().int().min(1).default(1),
    /**
     * An origin is hung, and taken out at once, when a check has waited this long and nothing at all (no check,
     * no client request) came back from it meanwhile: a stopped process still accepts connections, so only
     * silence tells. A busy origin that still answers anything is not hung. 0 turns it off.
     */
    hungAfterMs: z.number().int().min(0).default(1000),
  })
  .strict();

/** What `migrate shift` sends to the wasm side before raising its weight (a cold component is slow at first). */
const warmSchema = z
  .object({
    /** GET path for the synthetic requests; default: the health check's wasm path, else the prefix. */
    path: z.string().startsWith('/').optional(),
    /** Synthetic requests per wasm origin. */
    requests: z.number().int().min(0).max(1000).default(10),
  })
  .strict();

const routeSchema = z
  .object({
    /** Route name, usually the service (`order`); used by the admin API and `migrate shift`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    /** Path prefix this route serves, e.g. `/api/order`; the longest matching prefix wins. */
    prefix: z.string().startsWith('/'),
    /** Remove the prefix before forwarding. */
    stripPrefix: z.boolean().default(false),
    /** Upstream origins of the container side (round robin). */
    container: z.array(upstreamUrl).min(1),
    /** Upstream origins of the wasm side; may be empty while the component does not exist yet (weight must be 0). */
    wasm: z.array(upstreamUrl).default([]),
    /** Percentage of sticky buckets routed to wasm, 0–100. */
    weight: z.number().min(0).max(100).default(0),
    shadow: shadowSchema.default(shadowSchema.parse({})),
    gates: gatesSchema.default(gatesSchema.parse({})),
    health: healthSchema.default(healthSchema.parse({})),
    warm: warmSchema.default(warmSchema.parse({})),
  })
  .strict()
  .refine((route) => route.weight === 0 || route.wasm.length > 0, {
    message: 'weight above 0 needs at least one wasm upstream',
    path: ['weight'],
  });

const listenSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** 0 picks a free port (tests). */
    port: z.number().int().min(0).max(65535).default(8080),
  })
  .strict();

const adminSchema = z
  .object({
    host: z.enum(loopbackHosts).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(9901),
    /** Bearer token; prefer `tokenEnv` so the token stays out of files. */
    token: z.string().min(8).optional(),
    /** Environment variable holding the bearer token. */
    tokenEnv: z.string().min(1).default('MIGRATE_GATEWAY_TOKEN'),
  })
  .strict();

export const gatewayConfigSchema = z
  .object({
    listen: listenSchema.default(listenSchema.parse({})),
    admin: adminSchema.default(adminSchema.parse({})),
    sticky: stickySchema.default(stickySchema.parse({})),
    override: overrideSchema.default(overrideSchema.parse({})),
    limits: z
      .object({
        /** Request bodies above this are answered 413. */
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
      })
      .strict()
      .default({ maxBodyBytes: 10 * 1024 * 1024 }),
    timeouts: z
      .object({
        /** Connecting to an upstream. */
        connectMs: z.number().int().positive().default(2000),
        /** Waiting for an upstream's response headers. */
        headersMs: z.number().int().positive().default(30_000),
        /** Longest pause between two upstream body chunks. */
        bodyMs: z.number().int().positive().default(30_000),
        /** A client has this long to send its whole request (slow clients get 408). */
        clientRequestMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ connectMs: 2000, headersMs: 30_000, bodyMs: 30_000, clientRequestMs: 60_000 }),
    retry: z
      .object({
        /** Retries allowed as a share of requests over the last 10 s, per route. */
        budgetRatio: z.number().min(0).max(1).default(0.2),
        /** Retries always allowed per second, per route, on top of the ratio. */
        minPerSecond: z.number().int().min(0).default(10),
        /**
         * Request bodies up to this size are held in memory so the request can be sent again. Larger bodies
         * stream through and are never retried.
         */
        maxBodyBytes: z
          .number()
          .int()
          .min(0)
          .default(64 * 1024),
        /**
         * A non-idempotent request carrying this header (non-empty) may be retried on the other side after it
         * was sent and lost: the client promises the upstream deduplicates by it. Empty string: off.
         */
        idempotencyKeyHeader: z.string().default('idempotency-key'),
      })
      .strict()
      .default({
        budgetRatio: 0.2,
        minPerSecond: 10,
        maxBodyBytes: 64 * 1024,
        idempotencyKeyHeader: 'idempotency-key',
      }),
    /** Keep-alive connections per upstream origin. */
    upstreamConnections: z.number().int().positive().default(128),
    events: z
      .object({
        /** Also append the NDJSON event log to this file (relative to the config file). */
        file: z.string().optional(),
      })
      .strict()
      .default({}),
    record: recordSchema.optional(),
    routes: z.array(routeSchema).min(1),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.routes.forEach((route, index) => {
      for (const key of [`name:${route.name}`, `prefix:${route.prefix}`]) {
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicate route ${key.replace(':', ' ')} (also routes[${seen.get(key)}])`,
            path: ['routes', index, key.split(':')[0]!],
          });
        } else seen.set(key, index);
      }
    });
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type RouteConfig = GatewayConfig['routes'][number];
export type ShadowConfig = RouteConfig['shadow'];
export type GatesConfig = RouteConfig['gates'];
export type RecordConfig = z.infer<typeof recordSchema>;
export type HealthConfig = RouteConfig['health'];
export type Side = 'container' | 'wasm';
/** The gates a route can have. */
export type GateName = 'errorRate' | 'latencyP99' | 'diffRate';
