/** application.properties → a config module reading process.env with the same `${ENV:default}` placeholders. */

/** Spring's relaxed binding: `inventory.url` is also read from `INVENTORY_URL`. */
export function toEnvName(key: string): string {
  return key.toUpperCase().replace(/[.-]/g, '_');
}

/** The index of the `}` closing the placeholder whose `${` is at `start` (nested placeholders skipped), or -1. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Spring's `${random.*}` values, made when the config is loaded (never looked up in the environment). */
const RANDOM: Record<string, string> = {
  'random.uuid': 'randomUUID()',
  'random.value': "randomUUID().replaceAll('-', '')",
  'random.int': 'String(randomInt(2 ** 31 - 1))',
  'random.long': 'String(randomInt(2 ** 47))',
};

/**
 * A property value with placeholders → a TS expression over `env` and the other properties: `${X}` reads the
 * property X (or the environment, X and its relaxed name), `${X:default}` falls back to the default (itself
 * possibly a placeholder), `${random.uuid}` is made at load time.
 */
export function placeholderExpr(
  value: string,
  props: ReadonlyMap<string, string>,
  seen: ReadonlySet<string> = new Set(),
): string {
  const parts: string[] = [];
  let rest = value;
  for (;;) {
    const start = rest.indexOf('${');
    if (start < 0) break;
    const end = closingBrace(rest, start);
    if (end < 0) break;
    parts.push(JSON.stringify(rest.slice(0, start)));
    const inner = rest.slice(start + 2, end);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const fallback = colon < 0 ? undefined : inner.slice(colon + 1);
    const random = RANDOM[name] ?? (name.startsWith('random.') ? RANDOM['random.int'] : undefined);
    if (random !== undefined) {
      parts.push(`(${random})`);
      rest = rest.slice(end + 1);
      continue;
    }
    const other = props.get(name);
    const envNames = [...new Set([name, toEnvName(name)])].map((n) => `env[${JSON.stringify(n)}]`);
    // a property the configuration defines is never missing: its default is dead, as in Spring
    const defined = other !== undefined && !seen.has(name);
    const base = defined
      ? `env[${JSON.stringify(toEnvName(name))}] ?? ${placeholderExpr(other, props, new Set([...seen, name]))}`
      : envNames.join(' ?? ');
    const orElse = defined
      ? undefined
      : fallback === undefined
        ? '""'
        : placeholderExpr(fallback, props, seen);
    parts.push(orElse === undefined ? `(${base})` : `(${base} ?? ${orElse})`);
    rest = rest.slice(end + 1);
  }
  parts.push(JSON.stringify(rest));
  return parts.filter((p) => p !== '""').join(' + ') || '""';
}

/** Whether a config module over `props` makes `${random.*}` values (and imports node:crypto). */
function usesRandom(props: ReadonlyMap<string, string>): boolean {
  return [...props.values()].some((v) => v.includes('${random.'));
}

export function generateConfigModule(props: ReadonlyMap<string, string>): string {
  const entries = [...props].map(([key, value]) => {
    const lookup = `env[${JSON.stringify(toEnvName(key))}]`;
    const expr = placeholderExpr(value, props, new Set([key]));
    // `server.port=${SERVER_PORT:8080}` already reads SERVER_PORT first: do not read it twice.
    return `${JSON.stringify(key)}: ${expr.startsWith(`(${lookup} ??`) ? expr : `${lookup} ?? ${expr}`},`;
  });
  return `${usesRandom(props) ? "import { randomInt, randomUUID } from 'node:crypto';\n\n" : ''}/** The service's configuration (application.properties/.yml, active profiles), resolved against the environment as Spring does. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
return {
${entries.join('\n')}
};
}

export type Config = ReturnType<typeof loadConfig>;

/** A property that application.properties does not define: \`@Value("\${key:default}")\`. */
export function configValue(config: Config, key: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
return (config as Record<string, string | undefined>)[key] ?? env[key.toUpperCase().replace(/[.-]/g, '_')];
}
`;
}

/** `@Value("${nats.url}")` → an expression over `config`. */
export function valueExpr(annotationValue: string, props: ReadonlyMap<string, string>): string {
  const inner = /^"\$\{(.+)\}"$/.exec(annotationValue)?.[1];
  if (inner === undefined) return annotationValue;
  const colon = inner.indexOf(':');
  const key = colon < 0 ? inner : inner.slice(0, colon);
  const fallback = colon < 0 ? undefined : inner.slice(colon + 1);
  const base = props.has(key)
    ? `config[${JSON.stringify(key)}]`
    : `configValue(config, ${JSON.stringify(key)})`;
  return fallback === undefined
    ? props.has(key)
      ? base
      : `(${base} ?? '')`
    : `(${base} ?? ${JSON.stringify(fallback)})`;
}

/** `jdbc:postgresql://host:port/db?currentSchema=x` → pg settings, read at run time from the resolved property. */
export function generateDbModule(): string {
  return `import pg from 'pg';
import type { Config } from './config.ts';

/** A pg pool from spring.datasource.*; \`currentSchema\` becomes the search_path, as with the JDBC driver. */
export function createPool(config: Config): pg.Pool {
const url = new URL(config['spring.datasource.url'].replace(/^jdbc:/, ''));
if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')
throw new Error(\`spring.datasource.url \${url.protocol} is not Postgres: the ported repositories speak Postgres only (see port-report.json)\`);
const schema = url.searchParams.get('currentSchema') ?? 'public';
return new pg.Pool({
host: url.hostname,
port: Number(url.port || 5432),
database: url.pathname.slice(1),
user: config['spring.datasource.username'],
password: config['spring.datasource.password'],
max: Number((config as Record<string, string | undefined>)['spring.datasource.hikari.maximum-pool-size'] ?? 10),
options: \`-c search_path=\${schema}\`,
// a DATE column (a LocalDate) stays 'YYYY-MM-DD', as Jackson writes a LocalDate and as a request body holds one
types: {
getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
oid === pg.types.builtins.DATE ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
},
});
}
`;
}

export function generateRedisModule(): string {
  return `import { Redis } from 'ioredis';
import type { Config } from './config.ts';

/** An ioredis client from spring.data.redis.*. */
export function createRedis(config: Config): Redis {
const props = config as Record<string, string | undefined>;
const password = props['spring.data.redis.password'];
return new Redis({
host: props['spring.data.redis.host'] ?? '127.0.0.1',
port: Number(props['spring.data.redis.port'] ?? 6379),
db: Number(props['spring.data.redis.database'] ?? 0),
...(password ? { password } : {}),
lazyConnect: true,
});
}
`;
}
