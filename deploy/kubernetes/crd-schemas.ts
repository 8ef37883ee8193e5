import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** The CRDs whose kinds `migrate` generates, kept unchanged in `schemas/` (see its README). */
const CRD_FILES = ['spinapps.yaml', 'spinappexecutors.yaml', 'workloaddeployments.yaml'] as const;

type JsonSchema = Record<string, unknown>;

interface CrdDocument {
  spec: {
    group: string;
    names: { kind: string; plural: string };
    versions: { name: string; served?: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
  };
}

/** One served version of a CRD: what discovery must find and what validates objects of it. */
export interface CrdInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** The CRD's file name in `schemas/`. */
  file: string;
}

/**
 * Make a structural-schema copy strict like the API server: where `properties` are listed without
 * `x-kubernetes-preserve-unknown-fields`, unknown fields are pruned upstream, so here they are refused.
 * Kubernetes extensions Ajv does not know are dropped.
 */
export function toStrictJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toStrictJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const source = schema as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toStrictJsonSchema(v)]));
    } else out[key] = toStrictJsonSchema(value);
  }
  if (source['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (
    'properties' in source &&
    source['x-kubernetes-preserve-unknown-fields'] !== true &&
    !('additionalProperties' in source)
  )
    out['additionalProperties'] = false;
  return out;
}

let cache: Map<string, { info: CrdInfo; validate: ValidateFunction }> | undefined;

/** Validators keyed by `apiVersion/kind`, compiled once from the kept CRD files. */
export function loadCrdValidators(): Map<string, { info: CrdInfo; validate: ValidateFunction }> {
  if (cache !== undefined) return cache;
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const result = new Map<string, { info: CrdInfo; validate: ValidateFunction }>();
  for (const file of CRD_FILES) {
    const crd = parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as CrdDocument;
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (schema === undefined || version.served === false) continue;
      const info = {
        group: crd.spec.group,
        version: version.name,
        kind: crd.spec.names.kind,
        plural: crd.spec.names.plural,
        file,
      };
      // metadata is validated by the API server itself (ObjectMeta), not by the CRD schema.
      const strict = toStrictJsonSchema(schema) as JsonSchema;
      const properties = { ...(strict['properties'] as JsonSchema), metadata: { type: 'object' } };
      result.set(`${info.group}/${info.version}/${info.kind}`, {
        info,
        validate: ajv.compile({ ...strict, properties }),
      });
    }
  }
  cache = result;
  return result;
}

/** The CRDs (group, version, plural) the given kinds need; undefined for built-in kinds. */
export function getCrdInfo(apiVersion: string, kind: string): CrdInfo | undefined {
  return loadCrdValidators().get(`${apiVersion}/${kind}`)?.info;
}
