import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parseGatewayConfig } from '../../bridge/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { loadCrdValidators } from './crd-schemas.ts';
import { GATEWAY_NAME } from './router.ts';
import type { KubeObject } from './types.ts';

/** One problem with one generated object: which object, which field (JSON path) and what is wrong. */
export interface ManifestProblem {
  object: string;
  path: string;
  message: string;
}

interface Validatable {
  validate(): void;
}
const BUILT_IN: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'gateway.networking.k8s.io/v1/HTTPRoute': HTTPRoute,
};

const describe = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata.name}`;

/**
 * Every problem of the given objects: built-in kinds against the Kubernetes OpenAPI (kubernetes-models), the
 * Gateway API kinds against theirs, SpinApp/WorkloadDeployment against the upstream CRDs (strict), plus the
 * rules upstream enforces in admission webhooks. Empty when all are valid. Pure.
 */
export function findManifestProblems(objects: readonly KubeObject[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const crds = loadCrdValidators();
  for (const object of objects) {
    const id = describe(object);
    const key = `${object.apiVersion}/${object.kind}`;
    const Model = BUILT_IN[key];
    const crd = crds.get(key);
    if (Model !== undefined) {
      try {
        new Model(object as never).validate();
      } catch (error) {
        problems.push({ object: id, path: getErrorPath(error), message: getErrorMessage(error) });
      }
    } else if (crd !== undefined) {
      if (!crd.validate(object))
        for (const e of crd.validate.errors ?? [])
          problems.push({
            object: id,
            path: `${e.instancePath.replace(/\//g, '.') || '.'}${e.keyword === 'required' ? `.${String(e.params['missingProperty'])}` : ''}${e.keyword === 'additionalProperties' ? `.${String(e.params['additionalProperty'])}` : ''}`,
            message: e.message ?? e.keyword,
          });
    } else problems.push({ object: id, path: '.kind', message: `migrate cannot validate ${key}` });
    problems.push(...findWebhookProblems(object, id));
    if (object.kind === 'ConfigMap' && object.metadata.name === GATEWAY_NAME) {
      const data = (object as { data?: Record<string, string> }).data ?? {};
      for (const [file, text] of Object.entries(data)) {
        try {
          parseGatewayConfig(text, file);
        } catch (error) {
          problems.push({ object: id, path: `.data.${file}`, message: getErrorMessage(error) });
        }
      }
    }
  }
  return problems;
}

/**
 * Rules of the spin-operator's webhook that the CRD schema does not carry. (The executor must exist in the
 * SpinApp's namespace: a cluster fact, checked by `applyManifests`.)
 */
function findWebhookProblems(object: KubeObject, id: string): ManifestProblem[] {
  if (object.kind !== 'SpinApp') return [];
  const spec = (object['spec'] ?? {}) as {
    replicas?: number;
    enableAutoscaling?: boolean;
    executor?: string;
  };
  const problems: ManifestProblem[] = [];
  if (spec.enableAutoscaling === true && spec.replicas !== undefined)
    problems.push({
      object: id,
      path: '.spec.replicas',
      message: 'must not be set when enableAutoscaling is true',
    });
  return problems;
}

/** Throw one AppError listing every problem (object, field path, message); nothing is sent when it throws. */
export function assertValidManifests(objects: readonly KubeObject[]): void {
  const problems = findManifestProblems(objects);
  if (problems.length === 0) return;
  throw new AppError(
    ErrorCode.input,
    `${problems.length} invalid generated manifest field(s):\n${problems.map((p) => `  ${p.object} ${p.path}: ${p.message}`).join('\n')}`,
    { hint: 'nothing was sent to the cluster; this is a bug in migrate or in the estate input named above' },
  );
}

function getErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function getErrorPath(error: unknown): string {
  const errors = (error as { errors?: { instancePath?: string }[] }).errors;
  const path = errors?.[0]?.instancePath;
  return path === undefined || path === '' ? '.' : path.replace(/\//g, '.');
}
