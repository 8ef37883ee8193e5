/**
 * `npm run e2e:verify`: the proof of `migrate verify` without a contract suite, over two estates:
 * samples/spring-orders, then samples/spring-clinic (scripts/e2e/verify-clinic.ts, the same steps). Ports and
 * builds the four spring-orders services into components (as e2e:sample does) and serves them in migrate's host on data of their
 * own; starts the real Spring estate twice (legacy, and a twin for Diffy-style noise, each with its own schema,
 * NATS subject and Redis database); then runs `runVerify` for every service: generated requests to legacy, twin
 * and component, answers, rows, Redis keys and NATS messages compared.
 *
 * Ports: ORDER_PORT…NOTIFICATION_PORT (legacy, default 26081-26084) and the twin at +10 (26091-26094);
 * CLINIC_PORT (the clinic's legacy records…reminder from there, default 32181-32184; its twin at +10).
 * The JSON line has per-service requests, unexplained mismatches (with their causes: the request and the first
 * differing field) and the port's type errors; a service whose build was refused says why.
 * E2E_VERIFY_REPORTS=<dir>: also write each service's result there as JSON.
 * E2E_VERIFY_ONLY=clinic:visit,orders:inventory: verify only these services, or a whole estate (`clinic`); an
 * estate with none is not started, and a service another one calls is still ported and served (order needs
 * inventory).
 * Progress and every mismatch go to stderr; the last stdout line is one JSON object. Exit 0 when no unexplained
 * mismatch and no type error, 1 otherwise. Everything made for the run is removed at the end (also on failure).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createHost, parseHostConfig, type Host } from '../bridge/index.ts';
import { runVerify, verifyReporters, type SideOptions, type VerifyResult } from '../verify/index.ts';
import {
  componentConfig,
  portAndBuild,
  SERVICES,
  type ComponentSpec,
  type PortedService,
  type Service,
} from './e2e/components.ts';
import { claimRedisDb, flushRedisDb, PG_URL, withDb } from './e2e/resources.ts';
import { CLINIC_SERVICES, verifyClinic, type ClinicServiceRun } from './e2e/verify-clinic.ts';
import {
  ESTATE_ROOT,
  getFreePort,
  startSpringEstate,
  type EstateFacts,
  type SpringEstate,
} from '../test/contract/spring-estate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN = `verify_e2e_${process.pid}`;
const log = (message: string): void => void process.stderr.write(`[e2e:verify] ${message}\n`);

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** Type errors of a ported service under its own tsconfig (strict), with the repository's node_modules. */
async function countTypeErrors(dir: string): Promise<number> {
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir').catch(() => undefined);
  const configFile = ts.readConfigFile(join(dir, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram(parsed.fileNames, parsed.options));
  for (const d of diagnostics.slice(0, 10))
    log(`type error in ${dir}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  return diagnostics.length;
}

const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/** E2E_VERIFY_ONLY, comma-separated (empty when unset). */
const ONLY = (process.env['E2E_VERIFY_ONLY'] ?? '')
  .split(',')
  .map((s) => s.trim().replace(/-service$/, ''))
  .filter((s) => s !== '');

/**
 * E2E_VERIFY_ONLY's services of one estate: named one by one (`orders:order`, `clinic:visit-service`) or the whole
 * estate (`clinic`); all when it is unset.
 */
function getSelected<T extends string>(estate: string, all: readonly T[]): readonly T[] {
  if (ONLY.length === 0 || ONLY.includes(estate)) return all;
  return all.filter((service) => ONLY.includes(`${estate}:${service.replace(/-service$/, '')}`));
}

/** A side of the Spring estate as verify sees it: the service's URL and where the estate keeps its data. */
function springSide(facts: EstateFacts, service: Service): SideOptions {
  return {
    target: facts.services[service].url,
    env: {
      DB_URL: PG_URL,
      DB_SCHEMA: facts.postgres.schema,
      NATS_SUBJECT: facts.nats.subject,
      REDIS_DATABASE: String(facts.redis.db),
    },
  };
}

const SEED = [
  join(ESTATE_ROOT, 'order-service/src/main/resources/schema.sql'),
  join(ESTATE_ROOT, 'inventory-service/src/main/resources/schema.sql'),
  join(ESTATE_ROOT, 'inventory-service/src/main/resources/data.sql'),
];

/** A service's unexplained mismatches by cause: the request and the first field that differed, counted. */
function getMismatchCauses(result: VerifyResult): Record<string, number> {
  const causes: Record<string, number> = {};
  for (const m of result.mismatches) {
    const field = m.differences[0]?.pointer ?? '?';
    const key = `${m.request.method} ${m.request.path.replace(/\d+/g, '{n}').split('?')[0] ?? ''} ${field}`;
    causes[key] = (causes[key] ?? 0) + 1;
  }
  return causes;
}

/** Thrown to skip the spring-orders half when E2E_VERIFY_ONLY names none of its services. */
class Skipped extends Error {}

async function main(): Promise<number> {
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'migrate-e2e-verify-'));
  const schema = RUN;
  const subject = `orders.placed.${RUN}`;
  let redisDb: number | undefined;
  let host: Host | undefined;
  const estates: SpringEstate[] = [];
  const summary: Record<string, unknown> = { estates: 2, services: 0 };
  let ok: boolean;
  const results: VerifyResult[] = [];
  const typeErrorsOf: Record<string, number> = {};
  const refused: Record<string, string> = {};
  const selected = getSelected('orders', SERVICES);
  const clinicSelected = getSelected('clinic', CLINIC_SERVICES);
  // order-service calls inventory-service: verifying order needs the inventory component served
  const served = SERVICES.filter(
    (s) => selected.includes(s) || (s === 'inventory' && selected.includes('order')),
  );
  try {
    await run('bash', ['scripts/ensure-services.sh']);
    if (selected.length === 0) throw new Skipped();
    const built = new Map<Service, PortedService>();
    for (const service of served) {
      const ported = await portAndBuild(work, service);
      built.set(service, ported);
      typeErrorsOf[`${service}-service`] = await countTypeErrors(join(work, `${service}-service`));
    }

    log('building the Spring jars, then starting the legacy estate and its twin');
    await run('bash', [join(ESTATE_ROOT, 'scripts/build.sh')]);
    const legacyPorts = [
      port('ORDER_PORT', 26081),
      port('INVENTORY_PORT', 26082),
      port('PRODUCT_PORT', 26083),
      port('NOTIFICATION_PORT', 26084),
    ] as const;
    const twinPorts = legacyPorts.map((p) => p + 10) as unknown as typeof legacyPorts;
    const runBase = process.env['ESTATE_RUN_DIR'] ?? join(work, 'estate');
    const [legacy, twin] = await Promise.all([
      startSpringEstate({ ports: legacyPorts, runDir: join(runBase, 'legacy') }).then(
        (e) => (estates.push(e), e),
      ),
      startSpringEstate({ ports: twinPorts, runDir: join(runBase, 'twin') }).then(
        (e) => (estates.push(e), e),
      ),
    ]);

    redisDb = await claimRedisDb(RUN);
    const inventoryPort = await getFreePort();
    const common = { schema, redisDb };
    const specs: ComponentSpec[] = [
      {
        name: 'order',
        built: built.get('order'),
        ...common,
        config: { INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`, NATS_SUBJECT: subject },
        allowedHosts: [`127.0.0.1:${inventoryPort}`],
      },
      { name: 'inventory', built: built.get('inventory'), port: inventoryPort, ...common, config: {} },
      { name: 'product', built: built.get('product'), ...common, config: {} },
      {
        name: 'notification',
        built: built.get('notification'),
        ...common,
        config: { NATS_SUBJECT: subject },
        subscriptions: [subject],
      },
    ];
    const hosted = specs.filter((s): s is ComponentSpec & { built: PortedService } => s.built !== undefined);
    const hostConfig = { cacheDir: join(work, 'host-cache'), components: hosted.map(componentConfig) };
    await writeFile(join(work, 'host.json'), JSON.stringify(hostConfig, null, 2));
    // The component side's tables exist before the host serves: verify seeds them again (idempotent seed files).
    await withDb(async (db) => {
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    });
    host = await createHost({
      config: parseHostConfig(JSON.stringify(hostConfig), join(work, 'host.json')),
      logger: {
        log: (level, component, message) => void (level === 'error' && log(`${component}: ${message}`)),
      },
    });
    const running = host;
    const componentUrl = (service: Service): string =>
      `http://127.0.0.1:${running.components.get(service)?.port ?? 9}`;

    for (const service of selected) {
      log(`verify ${service}-service`);
      const result = await runVerify({
        service: `${service}-service`,
        estate: ESTATE_ROOT,
        legacy: springSide(legacy.facts, service),
        twin: springSide(twin.facts, service),
        component: {
          target: componentUrl(service),
          env: { DB_URL: PG_URL, DB_SCHEMA: schema, NATS_SUBJECT: subject, REDIS_DATABASE: String(redisDb) },
        },
        seed: SEED,
        // GET /api/product lists a @RedisHash repository's findAll(): Spring Data reads the ids with SMEMBERS,
        // whose order Redis does not define (legacy and twin agree only by chance): a collection, not a sequence
        ...(service === 'product' ? { unordered: ['/body'] } : {}),
      });
      results.push(result);
      const reports = process.env['E2E_VERIFY_REPORTS'];
      if (reports !== undefined)
        await writeFile(join(reports, `${service}-service.verify.json`), verifyReporters.json(result));
      log(
        `${service}-service: ${result.requests} requests, ${result.mismatches.length} unexplained, ` +
          `${result.explainedDifferences} explained by noise`,
      );
      if (!result.passed) process.stderr.write(verifyReporters.text(result));
    }
  } catch (error) {
    if (!(error instanceof Skipped)) {
      log(error instanceof Error ? error.message : String(error));
      summary['error'] = error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
  } finally {
    await host?.close().catch(() => undefined);
    for (const estate of estates)
      await estate.stop().catch((e: unknown) => log(`stopping an estate: ${String(e)}`));
    await withDb((db) => db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)).catch(
      () => undefined,
    );
    if (redisDb !== undefined) await flushRedisDb(redisDb).catch(() => undefined);
  }
  // the second estate, once the first one's JVMs are gone
  try {
    const clinic: ClinicServiceRun[] = await verifyClinic({
      only: clinicSelected,
      work,
      run: RUN,
      log,
      countTypeErrors,
      ports: [0, 1, 2, 3].map((i) => port('CLINIC_PORT', 32181) + i) as unknown as [
        number,
        number,
        number,
        number,
      ],
    });
    for (const c of clinic) {
      typeErrorsOf[c.service] = c.typecheckErrors;
      if (c.refused !== undefined) refused[c.service] = c.refused;
      if (c.result) {
        results.push(c.result);
        log(`${c.service}: ${c.result.requests} requests, ${c.result.mismatches.length} unexplained`);
        if (!c.result.passed) process.stderr.write(verifyReporters.text(c.result));
      }
    }
  } catch (error) {
    log(`clinic: ${error instanceof Error ? error.message : String(error)}`);
    summary['clinic_error'] = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  try {
    const typeErrors = Object.values(typeErrorsOf).reduce((n, e) => n + e, 0);
    const noiseFields = results.reduce((n, r) => n + r.noise.filter((f) => f.explained > 0).length, 0);
    const unexplained = results.reduce((n, r) => n + r.mismatches.length, 0);
    Object.assign(summary, {
      services: results.length,
      requests: results.reduce((n, r) => n + r.requests, 0),
      mismatches_unexplained: unexplained,
      noise_fields: noiseFields,
      typecheck_errors: typeErrors,
      explained_differences: results.reduce((n, r) => n + r.explainedDifferences, 0),
      per_service: Object.fromEntries(
        results.map((r) => [
          r.service,
          {
            requests: r.requests,
            unexplained: r.mismatches.length,
            typecheck_errors: typeErrorsOf[r.service] ?? 0,
            ...(refused[r.service] === undefined ? {} : { build_refused: refused[r.service] }),
            ...(r.mismatches.length === 0 ? {} : { causes: getMismatchCauses(r) }),
          },
        ]),
      ),
    });
    ok = unexplained === 0 && typeErrors === 0 && results.length === selected.length + clinicSelected.length;
    if (ONLY.length > 0) summary['only'] = ONLY;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  summary['seconds'] = Number(((performance.now() - started) / 1000).toFixed(1));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
