import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../bridge/index.ts';
import { runCli } from '../../../cli/main.ts';
import { runCliCaptured } from '../../helpers/run-cli.ts';
import { echo, startGateway, startUpstream, testConfig, token, waitFor, type Upstream } from './helpers.ts';

describe('migrate shift and migrate status', () => {
  let container: Upstream;
  let wasm: Upstream;
  let gateway: Gateway;
  const env = (): NodeJS.ProcessEnv => ({ MIGRATE_GATEWAY_TOKEN: token });

  beforeAll(async () => {
    container = await startUpstream(echo('container'));
    wasm = await startUpstream(echo('wasm'));
    gateway = await startGateway(
      testConfig({
        routes: [{ name: 'order', prefix: '/api/order', container: [container.url], wasm: [wasm.url] }],
      }),
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await container.close();
    await wasm.close();
  });

  it('sets a weight and prints the route', async () => {
    const run = await runCliCaptured(['shift', 'order', '10', '--admin', gateway.adminUrl], env());
    expect(run).toMatchObject({ code: 0, stdout: 'order (/api/order): wasm 10%, no shadow\n' });
    expect(gateway.getState().routes[0]!.weight).toBe(10);
  });

  it('turns shadowing on and rolls back, with --json', async () => {
    const shadow = await runCliCaptured(
      ['shift', 'order', 'shadow', '--sample-rate', '0.25', '--admin', gateway.adminUrl, '--json'],
      env(),
    );
    expect(shadow.code).toBe(0);
    expect(JSON.parse(shadow.stdout)).toMatchObject({
      schemaVersion: '1',
      action: 'shadow',
      route: { name: 'order', shadow: { enabled: true, sampleRate: 0.25 } },
    });
    const back = await runCliCaptured(['shift', 'order', 'rollback', '--admin', gateway.adminUrl], env());
    expect(back.code).toBe(0);
    expect(gateway.getState().routes[0]!.weight).toBe(0);
    expect(gateway.events.recent().at(-1)).toMatchObject({ type: 'route.rolled-back', source: 'admin' });
  });

  it('prints status as text and as one JSON document', async () => {
    const text = await runCliCaptured(['status', '--admin', gateway.adminUrl], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('order (/api/order): wasm 0%, shadow 25%');
    expect(text.stdout).toContain('recent decisions:');
    const json = await runCliCaptured(['status', '--admin', gateway.adminUrl, '--json'], env());
    expect(JSON.parse(json.stdout)).toMatchObject({
      schemaVersion: '1',
      routes: [{ name: 'order', weight: 0 }],
    });
  });

  it('explains a wrong token, a bad target, an unknown route and an unreachable gateway (exit 2)', async () => {
    const wrong = await runCliCaptured(['status', '--admin', gateway.adminUrl, '--token', 'not-the-token']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/missing or wrong bearer token/);
    expect(wrong.stderr).toMatch(/hint: pass --token or set MIGRATE_GATEWAY_TOKEN/);
    const target = await runCliCaptured(['shift', 'order', 'lots', '--admin', gateway.adminUrl], env());
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/MIG_USAGE target must be 0-100, shadow, unshadow or rollback/);
    const route = await runCliCaptured(['shift', 'nope', '5', '--admin', gateway.adminUrl], env());
    expect(route.stderr).toMatch(/MIG_NOT_FOUND gateway refused: no route named "nope"/);
    const down = await runCliCaptured(['status', '--admin', 'http://127.0.0.1:9'], env());
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/cannot reach the gateway admin API/);
    const noToken = await runCliCaptured(['status', '--admin', gateway.adminUrl]);
    expect(noToken.stderr).toMatch(/no admin token/);
  });
});

describe('migrate gateway', () => {
  let dir: string;
  let container: Upstream;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-gw-cli-'));
    container = await startUpstream(echo('container'));
  });

  afterAll(async () => {
    await container.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs until the signal aborts, logging NDJSON events on stderr', async () => {
    const file = join(dir, 'gateway.yaml');
    await writeFile(
      file,
      `listen: {port: 0}\nadmin: {port: 0}\nroutes:\n  - {name: order, prefix: /api/order, container: ["${container.url}"]}\n`,
    );
    const stderr = new PassThrough();
    let log = '';
    stderr.on('data', (d: Buffer) => (log += d.toString()));
    const controller = new AbortController();
    const running = runCli(['gateway', '--config', file], {
      stdout: new PassThrough(),
      stderr,
      env: { MIGRATE_GATEWAY_TOKEN: token },
      signal: controller.signal,
    });
    const started = await waitFor(() =>
      log
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string; listen: string })
        .find((e) => e.type === 'gateway.started'),
    );
    const answer = await fetch(`${started.listen}/api/order/1`);
    expect(answer.headers.get('x-migrate-side')).toBe('container');
    expect(((await answer.json()) as { path: string }).path).toBe('/api/order/1');
    controller.abort();
    expect(await running).toBe(0);
    expect(log).toContain('"type":"gateway.stopped"');
  });

  it('fails with a located config error and exit 2', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'routes:\n  - name: Order!\n');
    const run = await runCliCaptured(['gateway', '--config', file], { MIGRATE_GATEWAY_TOKEN: token });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--> ${file}:2:`);
    expect(run.stderr).toMatch(/MIG_CONFIG invalid gateway config at routes\[0\]/);
  });

  it('refuses to start without an admin token', async () => {
    const file = join(dir, 'ok.yaml');
    await writeFile(file, `routes:\n  - {name: order, prefix: /o, container: ["${container.url}"]}\n`);
    const run = await runCliCaptured(['gateway', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hint: set MIGRATE_GATEWAY_TOKEN/);
  });
});
