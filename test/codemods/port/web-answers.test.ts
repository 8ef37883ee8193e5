import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { loadThingRouter, typeCheck, writeProject, type RoutedAnswer } from './helpers.ts';

// What a handler answers and how a request is read, as Spring MVC does it: a CompletableFuture of a
// ResponseEntity, Map.of(...) bodies, Spring Boot's default error bodies, numbers converted as Spring converts
// them, and request bodies read by Jackson's names (Lombok, @JsonProperty, records, nested classes).
const FIXTURE = join(import.meta.dirname, 'fixtures', 'web-answers');

type Answer = RoutedAnswer;
let ported: PortedService;
let dir = '';
let send: (method: string, url: string, body?: string, contentType?: string) => Promise<Answer>;

beforeAll(async () => {
  ported = await portJavaSources('web-answers', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-web-answers-'));
  await writeProject(dir, ported.files);
  send = await loadThingRouter(dir);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Spring Boot's default error body without its timestamp (server.error.include-message is off). */
async function errorBody(method: string, url: string, body?: string, contentType?: string): Promise<Answer> {
  const answer = await send(method, url, body, contentType);
  const { timestamp, ...rest } = answer.body as Record<string, unknown>;
  expect(timestamp).toEqual(expect.any(String));
  return { status: answer.status, body: rest };
}

describe('port of web answers', () => {
  it('generates the expected controller and request class, which compile with tsc --strict', async () => {
    for (const path of ['src/thing-controller.ts', 'src/thing-request.ts'])
      await expect(ported.files.get(path)).toMatchFileSnapshot(join(FIXTURE, 'expected', path));
    expect(typeCheck(dir)).toEqual([]);
    expect(ported.report).toMatchObject({ typecheck: { checked: true, errors: [] }, typecheck_errors: 0 });
    expect(ported.report.todos).toEqual([]);
    // a record's @JsonProperty is read from a request body but not written: said, not silently dropped
    expect(ported.report.dropped).toEqual([
      expect.objectContaining({ construct: 'annotation @JsonProperty', member: 'Tag.name' }),
    ]);
  });

  it('answers with the status and body of the ResponseEntity a CompletableFuture completes with', async () => {
    const body = JSON.stringify({
      name: 'bolt',
      inStock: true,
      active: true,
      isActive: false,
      display_name: 'Bolt',
      displayName: 'not read: Jackson reads display_name',
      xcount: 3,
      parts: [{ partNo: 'p-1', unknown: 1 }],
      unknown: 'ignored',
    });
    expect(await send('POST', '/things', body)).toEqual({
      status: 201,
      body: { name: 'bolt', inStock: true, active: true, displayName: 'Bolt', xCount: 3, firstPart: 'p-1' },
    });
    expect(await send('GET', '/things/later?n=21')).toEqual({ status: 200, body: 42 });
  });

  it('reads a record by its @JsonProperty names', async () => {
    expect(await send('POST', '/things/tags', '{"tag_name":"red","name":"blue"}')).toEqual({
      status: 200,
      body: { name: 'red' },
    });
  });

  it('writes Map.of(...) in a ResponseEntity as a JSON object', async () => {
    expect(await send('GET', '/things/7')).toEqual({ status: 200, body: { id: 7 } });
    expect(await send('GET', '/things/8')).toEqual({ status: 404, body: { message: 'no thing 8' } });
  });

  it('converts a path variable as Spring does: hex, a sign and spaces are numbers; decimals and overflow are not', async () => {
    expect(await send('GET', '/things/0x10')).toEqual({ status: 404, body: { message: 'no thing 16' } });
    expect(await send('GET', '/things/+7')).toEqual({ status: 200, body: { id: 7 } });
    expect(await send('GET', '/things/%207')).toEqual({ status: 200, body: { id: 7 } });
    for (const bad of ['abc', '1.5', '9223372036854775808'])
      expect(await errorBody('GET', `/things/${bad}`)).toEqual({
        status: 400,
        body: { status: 400, error: 'Bad Request', path: `/things/${bad}` },
      });
    expect(await errorBody('GET', '/things/later?n=2147483648')).toEqual({
      status: 400,
      body: { status: 400, error: 'Bad Request', path: '/things/later' },
    });
  });

  it('answers what the framework rejects with Spring Boot’s default error body, field for field', async () => {
    expect(await errorBody('POST', '/things', '{"name":"x"}', 'text/plain')).toEqual({
      status: 415,
      body: { status: 415, error: 'Unsupported Media Type', path: '/things' },
    });
    expect(await errorBody('POST', '/things', '{"name":')).toEqual({
      status: 400,
      body: { status: 400, error: 'Bad Request', path: '/things' },
    });
    expect(await errorBody('GET', '/things/later')).toEqual({
      status: 400,
      body: { status: 400, error: 'Bad Request', path: '/things/later' },
    });
    expect(await errorBody('DELETE', '/things/later')).toEqual({
      status: 405,
      body: { status: 405, error: 'Method Not Allowed', path: '/things/later' },
    });
    expect(await errorBody('GET', '/nothing/here')).toEqual({
      status: 404,
      body: { status: 404, error: 'Not Found', path: '/nothing/here' },
    });
  });
});
