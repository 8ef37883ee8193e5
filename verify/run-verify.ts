/**
 * `runVerify(options)`: equivalence evidence for one service without a contract suite. Sends generated and
 * recorded requests to the legacy side and the component in the same order, compares answers, rows, keys and
 * messages, learns noise from a second legacy call (or a twin legacy instance), and returns the result.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { analyzeEstate, createOpenApi } from '../analyzer/index.ts';
import { AppError, ErrorCode, wrapError } from '../shared/errors.ts';
import { parseTrafficRecords, type TrafficRecord } from '../shared/traffic-record.ts';
import { classifyExchanges } from './compare.ts';
import { dropSchema, seedSchema } from './effects/pg-rows.ts';
import { planListRequests, planRequests, type PlannedRequest } from './generate-requests.ts';
import { checkPointer } from './json-pointer.ts';
import {
  VERIFY_SCHEMA_VERSION,
  type ExchangeRecord,
  type VerifyRequest,
  type VerifyResult,
} from './model.ts';
import { addResponseValues, addSeedValues, type ValuePool } from './seed-values.ts';
import { Side, type Watch } from './side.ts';
import { resolveSideData } from './side-env.ts';
import { startComponent, startJar, type StartedSide } from './start-side.ts';

export interface SideOptions {
  /** A running side's base URL, a `.wasm` component verify hosts, or a Spring Boot `.jar` verify starts. */
  target: string;
  /** The side's environment: where its data lives (DB_SCHEMA, NATS_SUBJECT, REDIS_DATABASE…), and for a side
   * verify starts, its configuration. */
  env?: Record<string, string>;
}

export interface VerifyOptions {
  /** Service id or name in the estate, e.g. `order-service`. */
  service: string;
  /** The estate root (source of the OpenAPI document and of seed values). */
  estate: string;
  legacy: SideOptions;
  component: SideOptions;
  /** A second legacy instance with its own identically seeded data: noise is learned from it (Diffy's way). */
  twin?: SideOptions;
  /** SQL files run in every side's DB_SCHEMA before the run (the schema is created when missing). */
  seed?: string[];
  /** NDJSON files of recorded traffic to replay (shared/traffic-record.ts). */
  replay?: string[];
  /** Generate requests from the OpenAPI document (default true). */
  generate?: boolean;
  /** JSON pointers (`*` matches any segment) never compared, e.g. `/body/createdAt`. */
  ignore?: string[];
  /** JSON pointers (`*` for any segment) of arrays whose order the service does not define: compared as collections. */
  unordered?: string[];
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Extra wait before messages are collected, for services that publish after answering (default 0). */
  settleMs?: number;
  /** How long a started side may take to answer (default 180 s). */
  startTimeoutMs?: number;
  /** Use this OpenAPI document instead of the analyzer's. */
  openapi?: Record<string, unknown>;
  /** Progress lines (the CLI shows them on stderr). */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const SKIP = /(^|\/)(node_modules|target|\.git|\.run|dist|build)(\/|$)/;

/** Every `.sql` file of the estate, for the values their INSERTs seed. */
async function readEstateSql(estate: string): Promise<string[]> {
  const entries = await readdir(estate, { recursive: true }).catch(() => [] as string[]);
  const files = entries.filter((f) => f.endsWith('.sql') && !SKIP.test(f.split('\\').join('/'))).sort();
  return Promise.all(files.map((f) => readFile(join(estate, f), 'utf8')));
}

async function readSeeds(paths: readonly string[]): Promise<{ path: string; sql: string }[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { path, sql: await readFile(path, 'utf8') };
      } catch (error) {
        throw wrapError(ErrorCode.input, `cannot read seed file ${path}`, error, 'check the --seed path');
      }
    }),
  );
}

async function readReplay(paths: readonly string[]): Promise<PlannedRequest[]> {
  const out: PlannedRequest[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw wrapError(ErrorCode.input, `cannot read replay file ${path}`, error, 'check the --replay path');
    }
    const lines = text.split('\n');
    const records: TrafficRecord[] = parseTrafficRecords(text, path);
    let line = 0;
    for (const record of records) {
      while (line < lines.length && lines[line]!.trim() === '') line += 1;
      line += 1;
      const bare = record.path.split('?')[0]!;
      out.push({
        kind: 'replay',
        description: `${record.method} ${record.path} (recorded)`,
        method: record.method,
        path: record.path,
        headers: record.headers,
        ...(record.bodyBase64 !== undefined ? { bodyBase64: record.bodyBase64 } : {}),
        ...(record.body !== undefined ? { body: record.body } : {}),
        operation: `${record.method} ${bare.replace(/\/(\d+|[0-9a-f-]{36})(?=\/|$)/gi, '/{id}')}`,
        origin: `${path}:${line}`,
      });
    }
  }
  return out;
}

interface Sides {
  legacy: Side;
  component: Side;
  twin: Side | undefined;
}

/** Starts what must be started, seeds, and connects the observers; `cleanup` undoes all of it. */
async function prepareSides(
  options: VerifyOptions,
  seeds: { path: string; sql: string }[],
  cleanup: (() => Promise<void>)[],
  notes: string[],
): Promise<Sides> {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const log = options.onProgress ?? (() => undefined);
  const make = async (label: string, side: SideOptions): Promise<Side> => {
    const env = { ...side.env };
    const starts = /\.(wasm|jar)$/i.test(side.target);
    if (starts) {
      // A side verify starts gets data of its own unless told otherwise.
      if (env['DB_SCHEMA'] === undefined && seeds.length > 0) {
        env['DB_SCHEMA'] = `verify_${run}_${label}`;
        const data = resolveSideData(env);
        cleanup.push(() => dropSchema(data.postgres!.url, data.postgres!.schema));
      }
      env['NATS_SUBJECT'] ??= `verify.${run}.${label}`;
    } else if (!/^https?:\/\/[^/]+/.test(side.target)) {
      throw new AppError(ErrorCode.usage, `the ${label} side "${side.target}" is not a URL, .wasm or .jar`, {
        hint: 'pass a base URL such as http://127.0.0.1:8081, a component .wasm, or a Spring Boot .jar',
      });
    }
    const data = resolveSideData(env);
    if (data.postgres !== undefined && seeds.length > 0) {
      log(`${label}: seeding schema ${data.postgres.schema}`);
      await seedSchema(data.postgres.url, data.postgres.schema, seeds);
    }
    let url = side.target;
    if (starts) {
      const startOptions = {
        label,
        env,
        data,
        startTimeoutMs: options.startTimeoutMs ?? 180_000,
        log,
        signal: options.signal,
      };
      const started: StartedSide = side.target.toLowerCase().endsWith('.wasm')
        ? await startComponent(side.target, startOptions)
        : await startJar(side.target, startOptions);
      cleanup.push(started.stop);
      url = started.url;
      log(`${label}: ${side.target} answers on ${url}`);
    }
    const result = new Side(label, url, data);
    cleanup.push(() => result.close());
    return result;
  };
  const legacy = await make('legacy', options.legacy);
  const component = await make('component', options.component);
  const twin = options.twin === undefined ? undefined : await make('twin', options.twin);
  const noiseSide = twin ?? legacy;
  const watch: Watch = {
    rows:
      legacy.data.postgres !== undefined &&
      component.data.postgres !== undefined &&
      noiseSide.data.postgres !== undefined,
    keys:
      legacy.data.redis !== undefined &&
      component.data.redis !== undefined &&
      noiseSide.data.redis !== undefined,
    messages:
      legacy.data.nats !== undefined &&
      component.data.nats !== undefined &&
      noiseSide.data.nats !== undefined,
  };
  const what = { rows: 'DB_SCHEMA', keys: 'REDIS_DATABASE', messages: 'NATS_SUBJECT' } as const;
  for (const key of ['rows', 'keys', 'messages'] as const) {
    if (!watch[key])
      notes.push(
        `${key} not compared: set ${what[key]} in --legacy-env and --component-env${twin ? ' and --twin-env' : ''}`,
      );
  }
  for (const side of [legacy, component, twin]) await side?.open(watch);
  return { legacy, component, twin };
}

async function exchange(
  sides: Sides,
  request: VerifyRequest,
  options: VerifyOptions,
): Promise<ExchangeRecord> {
  const timeout = options.timeoutMs ?? 30_000;
  const settle = options.settleMs ?? 0;
  const legacy = await sides.legacy.call(request, timeout, settle);
  const component = await sides.component.call(request, timeout, settle);
  let noise;
  let componentNoise;
  if (sides.twin !== undefined) noise = await sides.twin.call(request, timeout, settle);
  else {
    noise = await sides.legacy.call(request, timeout, settle);
    // The legacy side got this write twice: so does the component, and both hold the same data again.
    if (!SAFE.has(request.method)) componentNoise = await sides.component.call(request, timeout, settle);
  }
  return {
    request,
    legacy,
    component,
    noise: noise.status === 0 ? undefined : noise,
    ...(componentNoise === undefined ? {} : { componentNoise }),
  };
}

/** Runs the whole verification; never prints (progress goes to `onProgress`). */
export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  const progress = options.onProgress ?? (() => undefined);
  for (const [flag, pointers, example] of [
    ['--ignore', options.ignore, '/body/createdAt'],
    ['--unordered', options.unordered, '/body'],
  ] as const) {
    for (const pointer of pointers ?? []) {
      const problem = checkPointer(pointer);
      if (problem !== undefined)
        throw new AppError(ErrorCode.usage, `${flag} ${pointer}: ${problem}`, {
          hint: `e.g. ${flag} ${example}`,
        });
    }
  }
  const estate = resolve(options.estate);
  let document = options.openapi;
  if (document === undefined && options.generate !== false) {
    progress('reading the estate');
    const analysis = await analyzeEstate(estate, { ...(options.signal ? { signal: options.signal } : {}) });
    const service = analysis.services.find((s) => s.id === options.service || s.name === options.service);
    if (service === undefined)
      throw new AppError(ErrorCode.notFound, `no service "${options.service}" in ${estate}`, {
        hint: `services: ${analysis.services.map((s) => s.id).join(', ') || '(none found)'}`,
      });
    document = createOpenApi(service);
  }
  const seeds = await readSeeds(options.seed ?? []);
  const replayed = await readReplay(options.replay ?? []);
  const pool: ValuePool = new Map();
  for (const sql of [...(await readEstateSql(estate)), ...seeds.map((s) => s.sql)]) addSeedValues(pool, sql);

  const notes: string[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  const exchanges: ExchangeRecord[] = [];
  try {
    const sides = await prepareSides(options, seeds, cleanup, notes);
    let count = 0;
    const send = async (planned: PlannedRequest): Promise<ExchangeRecord> => {
      options.signal?.throwIfAborted();
      const request: VerifyRequest = {
        id: `${planned.kind === 'replay' ? 'replay' : 'gen'}-${++count}`,
        ...planned,
      };
      progress(`[${count}] ${request.description}`);
      const record = await exchange(sides, request, options);
      if (record.legacy.status === 0)
        throw new AppError(
          ErrorCode.backend,
          `the legacy side does not answer: ${record.legacy.error ?? ''}`,
          {
            hint: 'check --legacy (is the service running, on that address?)',
          },
        );
      exchanges.push(record);
      return record;
    };
    if (document !== undefined && options.generate !== false) {
      for (const planned of planListRequests(document))
        addResponseValues(pool, (await send(planned)).legacy.body);
      for (const planned of planRequests(document, pool)) await send(planned);
    }
    for (const planned of replayed) await send(planned);
    for (const side of [sides.legacy, sides.component, sides.twin]) notes.push(...(side?.notes ?? []));
    if (exchanges.length === 0)
      notes.push('no request was sent: give --replay files or let verify generate requests');
    const classified = classifyExchanges(exchanges, options.ignore ?? [], options.unordered ?? []);
    return {
      schemaVersion: VERIFY_SCHEMA_VERSION,
      service: options.service,
      legacy: sides.legacy.url,
      component: sides.component.url,
      noiseSource: sides.twin === undefined ? 'replay' : 'twin',
      requests: exchanges.length,
      matched: classified.matched,
      mismatches: classified.mismatches,
      explainedDifferences: classified.explainedDifferences,
      noise: classified.noise,
      notes: [...new Set(notes)],
      passed: classified.mismatches.length === 0 && exchanges.length > 0,
    };
  } catch (error) {
    if (options.signal?.aborted === true)
      throw new AppError(ErrorCode.cancelled, 'cancelled', { cause: error });
    throw error;
  } finally {
    for (const undo of cleanup.reverse()) await undo().catch(() => undefined);
  }
}

/** Paths relative to the working directory, for messages. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}
