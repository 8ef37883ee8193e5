/**
 * `npm run e2e:sample`: the proof of the port. Builds the Spring estate (samples/spring-orders), ports, codemods
 * and builds its four services into components with the CLI a user runs, serves them in migrate's host against
 * the machine's Postgres, NATS and Redis, and runs the contract suite (test/contract/contract-suite.ts, the
 * same suite and assertions as against Spring) against the components. Then two mixed estates against the
 * running Spring services: order as a component calling Spring's inventory (and publishing to Spring's
 * notification), and Spring's order publishing to notification as a component.
 *
 * Progress goes to stderr; the last stdout line is one JSON object. Exit 0 when everything passed, 1 otherwise.
 * Only loopback addresses are used. Every run has its own schema, NATS subject and Redis database, removed at
 * the end (also on failure).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, parseHostConfig, type Host } from '../bridge/index.ts';
import {
  claimRedisDb,
  createSchema,
  flushRedisDb,
  pgUrlFor,
  PG_URL,
  REDIS_URL,
  withDb,
} from './e2e/resources.ts';
import { runContract } from './e2e/contract.ts';
import { GRANTS, portAndBuild, type PortedService } from './e2e/port-build.ts';
import {
  getFreePort,
  startSpringEstate,
  toContractTarget,
  type SpringEstate,
} from '../test/contract/spring-estate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NATS_URL = 'nats://127.0.0.1:4222';
const SERVICES = ['order', 'inventory', 'product', 'notification'] as const;
type Service = (typeof SERVICES)[number];
const RUN = `e2e_${process.pid}`;

const log = (message: string): void => void process.stderr.write(`[e2e] ${message}\n`);

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

interface ComponentSpec {
  name: string;
  /** Undefined when the service did not build: it is left out, and its URL refuses connections. */
  built: PortedService | undefined;
  /** Fixed when another component must know it; a free one otherwise. */
  port?: number;
  schema: string;
  redisDb: number;
  config: Record<string, string>;
  allowedHosts?: string[];
  subscriptions?: string[];
}

function componentConfig(spec: ComponentSpec & { built: PortedService }): Record<string, unknown> {
  return {
    name: spec.name,
    wasm: spec.built.wasm,
    port: spec.port ?? 0,
    capabilities: [...new Set(spec.built.capabilities.map((c) => GRANTS[c] ?? c))],
    backends: {
      postgres: { url: pgUrlFor(spec.schema), poolSize: 4 },
      nats: { url: NATS_URL },
      redis: { url: `${REDIS_URL}/${spec.redisDb}` },
    },
    allowedHosts: spec.allowedHosts ?? [],
    config: spec.config,
    subscriptions: spec.subscriptions ?? [],
    limits: { instances: 1, timeoutMs: 15_000, memoryMb: 256 },
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'migrate-e2e-sample-'));
  const schema = `orders_${RUN}`;
  const subject = `orders.placed.${RUN}`;
  let redisDb: number | undefined;
  let host: Host | undefined;
  let estate: SpringEstate | undefined;
  const summary: Record<string, unknown> = { services: 0 };
  let ok = false;
  try {
    log('making sure Postgres, NATS and Redis are up');
    await run('bash', ['scripts/ensure-services.sh']);

    const built = new Map<Service, PortedService>();
    const buildFailures: string[] = [];
    for (const service of SERVICES) {
      try {
        built.set(service, await portAndBuild(work, service));
      } catch (error) {
        // Go on with the others: the suite then shows what works and what does not.
        log(error instanceof Error ? error.message : String(error));
        buildFailures.push(service);
      }
    }
    const all = [...built.values()];
    Object.assign(summary, {
      services: all.length,
      ...(buildFailures.length === 0 ? {} : { build_failed: buildFailures }),
      methods: all.reduce((n, s) => n + s.methods, 0),
      methods_todo: all.reduce((n, s) => n + s.methodsTodo, 0),
      component_bytes: Object.fromEntries(all.map((s) => [s.service, s.bytes])),
      port_seconds: Number(all.reduce((n, s) => n + s.portSeconds, 0).toFixed(1)),
      build_seconds: Number(all.reduce((n, s) => n + s.buildSeconds, 0).toFixed(1)),
    });

    log('building and starting the Spring estate (for the mixed runs)');
    estate = await startSpringEstate();
    const spring = toContractTarget(estate.facts);
    const springInventory = new URL(estate.facts.services.inventory.url);

    redisDb = await claimRedisDb(RUN);
    await createSchema(schema);
    const get = (service: Service): PortedService | undefined => built.get(service);
    const [orderPort, inventoryPort] = [await getFreePort(), await getFreePort()];
    const specs: ComponentSpec[] = [
      {
        name: 'order',
        built: get('order'),
        port: orderPort,
        schema,
        redisDb,
        config: { INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`, NATS_SUBJECT: subject },
        allowedHosts: [`127.0.0.1:${inventoryPort}`],
      },
      { name: 'inventory', built: get('inventory'), port: inventoryPort, schema, redisDb, config: {} },
      { name: 'product', built: get('product'), schema, redisDb, config: {} },
      {
        name: 'notification',
        built: get('notification'),
        schema,
        redisDb,
        config: { NATS_SUBJECT: subject },
        subscriptions: [subject],
      },
      // Mixed: order as a component calling Spring's inventory, writing Spring's schema and publishing to the
      // subject Spring's notification listens on.
      {
        name: 'order-mixed',
        built: get('order'),
        schema: spring.pg.schema,
        redisDb: spring.redis.db,
        config: { INVENTORY_URL: springInventory.origin, NATS_SUBJECT: estate.facts.nats.subject },
        allowedHosts: [springInventory.host],
      },
      // Mixed: notification as a component receiving what Spring's order service publishes.
      {
        name: 'notification-mixed',
        built: get('notification'),
        schema: spring.pg.schema,
        redisDb: spring.redis.db,
        config: { NATS_SUBJECT: estate.facts.nats.subject },
        subscriptions: [estate.facts.nats.subject],
      },
    ];
    log(`starting the host with ${specs.length} components`);
    const served = specs.filter(
      (spec): spec is ComponentSpec & { built: PortedService } => spec.built !== undefined,
    );
    const hostConfig = { cacheDir: join(work, 'host-cache'), components: served.map(componentConfig) };
    await writeFile(join(work, 'host.json'), JSON.stringify(hostConfig, null, 2));
    host = await createHost({
      config: parseHostConfig(JSON.stringify(hostConfig), join(work, 'host.json')),
      logger: {
        log: (level, component, message) => {
          if (level === 'error' || level === 'warn') log(`${component}: ${message}`);
        },
      },
    });
    const running = host;
    // Port 9 (discard) refuses connections: the tests of a service that did not build fail, visibly.
    const url = (name: string): string => `http://127.0.0.1:${running.components.get(name)?.port ?? 9}`;

    const components = await runContract(work, 'components', {
      name: 'components',
      orderUrl: url('order'),
      inventoryUrl: url('inventory'),
      productUrl: url('product'),
      notificationUrl: url('notification'),
      pg: { connectionString: PG_URL, schema },
      redis: { url: REDIS_URL, db: redisDb },
    });
    const mixedOrder = await runContract(work, 'mixed-order-component', {
      ...spring,
      name: 'order component, Spring inventory and notification',
      orderUrl: url('order-mixed'),
    });
    const mixedNotification = await runContract(work, 'mixed-notification-component', {
      ...spring,
      name: 'Spring order, notification component',
      notificationUrl: url('notification-mixed'),
    });
    const failures = [
      ...components.failures.map((f) => `components: ${f}`),
      ...mixedOrder.failures.map((f) => `mixed (order component): ${f}`),
      ...mixedNotification.failures.map((f) => `mixed (notification component): ${f}`),
    ];
    for (const failure of failures) log(`FAILED ${failure}`);
    Object.assign(summary, {
      contract_passed: components.passed,
      contract_failed: components.failed,
      mixed_passed: mixedOrder.passed + mixedNotification.passed,
      mixed_failed: mixedOrder.failed + mixedNotification.failed,
    });
    ok = failures.length === 0 && buildFailures.length === 0 && components.passed > 0;
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    summary.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  } finally {
    await host?.close().catch(() => undefined);
    await estate?.stop().catch((error: unknown) => log(`stopping the Spring estate: ${String(error)}`));
    await withDb((db) => db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)).catch(
      () => undefined,
    );
    if (redisDb !== undefined) await flushRedisDb(redisDb).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
