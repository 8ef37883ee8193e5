/**
 * `npm run e2e:node-sample`: the proof for hand-written Node services. Analyzes samples/node-shop and checks what
 * it finds against the hand-written samples/node-shop/expected.json; copies the sample, then runs `migrate codemod`
 * and `migrate build` on each service as a user would (no hand-written entry or glue); serves the four components
 * in migrate's host against the machine's Postgres, NATS and Redis; runs node-shop's contract suite
 * (test/contract/node-shop-suite.ts, the same as against the services in plain Node) against them; then, on fresh
 * data and a fresh host, runs `migrate verify` for each service against the sample running in plain Node
 * (scripts/e2e/node-shop-verify.ts): requests generated from the analyzer's OpenAPI, answers, rows and messages
 * compared.
 *
 * Progress goes to stderr; the last stdout line is one JSON object. Exit 0 when everything passed, 1 otherwise.
 * Only loopback addresses are used; the run's schemas (node_pipeline_*) and NATS subjects are its own and removed at
 * the end; Redis is database 11 (the node-pipeline branch's), the component's keys under a per-run prefix.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, parseHostConfig, type Host } from '../bridge/index.ts';
import { GRANTS, migrate } from './e2e/components.ts';
import { verifyNodeShop, type NodeShopVerifySummary } from './e2e/node-shop-verify.ts';
import {
  createNodeShopSchema,
  dropNodeShopSchema,
  NODE_SHOP_ROOT,
  NODE_SHOP_SERVICES,
  nodeShopDatabaseUrl,
  startNodeShop,
  type NodeShopEstate,
  type NodeShopService,
} from '../test/contract/node-shop-estate.ts';
import type { NodeShopTarget } from '../test/contract/node-shop-suite.ts';
import { getFreePort } from '../test/contract/spring-estate.ts';
import { compareNodeShopAnalysis, type NodeShopExpectation } from './e2e/node-shop-analysis.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN = `node_pipeline_${process.pid}`;
const REDIS = 'redis://127.0.0.1:6379/11';
const log = (message: string): void => void process.stderr.write(`[e2e:node] ${message}\n`);

interface Built {
  service: NodeShopService;
  wasm: string;
  capabilities: string[];
}

async function codemodAndBuild(work: string, service: NodeShopService): Promise<Built> {
  const dir = join(work, service);
  const codemod = await migrate(['codemod', dir]);
  const wasm = join(work, `${service}.wasm`);
  const built = await migrate(['build', dir, '--target', 'embedded', '--out', wasm, '--json']);
  const document = JSON.parse(built.stdout) as { capabilities?: string[] };
  log(`${service}: codemod + build ${(codemod.seconds + built.seconds).toFixed(1)} s`);
  return { service, wasm, capabilities: document.capabilities ?? [] };
}

/** Runs the node-shop suite against `target` in a vitest child process and counts the results. */
async function runSuite(work: string, target: NodeShopTarget): Promise<{ passed: number; failed: number }> {
  const targetFile = join(work, 'target.json');
  const resultFile = join(work, 'result.json');
  const configFile = join(work, 'vitest.node-shop.config.mjs');
  await writeFile(targetFile, JSON.stringify(target, null, 2));
  await writeFile(
    configFile,
    `export default { test: { root: ${JSON.stringify(ROOT)}, include: ['test/contract/node-shop.e2e-node.ts'], testTimeout: 120000, hookTimeout: 120000, pool: 'forks' } };\n`,
  );
  await new Promise<void>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        configFile,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${resultFile}`,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', process.stderr, process.stderr],
        env: { ...process.env, NODE_SHOP_TARGET: targetFile },
      },
    );
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  try {
    const result = JSON.parse(await readFile(resultFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    return { passed: result.numPassedTests, failed: result.numFailedTests };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'migrate-e2e-node-'));
  const schema = RUN;
  const subject = `shop.order-placed.${RUN}`;
  const summary: Record<string, unknown> = {};
  let host: Host | undefined;
  let legacy: NodeShopEstate | undefined;
  let ok = false;
  try {
    log('analyzing samples/node-shop');
    const analysis = JSON.parse((await migrate(['analyze', NODE_SHOP_ROOT, '--json'])).stdout) as unknown;
    const expected = JSON.parse(
      await readFile(join(NODE_SHOP_ROOT, 'expected.json'), 'utf8'),
    ) as NodeShopExpectation;
    const compared = compareNodeShopAnalysis(analysis, expected);
    for (const line of compared.problems) log(`analyze: ${line}`);
    Object.assign(summary, {
      services: compared.servicesFound,
      routes_found: compared.routesFound,
      routes_expected: compared.routesExpected,
      effects_missed: compared.effectsMissed,
    });

    await cp(NODE_SHOP_ROOT, work, { recursive: true, filter: (path) => !path.includes('/dist/') });
    await symlink(join(ROOT, 'node_modules'), join(work, 'node_modules'));
    const built: Built[] = [];
    // Two builds at a time: componentize-js keeps a core busy.
    for (let i = 0; i < NODE_SHOP_SERVICES.length; i += 2) {
      built.push(
        ...(await Promise.all(NODE_SHOP_SERVICES.slice(i, i + 2).map((s) => codemodAndBuild(work, s)))),
      );
    }

    await createNodeShopSchema(schema);
    const ports = Object.fromEntries(
      await Promise.all(NODE_SHOP_SERVICES.map(async (s) => [s, await getFreePort()] as const)),
    ) as Record<NodeShopService, number>;
    const url = (s: NodeShopService): string => `http://127.0.0.1:${ports[s]}`;
    const components = (keyPrefix: string) =>
      built.map((b) => ({
        name: b.service,
        wasm: b.wasm,
        port: ports[b.service],
        capabilities: [...new Set(b.capabilities.map((c) => GRANTS[c] ?? c))],
        backends: {
          postgres: { url: nodeShopDatabaseUrl(schema), poolSize: 4 },
          nats: { url: 'nats://127.0.0.1:4222' },
          redis: { url: REDIS, keyPrefix },
        },
        allowedHosts: b.service === 'orders' ? [`127.0.0.1:${ports.catalog}`, `127.0.0.1:${ports.cart}`] : [],
        config: { ORDER_SUBJECT: subject, CATALOG_URL: url('catalog'), CART_URL: url('cart') },
        subscriptions: b.service === 'notifier' ? [subject] : [],
        limits: { instances: 1, timeoutMs: 30_000, memoryMb: 256 },
      }));
    const startHost = async (keyPrefix: string): Promise<Host> => {
      const hostConfig = { cacheDir: join(work, 'host-cache'), components: components(keyPrefix) };
      await writeFile(join(work, 'host.json'), JSON.stringify(hostConfig, null, 2));
      log(`starting the host with ${hostConfig.components.length} components`);
      return createHost({
        config: parseHostConfig(JSON.stringify(hostConfig), join(work, 'host.json')),
        logger: {
          log: (level, component, message) => {
            if (level === 'error' || level === 'warn') log(`${component}: ${message}`);
          },
        },
      });
    };
    host = await startHost(`${RUN}:contract:`);
    const suite = await runSuite(work, {
      name: 'components',
      catalogUrl: url('catalog'),
      cartUrl: url('cart'),
      ordersUrl: url('orders'),
      notifierUrl: url('notifier'),
      databaseUrl: nodeShopDatabaseUrl(schema),
    });
    Object.assign(summary, { contract_passed: suite.passed, contract_failed: suite.failed });

    // verify compares both sides from the same starting data: a fresh schema and a fresh host (the suite's orders
    // are in the notifier's memory), against the sample as written, running in plain Node on data of its own.
    await host.close();
    host = undefined;
    await createNodeShopSchema(schema);
    host = await startHost(`${RUN}:verify:`);
    legacy = await startNodeShop({ schema: `${RUN}_legacy`, subject: `${subject}.legacy`, redisUrl: REDIS });
    const verified: NodeShopVerifySummary = await verifyNodeShop(
      { urls: legacy.urls, schema: `${RUN}_legacy`, subject: `${subject}.legacy` },
      {
        urls: Object.fromEntries(NODE_SHOP_SERVICES.map((s) => [s, url(s)])) as Record<
          NodeShopService,
          string
        >,
        schema,
        subject,
      },
      log,
    );
    Object.assign(summary, {
      verified: verified.verified,
      verify_requests: verified.requests,
      mismatches_unexplained: verified.mismatches,
      ...(Object.keys(verified.errors).length === 0 ? {} : { verify_errors: verified.errors }),
      verify_per_service: verified.perService,
    });
    ok =
      suite.failed === 0 &&
      suite.passed > 0 &&
      compared.problems.length === 0 &&
      verified.verified === NODE_SHOP_SERVICES.length &&
      verified.mismatches === 0;
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    summary.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  } finally {
    await host?.close().catch(() => undefined);
    await legacy?.stop().catch(() => undefined);
    await dropNodeShopSchema(schema).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
