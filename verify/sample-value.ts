/**
 * A valid value for a JSON Schema (as the analyzer's OpenAPI writes them): examples first, then values known for
 * the field's name (seed data, list answers), then a plain value of the type. Pure.
 */
import { normaliseName, type ValuePool } from './seed-values.ts';

export type Schema = Record<string, unknown>;

/** A field whose value could have been any of several known ones: variants of a request use the others. */
export interface Choice {
  /** Pointer into the sampled value, e.g. `/orderLineItemsDtoList/0/skuCode`. */
  pointer: string;
  name: string;
  values: unknown[];
}

export interface SampleContext {
  components: Record<string, Schema>;
  pool: ValuePool;
  /** Filled while sampling: fields with more than one known value. */
  choices: Choice[];
}

export function resolveSchema(schema: Schema | undefined, components: Record<string, Schema>): Schema {
  let current: Schema = schema ?? {};
  for (let depth = 0; depth < 10 && typeof current['$ref'] === 'string'; depth += 1) {
    const name = current['$ref'].split('/').pop() ?? '';
    current = components[name] ?? {};
  }
  return current;
}

function typeOf(schema: Schema): string | undefined {
  const type = schema['type'];
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  return typeof type === 'string' ? type : undefined;
}

function fits(value: unknown, type: string | undefined): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  if (type === 'string') return typeof value === 'string';
  if (type === 'boolean') return typeof value === 'boolean';
  return type === undefined && (typeof value === 'string' || typeof value === 'number');
}

/** Known values for a field name that fit the schema's type. */
export function getKnownValues(name: string | undefined, schema: Schema, pool: ValuePool): unknown[] {
  if (name === undefined) return [];
  const type = typeOf(schema);
  return (pool.get(normaliseName(name)) ?? []).filter((v) => fits(v, type));
}

function plainValue(schema: Schema, name: string | undefined): unknown {
  const type = typeOf(schema);
  const format = schema['format'];
  if (type === 'integer') return 1;
  if (type === 'number') return 9.5;
  if (type === 'boolean') return true;
  if (format === 'uuid') return '00000000-0000-4000-8000-000000000001';
  if (format === 'date-time') return '2026-01-01T00:00:00Z';
  if (format === 'date') return '2026-01-01';
  if (type === 'string' || type === undefined) return `verify-${name ?? 'value'}`;
  return null;
}

function example(schema: Schema): unknown {
  if (schema['example'] !== undefined) return schema['example'];
  const examples = schema['examples'];
  if (Array.isArray(examples) && examples.length > 0) return examples[0];
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0) return values[0];
  if (schema['default'] !== undefined) return schema['default'];
  return undefined;
}

/** A valid value for `schema`; `pointer` locates it for the choices it records. */
export function sampleValue(
  schemaIn: Schema | undefined,
  name: string | undefined,
  context: SampleContext,
  pointer = '',
  depth = 0,
): unknown {
  const schema = resolveSchema(schemaIn, context.components);
  const given = example(schema);
  if (given !== undefined) return given;
  const type = typeOf(schema);
  if (type === 'object' || (type === undefined && schema['properties'] !== undefined)) {
    if (depth > 6) return {};
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(properties))
      out[key] = sampleValue(inner, key, context, `${pointer}/${key}`, depth + 1);
    return out;
  }
  if (type === 'array') {
    if (depth > 6) return [];
    return [sampleValue(schema['items'] as Schema | undefined, name, context, `${pointer}/0`, depth + 1)];
  }
  const known = getKnownValues(name, schema, context.pool);
  if (known.length > 1 && name !== undefined) context.choices.push({ pointer, name, values: known });
  return known[0] ?? plainValue(schema, name);
}

/** A value of the field's type that no seed or answer holds: for "unknown id" requests. */
export function unknownValue(schema: Schema): unknown {
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number') return 987654321;
  if (schema['format'] === 'uuid') return '00000000-0000-4000-8000-00000000dead';
  return 'verify-unknown';
}

/** A deep copy of `value` with the value at `pointer` replaced (or removed when `replacement` is undefined). */
export function withValueAt(value: unknown, pointer: string, replacement: unknown): unknown {
  const copy = structuredClone(value);
  const segments = pointer.split('/').slice(1);
  const last = segments.pop();
  let node: unknown = copy;
  for (const segment of segments) node = (node as Record<string, unknown> | undefined)?.[segment];
  if (last === undefined || typeof node !== 'object' || node === null) return copy;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete (node as Record<string, unknown>)[last];
  } else (node as Record<string, unknown>)[last] = replacement;
  return copy;
}
