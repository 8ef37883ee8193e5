/**
 * The `migrate verify` part of `npm run e2e:node-sample`: each node-shop service in plain Node (the sample as
 * written, the legacy side) against its component in migrate's host, with requests verify generates from the
 * analyzer's OpenAPI for that service. Each side has its own schema and NATS subject; rows and messages are
 * compared. Redis keys are not: the component's keys carry the host's key prefix in the same database, and verify
 * compares a database's keys as they are.
 */
import { join } from 'node:path';
import { runVerify, verifyReporters, type VerifyResult } from '../../verify/index.ts';
import {
  NODE_SHOP_ROOT,
  NODE_SHOP_SERVICES,
  type NodeShopService,
} from '../../test/contract/node-shop-estate.ts';
import { PG_URL } from './resources.ts';

export interface VerifySide {
  urls: Record<NodeShopService, string>;
  schema: string;
  subject: string;
}

export interface NodeShopVerifySummary {
  verified: number;
  requests: number;
  mismatches: number;
  /** Services verify could not run for (e.g. one the analyzer does not find), with why. */
  errors: Record<string, string>;
  perService: Record<string, { requests: number; unexplained: number }>;
}

const env = (side: VerifySide): Record<string, string> => ({
  DB_URL: PG_URL,
  DB_SCHEMA: side.schema,
  NATS_SUBJECT: side.subject,
});

/** Verifies every service; a service verify cannot run for is counted in `errors`, never skipped silently. */
export async function verifyNodeShop(
  legacy: VerifySide,
  component: VerifySide,
  log: (message: string) => void,
): Promise<NodeShopVerifySummary> {
  const summary: NodeShopVerifySummary = {
    verified: 0,
    requests: 0,
    mismatches: 0,
    errors: {},
    perService: {},
  };
  for (const service of NODE_SHOP_SERVICES) {
    log(
      `verify ${service}: plain Node ${legacy.urls[service]} against the component ${component.urls[service]}`,
    );
    let result: VerifyResult;
    try {
      result = await runVerify({
        service,
        estate: NODE_SHOP_ROOT,
        legacy: { target: legacy.urls[service], env: env(legacy) },
        component: { target: component.urls[service], env: env(component) },
        seed: [join(NODE_SHOP_ROOT, 'schema.sql')],
        // orders publishes order-placed before it answers; the subscriber side needs a moment to see it
        settleMs: service === 'orders' ? 500 : 0,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      log(`verify ${service}: ${message}`);
      summary.errors[service] = message;
      continue;
    }
    summary.verified += 1;
    summary.requests += result.requests;
    summary.mismatches += result.mismatches.length;
    summary.perService[service] = { requests: result.requests, unexplained: result.mismatches.length };
    log(
      `verify ${service}: ${result.requests} requests, ${result.mismatches.length} unexplained, ` +
        `${result.explainedDifferences} explained by noise`,
    );
    if (!result.passed) process.stderr.write(verifyReporters.text(result));
  }
  return summary;
}
