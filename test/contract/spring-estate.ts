import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ContractTarget } from './contract-suite.ts';

/** The facts `samples/spring-orders/scripts/estate.sh start` writes to `estate.json`. */
export interface EstateFacts {
  runId: string;
  services: Record<
    'order' | 'inventory' | 'product' | 'notification',
    { url: string; pid: number; log: string }
  >;
  postgres: { connectionString: string; schema: string };
  nats: { url: string; subject: string };
  redis: { url: string; db: number };
}

/** A running Spring estate and the way to stop it. */
export interface SpringEstate {
  facts: EstateFacts;
  stop: () => Promise<void>;
}

export const ESTATE_ROOT = fileURLToPath(new URL('../../samples/spring-orders/', import.meta.url));

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [`${ESTATE_ROOT}scripts/${script}`, ...args],
      { cwd: ESTATE_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error) {
          reject(
            new Error(`${script} ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${stderr}`),
          );
        } else {
          resolve();
        }
      },
    );
  });
}

/**
 * How long estate.sh waits for four Spring Boot JVMs to become healthy: about a minute on two quiet cores, many on
 * a busy machine. A bound for a hang, not an expectation.
 */
export const ESTATE_START_SECONDS = 600;

/** A port the kernel had free a moment ago on loopback. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Builds the jars if needed and starts the four services on free ports (or the given ones), in a run directory of
 * their own so that a developer's `npm run sample:start` and this run do not meet.
 */
export async function startSpringEstate(
  options: { ports?: readonly [number, number, number, number]; runDir?: string } = {},
): Promise<SpringEstate> {
  const runDir = options.runDir ?? `${ESTATE_ROOT}.run/contract-${process.pid}`;
  const [order, inventory, product, notification] =
    options.ports ?? (await Promise.all([getFreePort(), getFreePort(), getFreePort(), getFreePort()]));
  const env: NodeJS.ProcessEnv = {
    ESTATE_RUN_DIR: runDir,
    ESTATE_START_TIMEOUT: String(ESTATE_START_SECONDS),
    ORDER_PORT: String(order),
    INVENTORY_PORT: String(inventory),
    PRODUCT_PORT: String(product),
    NOTIFICATION_PORT: String(notification),
  };
  await runScript('build.sh', [], {}, 300_000);
  const stop = async (): Promise<void> => {
    await runScript('estate.sh', ['stop'], env, 60_000);
    // Logs are only worth keeping when something failed, and then estate.sh has already printed their tails.
    await rm(runDir, { recursive: true, force: true });
  };
  await runScript('estate.sh', ['start'], env, (ESTATE_START_SECONDS + 60) * 1000);
  const facts = JSON.parse(await readFile(`${runDir}/estate.json`, 'utf8')) as EstateFacts;
  return { facts, stop };
}

/** The contract target for a running Spring estate. */
export function toContractTarget(facts: EstateFacts): ContractTarget {
  return {
    name: 'spring',
    orderUrl: facts.services.order.url,
    inventoryUrl: facts.services.inventory.url,
    productUrl: facts.services.product.url,
    notificationUrl: facts.services.notification.url,
    pg: facts.postgres,
    redis: facts.redis,
  };
}
