import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'runtime-constructs');

let ported: PortedService;
let dir: string;
let pets: Server;
let service: ChildProcess | undefined;
let base: string;

/** A stand-in for the service the ported WebClient calls: pet 1 exists, any other is 404. */
function startPets(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/pets/1') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1,"name":"Rex"}');
    } else res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs the generated main.ts in plain Node and waits for its "Started" line (the runners ran before it). */
async function startService(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: dir,
    env: { ...process.env, ...env, SERVER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for await (const chunk of child.stderr as AsyncIterable<Buffer>) {
    output += chunk.toString();
    const started = /Started fx on port (\d+)/.exec(output);
    if (started?.[1]) return { child, port: Number(started[1]) };
  }
  throw new Error(`main.ts exited before it started:\n${output}`);
}

beforeAll(async () => {
  ported = await portJavaSources('fx', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-runtime-'));
  await writeProject(dir, ported.files);
  pets = await startPets();
  const started = await startService({
    PETS_URL: `http://127.0.0.1:${(pets.address() as AddressInfo).port}`,
    GREETING: 'hi',
  });
  service = started.child;
  base = `http://127.0.0.1:${started.port}`;
});

afterAll(async () => {
  if (service?.exitCode === null) {
    service.kill('SIGTERM');
    await once(service, 'exit');
  }
  pets.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runtime constructs in the port', () => {
  it('carries static init, a WebClient.Builder call, CompletableFuture and @Bean methods with no TODO, and compiles', () => {
    expect(ported.report.dropped).toEqual([]);
    expect(ported.report.todos).toEqual([]);
    expect(ported.report).toMatchObject({ typecheck_errors: 0 });
    expect(typeCheck(dir)).toEqual([]);
    // static init becomes a method the composition root calls; the future chain a promise chain
    expect(ported.files.get('src/greeter.ts')).toContain('static initStatics(): void {');
    expect(ported.files.get('src/pet-service.ts')).toMatch(
      /Promise\.resolve\(\)\s*\.then\(async \(\) => await this\.client\.find\(id\)\)\s*\.then\(async \(pet\) => this\.label\(id, pet\)\)/,
    );
  });

  it('runs the static block (reading the environment) before the beans, and the @Bean runner at startup', async () => {
    expect(await (await fetch(`${base}/greeting`)).text()).toContain('hi');
    expect(await (await fetch(`${base}/started`)).json()).toEqual(['hi']);
  });

  it('answers through supplyAsync/thenApply/join and the WebClient, and maps a 404 to the advice', async () => {
    const label = await fetch(`${base}/pets/1/label`);
    expect(label.status).toBe(200);
    expect(await label.text()).toContain('REX (1)');
    expect(await (await fetch(`${base}/pets/1/label-now`)).text()).toContain('Rex (1)');
    // the WebClient's NotFound is caught (null), and the future fails with the service's exception
    const unknown = await fetch(`${base}/pets/2/label`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('pet 2 not found');
  });

  it('runs the same initialisation and startup hooks in the component, once, before it serves', () => {
    const component = ported.files.get('src/component.ts') ?? '';
    const compose = component.slice(component.indexOf('function compose()'));
    expect(compose.indexOf('Greeter.initStatics();')).toBeGreaterThan(0);
    expect(compose.indexOf('Greeter.initStatics();')).toBeLessThan(compose.indexOf('new Greeter()'));
    expect(compose).toContain('await markStarted([]);');
    expect(component).toMatch(/composed \?\?= compose\(\);\s*await composed\.started;/);
  });
});
