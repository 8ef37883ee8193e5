/**
 * The service's Spring configuration as port reads it: application.properties and application.yml, with the
 * profile files (`application-<profile>.*`, and YAML documents with `spring.config.activate.on-profile`), every
 * key with the file and line it comes from. What the generated code does not act on is reported.
 */
import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { DroppedConstruct } from './dropped.ts';

/** One key of a Spring config file. */
export interface ConfigEntry {
  key: string;
  value: string;
  file: string;
  line: number;
  /** The profile the entry belongs to; undefined for the default configuration. */
  profile: string | undefined;
}

/** A config file of the service: `application.properties`, `application-dev.yml`, … */
export const CONFIG_FILE = /(?:^|\/)application(?:-([\w.-]+))?\.(properties|ya?ml)$/;

function parsePropertiesEntries(file: string, text: string, profile: string | undefined): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return;
    const eq = line.search(/[=:]/);
    if (eq < 0) return;
    entries.push({
      key: line.slice(0, eq).trim(),
      value: line.slice(eq + 1).trim(),
      file,
      line: index + 1,
      profile,
    });
  });
  return entries;
}

function parseYamlEntries(file: string, text: string, profile: string | undefined): ConfigEntry[] {
  const counter = new LineCounter();
  const entries: ConfigEntry[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: counter })) {
    if (!('contents' in doc)) continue;
    const found: ConfigEntry[] = [];
    const walk = (node: YamlNode | null, key: string, offset: number): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          const at = isScalar(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
          walk(pair.value as YamlNode | null, key === '' ? name : `${key}.${name}`, at);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => walk(item as YamlNode | null, `${key}[${i}]`, offset));
      } else {
        const scalar: unknown = isScalar(node) ? node.value : null;
        const value =
          typeof scalar === 'string' || typeof scalar === 'number' || typeof scalar === 'boolean'
            ? `${scalar}`
            : '';
        found.push({ key, value, file, line: counter.linePos(offset).line, profile });
      }
    };
    walk(doc.contents, '', 0);
    const onProfile = found.find(
      (e) => e.key === 'spring.config.activate.on-profile' || e.key === 'spring.profiles',
    );
    entries.push(
      ...(onProfile === undefined ? found : found.map((e) => ({ ...e, profile: onProfile.value }))),
    );
  }
  return entries;
}

/** Every entry of the service's config files (paths relative to the service root → text). */
export function parseConfigSources(sources: ReadonlyMap<string, string>): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  // YAML first: Spring Boot lets application.properties win over application.yml in the same place
  const files = [...sources.keys()]
    .filter((path) => CONFIG_FILE.test(path))
    .sort(
      (a, b) => Number(a.endsWith('.properties')) - Number(b.endsWith('.properties')) || a.localeCompare(b),
    );
  for (const file of files) {
    const match = CONFIG_FILE.exec(file);
    const profile = match?.[1];
    const text = sources.get(file) ?? '';
    entries.push(
      ...(match?.[2] === 'properties'
        ? parsePropertiesEntries(file, text, profile)
        : parseYamlEntries(file, text, profile)),
    );
  }
  return entries;
}

/**
 * The properties the generated config carries: the default configuration, then the profiles active in it
 * (`spring.profiles.active` as written, or `activeProfiles`), later entries winning. Profiles not active at port
 * time are reported, each with the way to carry it.
 */
export function resolveConfig(
  entries: readonly ConfigEntry[],
  dropped: DroppedConstruct[],
): Map<string, string> {
  const base = entries.filter((e) => e.profile === undefined);
  const activeValue = [...base].reverse().find((e) => e.key === 'spring.profiles.active')?.value ?? '';
  const active = /\$\{/.test(activeValue)
    ? []
    : activeValue
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
  const props = new Map<string, string>();
  for (const e of base) props.set(e.key, e.value);
  for (const profile of active)
    for (const e of entries.filter((x) => x.profile === profile)) props.set(e.key, e.value);
  const reported = new Set<string>();
  for (const e of entries) {
    if (e.profile === undefined || active.includes(e.profile) || reported.has(`${e.file}|${e.profile}`))
      continue;
    reported.add(`${e.file}|${e.profile}`);
    dropped.push({
      file: e.file,
      line: e.line,
      construct: 'config profile',
      member: e.profile,
      why: `profile ${e.profile} is not active when porting (${activeValue === '' ? 'no spring.profiles.active' : `spring.profiles.active=${activeValue}`}): its keys are not in the generated config; set spring.profiles.active=${e.profile} in application.properties and port again to carry it`,
      java: `${e.key}=${e.value}`,
    });
  }
  return props;
}

/** Keys the generated code acts on, or that change nothing it does. */
const ACTED_ON = new Set([
  'server.port',
  'spring.application.name',
  'spring.profiles.active',
  'spring.config.activate.on-profile',
  'spring.datasource.url',
  'spring.datasource.username',
  'spring.datasource.password',
  'spring.datasource.driver-class-name',
  'spring.datasource.hikari.maximum-pool-size',
  'spring.data.redis.host',
  'spring.data.redis.port',
  'spring.data.redis.database',
  'spring.data.redis.password',
  // behaviour-free for the answers: no open session outside a request, no console output of SQL
  'spring.jpa.open-in-view',
  'spring.jpa.show-sql',
  // the generated router answers /actuator/health as Actuator's health endpoint did
  'management.endpoint.health.probes.enabled',
  'management.endpoints.web.exposure.include',
]);

/** Prefixes of Spring's own keys: one the generated code does not act on is a dropped behaviour. */
const SPRING_PREFIXES = [
  'spring.',
  'server.',
  'management.',
  'logging.',
  'eureka.',
  'feign.',
  'resilience4j.',
];

/** Reports the keys of Spring's own namespaces the generated code does not act on, and a non-Postgres datasource. */
export function findDroppedConfig(
  entries: readonly ConfigEntry[],
  props: ReadonlyMap<string, string>,
  usesDb: boolean,
): DroppedConstruct[] {
  const dropped: DroppedConstruct[] = [];
  const carried = entries.filter((e) => props.get(e.key) === e.value);
  const seen = new Set<string>();
  for (const e of carried) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    if (ACTED_ON.has(e.key) || !SPRING_PREFIXES.some((p) => e.key.startsWith(p))) continue;
    dropped.push({
      file: e.file,
      line: e.line,
      construct: 'config key',
      member: e.key,
      why: 'a Spring setting the generated code does not act on (its value is in src/config.ts, unused)',
      java: `${e.key}=${e.value}`,
    });
  }
  const url = carried.find((e) => e.key === 'spring.datasource.url');
  if (usesDb && url !== undefined && !/^(\$\{[^:}]*:)?jdbc:postgresql:/.test(url.value)) {
    const kind = /jdbc:(\w+)/.exec(url.value)?.[1] ?? 'not a JDBC URL';
    dropped.push({
      file: url.file,
      line: url.line,
      construct: 'datasource',
      member: 'spring.datasource.url',
      why: `the datasource is ${kind}, the generated repositories speak Postgres only (pg): move the data to Postgres and set SPRING_DATASOURCE_URL=jdbc:postgresql://…, or keep this service on the JVM; src/db.ts refuses to start on this URL`,
      java: `spring.datasource.url=${url.value}`,
    });
  }
  if (usesDb && url === undefined) {
    dropped.push({
      file: entries[0]?.file ?? 'src/main/resources/application.properties',
      line: 1,
      construct: 'datasource',
      member: 'spring.datasource.url',
      why: 'no spring.datasource.url: Spring Boot would use an embedded database; the generated code connects to Postgres at 127.0.0.1:5432 (set SPRING_DATASOURCE_URL)',
      java: '(spring.datasource.url not set)',
    });
  }
  return dropped;
}
