/**
 * Effect rules for Java: which calls, constructions and annotations are side effects, and what they touch.
 * Rules look at resolved receiver types, so a `log.info` in a comment or `"UUID.randomUUID()"` in a string
 * never matches: only syntax nodes reach here.
 */
import type { EffectKind } from '../../../shared/catalog.ts';
import type { EffectDetail } from '../../model.ts';
import { isSecretName } from '../../redact.ts';
import type { JavaAnnotation, JavaCall, JavaClass, JavaNew } from './facts.ts';
import { parseRepositoryMethod, parseSql, type RepositoryOperation } from './spring-data.ts';

export interface EffectHit {
  kind: EffectKind;
  detail: EffectDetail;
}

export interface RepositoryInfo {
  entity: string;
  table: string;
  /** `redis`: a Spring Data Redis repository (a hash per entity plus an index set of ids). */
  store: 'sql' | 'redis';
  /** Repository method name → @Query text, for custom queries. */
  queries: Record<string, string>;
}

export interface EffectScope {
  cls: JavaClass;
  repositories: ReadonlyMap<string, RepositoryInfo>;
  /** @FeignClient interfaces: name → base URL expression. */
  feignClients: ReadonlyMap<string, { url: string; paths: Record<string, { method: string; path: string }> }>;
}

const LOG_METHODS = new Set([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'log',
  'severe',
  'warning',
  'fine',
]);
const LOGGER_TYPES = new Set(['Logger', 'Log', 'XLogger']);
const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'method']);
const REST_TEMPLATE: Record<string, string> = {
  getForObject: 'GET',
  getForEntity: 'GET',
  postForObject: 'POST',
  postForEntity: 'POST',
  postForLocation: 'POST',
  put: 'PUT',
  patchForObject: 'PATCH',
  delete: 'DELETE',
  exchange: 'ANY',
  execute: 'ANY',
};
const REDIS_TEMPLATES = new Set([
  'RedisTemplate',
  'StringRedisTemplate',
  'ReactiveRedisTemplate',
  'ReactiveStringRedisTemplate',
]);
const JEDIS_TYPES = new Set(['Jedis', 'JedisPool', 'JedisPooled', 'UnifiedJedis']);
/** Spring's operations views injected directly (`@Resource(name = "redisTemplate") HashOperations<…> hashes`). */
const REDIS_OPERATIONS: Record<string, 'kv' | 'redis'> = {
  ValueOperations: 'kv',
  BoundValueOperations: 'kv',
  HashOperations: 'redis',
  BoundHashOperations: 'redis',
  SetOperations: 'redis',
  BoundSetOperations: 'redis',
  ZSetOperations: 'redis',
  BoundZSetOperations: 'redis',
  ListOperations: 'redis',
  BoundListOperations: 'redis',
};
/** What wasi:keyvalue can take (and codemods/transforms/kv.ts keeps on caps.kv); anything else needs Redis. */
const VALUE_KV_OPERATIONS = new Set(['get', 'set']);
const TEMPLATE_KV_METHODS = new Set(['delete', 'hasKey']);
const JEDIS_KV_METHODS = new Set(['get', 'set', 'del', 'exists']);
/** Connection handling: talks to Redis, needs no data structure. */
const JEDIS_CONNECTION_METHODS = new Set([
  'getResource',
  'close',
  'ping',
  'select',
  'auth',
  'connect',
  'disconnect',
  'quit',
]);
const REDISSON_KV_METHODS = new Set(['getBucket', 'getBuckets']);
const JDBC_TYPES = new Set([
  'JdbcTemplate',
  'NamedParameterJdbcTemplate',
  'JdbcClient',
  'EntityManager',
  'DataSource',
]);
const CLOCK_TYPES = new Set([
  'Instant',
  'LocalDateTime',
  'LocalDate',
  'LocalTime',
  'ZonedDateTime',
  'OffsetDateTime',
  'Year',
  'YearMonth',
]);
const EXECUTOR_TYPES = new Set([
  'ExecutorService',
  'Executor',
  'TaskExecutor',
  'ThreadPoolTaskExecutor',
  'ScheduledExecutorService',
  'AsyncTaskExecutor',
]);
const FS_NEWS = new Set([
  'File',
  'FileInputStream',
  'FileOutputStream',
  'FileReader',
  'FileWriter',
  'RandomAccessFile',
  'PrintWriter',
]);
const THREAD_NEWS = new Set([
  'Thread',
  'Timer',
  'ForkJoinPool',
  'ThreadPoolExecutor',
  'ScheduledThreadPoolExecutor',
]);

const hit = (kind: EffectKind, detail: EffectDetail): EffectHit => ({ kind, detail });

function configHit(key: string, api: string): EffectHit {
  const bare = key.replace(/^\$\{/, '').replace(/(:.*)?\}$/, '');
  return hit(isSecretName(bare) ? 'secret' : 'config', { summary: `${api} ${bare}`, api, key: bare });
}

function joinUrl(base: string | undefined, path: string | undefined): string | undefined {
  if (base === undefined) return path;
  if (path === undefined) return base;
  return `${base.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}

/**
 * An outbound call of WebClient or RestClient. The base URL is the class's `baseUrl(…)`, or the placeholder a
 * `.uri(url + "/path")` starts with (`${records.url}/owners/{id}` → url `${records.url}`, path `/owners/{id}`).
 */
function httpClientHit(
  verb: string,
  chainPath: string | undefined,
  chainUri: string | undefined,
  api: string,
  scope: EffectScope,
): EffectHit {
  const method = verb === 'method' ? 'ANY' : verb.toUpperCase();
  let base = scope.cls.baseUrl;
  let path = chainPath;
  const leading =
    chainUri === undefined ? undefined : /^(\$\{[^}]+\}|[a-z][\w+.-]*:\/\/[^/]+)(.*)$/i.exec(chainUri);
  if (base === undefined && leading !== undefined && leading !== null) {
    base = leading[1];
    path = leading[2] === '' ? undefined : leading[2];
  }
  const url = joinUrl(base, path);
  return hit('http-out', {
    summary: `${method} ${url ?? '?'}`,
    api,
    operation: method,
    ...(base === undefined ? {} : { url: base }),
    ...(path === undefined ? {} : { path }),
  });
}

function repositoryHit(repo: RepositoryInfo, call: JavaCall, type: string): EffectHit | undefined {
  let op: RepositoryOperation | undefined = parseRepositoryMethod(call.name);
  const query = repo.queries[call.name];
  if (query !== undefined) {
    const sql = parseSql(query);
    op = { operation: sql.operation ?? 'select', columns: op?.columns ?? [] };
  }
  if (op === undefined) return undefined;
  const api = `${type}.${call.name}`;
  if (repo.store === 'redis') {
    // Spring Data Redis writes the hash `<keyspace>:<id>` and the id set `<keyspace>`: data structures, not values.
    const operation = op.operation === 'select' ? 'get' : op.operation === 'delete' ? 'delete' : 'set';
    return hit('redis', {
      summary: `${operation} ${repo.table} (hash ${repo.table}:<id>, set ${repo.table})`,
      api,
      operation,
      key: `${repo.table}:*`,
      table: repo.table,
    });
  }
  const columns = op.columns.length > 0 ? ` (${op.columns.join(', ')})` : '';
  return hit('sql', {
    summary: `${op.operation.toUpperCase()} ${repo.table}${columns}`,
    api,
    operation: op.operation,
    table: repo.table,
    columns: op.columns,
  });
}

/**
 * Redis: plain values (`opsForValue().get/set`, `delete`, `hasKey`, Jedis `get/set/del/exists`, Redisson buckets)
 * are `kv`; hashes, sets, sorted sets, lists, counters, transactions, scripts and the rest are `redis`.
 */
function getRedisEffect(call: JavaCall, type: string): EffectHit | undefined {
  const name = call.name;
  const api = `${type}.${name}`;
  const view = REDIS_OPERATIONS[type];
  const opsView = REDIS_TEMPLATES.has(type) && (name.startsWith('opsFor') || name.startsWith('bound'));
  let kind: 'kv' | 'redis';
  if (view !== undefined) kind = view === 'kv' && VALUE_KV_OPERATIONS.has(name) ? 'kv' : 'redis';
  else if (opsView) {
    // `opsForValue().get(k)`: the command is the chained call; a bare `opsForValue()` hands out plain values.
    const value = name === 'opsForValue' || name === 'boundValueOps';
    kind = value && (call.chain[0] === undefined || VALUE_KV_OPERATIONS.has(call.chain[0])) ? 'kv' : 'redis';
  } else if (REDIS_TEMPLATES.has(type)) {
    // Setters and getters configure the template (serializers, connection factory); `getExpire` reads a TTL.
    if (
      name === 'afterPropertiesSet' ||
      name.startsWith('set') ||
      (name.startsWith('get') && name !== 'getExpire')
    )
      return undefined;
    kind = TEMPLATE_KV_METHODS.has(name) ? 'kv' : 'redis';
  } else if (JEDIS_TYPES.has(type)) {
    kind = JEDIS_KV_METHODS.has(name) || JEDIS_CONNECTION_METHODS.has(name) ? 'kv' : 'redis';
  } else {
    if (name === 'shutdown') return undefined;
    kind = REDISSON_KV_METHODS.has(name) ? 'kv' : 'redis';
  }
  const operation = opsView ? (call.chain[0] ?? name) : name;
  const key = opsView ? undefined : call.args[0];
  return hit(kind, {
    summary: key === undefined ? operation : `${operation} ${key}`,
    api,
    operation,
    ...(key === undefined ? {} : { key }),
  });
}

/** The effect of one call, if any. */
export function getCallEffect(call: JavaCall, scope: EffectScope): EffectHit | undefined {
  const type = call.receiverType;
  const name = call.name;
  const api = `${type ?? call.receiver}.${name}`;
  if (call.receiver === 'System.out' || call.receiver === 'System.err')
    return hit('log', { summary: `${call.receiver}.${name}`, api: `${call.receiver}.${name}` });
  if (type === undefined) {
    if (
      (call.receiver === 'log' || call.receiver === 'logger') &&
      LOG_METHODS.has(name) &&
      scope.cls.annotations.some((a) => /^(Slf4j|Log4j2?|CommonsLog|Log|XSlf4j|Flogger)$/.test(a.name))
    ) {
      return hit('log', { summary: `log.${name}`, api: `Logger.${name}` });
    }
    return undefined;
  }
  if (LOGGER_TYPES.has(type) && LOG_METHODS.has(name))
    return hit('log', { summary: `log.${name}`, api: `Logger.${name}` });
  switch (type) {
    case 'UUID':
      return name === 'randomUUID' ? hit('random', { summary: 'UUID.randomUUID', api }) : undefined;
    case 'Math':
      return name === 'random' ? hit('random', { summary: 'Math.random', api }) : undefined;
    case 'ThreadLocalRandom':
      return name === 'current' ? hit('random', { summary: 'ThreadLocalRandom', api }) : undefined;
    case 'System':
      if (name === 'currentTimeMillis' || name === 'nanoTime')
        return hit('clock', { summary: `System.${name}`, api });
      if (name === 'getenv') {
        // `System.getenv().getOrDefault("K", …)` names its key in the chained call
        const key =
          call.args[0] ??
          (call.chain[0] === 'get' || call.chain[0] === 'getOrDefault' ? call.chainKey : undefined);
        return key === undefined
          ? hit('config', { summary: 'System.getenv', api })
          : configHit(key, 'System.getenv');
      }
      if (name === 'getProperty' && call.args[0] !== undefined)
        return configHit(call.args[0], 'System.getProperty');
      if (name === 'loadLibrary' || name === 'load')
        return hit('native', {
          summary: `System.${name} ${call.args[0] ?? ''}`.trim(),
          api,
          key: call.args[0],
        });
      return undefined;
    case 'Clock':
      return name.startsWith('system') ? hit('clock', { summary: `Clock.${name}`, api }) : undefined;
    case 'Runtime':
      return name === 'exec' ? hit('process', { summary: 'Runtime.exec', api: 'Runtime.exec' }) : undefined;
    case 'Files':
      return hit('fs', { summary: `Files.${name}`, api });
    case 'Executors':
      return hit('thread', { summary: `Executors.${name}`, api });
    case 'CompletableFuture':
      return name === 'runAsync' || name === 'supplyAsync'
        ? hit('thread', { summary: `CompletableFuture.${name}`, api })
        : undefined;
    case 'Environment':
      return name === 'getProperty' || name === 'getRequiredProperty'
        ? configHit(call.args[0] ?? '?', 'Environment.getProperty')
        : undefined;
    case 'RestClient':
    case 'WebClient':
      return HTTP_VERBS.has(name)
        ? httpClientHit(name, call.chainPath, call.chainUri, api, scope)
        : undefined;
    case 'RestClient.Builder':
    case 'WebClient.Builder': {
      // an injected builder used in place: `builder.build().get().uri(…)`
      const verb = call.chain[0];
      if (name !== 'build' || verb === undefined || !HTTP_VERBS.has(verb)) return undefined;
      return httpClientHit(verb, call.chainPath, call.chainUri, `${type}.build().${verb}`, scope);
    }
    case 'RestTemplate': {
      const method = REST_TEMPLATE[name];
      if (method === undefined) return undefined;
      return hit('http-out', {
        summary: `${method} ${call.args[0] ?? '?'}`,
        api,
        operation: method,
        ...(call.args[0] === undefined ? {} : { url: call.args[0] }),
      });
    }
    case 'HttpClient':
      return name === 'send' || name === 'sendAsync'
        ? hit('http-out', { summary: 'HttpClient.send', api })
        : undefined;
    case 'Connection':
      if (name === 'publish' || name === 'request')
        return hit('publish', {
          summary: `publish ${call.args[0] ?? '?'}`,
          api: `Connection.${name}`,
          subject: call.args[0],
        });
      if (name === 'subscribe')
        return hit('subscribe', {
          summary: `subscribe ${call.args[0] ?? '?'}`,
          api: 'Connection.subscribe',
          subject: call.args[0],
        });
      return undefined;
    case 'Dispatcher':
      return name === 'subscribe'
        ? hit('subscribe', {
            summary: `subscribe ${call.args[0] ?? '?'}`,
            api: 'Dispatcher.subscribe',
            subject: call.args[0],
          })
        : undefined;
    case 'JetStream':
      return name === 'publish' || name === 'publishAsync'
        ? hit('publish', { summary: `publish ${call.args[0] ?? '?'}`, api, subject: call.args[0] })
        : name === 'subscribe'
          ? hit('subscribe', { summary: `subscribe ${call.args[0] ?? '?'}`, api, subject: call.args[0] })
          : undefined;
    case 'KafkaTemplate':
    case 'StreamBridge':
    case 'JmsTemplate':
    case 'RabbitTemplate':
    case 'AmqpTemplate':
      if (name === 'send' || name === 'convertAndSend' || name === 'sendDefault') {
        const subject =
          type === 'RabbitTemplate' || type === 'AmqpTemplate'
            ? [call.args[0], call.args[1]].filter((a) => a !== undefined).join('/')
            : call.args[0];
        return hit('publish', {
          summary: `publish ${subject ?? '?'}`,
          api,
          ...(subject === undefined ? {} : { subject }),
        });
      }
      return undefined;
    default:
      break;
  }
  if (CLOCK_TYPES.has(type) && name === 'now') return hit('clock', { summary: `${type}.now`, api });
  if (
    EXECUTOR_TYPES.has(type) &&
    (name === 'submit' || name === 'execute' || name.startsWith('schedule') || name === 'invokeAll')
  )
    return hit('thread', { summary: `${type}.${name}`, api });
  if (
    REDIS_TEMPLATES.has(type) ||
    JEDIS_TYPES.has(type) ||
    type === 'RedissonClient' ||
    Object.hasOwn(REDIS_OPERATIONS, type)
  )
    return getRedisEffect(call, type);
  if (JDBC_TYPES.has(type)) {
    if (type === 'DataSource' && name !== 'getConnection') return undefined;
    const sql =
      call.args[0] !== undefined && !call.args[0].startsWith('{')
        ? parseSql(call.args[0])
        : { operation: undefined, table: undefined };
    const operation =
      sql.operation ??
      (name.startsWith('query') || name === 'find' ? 'select' : name === 'update' ? 'update' : name);
    return hit('sql', {
      summary: `${operation.toUpperCase()} ${sql.table ?? '?'}`,
      api,
      operation,
      ...(sql.table === undefined ? {} : { table: sql.table }),
    });
  }
  const repo = scope.repositories.get(type);
  if (repo !== undefined) return repositoryHit(repo, call, type);
  const feign = scope.feignClients.get(type);
  if (feign !== undefined) {
    const route = feign.paths[name];
    const method = route?.method ?? 'ANY';
    return hit('http-out', {
      summary: `${method} ${joinUrl(feign.url, route?.path) ?? '?'}`,
      api,
      operation: method,
      url: feign.url,
      ...(route === undefined ? {} : { path: route.path }),
    });
  }
  return undefined;
}

/** The effect of constructing an object, if any. */
export function getNewEffect(created: JavaNew): EffectHit | undefined {
  if (created.type === 'Random' || created.type === 'SecureRandom' || created.type === 'SplittableRandom')
    return hit('random', { summary: `new ${created.type}`, api: `new ${created.type}` });
  if (FS_NEWS.has(created.type))
    return hit('fs', { summary: `new ${created.type}`, api: `new ${created.type}` });
  if (THREAD_NEWS.has(created.type))
    return hit('thread', { summary: `new ${created.type}`, api: `new ${created.type}` });
  if (created.type === 'ProcessBuilder')
    return hit('process', { summary: 'new ProcessBuilder', api: 'new ProcessBuilder' });
  return undefined;
}

const LISTENERS: Record<string, string> = {
  KafkaListener: 'topics',
  JmsListener: 'destination',
  RabbitListener: 'queues',
  NatsListener: 'subject',
  SqsListener: 'value',
  StreamListener: 'value',
};

/** Listener annotations (`@KafkaListener(topics = "x")`) → subscribe; undefined otherwise. */
export function getListenerSubject(
  annotations: readonly JavaAnnotation[],
): { api: string; subject: string } | undefined {
  for (const a of annotations) {
    const key = LISTENERS[a.name];
    if (key !== undefined)
      return {
        api: `@${a.name}`,
        subject: (a.args[key] ?? a.args.value ?? '?').replace(/^\{\s*"?|"?\s*\}$/g, ''),
      };
  }
  return undefined;
}

/** `@Value("${key:default}")` / `@ConfigurationProperties(prefix)` → config or secret. */
export function getConfigEffect(annotations: readonly JavaAnnotation[]): EffectHit | undefined {
  for (const a of annotations) {
    if (a.name === 'Value' && a.args.value !== undefined && a.args.value.includes('${'))
      return configHit(a.args.value, '@Value');
    if (a.name === 'ConfigurationProperties')
      return configHit(a.args.prefix ?? a.args.value ?? '', '@ConfigurationProperties');
  }
  return undefined;
}
