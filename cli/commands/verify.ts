import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { AppError, ErrorCode, ExitCode, wrapError } from '../../shared/errors.ts';
import {
  parseEnvEntries,
  parseEnvFile,
  runVerify,
  VERIFY_FORMATS,
  verifyReporters,
  type SideOptions,
  type VerifyFormat,
} from '../../verify/index.ts';
import type { CliCommand } from '../command.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--x-env KEY=VALUE` entries and `--x-env @file.env` files, in order (later wins). */
async function readSideEnv(cwd: string, entries: unknown, option: string): Promise<Record<string, string>> {
  const list = Array.isArray(entries) ? (entries as string[]) : [];
  let env: Record<string, string> = {};
  for (const entry of list) {
    if (entry.startsWith('@')) {
      const file = resolve(cwd, entry.slice(1));
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        throw wrapError(ErrorCode.usage, `cannot read ${option} file ${file}`, error);
      });
      env = { ...env, ...parseEnvFile(text) };
    } else env = { ...env, ...parseEnvEntries([entry], option) };
  }
  return env;
}

/** A URL stays as it is; a .wasm or .jar path resolves against the working directory. */
function side(cwd: string, target: string, env: Record<string, string>): SideOptions {
  return { target: /^https?:\/\//.test(target) ? target : resolve(cwd, target), env };
}

function toNumber(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new AppError(
      ErrorCode.usage,
      `${option} must be a number of milliseconds, got "${JSON.stringify(value)}"`,
    );
  return n;
}

/** `migrate verify`: equivalence evidence for one service, legacy against component. */
export const verifyCommand: CliCommand = {
  name: 'verify <service>',
  summary:
    'send the same requests to the legacy service and its component and report every unexplained difference',
  group: 'check',
  examples: [
    'migrate verify order-service --estate samples/spring-orders --legacy http://127.0.0.1:18081 --component http://127.0.0.1:18181 --legacy-env DB_SCHEMA=orders_a --component-env DB_SCHEMA=orders_b',
    'migrate verify inventory-service --estate samples/spring-orders --legacy samples/spring-orders/inventory-service/target/inventory-service.jar --component out/inventory.wasm --seed schema.sql --seed data.sql',
    'migrate verify product-service --estate . --legacy http://127.0.0.1:8083 --component http://127.0.0.1:9083 --replay traffic.ndjson --no-generate --json',
  ],
  reports: true,
  configure(command) {
    command
      .requiredOption(
        '--estate <dir>',
        'the estate the service belongs to (its OpenAPI and seed data are read)',
      )
      .requiredOption(
        '--legacy <url|jar>',
        'the legacy service: a base URL, or a Spring Boot .jar verify starts',
      )
      .requiredOption(
        '--component <url|wasm>',
        'the component: a base URL, or a .wasm verify serves in the host',
      )
      .option(
        '--legacy-env <KEY=VALUE|@file>',
        "the legacy side's data (DB_SCHEMA, NATS_SUBJECT, REDIS_DATABASE…); repeatable",
        collect,
      )
      .option(
        '--component-env <KEY=VALUE|@file>',
        "the component side's data and config; repeatable",
        collect,
      )
      .option(
        '--twin <url|jar>',
        'a second legacy instance with its own identical data: noise is learned from it',
      )
      .option('--twin-env <KEY=VALUE|@file>', "the twin's data; repeatable", collect)
      .option(
        '--seed <file.sql>',
        "SQL run in every side's DB_SCHEMA before the run (created when missing); repeatable",
        collect,
      )
      .option(
        '--replay <file.ndjson>',
        'recorded traffic to replay (the gateway records it; docs/verify.md); repeatable',
        collect,
      )
      .option('--no-generate', 'send only the --replay requests, none generated from the OpenAPI document')
      .option(
        '--ignore <pointer>',
        'a JSON pointer never compared, `*` for any segment (e.g. /body/*/createdAt); repeatable',
        collect,
      )
      .option(
        '--unordered <pointer>',
        'an array whose order the service does not define (a set read back), compared as a collection (e.g. /body); repeatable',
        collect,
      )
      .option(
        '--settle-ms <ms>',
        'wait this long before collecting messages (services that publish after answering)',
      )
      .option('--timeout-ms <ms>', 'per request (default 30000)')
      .addOption(
        new Option('--format <format>', 'report format').choices([...VERIFY_FORMATS]).default('text'),
      );
  },
  async run(context, args, options) {
    const service = args[0];
    if (service === undefined)
      throw new AppError(ErrorCode.usage, 'missing <service>', {
        hint: 'migrate verify order-service --estate … --legacy … --component …',
      });
    const { cwd, output } = context;
    const [legacyEnv, componentEnv, twinEnv] = await Promise.all([
      readSideEnv(cwd, options.legacyEnv, '--legacy-env'),
      readSideEnv(cwd, options.componentEnv, '--component-env'),
      readSideEnv(cwd, options.twinEnv, '--twin-env'),
    ]);
    const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);
    const settleMs = toNumber(options.settleMs, '--settle-ms');
    const timeoutMs = toNumber(options.timeoutMs, '--timeout-ms');
    const result = await runVerify({
      service,
      estate: resolve(cwd, String(options.estate)),
      legacy: side(cwd, String(options.legacy), legacyEnv),
      component: side(cwd, String(options.component), componentEnv),
      ...(typeof options.twin === 'string' ? { twin: side(cwd, options.twin, twinEnv) } : {}),
      seed: list(options.seed).map((f) => resolve(cwd, f)),
      replay: list(options.replay).map((f) => resolve(cwd, f)),
      generate: options.generate !== false,
      ignore: list(options.ignore),
      unordered: list(options.unordered),
      ...(settleMs === undefined ? {} : { settleMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      onProgress: (message) => (output.interactive ? output.progress(`verify: ${message}`) : undefined),
      signal: context.signal,
    });
    output.progress(undefined);
    const format = output.json ? 'json' : ((options.format as VerifyFormat | undefined) ?? 'text');
    if (format === 'json') await output.resultJson({ ...result });
    else await output.result(verifyReporters[format](result));
    return result.passed ? ExitCode.ok : ExitCode.findings;
  },
};
