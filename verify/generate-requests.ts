/**
 * Requests from a service's OpenAPI document: for every operation valid requests (values from examples, seed data
 * and list answers, one variant per other known value), and the invalid cases a Spring service answers with
 * 400/404/405/415: malformed JSON, wrong content type, missing required fields and parameters, unknown path ids,
 * unknown paths and wrong methods. Pure; ids are given by the caller.
 */
import type { RequestKind, VerifyRequest } from './model.ts';
import {
  getKnownValues,
  resolveSchema,
  sampleValue,
  unknownValue,
  withValueAt,
  type SampleContext,
  type Schema,
} from './sample-value.ts';
import type { ValuePool } from './seed-values.ts';

/** A request before it has an id. */
export type PlannedRequest = Omit<VerifyRequest, 'id'>;

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodySchema: Schema | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const MAX_VARIANTS = 4;
const MAX_MISSING = 8;

function readOperations(document: Record<string, unknown>): Operation[] {
  const paths = (document['paths'] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const parameters = ((op['parameters'] ?? []) as Record<string, unknown>[]).map((p) => ({
        name: String(p['name']),
        in: String(p['in']),
        required: p['required'] === true || p['in'] === 'path',
        schema: (p['schema'] ?? {}) as Schema,
      }));
      const content = (op['requestBody'] as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content;
      const json = content?.['application/json'] ?? Object.values(content ?? {})[0];
      out.push({
        method: method.toUpperCase(),
        path,
        parameters,
        bodySchema: json?.schema ?? (json ? {} : undefined),
      });
    }
  }
  return out;
}

/** GET operations without required parameters: their answers show which values exist. */
export function isListOperation(op: { method: string; parameters: readonly Parameter[] }): boolean {
  return op.method === 'GET' && !op.parameters.some((p) => p.required);
}

function operationKey(method: string, path: string): string {
  return `${method} ${path}`;
}

function build(
  op: Operation,
  kind: RequestKind,
  description: string,
  parts: { method?: string; path: string; query: [string, string][]; body?: string; contentType?: string },
): PlannedRequest {
  const query = new URLSearchParams(parts.query).toString();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (parts.body !== undefined) headers['content-type'] = parts.contentType ?? 'application/json';
  const method = parts.method ?? op.method;
  return {
    kind,
    description: `${method} ${op.path} ${description}`.trim(),
    method,
    path: query === '' ? parts.path : `${parts.path}?${query}`,
    headers,
    ...(parts.body === undefined ? {} : { body: parts.body }),
    operation: operationKey(method, op.path),
    origin: 'openapi',
  };
}

interface Filled {
  path: string;
  query: [string, string][];
  body: unknown;
}

/** Path, query and body of a valid request, with the choices that could vary. */
function fill(op: Operation, context: SampleContext): Filled {
  let path = op.path;
  const query: [string, string][] = [];
  for (const p of op.parameters) {
    if (p.in === 'path') {
      const value = sampleValue(p.schema, p.name, context, `/path/${p.name}`);
      path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    } else if (p.in === 'query' && p.required) {
      const schema = resolveSchema(p.schema, context.components);
      if (schema['type'] === 'array') {
        const items = resolveSchema(schema['items'] as Schema | undefined, context.components);
        const known = getKnownValues(p.name, items, context.pool);
        const values = known.length > 0 ? known : [sampleValue(items, p.name, context)];
        if (known.length > 0)
          context.choices.push({ pointer: `/query/${p.name}`, name: p.name, values: known });
        for (const value of values) query.push([p.name, String(value)]);
      } else query.push([p.name, String(sampleValue(p.schema, p.name, context, `/query/${p.name}`))]);
    }
  }
  const body =
    op.bodySchema === undefined ? undefined : sampleValue(op.bodySchema, undefined, context, '/body');
  return { path, query, body };
}

function requiredOf(schema: Schema, context: SampleContext): string[] {
  const resolved = resolveSchema(schema, context.components);
  return Array.isArray(resolved['required']) ? (resolved['required'] as string[]) : [];
}

/** Pointers of required fields, top level first, then inside the first item of arrays and nested objects. */
function requiredPointers(schema: Schema, context: SampleContext, prefix = '', depth = 0): string[] {
  const resolved = resolveSchema(schema, context.components);
  const properties = (resolved['properties'] ?? {}) as Record<string, Schema>;
  const own = requiredOf(resolved, context).map((name) => `${prefix}/${name}`);
  if (depth > 2) return own;
  const nested = Object.entries(properties).flatMap(([name, inner]) => {
    const child = resolveSchema(inner, context.components);
    if (child['type'] === 'array')
      return requiredPointers((child['items'] ?? {}) as Schema, context, `${prefix}/${name}/0`, depth + 1);
    if (child['type'] === 'object') return requiredPointers(child, context, `${prefix}/${name}`, depth + 1);
    return [];
  });
  return [...own, ...nested];
}

function describePointer(pointer: string): string {
  return pointer.slice(1).replaceAll('/0/', '[0].').replaceAll('/', '.');
}

/** Every request for one operation: valid, variants, then its invalid cases. */
function planOperation(op: Operation, pool: ValuePool, components: Record<string, Schema>): PlannedRequest[] {
  const context: SampleContext = { components, pool, choices: [] };
  const valid = fill(op, context);
  const json = (value: unknown): string => JSON.stringify(value);
  const out: PlannedRequest[] = [];
  const bodyText = valid.body === undefined ? undefined : json(valid.body);
  const base = {
    path: valid.path,
    query: valid.query,
    ...(bodyText === undefined ? {} : { body: bodyText }),
  };
  out.push(build(op, 'valid', '', base));
  const choice = context.choices[0];
  if (choice !== undefined) {
    const variants = [
      ...choice.values.slice(1, MAX_VARIANTS),
      unknownValue({ type: typeof choice.values[0] }),
    ];
    for (const value of variants) {
      const label = `with ${choice.name}=${JSON.stringify(value)}`;
      if (choice.pointer.startsWith('/body')) {
        const body = withValueAt({ body: valid.body }, choice.pointer, value) as { body: unknown };
        out.push(build(op, 'variant', label, { ...base, body: json(body.body) }));
      } else if (choice.pointer.startsWith('/query/')) {
        const name = choice.pointer.slice('/query/'.length);
        const query: [string, string][] = [...valid.query.filter(([k]) => k !== name), [name, String(value)]];
        out.push(build(op, 'variant', label, { ...base, query }));
      }
    }
  }
  for (const p of op.parameters) {
    if (p.in === 'query' && p.required) {
      const query = valid.query.filter(([k]) => k !== p.name);
      out.push(build(op, 'missing-parameter', `without query parameter ${p.name}`, { ...base, query }));
    }
  }
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const last = pathParams[pathParams.length - 1];
  if (last !== undefined) {
    const again: SampleContext = { components, pool, choices: [] };
    let path = op.path;
    for (const p of pathParams) {
      const value =
        p === last ? unknownValue(resolveSchema(p.schema, components)) : sampleValue(p.schema, p.name, again);
      path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    }
    out.push(build(op, 'unknown-id', `with an unknown ${last.name}`, { ...base, path }));
  }
  if (op.bodySchema !== undefined && valid.body !== undefined) {
    out.push(
      build(op, 'malformed-json', 'with malformed JSON', {
        ...base,
        body: json(valid.body).slice(0, -1) + ',',
      }),
    );
    out.push(
      build(op, 'wrong-content-type', 'with content-type text/plain', {
        ...base,
        body: json(valid.body),
        contentType: 'text/plain',
      }),
    );
    const missing = requiredPointers(op.bodySchema, context).slice(0, MAX_MISSING);
    if (missing.length > 0)
      out.push(build(op, 'missing-field', 'with an empty object', { ...base, body: '{}' }));
    for (const pointer of missing) {
      const body = withValueAt({ body: valid.body }, `/body${pointer}`, undefined) as { body: unknown };
      out.push(
        build(op, 'missing-field', `without ${describePointer(pointer)}`, {
          ...base,
          body: json(body.body),
        }),
      );
    }
  }
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = JSON.stringify([r.method, r.path, r.headers, r.body]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The list requests sent first: their legacy answers add values to the pool. */
export function planListRequests(document: Record<string, unknown>): PlannedRequest[] {
  const components = ((document['components'] as Record<string, unknown> | undefined)?.['schemas'] ??
    {}) as Record<string, Schema>;
  return readOperations(document)
    .filter(isListOperation)
    .map((op) => {
      const filled = fill(op, { components, pool: new Map(), choices: [] });
      return build(op, 'valid', '(list)', { path: filled.path, query: filled.query });
    });
}

/** Every other request, in document order, then the list requests again to read back what the writes did. */
export function planRequests(document: Record<string, unknown>, pool: ValuePool): PlannedRequest[] {
  const components = ((document['components'] as Record<string, unknown> | undefined)?.['schemas'] ??
    {}) as Record<string, Schema>;
  const operations = readOperations(document);
  const out: PlannedRequest[] = [];
  const byPath = new Map<string, Operation[]>();
  for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [path, ops] of byPath) {
    for (const op of ops) {
      const planned = planOperation(op, pool, components);
      // A list operation's plain request was already sent first; its variants and invalid cases were not.
      out.push(...(isListOperation(op) ? planned.slice(1) : planned));
    }
    const first = ops[0]!;
    const filled = fill(first, { components, pool, choices: [] });
    const defined = new Set(ops.map((op) => op.method));
    const wrong = ['DELETE', 'PUT', 'PATCH', 'POST', 'GET'].find((m) => !defined.has(m));
    if (wrong !== undefined)
      out.push(
        build(first, 'wrong-method', `(not defined: ${wrong})`, {
          path: filled.path,
          method: wrong,
          query: [],
        }),
      );
    out.push(
      build(
        { ...first, method: 'GET', path: `${path.replace(/\/$/, '')}/verify-unknown` },
        'unknown-path',
        '(not defined)',
        {
          method: 'GET',
          path: `${filled.path.replace(/\/$/, '')}/verify-unknown`,
          query: [],
        },
      ),
    );
  }
  for (const request of planListRequests(document))
    out.push({
      ...request,
      kind: 'read-back',
      description: request.description.replace('(list)', '(read back after the writes)'),
    });
  return out;
}
