/**
 * Kubernetes manifest reader: Deployments, StatefulSets (and other pod controllers), Services, Ingresses,
 * ConfigMaps and Secrets from multi-document YAML, plain or through kustomize. Kustomize support is minimal but
 * real: `resources`/`bases` (files and directories, recursively), `namespace`, `namePrefix`/`nameSuffix` (with
 * the ConfigMap/Secret/Service references that point at renamed objects), `commonLabels`, `labels` and `images`.
 * Secret values are never kept: Secret objects list their keys only, and `secretKeyRef`s name the key.
 */
import { join, posix } from 'node:path';
import { stat } from 'node:fs/promises';
import { redactValue } from '../redact.ts';
import {
  type InfraProblem,
  baseName,
  compareProblems,
  compareText,
  isBuildOutput,
  readTextOrProblem,
} from './common.ts';
import { isComposeFile } from './compose.ts';
import { isSpringConfigFile } from './properties.ts';
import type {
  ConfigMapFacts,
  EnvVar,
  InfraContext,
  InfraFacts,
  InfraReader,
  IngressRule,
  K8sService as CoreService,
  K8sWorkload as CoreWorkload,
  SecretFacts,
} from './types.ts';
import { asArray, asRecord, asString, parseYamlFile } from './yaml-source.ts';

export interface K8sEnv {
  name: string;
  /** Literal value, redacted when the name looks secret. */
  value?: string;
  /** Where the value comes from when not literal. */
  from?: {
    kind: 'configMapKeyRef' | 'secretKeyRef' | 'fieldRef' | 'resourceFieldRef';
    name?: string;
    key?: string;
  };
  line: number;
}

export interface K8sContainer {
  name: string;
  image: string;
  ports: Array<{ name?: string; containerPort: number; protocol: string }>;
  env: K8sEnv[];
  envFrom: Array<{ kind: 'configMap' | 'secret'; name: string; line: number }>;
  line: number;
}

interface K8sObjectBase {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** Estate-relative manifest and the line of the object's `kind:`. */
  file: string;
  line: number;
  /** The kustomization that produced it, when there was one. */
  kustomization?: string;
}

export interface K8sWorkload extends K8sObjectBase {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'Pod';
  replicas?: number;
  /** Pod template labels (what Services select on). */
  podLabels: Record<string, string>;
  containers: K8sContainer[];
}

export interface K8sService extends K8sObjectBase {
  type: string;
  selector: Record<string, string>;
  ports: Array<{ name?: string; port: number; targetPort?: string; protocol: string }>;
}

export interface K8sIngress extends K8sObjectBase {
  rules: Array<{ host?: string; path: string; service: string; port?: string; line: number }>;
}

export interface K8sConfigMap extends K8sObjectBase {
  /** Values redacted where the key looks secret. */
  data: Record<string, string>;
  /** Line of each data key. */
  dataLines: Record<string, number>;
}

export interface K8sSecret extends K8sObjectBase {
  type?: string;
  /** Key names only; values are never read into the facts. */
  keys: string[];
}

export interface K8sFacts {
  workloads: K8sWorkload[];
  services: K8sService[];
  ingresses: K8sIngress[];
  configMaps: K8sConfigMap[];
  secrets: K8sSecret[];
  /** Estate-relative kustomization files that were applied. */
  kustomizations: string[];
  problems: InfraProblem[];
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** One object as loaded, with where it came from. */
interface RawObject {
  obj: Record<string, unknown>;
  file: string;
  line: number;
  lineOf: (path: ReadonlyArray<string | number>) => number;
  kustomization?: string;
}

export function isKustomizationFile(name: string): boolean {
  return KUSTOMIZATION_NAMES.includes(name);
}

/**
 * Reads Kubernetes manifests. `files` are estate-relative YAML files (any, the non-Kubernetes ones are ignored);
 * kustomizations among them are applied, and the files they include are not read a second time.
 */
/**
 * Helm charts among the files: the folders holding a `Chart.yaml`. Their `templates/` are Go templates, not
 * YAML (`{{ … }}` makes most of them invalid YAML), so they are never parsed; each chart gets one info finding.
 */
export function getHelmCharts(files: readonly string[]): string[] {
  return files
    .filter((f) => posix.basename(f) === 'Chart.yaml' || posix.basename(f) === 'Chart.yml')
    .map((f) => posix.dirname(f))
    .sort(compareText);
}

/** True when the file is inside a Helm chart's `templates/` folder (of the chart itself or a subchart). */
export function isHelmTemplate(file: string, charts: readonly string[]): boolean {
  return charts.some((chart) => file.startsWith(chart === '.' ? 'templates/' : `${chart}/templates/`));
}

export async function readKubernetes(absRoot: string, files: readonly string[]): Promise<K8sFacts> {
  const problems: InfraProblem[] = [];
  const charts = getHelmCharts(files);
  for (const chart of charts)
    problems.push({
      severity: 'info',
      code: 'helm-chart-skipped',
      message: `Helm chart ${chart === '.' ? '(estate root)' : chart}: its templates are Go templates, not YAML, and are not read; render them (\`helm template ${chart} --output-dir rendered/\`) to include what they deploy`,
      file: chart === '.' ? 'Chart.yaml' : `${chart}/Chart.yaml`,
      line: 1,
    });
  const sorted = [...files]
    .filter((f) => !isHelmTemplate(f, charts) && !/(^|\/)Chart\.ya?ml$/.test(f))
    .sort(compareText);
  const kustomizations = sorted.filter((f) => isKustomizationFile(posix.basename(f)));
  const consumed = new Set<string>();
  const included = new Set<string>();
  const objects: RawObject[] = [];
  // Top-level kustomizations first: those not included by another one.
  const results = new Map<string, RawObject[]>();
  for (const k of kustomizations) {
    if (included.has(k)) continue;
    results.set(k, await loadKustomization(absRoot, k, [], consumed, included, problems));
  }
  // Overlays that include one base (`overlays/dev` and `overlays/prod` → `base`) yield its objects once each:
  // an object is recorded once, as the first top-level kustomization (in path order) produced it.
  const recorded = new Set<string>();
  for (const [k, objs] of results) {
    if (included.has(k)) continue;
    for (const o of objs) {
      const key = `${o.file}\0${o.line}`;
      if (recorded.has(key)) continue;
      recorded.add(key);
      objects.push(o);
    }
  }
  for (const file of sorted) {
    if (consumed.has(file) || isKustomizationFile(posix.basename(file))) continue;
    objects.push(...(await loadManifest(absRoot, file, problems, false)));
  }
  const facts = extractFacts(objects, problems);
  facts.kustomizations = kustomizations.filter((k) => consumed.has(k));
  return facts;
}

async function loadManifest(
  absRoot: string,
  file: string,
  problems: InfraProblem[],
  strict: boolean,
): Promise<RawObject[]> {
  const text = await readTextOrProblem(join(absRoot, file), file, problems);
  if (text === undefined) return [];
  const yaml = parseYamlFile(text, file);
  const out: RawObject[] = [];
  const isK8s = /^(apiVersion|kind):/m.test(text);
  // A stray YAML file (CI config, OpenAPI…) with syntax errors is not ours to report, unless kustomize named it.
  if (strict || isK8s) problems.push(...yaml.problems);
  for (const doc of yaml.docs) {
    const obj = asRecord(doc.value);
    if (obj === undefined) continue;
    const kind = asString(obj['kind']);
    if (kind === undefined || asString(obj['apiVersion']) === undefined) {
      if (strict)
        problems.push({
          code: 'k8s-invalid',
          file,
          line: doc.lineOf([]),
          message: 'document has no apiVersion/kind',
          severity: 'warning',
        });
      continue;
    }
    if (kind === 'List') {
      asArray(obj['items']).forEach((item, i) => {
        const rec = asRecord(item);
        if (rec)
          out.push({
            obj: rec,
            file,
            line: doc.lineOf(['items', i]),
            lineOf: (p) => doc.lineOf(['items', i, ...p]),
          });
      });
      continue;
    }
    out.push({ obj, file, line: doc.lineOf(['kind']), lineOf: (p) => doc.lineOf(p) });
  }
  return out;
}

async function findKustomization(absRoot: string, dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_NAMES) {
    const candidate = posix.join(dir, name);
    try {
      if ((await stat(join(absRoot, candidate))).isFile()) return candidate;
    } catch {
      // not this name
    }
  }
  return undefined;
}

async function loadKustomization(
  absRoot: string,
  file: string,
  stack: readonly string[],
  consumed: Set<string>,
  included: Set<string>,
  problems: InfraProblem[],
): Promise<RawObject[]> {
  if (stack.includes(file)) {
    problems.push({
      code: 'kustomize-cycle',
      file: stack[stack.length - 1] ?? file,
      line: 1,
      message: `kustomization cycle: ${[...stack, file].join(' → ')}`,
      severity: 'error',
    });
    return [];
  }
  consumed.add(file);
  const text = await readTextOrProblem(join(absRoot, file), file, problems);
  if (text === undefined) return [];
  const yaml = parseYamlFile(text, file);
  problems.push(...yaml.problems);
  const doc = yaml.docs[0];
  const k = asRecord(doc?.value);
  if (doc === undefined || k === undefined) return [];
  const dir = posix.dirname(file);
  const objects: RawObject[] = [];
  const entries: Array<{ ref: string; line: number }> = [];
  for (const field of ['resources', 'bases', 'components']) {
    asArray(k[field]).forEach((r, i) => {
      const ref = asString(r);
      if (ref !== undefined) entries.push({ ref, line: doc.lineOf([field, i]) });
    });
  }
  for (const { ref, line } of entries) {
    if (/^[a-z]+:\/\//i.test(ref) || ref.startsWith('github.com/') || ref.includes('?ref=')) {
      problems.push({
        code: 'kustomize-remote',
        file,
        line,
        message: `remote resource ${ref} not fetched (analysis is offline)`,
        severity: 'warning',
      });
      continue;
    }
    const target = posix.normalize(posix.join(dir, ref));
    if (target.startsWith('..')) {
      problems.push({
        code: 'k8s-invalid',
        file,
        line,
        message: `resource ${ref} is outside the estate root`,
        severity: 'warning',
      });
      continue;
    }
    let kind: 'file' | 'dir' | 'missing' = 'missing';
    try {
      const st = await stat(join(absRoot, target));
      kind = st.isDirectory() ? 'dir' : 'file';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') {
        problems.push({
          code: 'symlink-loop',
          file,
          line,
          message: `resource ${ref} is a symlink loop`,
          severity: 'error',
        });
        continue;
      }
    }
    if (kind === 'missing') {
      problems.push({
        code: 'kustomize-missing-resource',
        file,
        line,
        message: `resource ${ref} does not exist; fix the path or remove it from the kustomization`,
        severity: 'error',
      });
    } else if (kind === 'dir') {
      const inner = await findKustomization(absRoot, target);
      if (inner === undefined) {
        problems.push({
          code: 'k8s-invalid',
          file,
          line,
          message: `directory ${ref} has no kustomization.yaml`,
          severity: 'error',
        });
        continue;
      }
      included.add(inner);
      objects.push(
        ...(await loadKustomization(absRoot, inner, [...stack, file], consumed, included, problems)),
      );
    } else {
      consumed.add(target);
      objects.push(...(await loadManifest(absRoot, target, problems, true)));
    }
  }
  applyKustomization(k, objects, file);
  return objects;
}

type Json = Record<string, unknown>;

function ensureMap(parent: Json, key: string): Json {
  const existing = asRecord(parent[key]);
  if (existing) return existing;
  const created: Json = {};
  parent[key] = created;
  return created;
}

function podSpecOf(obj: Json): Json | undefined {
  const kind = asString(obj['kind']);
  if (kind === 'Pod') return asRecord(obj['spec']);
  if (kind === 'CronJob')
    return asRecord(
      asRecord(asRecord(asRecord(asRecord(obj['spec'])?.['jobTemplate'])?.['spec'])?.['template'])?.['spec'],
    );
  return asRecord(asRecord(asRecord(obj['spec'])?.['template'])?.['spec']);
}

function allContainers(obj: Json): Json[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  return [...asArray(spec['initContainers']), ...asArray(spec['containers'])]
    .map(asRecord)
    .filter((c): c is Json => c !== undefined);
}

/** Applies one kustomization's transformations to the objects it includes (inner ones were applied already). */
function applyKustomization(k: Json, objects: RawObject[], file: string): void {
  const prefix = asString(k['namePrefix']) ?? '';
  const suffix = asString(k['nameSuffix']) ?? '';
  const namespace = asString(k['namespace']);
  const selectorLabels: Record<string, string> = {};
  const plainLabels: Record<string, string> = {};
  for (const [key, v] of Object.entries(asRecord(k['commonLabels']) ?? {}))
    selectorLabels[key] = asString(v) ?? '';
  for (const entry of asArray(k['labels'])) {
    const rec = asRecord(entry);
    const pairs = asRecord(rec?.['pairs']) ?? {};
    const target = rec?.['includeSelectors'] === true ? selectorLabels : plainLabels;
    for (const [key, v] of Object.entries(pairs)) target[key] = asString(v) ?? '';
  }
  const renamed = new Map<string, string>(); // `${kind}/${old}` → new
  for (const o of objects) {
    const meta = ensureMap(o.obj, 'metadata');
    const kind = asString(o.obj['kind']) ?? '';
    const name = asString(meta['name']);
    if (name !== undefined && (prefix !== '' || suffix !== '') && kind !== 'Namespace') {
      meta['name'] = `${prefix}${name}${suffix}`;
      renamed.set(`${kind}/${name}`, `${prefix}${name}${suffix}`);
    }
    if (namespace !== undefined && kind !== 'Namespace') meta['namespace'] = namespace;
    o.kustomization = file; // the outermost kustomization that produced it
  }
  const rename = (kind: string, name: unknown): string | undefined => {
    const n = asString(name);
    return n === undefined ? undefined : (renamed.get(`${kind}/${n}`) ?? n);
  };
  for (const o of objects) {
    const meta = ensureMap(o.obj, 'metadata');
    const kind = asString(o.obj['kind']) ?? '';
    Object.assign(ensureMap(meta, 'labels'), plainLabels, selectorLabels);
    if (Object.keys(selectorLabels).length > 0) {
      if (kind === 'Service') Object.assign(ensureMap(ensureMap(o.obj, 'spec'), 'selector'), selectorLabels);
      if (WORKLOAD_KINDS.has(kind) && kind !== 'Pod' && kind !== 'CronJob') {
        const spec = ensureMap(o.obj, 'spec');
        Object.assign(ensureMap(ensureMap(spec, 'selector'), 'matchLabels'), selectorLabels);
        Object.assign(
          ensureMap(ensureMap(ensureMap(spec, 'template'), 'metadata'), 'labels'),
          selectorLabels,
        );
      }
    }
    for (const c of allContainers(o.obj)) {
      for (const env of asArray(c['env'])) {
        const from = asRecord(asRecord(env)?.['valueFrom']);
        const cm = asRecord(from?.['configMapKeyRef']);
        if (cm) cm['name'] = rename('ConfigMap', cm['name']);
        const sec = asRecord(from?.['secretKeyRef']);
        if (sec) sec['name'] = rename('Secret', sec['name']);
      }
      for (const ef of asArray(c['envFrom'])) {
        const cm = asRecord(asRecord(ef)?.['configMapRef']);
        if (cm) cm['name'] = rename('ConfigMap', cm['name']);
        const sec = asRecord(asRecord(ef)?.['secretRef']);
        if (sec) sec['name'] = rename('Secret', sec['name']);
      }
      c['image'] = overrideImage(asString(c['image']) ?? '', asArray(k['images']));
    }
    if (kind === 'Ingress') {
      for (const rule of asArray(asRecord(o.obj['spec'])?.['rules'])) {
        for (const p of asArray(asRecord(asRecord(rule)?.['http'])?.['paths'])) {
          const svc = asRecord(asRecord(asRecord(p)?.['backend'])?.['service']);
          if (svc) svc['name'] = rename('Service', svc['name']);
        }
      }
    }
  }
}

/** kustomize `images:` — match on the image name without tag/digest; replace name, tag or digest. */
function overrideImage(image: string, overrides: unknown[]): string {
  const at = image.indexOf('@');
  const withoutDigest = at < 0 ? image : image.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  for (const o of overrides) {
    const rec = asRecord(o);
    if (rec === undefined || asString(rec['name']) !== name) continue;
    const newName = asString(rec['newName']) ?? name;
    const digest = asString(rec['digest']);
    if (digest !== undefined) return `${newName}@${digest}`;
    const tag = asString(rec['newTag']) ?? (hasTag ? withoutDigest.slice(colon + 1) : undefined);
    const oldDigest = at < 0 ? '' : image.slice(at);
    return `${newName}${tag === undefined ? '' : `:${tag}`}${asString(rec['newTag']) === undefined ? oldDigest : ''}`;
  }
  return image;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) out[k] = asString(v) ?? '';
  return out;
}

function extractFacts(objects: readonly RawObject[], problems: InfraProblem[]): K8sFacts {
  const facts: K8sFacts = {
    workloads: [],
    services: [],
    ingresses: [],
    configMaps: [],
    secrets: [],
    kustomizations: [],
    problems,
  };
  for (const o of objects) {
    const kind = asString(o.obj['kind']) ?? '';
    const meta = asRecord(o.obj['metadata']) ?? {};
    const name = asString(meta['name']);
    if (name === undefined) {
      if (kind !== 'Kustomization')
        problems.push({
          code: 'k8s-invalid',
          file: o.file,
          line: o.line,
          message: `${kind} has no metadata.name`,
          severity: 'warning',
        });
      continue;
    }
    const namespace = asString(meta['namespace']);
    const base: K8sObjectBase = {
      name,
      labels: stringMap(meta['labels']),
      file: o.file,
      line: o.line,
      ...(namespace === undefined ? {} : { namespace }),
      ...(o.kustomization === undefined ? {} : { kustomization: o.kustomization }),
    };
    const spec = asRecord(o.obj['spec']) ?? {};
    if (WORKLOAD_KINDS.has(kind)) facts.workloads.push(extractWorkload(o, base, kind as K8sWorkload['kind']));
    else if (kind === 'Service') {
      facts.services.push({
        ...base,
        type: asString(spec['type']) ?? 'ClusterIP',
        selector: stringMap(spec['selector']),
        ports: asArray(spec['ports']).map((p) => {
          const r = asRecord(p) ?? {};
          const pname = asString(r['name']);
          const target = asString(r['targetPort']);
          return {
            port: Number(r['port']),
            protocol: asString(r['protocol']) ?? 'TCP',
            ...(pname === undefined ? {} : { name: pname }),
            ...(target === undefined ? {} : { targetPort: target }),
          };
        }),
      });
    } else if (kind === 'Ingress') {
      const rules: K8sIngress['rules'] = [];
      asArray(spec['rules']).forEach((rule, ri) => {
        const host = asString(asRecord(rule)?.['host']);
        asArray(asRecord(asRecord(rule)?.['http'])?.['paths']).forEach((p, pi) => {
          const svc = asRecord(asRecord(asRecord(p)?.['backend'])?.['service']);
          const port = asRecord(svc?.['port']);
          const portText = asString(port?.['name']) ?? asString(port?.['number']);
          rules.push({
            path: asString(asRecord(p)?.['path']) ?? '/',
            service: asString(svc?.['name']) ?? '',
            line: o.lineOf(['spec', 'rules', ri, 'http', 'paths', pi]),
            ...(host === undefined ? {} : { host }),
            ...(portText === undefined ? {} : { port: portText }),
          });
        });
      });
      facts.ingresses.push({ ...base, rules });
    } else if (kind === 'ConfigMap') {
      const data: Record<string, string> = {};
      const dataLines: Record<string, number> = {};
      for (const [k, v] of Object.entries(stringMap(o.obj['data']))) {
        data[k] = redactValue(k, v);
        dataLines[k] = o.lineOf(['data', k]);
      }
      facts.configMaps.push({ ...base, data, dataLines });
    } else if (kind === 'Secret') {
      const keys = [
        ...Object.keys(asRecord(o.obj['data']) ?? {}),
        ...Object.keys(asRecord(o.obj['stringData']) ?? {}),
      ];
      const type = asString(o.obj['type']);
      facts.secrets.push({
        ...base,
        keys: [...new Set(keys)].sort(compareText),
        ...(type === undefined ? {} : { type }),
      });
    }
  }
  const byName = (a: K8sObjectBase, b: K8sObjectBase): number =>
    compareText(a.namespace ?? '', b.namespace ?? '') ||
    compareText(a.name, b.name) ||
    compareText(a.file, b.file);
  facts.workloads.sort(byName);
  facts.services.sort(byName);
  facts.ingresses.sort(byName);
  facts.configMaps.sort(byName);
  facts.secrets.sort(byName);
  return facts;
}

function extractWorkload(o: RawObject, base: K8sObjectBase, kind: K8sWorkload['kind']): K8sWorkload {
  const spec = asRecord(o.obj['spec']) ?? {};
  const podPath: Array<string | number> =
    kind === 'Pod'
      ? ['spec']
      : kind === 'CronJob'
        ? ['spec', 'jobTemplate', 'spec', 'template', 'spec']
        : ['spec', 'template', 'spec'];
  const templateMeta =
    kind === 'Pod'
      ? asRecord(o.obj['metadata'])
      : asRecord(asRecord(asRecord(spec['template']))?.['metadata']);
  const podSpec = podSpecOf(o.obj) ?? {};
  const containers: K8sContainer[] = [];
  for (const field of ['initContainers', 'containers']) {
    asArray(podSpec[field]).forEach((c, ci) => {
      const rec = asRecord(c);
      if (rec === undefined) return;
      const at = (...p: Array<string | number>): number => o.lineOf([...podPath, field, ci, ...p]);
      const env: K8sEnv[] = [];
      asArray(rec['env']).forEach((e, ei) => {
        const er = asRecord(e) ?? {};
        const name = asString(er['name']) ?? '';
        const value = asString(er['value']);
        const from = asRecord(er['valueFrom']);
        const entry: K8sEnv = { name, line: at('env', ei) };
        if (value !== undefined) entry.value = redactValue(name, value);
        for (const fromKind of ['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef'] as const) {
          const ref = asRecord(from?.[fromKind]);
          if (!ref) continue;
          const refName = asString(ref['name']);
          const key = asString(ref['key']) ?? asString(ref['fieldPath']) ?? asString(ref['resource']);
          entry.from = {
            kind: fromKind,
            ...(refName === undefined ? {} : { name: refName }),
            ...(key === undefined ? {} : { key }),
          };
        }
        env.push(entry);
      });
      const envFrom: K8sContainer['envFrom'] = [];
      asArray(rec['envFrom']).forEach((ef, fi) => {
        const r = asRecord(ef) ?? {};
        const cm = asString(asRecord(r['configMapRef'])?.['name']);
        const sec = asString(asRecord(r['secretRef'])?.['name']);
        if (cm !== undefined) envFrom.push({ kind: 'configMap', name: cm, line: at('envFrom', fi) });
        if (sec !== undefined) envFrom.push({ kind: 'secret', name: sec, line: at('envFrom', fi) });
      });
      containers.push({
        name: asString(rec['name']) ?? '',
        image: asString(rec['image']) ?? '',
        ports: asArray(rec['ports']).map((p) => {
          const pr = asRecord(p) ?? {};
          const pname = asString(pr['name']);
          return {
            containerPort: Number(pr['containerPort']),
            protocol: asString(pr['protocol']) ?? 'TCP',
            ...(pname === undefined ? {} : { name: pname }),
          };
        }),
        env,
        envFrom,
        line: at(),
      });
    });
  }
  const replicas = spec['replicas'];
  return {
    ...base,
    kind,
    podLabels: stringMap(templateMeta?.['labels']),
    containers,
    ...(typeof replicas === 'number' ? { replicas } : {}),
  };
}

const CORE_WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function toCoreEnv(e: K8sEnv, file: string): EnvVar {
  const ref =
    e.from !== undefined && (e.from.kind === 'configMapKeyRef' || e.from.kind === 'secretKeyRef')
      ? {
          kind: e.from.kind,
          name: e.from.name ?? '',
          ...(e.from.key === undefined ? {} : { key: e.from.key }),
        }
      : undefined;
  return {
    file,
    line: e.line,
    name: e.name,
    ...(e.value === undefined ? {} : { value: e.value }),
    ...(ref === undefined ? {} : { ref }),
  };
}

/** Maps the rich facts onto the core's shape (pod controllers other than Deployment/StatefulSet/DaemonSet are left out). */
export function toCoreK8sFacts(facts: K8sFacts): Partial<InfraFacts> {
  const ns = (o: K8sObjectBase): { namespace?: string } =>
    o.namespace === undefined ? {} : { namespace: o.namespace };
  const workloads: CoreWorkload[] = facts.workloads
    .filter((w) => CORE_WORKLOAD_KINDS.has(w.kind))
    .map((w) => ({
      file: w.file,
      line: w.line,
      kind: w.kind as CoreWorkload['kind'],
      name: w.name,
      ...ns(w),
      labels: w.labels,
      podLabels: w.podLabels,
      ...(w.replicas === undefined ? {} : { replicas: w.replicas }),
      ...(w.kustomization === undefined ? {} : { kustomization: w.kustomization }),
      containers: w.containers.map((c) => ({
        file: w.file,
        line: c.line,
        name: c.name,
        ...(c.image === '' ? {} : { image: c.image }),
        env: c.env.map((e) => toCoreEnv(e, w.file)),
        envFrom: c.envFrom.map((f) => ({
          kind: f.kind === 'secret' ? 'secretKeyRef' : 'configMapKeyRef',
          name: f.name,
        })),
        ports: c.ports.map((p) => p.containerPort).filter((p) => Number.isInteger(p)),
      })),
    }));
  const services: CoreService[] = facts.services.map((s) => ({
    file: s.file,
    line: s.line,
    name: s.name,
    ...ns(s),
    selector: s.selector,
    ports: s.ports.map((p) => ({
      port: p.port,
      ...(p.targetPort === undefined
        ? {}
        : { targetPort: /^\d+$/.test(p.targetPort) ? Number(p.targetPort) : p.targetPort }),
    })),
  }));
  const ingress: IngressRule[] = facts.ingresses.flatMap((i) =>
    i.rules.map((r) => ({
      file: i.file,
      line: r.line,
      ingress: i.name,
      ...ns(i),
      path: r.path,
      service: r.service,
      ...(r.host === undefined ? {} : { host: r.host }),
      ...(r.port === undefined ? {} : { port: /^\d+$/.test(r.port) ? Number(r.port) : r.port }),
    })),
  );
  const configMaps: ConfigMapFacts[] = facts.configMaps.map((c) => {
    const data: ConfigMapFacts['data'] = {};
    for (const [k, v] of Object.entries(c.data)) data[k] = { value: v, line: c.dataLines[k] ?? c.line };
    return { file: c.file, line: c.line, name: c.name, ...ns(c), data };
  });
  const secrets: SecretFacts[] = facts.secrets.map((s) => ({
    file: s.file,
    line: s.line,
    name: s.name,
    ...ns(s),
    keys: s.keys,
  }));
  return {
    workloads,
    services,
    ingress,
    configMaps,
    secrets,
    findings: [...facts.problems].sort(compareProblems),
  };
}

/** YAML files that may be Kubernetes manifests: not compose, not Spring config, not build output. */
export function isManifestCandidate(path: string): boolean {
  const name = baseName(path);
  if (isBuildOutput(path) || isComposeFile(name) || isSpringConfigFile(name)) return false;
  return isKustomizationFile(name) || /\.ya?ml$/.test(name);
}

/** Reads the estate's Kubernetes manifests, plain and through kustomize. */
export const k8sReader: InfraReader = {
  id: 'k8s',
  async read(context: InfraContext): Promise<Partial<InfraFacts>> {
    const facts = await readKubernetes(context.estateRoot, context.files.filter(isManifestCandidate));
    return toCoreK8sFacts(facts);
  },
};
