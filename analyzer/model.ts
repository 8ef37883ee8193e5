/**
 * The Estate model: what `migrate analyze` finds, as one versioned JSON document. This zod schema is the single
 * source of truth; `schema/estate.schema.json` is generated from it (`npm run gen:schema`) and a test fails
 * when the checked-in file is stale. Every list is sorted stably; every path is relative to the estate root;
 * secrets are already redacted when a value reaches this model.
 */
import { z } from 'zod';
import { EFFECT_KINDS, TARGETS } from '../shared/catalog.ts';

/** Bump on any breaking change of the document's shape. */
export const ESTATE_SCHEMA_VERSION = '1.0';

/** A place in a file of the estate: 1-based line and column, path relative to the estate root. */
export const SourceRefSchema = z.object({
  file: z.string().describe('path relative to the estate root, with forward slashes'),
  line: z.number().int().min(1),
  column: z.number().int().min(1).optional(),
  excerpt: z.string().optional().describe('the source line, trimmed'),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** A problem found while reading the estate; the analysis goes on. */
export const FindingSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string().describe('stable code, e.g. `java-parse-error`, `yaml-invalid`, `symlink-loop`'),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
  service: z.string().optional().describe('id of the service the file belongs to, if any'),
});
export type Finding = z.infer<typeof FindingSchema>;

export const EffectKindSchema = z.enum(EFFECT_KINDS);
export const TargetSchema = z.enum(TARGETS);

/** What an effect touches. Only the fields that apply are set; `summary` is always set. */
export const EffectDetailSchema = z.object({
  summary: z
    .string()
    .describe(
      'one line: `SELECT inventory (sku_code)`, `publish orders.placed`, `GET ${inventory.url}/api/inventory`',
    ),
  api: z
    .string()
    .optional()
    .describe('the library call, e.g. `RestClient.get`, `Connection.publish`, `UUID.randomUUID`'),
  operation: z
    .string()
    .optional()
    .describe(
      'sql: select/insert/update/delete/upsert; kv: get/set/delete/exists; redis: the command (`hgetall`, `increment`…), or get/set/delete for a repository; http: method',
    ),
  table: z.string().optional(),
  columns: z.array(z.string()).optional(),
  subject: z.string().optional().describe('message subject/topic/queue, resolved when possible'),
  url: z
    .string()
    .optional()
    .describe('http-out: URL or base-URL expression as written, e.g. `${inventory.url}`'),
  resolvedUrl: z.string().optional().describe('http-out: URL after resolving properties/env defaults'),
  path: z.string().optional().describe('http-in/out: request path'),
  key: z.string().optional().describe('config/secret: property or env key; kv/redis: key or key prefix'),
});
export type EffectDetail = z.infer<typeof EffectDetailSchema>;

/** One step of a call chain: `OrderController.placeOrder`. */
export const CallStepSchema = z.object({
  symbol: z.string().describe('`Class.method`'),
  file: z.string(),
  line: z.number().int().min(1),
});
export type CallStep = z.infer<typeof CallStepSchema>;

const targetMap = <T extends z.ZodType>(value: T) =>
  z.object({ wasmcloud: value, spin: value, spin4: value, embedded: value });

/** The WIT interface an effect maps to per target, or null when the target has none (a blocker). */
export const CapabilityMapSchema = targetMap(z.string().nullable());

export const EffectSchema = z.object({
  kind: EffectKindSchema,
  detail: EffectDetailSchema,
  site: SourceRefSchema,
  via: z
    .array(CallStepSchema)
    .describe('call chain from an endpoint or listener to the site; empty when none reaches it'),
  capability: CapabilityMapSchema,
});
export type Effect = z.infer<typeof EffectSchema>;
/** An effect as a language plug-in reports it; the core adds `capability` from the catalog. */
export type RawEffect = Omit<Effect, 'capability'>;

export const ParameterSchema = z.object({
  name: z.string(),
  in: z.enum(['path', 'query', 'header', 'body']),
  type: z.string().describe('type as written in the source, e.g. `List<String>`'),
  required: z.boolean(),
});
export type Parameter = z.infer<typeof ParameterSchema>;

export const EndpointSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY', 'MESSAGE', 'GRPC']),
  path: z
    .string()
    .describe(
      'HTTP path, the subject for a message listener (method MESSAGE), or `/package.Service/Method` for a gRPC method (method GRPC)',
    ),
  handler: z.string().describe('`Class.method`'),
  site: SourceRefSchema,
  parameters: z.array(ParameterSchema),
  requestType: z.string().optional(),
  responseType: z.string().optional(),
  status: z.number().int().describe('success status (0, gRPC OK, for a GRPC method)'),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

export const FieldSchema = z.object({
  name: z.string(),
  type: z.string(),
  required: z.boolean(),
  column: z.string().optional().describe('JPA column name'),
  relation: z.string().optional().describe('JPA relation: OneToMany, ManyToOne…, with the target type'),
});

/** DTOs, records, Lombok classes, JPA entities and Redis hashes: the data shapes of a service. */
export const TypeDeclSchema = z.object({
  name: z.string(),
  kind: z.enum(['class', 'record', 'enum', 'entity', 'redis-hash']),
  fields: z.array(FieldSchema),
  enumValues: z.array(z.string()).optional(),
  table: z.string().optional().describe('JPA table or Redis hash name'),
  site: SourceRefSchema,
});
export type TypeDecl = z.infer<typeof TypeDeclSchema>;

export const BlockerSchema = z.object({
  kind: EffectKindSchema,
  severity: z.enum(['blocker', 'port-needed']),
  reason: z.string(),
  wayOut: z.string(),
  evidence: z.array(SourceRefSchema).describe('sites of the effects that cause it'),
});
export type Blocker = z.infer<typeof BlockerSchema>;

export const ReadinessSchema = z.object({
  level: z.enum(['ready', 'port-needed', 'blocked']),
  score: z.number().int().min(0).max(100),
  blockers: z.array(BlockerSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

export const EnvEntrySchema = z.object({
  name: z.string(),
  value: z.string().optional().describe('`***` when secret; absent when it comes from a reference'),
  ref: z
    .string()
    .optional()
    .describe('e.g. `secretKeyRef:db/password`, `configMapKeyRef:orders/NATS_URL`, `env_file:secrets.env`'),
  source: SourceRefSchema,
});
export type EnvEntry = z.infer<typeof EnvEntrySchema>;

export const ContainerSchema = z.object({
  dockerfile: z.string().optional(),
  baseImage: z.string().optional(),
  image: z.string().optional(),
  ports: z.array(z.number().int()),
  env: z.array(EnvEntrySchema),
});

export const DeploymentSchema = z.object({
  kind: z.enum(['compose', 'Deployment', 'StatefulSet', 'DaemonSet', 'Service', 'Ingress', 'docker']),
  name: z.string(),
  namespace: z.string().optional(),
  source: SourceRefSchema,
});
export type Deployment = z.infer<typeof DeploymentSchema>;

export const PlatformRoleSchema = z.object({
  role: z
    .enum(['service-registry', 'config-server', 'admin-server'])
    .describe('what the platform needs it for: `service-registry` (Eureka), `config-server`, `admin-server`'),
  reason: z.string().describe('why it is not migrated like a service, and what replaces it'),
  source: SourceRefSchema.describe('the annotation that makes it one (`@EnableEurekaServer`…)'),
});
export type PlatformRole = z.infer<typeof PlatformRoleSchema>;

export const ServiceSchema = z.object({
  id: z.string().describe('stable id: the module directory name'),
  name: z.string(),
  language: z.enum(['java', 'typescript']),
  framework: z.string().describe('`spring-boot`, `express`, `fastify`, `koa`, `nest`'),
  root: z.string().describe('module directory relative to the estate root'),
  build: z.object({ tool: z.enum(['maven', 'gradle', 'npm']), file: z.string() }),
  files: z.number().int().describe('source files analyzed'),
  container: ContainerSchema.optional(),
  deployments: z.array(DeploymentSchema),
  endpoints: z.array(EndpointSchema),
  effects: z.array(EffectSchema),
  types: z.array(TypeDeclSchema),
  readiness: targetMap(ReadinessSchema),
  platform: PlatformRoleSchema.optional().describe(
    'set when the service is platform infrastructure (a Eureka, Config or Admin server): it stays as it is, so every target rates it blocked 0',
  ),
});
export type Service = z.infer<typeof ServiceSchema>;

/** Backing infrastructure the services talk to (databases, brokers, caches), from compose/k8s. */
export const InfraNodeSchema = z.object({
  id: z.string().describe('e.g. `postgres`, `nats`, `redis`'),
  kind: z.enum(['postgres', 'mysql', 'redis', 'nats', 'kafka', 'rabbitmq', 'other']),
  image: z.string().optional(),
  source: SourceRefSchema.optional(),
});
export type InfraNode = z.infer<typeof InfraNodeSchema>;

export const EvidenceSchema = z.object({
  from: z.enum(['code', 'properties', 'compose', 'k8s', 'dockerfile', 'docker']),
  text: z.string().describe('what was found, secrets redacted: `inventory.url=${INVENTORY_URL:…}`'),
  source: SourceRefSchema,
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const EdgeSchema = z.object({
  from: z.string().describe('service id'),
  to: z.string().nullable().describe('service or infra id; null when unresolved'),
  toKind: z.enum(['service', 'infra', 'unresolved']),
  kind: z
    .enum(['http', 'message', 'sql', 'kv'])
    .describe('what the far end is: `kv` is a key-value store, reached by `kv` and `redis` effects alike'),
  detail: z.string().describe('host/URL, subject, database or store'),
  evidence: z.array(EvidenceSchema),
});
export type Edge = z.infer<typeof EdgeSchema>;

export const EstateSchema = z.object({
  schemaVersion: z.literal(ESTATE_SCHEMA_VERSION),
  root: z.string().describe('name of the estate root directory (never an absolute path)'),
  services: z.array(ServiceSchema),
  infra: z.array(InfraNodeSchema),
  edges: z.array(EdgeSchema),
  findings: z.array(FindingSchema),
  stats: z.object({ files: z.number().int(), servicesFound: z.number().int() }),
});
export type Estate = z.infer<typeof EstateSchema>;

/** The JSON Schema of the Estate document, generated from the zod model. */
export function createEstateJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://migrate.dev/schema/estate.schema.json',
    title: 'migrate Estate',
    ...(z.toJSONSchema(EstateSchema, { target: 'draft-2020-12' }) as Record<string, unknown>),
  };
}
