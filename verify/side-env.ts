/**
 * Where a side keeps its data, read from the side's environment (`--legacy-env`, `--component-env`): the same
 * variable names the sample services read. Pure.
 *
 *   DB_URL or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD, with DB_SCHEMA   the Postgres schema whose rows are compared
 *   NATS_URL with NATS_SUBJECT                                             the subject whose messages are compared
 *   REDIS_URL or REDIS_HOST/REDIS_PORT, with REDIS_DATABASE               the Redis database whose keys are compared
 */
import { AppError, ErrorCode } from '../shared/errors.ts';

export interface SideData {
  postgres?: { url: string; schema: string };
  nats?: { url: string; subject: string };
  redis?: { url: string; db: number };
}

/** Parses `KEY=VALUE` entries (later ones win); `option` names the flag in errors. */
export function parseEnvEntries(entries: readonly string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) {
      throw new AppError(ErrorCode.usage, `${option} expects KEY=VALUE, got "${entry}"`, {
        hint: `e.g. ${option} DB_SCHEMA=orders_legacy`,
      });
    }
    out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}

/** Parses a dotenv-style file: `KEY=VALUE` lines, `#` comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    out[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** The data locations an environment names; a part is missing when its key (DB_SCHEMA…) is not set. */
export function resolveSideData(env: Readonly<Record<string, string>>): SideData {
  const data: SideData = {};
  const schema = env['DB_SCHEMA'];
  if (schema !== undefined && schema !== '') {
    const user = env['DB_USER'] ?? 'postgres';
    const password = env['DB_PASSWORD'];
    const auth = password === undefined || password === '' ? user : `${user}:${encodeURIComponent(password)}`;
    const url =
      env['DB_URL'] ??
      `postgres://${auth}@${env['DB_HOST'] ?? '127.0.0.1'}:${env['DB_PORT'] ?? '5432'}/${env['DB_NAME'] ?? 'test'}`;
    data.postgres = { url, schema };
  }
  const subject = env['NATS_SUBJECT'];
  if (subject !== undefined && subject !== '')
    data.nats = { url: env['NATS_URL'] ?? 'nats://127.0.0.1:4222', subject };
  const db = env['REDIS_DATABASE'];
  if (db !== undefined && db !== '') {
    const n = Number(db);
    if (!Number.isInteger(n) || n < 0)
      throw new AppError(ErrorCode.usage, `REDIS_DATABASE must be a database number, got "${db}"`);
    const url =
      env['REDIS_URL'] ?? `redis://${env['REDIS_HOST'] ?? '127.0.0.1'}:${env['REDIS_PORT'] ?? '6379'}`;
    data.redis = { url, db: n };
  }
  return data;
}

/** `postgres://…?options=-c search_path=<schema>`: a connection whose unqualified tables are the side's. */
export function withSearchPath(url: string, schema: string): string {
  const options = encodeURIComponent(`-c search_path=${schema}`);
  return `${url}${url.includes('?') ? '&' : '?'}options=${options}`;
}
