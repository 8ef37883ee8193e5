/**
 * The spring-clinic half of `npm run e2e:verify`: ports and builds the clinic's four services into components,
 * starts the clinic's Spring estate twice (legacy and twin, test/clinic/clinic-estate.ts, each with its own schema,
 * NATS subject and Redis database), serves the components in migrate's host on data of their own, and runs
 * `runVerify` for each service. A service whose port does not type-check is refused by `migrate build`: it is
 * not served, its requests all mismatch, and the result says why.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHost, parseHostConfig, type Host } from '../../bridge/index.ts';
import { runVerify, type SideOptions, type VerifyResult } from '../../verify/index.ts';
import {
  buildClinic,
  CLINIC_ROOT,
  startClinicEstate,
  type ClinicEstate,
  type ClinicFacts,
} from '../../test/clinic/clinic-estate.ts';
import { getFreePort } from '../../test/contract/spring-estate.ts';
import { componentConfig, portAndBuild, type ComponentSpec, type PortedService } from './components.ts';
import { claimRedisDb, flushRedisDb, PG_URL, withDb } from './resources.ts';

export const CLINIC_SERVICES = ['records', 'visit', 'billing', 'reminder'] as const;
type ClinicService = (typeof CLINIC_SERVICES)[number];

/** One service's outcome: built (or why not), its port's type errors, its verify result. */
export interface ClinicServiceRun {
  service: string;
  typecheckErrors: number;
  refused?: string;
  result?: VerifyResult;
}

const SEED = [
  join(CLINIC_ROOT, 'records-service/src/main/resources/schema.sql'),
  join(CLINIC_ROOT, 'visit-service/src/main/resources/schema.sql'),
];

function side(facts: ClinicFacts, service: ClinicService): SideOptions {
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

interface ClinicOptions {
  work: string;
  run: string;
  log: (message: string) => void;
  countTypeErrors: (dir: string) => Promise<number>;
  /** The services to verify (default all); visit uses the legacy records-service when records is not among them. */
  only?: readonly ClinicService[];
  /** Legacy ports (records…reminder); the twin uses +10. */
  ports: readonly [number, number, number, number];
}

/** Ports, builds, starts and verifies the clinic; everything it made is removed before it returns. */
export async function verifyClinic(options: ClinicOptions): Promise<ClinicServiceRun[]> {
  const { work, run, log } = options;
  const selected = options.only ?? CLINIC_SERVICES;
  if (selected.length === 0) return [];
  const schema = `${run}_clinic`;
  const subject = `clinic.visits.booked.${run}`;
  const built = new Map<ClinicService, PortedService>();
  const runs: ClinicServiceRun[] = [];
  for (const service of selected) {
    const entry: ClinicServiceRun = { service: `${service}-service`, typecheckErrors: 0 };
    try {
      built.set(service, await portAndBuild(join(work, 'clinic'), service, CLINIC_ROOT));
    } catch (error) {
      // `migrate build` refuses a port with type errors: the first line says which
      const lines = (error instanceof Error ? error.message : String(error)).split('\n');
      entry.refused = lines.find((l) => /error|MIG_/.test(l))?.trim() ?? lines[0];
      log(`${service}-service not built: ${entry.refused}`);
    }
    entry.typecheckErrors = await options.countTypeErrors(join(work, 'clinic', `${service}-service`));
    runs.push(entry);
  }
  const estates: ClinicEstate[] = [];
  let host: Host | undefined;
  let redisDb: number | undefined;
  try {
    log('building the clinic jars, then starting its legacy estate and twin');
    await buildClinic();
    const twinPorts = options.ports.map((p) => p + 10) as unknown as typeof options.ports;
    const [legacy, twin] = await Promise.all([
      startClinicEstate({ ports: options.ports, runDir: join(work, 'clinic-estate', 'legacy') }).then(
        (e) => (estates.push(e), e),
      ),
      startClinicEstate({ ports: twinPorts, runDir: join(work, 'clinic-estate', 'twin') }).then(
        (e) => (estates.push(e), e),
      ),
    ]);
    redisDb = await claimRedisDb(`${run}_clinic`);
    // the tables exist before the components start, as Spring's spring.sql.init made them before the runners ran
    // (the port does not carry spring.sql.init); verify runs the same idempotent files again
    await withDb(async (db) => {
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await db.query(`SET search_path = ${schema}`);
      for (const file of SEED) await db.query(await readFile(file, 'utf8'));
    });
    const recordsPort = await getFreePort();
    const records = built.get('records');
    // visit asks records for the pet: the records component when it was built, else the legacy records-service
    // (read-only look-ups), so that visit is still verified on its own
    const recordsUrl = records ? `http://127.0.0.1:${recordsPort}` : legacy.facts.services.records.url;
    const common = { schema, redisDb };
    const specs: ComponentSpec[] = [
      { name: 'records', built: records, port: recordsPort, ...common, config: {} },
      {
        name: 'visit',
        built: built.get('visit'),
        ...common,
        config: { RECORDS_URL: recordsUrl, NATS_SUBJECT: subject },
        allowedHosts: [new URL(recordsUrl).host],
      },
      { name: 'billing', built: built.get('billing'), ...common, config: {} },
      {
        name: 'reminder',
        built: built.get('reminder'),
        ...common,
        config: { NATS_SUBJECT: subject },
        subscriptions: [subject],
      },
    ];
    const served = specs.filter((s): s is ComponentSpec & { built: PortedService } => s.built !== undefined);
    const hostConfig = { cacheDir: join(work, 'host-cache-clinic'), components: served.map(componentConfig) };
    await writeFile(join(work, 'host-clinic.json'), JSON.stringify(hostConfig, null, 2));
    host = await createHost({
      config: parseHostConfig(JSON.stringify(hostConfig), join(work, 'host-clinic.json')),
      logger: { log: (level, c, message) => void (level === 'error' && log(`${c}: ${message}`)) },
    });
    const running = host;
    for (const [i, service] of selected.entries()) {
      log(`verify ${service}-service`);
      const entry = runs[i];
      if (!entry) continue;
      entry.result = await runVerify({
        service: `${service}-service`,
        estate: CLINIC_ROOT,
        legacy: side(legacy.facts, service),
        twin: side(twin.facts, service),
        component: {
          // port 9 (discard) refuses: a service that was not built mismatches on every request, visibly
          target: `http://127.0.0.1:${running.components.get(service)?.port ?? 9}`,
          env: {
            DB_URL: PG_URL,
            DB_SCHEMA: schema,
            NATS_SUBJECT: subject,
            REDIS_DATABASE: String(redisDb),
          },
        },
        seed: SEED,
      });
    }
  } finally {
    await host?.close().catch(() => undefined);
    for (const estate of estates)
      await estate.stop().catch((e: unknown) => log(`stopping a clinic estate: ${String(e)}`));
    await withDb((db) => db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)).catch(
      () => undefined,
    );
    if (redisDb !== undefined) await flushRedisDb(redisDb).catch(() => undefined);
  }
  return runs;
}
