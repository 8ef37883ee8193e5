import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeEstate, type Estate } from '../../analyzer/index.ts';
import type { Service } from '../../analyzer/model.ts';
import { parseProtoServices } from '../../analyzer/languages/typescript/grpc-proto.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';

const ESTATE = join(import.meta.dirname, 'fixtures/node-estate');

let estate: Estate;
beforeAll(async () => {
  estate = await analyzeEstate(ESTATE, {});
});

const service = (name: string): Service => {
  const found = estate.services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
};
const routes = (name: string): string[] =>
  service(name)
    .endpoints.map((e) => `${e.method} ${e.path} ${e.status}`)
    .sort();
const effects = (name: string): string[] =>
  service(name)
    .effects.map((e) => `${e.site.file}:${e.site.line} ${e.kind} ${e.detail.summary}`)
    .sort();

describe('analyze a Node estate', () => {
  it('finds services by their server entry: frameworks, node:http and gRPC servers, not libraries', () => {
    expect(estate.services.map((s) => [s.name, s.framework]).sort()).toEqual([
      ['api', 'express'],
      ['greeter', 'grpc'],
      ['hapi', 'hapi'],
      ['koa', 'koa'],
      ['nest', 'nest'],
      ['orm', 'fastify'],
      ['plain', 'node:http'],
    ]);
  });

  it('puts express mount prefixes (nested, across files) and table-driven routes into full paths with their statuses', () => {
    expect(routes('api')).toEqual([
      'DELETE /api/users/:id 204',
      'GET /api/ping 204',
      'GET /api/status 200',
      'GET /api/users 200',
      'GET /api/users/:id/audit 200',
      'POST /api/users 201',
      'PUT /api/status 202',
    ]);
  });

  it('reads fastify route objects and plugin prefixes, and the branches of a node:http handler', () => {
    expect(routes('orm')).toEqual(['GET /orders 200', 'POST /v1/events 201']);
    expect(routes('plain')).toEqual(['ANY /health 200', 'POST /jobs 202']);
  });

  it('reads NestJS controllers under the global prefix, with HttpCode and the POST default, and repositories injected by type', () => {
    expect(routes('nest')).toEqual([
      'DELETE /api/orders/:id 204',
      'GET /api/orders 200',
      'GET /api/orders/:id 200',
      'POST /api/orders 201',
    ]);
    expect(
      service('nest').effects.map(
        (e) => `${e.site.line} ${e.kind} ${e.detail.summary} ${e.via.map((v) => v.symbol).join('>')}`,
      ),
    ).toEqual([
      '11 sql SELECT ? OrdersController.list>OrdersService.list',
      '15 sql SELECT ? OrdersController.one>OrdersService.one',
      '19 sql UPSERT ? OrdersController.create>OrdersService.create',
      '23 sql DELETE ? OrdersController.remove>OrdersService.remove',
    ]);
  });

  it('reads hapi route arrays, with several methods per route', () => {
    expect(routes('hapi')).toEqual(['GET /hello 200', 'PATCH /hello/{name} 204', 'PUT /hello/{name} 204']);
  });

  it("puts a koa router's own prefix in front of its routes", () => {
    expect(routes('koa')).toEqual(['GET /v2/items 200', 'POST /v2/items 201']);
  });

  it('follows clients made in other modules, destructured env, node-redis, request-promise, got and native addons; skips tests and fixtures', () => {
    expect(effects('api')).toEqual([
      'api/src/cache.ts:3 config env REDIS_URL',
      'api/src/clients.ts:3 native native addon bcrypt (known native addon)',
      'api/src/clients.ts:5 config env AUDIT_URL',
      'api/src/clients.ts:5 secret env PASSWORD_PEPPER',
      'api/src/clients.ts:7 http-out POST ${AUDIT_URL}/events',
      'api/src/clients.ts:8 http-out POST http://status.internal/ping',
      "api/src/db.ts:1 native native addon @prisma/client (Prisma's query engine is a Node-API library; a driver adapter (@prisma/adapter-pg) with the Wasm engine avoids it)",
      'api/src/routes/users.ts:12 sql INSERT user',
      'api/src/routes/users.ts:13 kv set user:${user.id}',
      'api/src/routes/users.ts:18 sql DELETE user',
      'api/src/routes/users.ts:23 sql SELECT audit',
      'api/src/routes/users.ts:8 sql SELECT user',
      'api/src/server.ts:4 config env PORT',
    ]);
    expect(service('api').files).toBe(6);
    expect(service('api').readiness.wasmcloud.blockers.map((b) => b.kind)).toEqual(['native']);
  });

  it('follows process.env through an alias (`const env = process.env`, `const { env } = process`)', () => {
    expect(effects('plain')).toEqual([
      'plain/config.js:2 config env HOST',
      'plain/config.js:4 config env PORT',
      'plain/config.js:8 config env LOG_LEVEL',
    ]);
  });

  it('reports TypeORM, Sequelize and knex calls as sql and mongoose as document, a port on every target', () => {
    expect(effects('orm')).toEqual([
      'orm/src/app.ts:21 sql SELECT Order',
      'orm/src/app.ts:22 sql SELECT Order',
      'orm/src/app.ts:23 sql SELECT orders',
      'orm/src/app.ts:31 clock Date.now',
      'orm/src/app.ts:31 document INSERT Event',
      'orm/src/app.ts:32 sql UPDATE orders',
      'orm/src/app.ts:33 sql INSERT orders',
      'orm/src/app.ts:34 http-out GET /prices',
      'orm/src/app.ts:9 config env DATABASE_URL',
    ]);
    for (const readiness of Object.values(service('orm').readiness))
      expect(readiness.blockers.map((b) => [b.kind, b.severity])).toEqual([['document', 'port-needed']]);
  });

  it('lists gRPC methods as GRPC endpoints and says no target serves them as they are', () => {
    // the health implementation is passed by name: its methods and package come from health.proto
    expect(routes('greeter')).toEqual([
      'GRPC /grpc.health.v1.Health/Check 0',
      'GRPC /grpc.health.v1.Health/Watch 0',
      'GRPC /shop.Greeter/SayGoodbye 0',
      'GRPC /shop.Greeter/SayHello 0',
    ]);
    const readiness = service('greeter').readiness;
    expect(Object.values(readiness).map((r) => [r.level, r.blockers.map((b) => b.kind)])).toEqual([
      ['port-needed', ['grpc-in']],
      ['port-needed', ['grpc-in']],
      ['port-needed', ['grpc-in']],
      ['port-needed', ['grpc-in']],
    ]);
    expect(readiness.spin.blockers[0]?.reason).toContain('wasi:http/incoming-handler');
    expect(readiness.embedded.blockers[0]?.reason).toContain('HTTP/1.1');
  });

  it('skips Helm chart templates with one info finding per chart, never a YAML error', () => {
    expect(estate.findings.map((f) => [f.severity, f.code, f.file])).toEqual([
      ['info', 'helm-chart-skipped', 'chart/Chart.yaml'],
    ]);
  });
});

describe('migrate analyze --fail-on', () => {
  it('exits 1 with a message when no service is found, instead of passing an empty estate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-no-services-'));
    await writeFile(
      join(dir, 'package.json'),
      '{ "name": "just-a-lib", "dependencies": { "lodash": "^4.0.0" } }',
    );
    await writeFile(join(dir, 'index.js'), 'export const one = 1;\n');
    const run = await runCliCaptured(['analyze', dir, '--fail-on', 'blocked']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no service found');
    const plain = await runCliCaptured(['analyze', dir]);
    expect(plain.code).toBe(0);
  });
});

describe('parseProtoServices', () => {
  it('reads the package, services and rpc names, ignoring comments', () => {
    expect(
      parseProtoServices(
        'syntax = "proto3";\npackage hipstershop;\n// service Old { rpc Gone(A) returns (B); }\nservice CurrencyService {\n  rpc GetSupportedCurrencies (Empty) returns (Reply) {}\n  rpc Convert(CurrencyConversionRequest) returns (Money) {}\n}\n',
      ),
    ).toEqual([
      {
        name: 'CurrencyService',
        fullName: 'hipstershop.CurrencyService',
        methods: ['GetSupportedCurrencies', 'Convert'],
      },
    ]);
  });
});
