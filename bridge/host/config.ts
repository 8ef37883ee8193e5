import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { AppError, ErrorCode, wrapError, type SourceLocation } from '../../shared/errors.ts';
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
    /** Redis for `kv`; every key is stored as `<keyPrefix><bucket>:<key>`. */
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
    limits: z
      .object({
        /** Per request; past it the worker is stopped and the request answered 503. */
        timeoutMs: z.number().int().positive().default(10_000),
        /** Linear memory cap per instance (and the worker's JS heap). */
        memoryMb: z.number().int().min(16).default(256),
        /** Instances (worker threads) in the pool. */
        instances: z.number().int().min(1).max(64).default(2),
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

/** Reads and validates a host config file (YAML or JSON); relative `wasm` paths resolve against the file. */
export async function loadHostConfig(file: string): Promise<HostConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw wrapError(ErrorCode.config, `cannot read host config ${file}`, error, 'check the --config path');
  }
  const config = parseHostConfig(text, file);
  const base = dirname(resolve(file));
  return {
    ...config,
    ...(config.cacheDir === undefined ? {} : { cacheDir: resolve(base, config.cacheDir) }),
    components: config.components.map((component) => ({ ...component, wasm: resolve(base, component.wasm) })),
  };
}

/** Parses YAML or JSON text into a validated config; errors carry file:line:col and the line. Pure. */
export function parseHostConfig(text: string, file: string): HostConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, excerpt: text.split('\n')[line - 1] ?? '' };
  };
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    throw new AppError(ErrorCode.config, `invalid YAML in host config: ${syntax.message.split('\n')[0]}`, {
      location: locate(syntax.pos[0]),
      hint: 'fix the syntax at the location shown',
    });
  }
  const result = hostConfigSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const where = path.length === 0 ? '(top level)' : formatPath(path);
  throw new AppError(ErrorCode.config, `invalid host config at ${where}: ${issue.message}`, {
    location: locate(findOffset(doc, path)),
    hint:
      result.error.issues.length > 1
        ? `${result.error.issues.length - 1} more problem(s) after this one`
        : 'see the field documentation in bridge/host/config.ts',
  });
}

function findOffset(doc: Document, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function formatPath(path: (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
