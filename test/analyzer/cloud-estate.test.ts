// The analyzer defects of issue #11, one fixture estate (test/analyzer/fixtures/cloud-estate): an injected
// WebClient.Builder, static initializers, a non-final static subject, gateway routes, platform servers,
// `EXPOSE ${PORT}`, a base pulled in by two overlays, two handlers with one name, application.yml with profiles.
import { describe, expect, it } from 'vitest';
import { analyzeEstate, createOpenApi, type Service } from '../../analyzer/index.ts';
import { readKubernetes } from '../../analyzer/infra/k8s.ts';
import { parseDockerfile } from '../../analyzer/infra/dockerfile.ts';

const FIXTURE = 'test/analyzer/fixtures/cloud-estate';

describe('analyze an estate with Spring Cloud servers and class-level initializers', async () => {
  const estate = await analyzeEstate(FIXTURE);
  const byId = (id: string): Service => {
    const service = estate.services.find((s) => s.id === id);
    if (service === undefined) throw new Error(`no service ${id}`);
    return service;
  };
  const effects = (id: string, kinds: readonly string[]): string[][] =>
    byId(id)
      .effects.filter((e) => kinds.includes(e.kind))
      .map((e) => [e.kind, e.detail.summary, e.via.map((v) => v.symbol).join(' > ')]);

  it('reports a call through an injected WebClient.Builder as http-out, with its placeholder URL and path', () => {
    const out = byId('caller').effects.filter((e) => e.kind === 'http-out');
    expect(out.map((e) => [e.detail.operation, e.detail.url, e.detail.path, e.detail.api])).toEqual([
      ['GET', '${callee.url}', '/hello/{name}', 'WebClient.Builder.build().get'],
    ]);
  });

  it('reads System.getenv in static field initializers and static blocks as config, on <clinit>', () => {
    expect(effects('caller', ['config'])).toEqual([
      ['config', '@Value callee.url', 'CalleeClient.<init>'],
      ['config', 'System.getenv NATS_URL', 'Events.<clinit>'],
      ['config', 'System.getenv EVENTS_SUBJECT', 'Events.<clinit>'],
    ]);
  });

  it('resolves a subject held in a non-final static field that a static block overrides from the environment', () => {
    expect(effects('caller', ['publish'])).toEqual([
      ['publish', 'publish ${EVENTS_SUBJECT:cloud.events}', 'CallerController.greetings > Events.send'],
    ]);
  });

  it('draws the edges of code, application.yml (default profile only) and gateway routes', () => {
    expect(estate.edges.map((e) => `${e.from} --${e.kind}--> ${e.to ?? '?'} ${e.detail}`)).toEqual([
      'caller --http--> callee ${callee.url}',
      'caller --message--> callee cloud.events',
      'gateway --http--> callee gateway route callee → ${CALLEE_URI:http://callee:8080}',
      'gateway --http--> caller gateway route caller → lb://caller',
    ]);
    const http = estate.edges.find((e) => e.from === 'caller' && e.kind === 'http');
    expect(http?.evidence.map((e) => e.text)).toContain('callee.url=${CALLEE_URL:http://callee:8080}');
  });

  it('recognises Eureka, Config and Admin servers as platform infrastructure, blocked 0 everywhere', () => {
    expect(estate.services.map((s) => [s.id, s.platform?.role ?? null, s.readiness.wasmcloud.level])).toEqual(
      [
        ['admin', 'admin-server', 'blocked'],
        ['callee', null, 'ready'],
        ['caller', null, 'ready'],
        ['config-server', 'config-server', 'blocked'],
        ['gateway', null, 'ready'],
        ['registry', 'service-registry', 'blocked'],
      ],
    );
    const registry = byId('registry');
    expect(Object.values(registry.readiness).map((r) => r.score)).toEqual([0, 0, 0, 0]);
    expect(registry.platform?.source.file).toBe(
      'registry/src/main/java/cloud/registry/RegistryApplication.java',
    );
  });

  it('does not flag EXPOSE ${PORT}: the port comes from ENV, and an ARG without a value is no problem', () => {
    expect(estate.findings).toEqual([]);
    expect(byId('caller').container?.ports).toEqual([8080]);
    const facts = parseDockerfile('FROM x\nARG P=9000\nEXPOSE ${P} $Q nope\n', 'Dockerfile');
    expect(facts.exposedPorts.map((p) => p.port)).toEqual([9000]);
    expect(facts.problems.map((p) => p.message)).toEqual([
      'EXPOSE nope: not a port (expected e.g. 8080 or 8080/tcp)',
    ]);
  });

  it('records an object that two overlays pull in from one base once', async () => {
    const facts = await readKubernetes(`${FIXTURE}`, [
      'k8s/base/callee.yaml',
      'k8s/base/kustomization.yaml',
      'k8s/overlays/blue/kustomization.yaml',
      'k8s/overlays/green/kustomization.yaml',
    ]);
    expect(facts.workloads.map((w) => [w.name, w.file, w.kustomization])).toEqual([
      ['callee', 'k8s/base/callee.yaml', 'k8s/overlays/blue/kustomization.yaml'],
    ]);
    expect(facts.services.map((s) => s.name)).toEqual(['callee']);
    expect(byId('callee').deployments.map((d) => `${d.kind} ${d.name}`)).toEqual(['Deployment callee']);
  });

  it('writes an OpenAPI document with unique operationIds when handlers share a name', () => {
    const doc = createOpenApi(byId('caller')) as {
      paths: Record<string, Record<string, { operationId: string; parameters?: unknown[] }>>;
    };
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(ids.sort()).toEqual([
      'CallerController_greeting',
      'CallerController_greeting_2',
      'CallerController_greetings',
    ]);
    // GET /greetings and GET /greetings?name= are one operation; `name` is optional there
    expect(doc.paths['/greetings']?.get?.parameters).toEqual([
      { name: 'name', in: 'query', required: false, schema: { type: 'string' } },
    ]);
  });
});
