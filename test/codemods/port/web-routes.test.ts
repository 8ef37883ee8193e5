import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { matchPath } from '../../../codemods/port/java/runtime/router.ts';
import { getJacksonFieldName, getJacksonPropertyOfGetter } from '../../../shared/jackson-names.ts';
import { loadThingRouter, typeCheck, writeProject, type RoutedAnswer } from './helpers.ts';

// Overloaded handlers and helpers, Spring path patterns, params conditions, HttpServletRequest and Jackson's
// names: ported (Java in → TypeScript out), type-checked, and answered through the generated router.
const FIXTURE = join(import.meta.dirname, 'fixtures', 'web-routes');

type Answer = RoutedAnswer;
let ported: PortedService;
let dir = '';
let get: (url: string) => Promise<Answer>;

beforeAll(async () => {
  ported = await portJavaSources('web-routes', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-web-'));
  await writeProject(dir, ported.files);
  const send = await loadThingRouter(dir);
  get = (url) => send('GET', url);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('port of web constructs', () => {
  it('generates the expected controller and DTO, which compile with tsc --strict', async () => {
    for (const path of ['src/thing-controller.ts', 'src/thing-view.ts'])
      await expect(ported.files.get(path)).toMatchFileSnapshot(join(FIXTURE, 'expected', path));
    expect(typeCheck(dir)).toEqual([]);
    expect(ported.report).toMatchObject({ typecheck: { checked: true, errors: [] }, typecheck_errors: 0 });
    expect(ported.report.todos).toEqual([]);
  });

  it('tells two handlers of one name apart by their params condition', async () => {
    expect(await get('/things')).toMatchObject({ status: 200, body: [{ name: 'all' }] });
    expect(await get('/things?name=bolt')).toMatchObject({ status: 200, body: [{ name: 'bolt' }] });
  });

  it('picks an overloaded helper by the argument’s run-time kind, as javac picked it by type', async () => {
    expect(await get('/things/42')).toEqual({ status: 200, body: { message: 'id 42', isFinal: true } });
    expect(await get('/things/bolt')).toEqual({
      status: 200,
      body: { message: 'slug bolt', isFinal: false },
    });
  });

  it('matches * as one segment and ** as the rest, and binds HttpServletRequest', async () => {
    expect(await get('/things/api/v2/list')).toMatchObject({ status: 200, body: { message: 'versioned' } });
    expect((await get('/things/api/v2/extra/list')).status).toBe(404);
    expect(await get('/things/files/1999/box/3?x=1')).toEqual({
      status: 410,
      body: { message: '/things/files/1999/box/3', isFinal: true },
    });
  });

  it('writes a Lombok class with Jackson’s property names, a record with its component names', async () => {
    expect((await get('/things?name=bolt')).body).toEqual([
      { name: 'bolt', inStock: false, active: true, isNew: true, xcount: 2 },
    ]);
  });
});

describe('Spring path patterns', () => {
  it.each([
    ['/a/{id}', '/a/7', { id: '7' }],
    ['/a/{id:\\d+}', '/a/7', { id: '7' }],
    ['/a/{id:\\d+}', '/a/x', undefined],
    ['/api/*/vets', '/api/v1/vets', {}],
    ['/api/*/vets', '/api/vets', undefined],
    ['/archive/**', '/archive', {}],
    ['/archive/**', '/archive/a/b', {}],
    ['/files/{*path}', '/files/a/b', { path: '/a/b' }],
    ['/a/b', '/a/b/c', undefined],
  ])('%s against %s', (pattern, path, expected) => {
    expect(matchPath(pattern, path)).toEqual(expected);
  });
});

describe('Jackson property names', () => {
  it.each([
    ['inStock', 'boolean', 'inStock'],
    ['isActive', 'boolean', 'active'],
    ['isActive', 'Boolean', 'isActive'],
    ['active', 'Boolean', 'active'],
    ['xCount', 'int', 'xcount'],
    ['url', 'String', 'url'],
  ])('a Lombok field %s of type %s is %s', (field, type, json) => {
    expect(getJacksonFieldName(field, type)).toBe(json);
  });

  it('takes isX() as a getter only for a primitive boolean, and lowers leading capitals', () => {
    expect(getJacksonPropertyOfGetter('isReady', 'Boolean')).toBeUndefined();
    expect(getJacksonPropertyOfGetter('isReady', 'boolean')).toBe('ready');
    expect(getJacksonPropertyOfGetter('getURL', 'String')).toBe('url');
  });
});
