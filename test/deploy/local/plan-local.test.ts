// The run config `migrate up` generates for the sample: every value comes from the analysis (compose, Spring
// properties, graph, the components' worlds), none is written for this estate by hand.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeEstate, type Estate } from '../../../analyzer/index.ts';
import { parseGatewayConfig, parseHostConfig } from '../../../bridge/index.ts';
import { loadBuildPlan } from '../../../codemods/index.ts';
import {
  createLocalPlan,
  getRunPorts,
  getSplitSubjects,
  readCompose,
  readSpringProperties,
  type ComponentBuild,
  type LocalPlan,
  type LocalPlanInput,
} from '../../../deploy/local/index.ts';
import { portAndCodemod, SAMPLE_ESTATE } from '../../helpers/port-service.ts';

const PG = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Drun_schema';
const RUN = 'abcd1234';

describe('createLocalPlan on samples/spring-orders', () => {
  let dir = '';
  let estate: Estate;
  let input: LocalPlanInput;
  let plan: LocalPlan;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-plan-local-'));
    estate = await analyzeEstate(SAMPLE_ESTATE);
    const compose = await readCompose(SAMPLE_ESTATE, estate, {});
    const components = new Map<string, ComponentBuild>();
    for (const service of estate.services) {
      const root = await portAndCodemod(dir, service.id);
      const build = loadBuildPlan(root, 'embedded');
      components.set(service.id, {
        service: service.id,
        wasm: join(root, 'dist', 'x.wasm'),
        imports: build.imports,
        exports: build.exports,
        effectKinds: build.effectKinds,
      });
    }
    input = {
      estate,
      estateName: 'spring-orders',
      estateDir: SAMPLE_ESTATE,
      runId: RUN,
      compose: compose.services,
      springConfig: new Map(
        await Promise.all(
          estate.services.map(
            async (s) => [s.id, await readSpringProperties(SAMPLE_ESTATE, s.root)] as const,
          ),
        ),
      ),
      migrated: estate.services.map((s) => s.id),
      components,
      bindings: { postgres: PG, nats: 'nats://127.0.0.1:4222', redis: 'redis://127.0.0.1:6379/7' },
      portBase: 27000,
      subjectPrefix: 'run.',
      buildArgs: {},
    };
    plan = createLocalPlan(input);
  }, 300_000);

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const service = (id: string) => plan.services.find((s) => s.id === id)!;

  it('gives each container its own port and binds it to the run’s Postgres schema, Redis db and subjects', () => {
    const order = service('order-service').container.env;
    expect(order).toMatchObject({
      SERVER_PORT: String(service('order-service').container.port),
      DB_HOST: '127.0.0.1',
      DB_PORT: '5432',
      DB_NAME: 'test',
      DB_SCHEMA: 'run_schema',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_SUBJECT: 'run.orders.placed',
      INVENTORY_URL: 'http://127.0.0.1:27000',
    });
    expect(service('product-service').container.env).toMatchObject({
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: '6379',
      REDIS_DATABASE: '7',
    });
    const ports = plan.services.map((s) => s.container.port);
    expect(new Set(ports).size).toBe(4);
    expect(plan.ports).toEqual(
      getRunPorts(
        27000,
        estate.services.map((s) => s.id),
        input.migrated,
      ),
    );
  });

  it('lets the splitter feed notification’s two sides on subjects of their own', () => {
    const subjects = getSplitSubjects(RUN, 'run.orders.placed');
    expect(plan.splits).toEqual([{ route: 'notification', subject: 'run.orders.placed', ...subjects }]);
    expect(service('notification-service').container.env['NATS_SUBJECT']).toBe(subjects.container);
    const host = parseHostConfig(JSON.stringify(plan.hostConfig), 'host.json');
    const notification = host.components.find((c) => c.name === 'notification')!;
    expect(notification.subscriptions).toEqual([subjects.wasm]);
    expect(notification.config['NATS_SUBJECT']).toBe(subjects.wasm);
  });

  it('generates a host config the host accepts: grants from the worlds, calls through the gateway', () => {
    const host = parseHostConfig(JSON.stringify(plan.hostConfig), 'host.json');
    const byName = new Map(host.components.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(['inventory', 'notification', 'order', 'product']);
    expect(byName.get('order')?.capabilities).toEqual(
      expect.arrayContaining(['sql', 'messaging', 'http-out', 'config']),
    );
    expect(byName.get('product')?.capabilities).toContain('redis');
    expect(byName.get('inventory')?.capabilities).not.toContain('messaging');
    expect(byName.get('order')?.allowedHosts).toEqual(['127.0.0.1:27000']);
    expect(byName.get('order')?.config).toMatchObject({
      INVENTORY_URL: 'http://127.0.0.1:27000',
      NATS_SUBJECT: 'run.orders.placed',
    });
    expect(byName.get('inventory')?.allowedHosts).toEqual([]);
    expect(host.backends.postgres?.url).toBe(PG);
    expect(host.backends.redis?.url).toBe('redis://127.0.0.1:6379/7');
  });

  it('puts the gateway in front of every service at weight 0, with both upstreams', () => {
    const gateway = parseGatewayConfig(JSON.stringify(plan.gatewayConfig), 'gateway.json');
    expect(gateway.routes.map((r) => [r.name, r.prefix, r.weight])).toEqual([
      ['inventory', '/api/inventory', 0],
      ['notification', '/api/notification', 0],
      ['order', '/api/order', 0],
      ['product', '/api/product', 0],
    ]);
    for (const route of gateway.routes) {
      const s = plan.services.find((x) => x.route === route.name)!;
      expect(route.container).toEqual([`http://127.0.0.1:${s.container.port}`]);
      expect(route.wasm).toEqual([`http://127.0.0.1:${s.component?.port}`]);
    }
    expect(gateway.listen.port).toBe(27000);
    expect(gateway.admin.port).toBe(27001);
  });

  it('runs unmigrated services as containers only, on the plain subject', () => {
    const partial = createLocalPlan({ ...input, migrated: ['order-service'] });
    expect(partial.services.filter((s) => s.component !== undefined).map((s) => s.id)).toEqual([
      'order-service',
    ]);
    expect(partial.splits).toEqual([]);
    const notification = partial.services.find((s) => s.id === 'notification-service')!;
    expect(notification.container.env['NATS_SUBJECT']).toBe('run.orders.placed');
  });

  it('refuses a service the estate does not have', () => {
    expect(() => createLocalPlan({ ...input, migrated: ['billing-service'] })).toThrow(
      /the estate has no service billing-service/,
    );
  });
});
