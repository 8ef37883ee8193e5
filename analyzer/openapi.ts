/** OpenAPI 3.1 per service from its endpoints and data types (DTOs, records, entities). Pure. */
import type { Endpoint, Service, TypeDecl } from './model.ts';

type Schema = Record<string, unknown>;

const SCALARS: Record<string, Schema> = {
  String: { type: 'string' },
  char: { type: 'string' },
  Character: { type: 'string' },
  int: { type: 'integer', format: 'int32' },
  Integer: { type: 'integer', format: 'int32' },
  short: { type: 'integer' },
  Short: { type: 'integer' },
  long: { type: 'integer', format: 'int64' },
  Long: { type: 'integer', format: 'int64' },
  BigInteger: { type: 'integer' },
  double: { type: 'number', format: 'double' },
  Double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'float' },
  Float: { type: 'number', format: 'float' },
  BigDecimal: { type: 'number' },
  boolean: { type: 'boolean' },
  Boolean: { type: 'boolean' },
  UUID: { type: 'string', format: 'uuid' },
  Instant: { type: 'string', format: 'date-time' },
  LocalDateTime: { type: 'string', format: 'date-time' },
  OffsetDateTime: { type: 'string', format: 'date-time' },
  ZonedDateTime: { type: 'string', format: 'date-time' },
  LocalDate: { type: 'string', format: 'date' },
  Object: {},
};

function splitArgs(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(inner.slice(start).trim());
  return out;
}

/** Java type as written → JSON Schema, with $refs to known types. */
export function toSchema(type: string, known: ReadonlySet<string>): Schema {
  // Type-use annotations (`List<@NotNull @Valid Item>`) say nothing about the JSON shape.
  const t = type
    .replace(/@[\w.]+(\([^()]*\))?\s*/g, '')
    .trim()
    .replace(/^(final\s+)/, '');
  if (t.endsWith('[]')) return { type: 'array', items: toSchema(t.slice(0, -2), known) };
  const generic = /^([\w.]+)<(.*)>$/s.exec(t);
  const base = (generic?.[1] ?? t).split('.').pop()!;
  const args = generic === null ? [] : splitArgs(generic[2]!);
  if (/^(List|Set|Collection|Iterable|Flux|Stream|ArrayList|LinkedList|HashSet)$/.test(base))
    return { type: 'array', items: args[0] === undefined ? {} : toSchema(args[0], known) };
  if (/^(Map|HashMap|LinkedHashMap|TreeMap)$/.test(base))
    return { type: 'object', additionalProperties: args[1] === undefined ? {} : toSchema(args[1], known) };
  if (/^(Optional|Mono|ResponseEntity|CompletableFuture)$/.test(base))
    return args[0] === undefined ? {} : toSchema(args[0], known);
  const scalar = SCALARS[base];
  if (scalar !== undefined) return { ...scalar };
  if (known.has(base)) return { $ref: `#/components/schemas/${base}` };
  return { type: 'object' };
}

function typeSchema(decl: TypeDecl, known: ReadonlySet<string>): Schema {
  if (decl.kind === 'enum') return { type: 'string', enum: decl.enumValues ?? [] };
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const f of decl.fields) {
    if (f.relation !== undefined && /ManyToOne|OneToOne/.test(f.relation) && decl.kind === 'entity') continue; // back-references
    properties[f.name] = toSchema(f.type, known);
    if (f.required || decl.kind === 'record') required.push(f.name);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' };

function operation(e: Endpoint, known: ReadonlySet<string>): Schema {
  const params = e.parameters
    .filter((p) => p.in !== 'body')
    .map((p) => ({
      name: p.name,
      in: p.in,
      required: p.in === 'path' ? true : p.required,
      schema: toSchema(p.type, known),
    }));
  const op: Schema = { operationId: e.handler.replace('.', '_'), summary: e.handler };
  if (params.length > 0) op.parameters = params;
  if (e.requestType !== undefined)
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: toSchema(e.requestType, known) } },
    };
  const response: Schema = { description: STATUS_TEXT[e.status] ?? 'Success' };
  if (e.responseType !== undefined && e.status !== 204)
    response.content = { 'application/json': { schema: toSchema(e.responseType, known) } };
  op.responses = { [String(e.status)]: response };
  return op;
}

/** `Controller_handler`, then `Controller_handler_2`…: OpenAPI requires operationIds to be unique. */
function uniqueOperationId(id: string, taken: Set<string>): string {
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}_${n}`;
  taken.add(unique);
  return unique;
}

function mergeOperation(into: Schema, other: Schema): void {
  into.summary = `${String(into.summary)}, ${String(other.summary)}`;
  const mine = (into.parameters ?? []) as Schema[];
  const theirs = (other.parameters ?? []) as Schema[];
  const key = (p: Schema): string => `${String(p.in)} ${String(p.name)}`;
  const merged = mine.map((p) =>
    p.in !== 'path' && !theirs.some((t) => key(t) === key(p) && t.required === true)
      ? { ...p, required: false }
      : p,
  );
  for (const t of theirs)
    if (!mine.some((p) => key(p) === key(t))) merged.push(t.in === 'path' ? t : { ...t, required: false });
  if (merged.length > 0) into.parameters = merged;
}

export function createOpenApi(service: Service): Record<string, unknown> {
  const known = new Set(service.types.map((t) => t.name));
  const paths: Record<string, Record<string, Schema>> = {};
  const operationIds = new Set<string>();
  for (const e of service.endpoints) {
    if (e.method === 'MESSAGE' || e.method === 'ANY' || e.method === 'GRPC') continue;
    const path = e.path.replace(/\{(\w+)(:[^}]*)?\}/g, '{$1}');
    const byMethod = (paths[path] ??= {});
    const method = e.method.toLowerCase();
    const op = operation(e, known);
    const existing = byMethod[method];
    if (existing !== undefined) {
      // Two handlers on one method and path, told apart by `params`/`headers` (`owners()` and `owners(name)`):
      // one OpenAPI operation whose parameters are the union, optional unless both require them.
      mergeOperation(existing, op);
      continue;
    }
    op.operationId = uniqueOperationId(String(op.operationId), operationIds);
    byMethod[method] = op;
  }
  const schemas: Record<string, Schema> = {};
  for (const t of service.types) schemas[t.name] ??= typeSchema(t, known);
  return {
    openapi: '3.1.0',
    info: {
      title: service.name,
      version: '1.0.0',
      description: `Derived by migrate analyze from ${service.root}`,
    },
    paths,
    components: { schemas },
  };
}
