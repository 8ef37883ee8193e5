// Every sample service built for every target it supports, linked by the real Wasmtime (49, Python binding; the
// test set-up runs scripts/ensure-wasmtime.sh) against a linker that defines exactly that runtime's host world
// (Wasmtime's WASI 0.2 and wasi:http, the rest stubbed from the runtime's own WIT under runtimes/) and
// instantiated; then served by migrate's host, which serves every target's pins. A component with a foreign pin
// fails on the runtime with the import named, and NATS services still refuse Spin with the way out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHostConfig } from '../../../bridge/host/config.ts';
import { createHost, type Host } from '../../../bridge/host/host.ts';
import type { BuiltService } from '../../../codemods/build/build-service.ts';
import { checkComponentLinks } from '../../../codemods/build/link-check.ts';
import { findWasmtimePython } from '../../../codemods/build/wasmtime-check.ts';
import { getRuntime, RUNTIMES } from '../../../shared/runtimes.ts';
import type { Target } from '../../../shared/catalog.ts';
import { buildSample, SAMPLE_TARGETS, type SampleService } from '../../helpers/build-sample.ts';
import { portAndCodemod } from '../../helpers/port-service.ts';
import { buildService } from '../../../codemods/build/build-service.ts';

const BUILD_TIMEOUT = 900_000;
const built = new Map<string, BuiltService>();
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The runtime a target's build must link on: its own, or for embedded the runtime whose pins it took. */
function ownRuntime(service: BuiltService): string {
  return getRuntime(service.pins ?? 'wasmcloud').label;
}

describe('sample services link on the runtimes they are built for (Wasmtime 49)', () => {
  it('has the real Wasmtime installed (scripts/ensure-wasmtime.sh)', () => {
    expect(findWasmtimePython()).toBeDefined();
  });

  for (const [service, targets] of Object.entries(SAMPLE_TARGETS) as [SampleService, readonly Target[]][]) {
    for (const target of targets) {
      it(
        `${service} built for ${target} links and instantiates on its runtime`,
        async () => {
          const result = await buildSample(service, target);
          built.set(`${service}/${target}`, result);
          expect(result.link.checkedBy).toBe('wasmtime');
          const own = result.link.runtimes.find((entry) => entry.label === ownRuntime(result))!;
          expect(own.unlinked).toEqual([]);
          expect([own.links, own.instantiated]).toEqual([true, true]);
          if (target === 'embedded') {
            // the local artifact takes a real runtime's pins: wasmCloud's, or Spin's for Redis structures
            expect(result.pins).toBe(service === 'product-service' ? 'spin' : 'wasmcloud');
          } else {
            expect(result.pins).toBe(target);
          }
        },
        BUILD_TIMEOUT,
      );
    }
  }

  it('reports the same link matrix for spin and spin4 builds, and wasmCloud-only for NATS services', () => {
    const linksOn = (key: string): string[] => built.get(key)!.link.linksOn;
    expect(linksOn('inventory-service/wasmcloud')).toEqual(['wasmCloud 2.x']);
    expect(linksOn('inventory-service/spin')).toEqual(['Spin 3.6.3 (SpinKube)', 'Spin 4.0.2']);
    expect(linksOn('inventory-service/spin4')).toEqual(['Spin 3.6.3 (SpinKube)', 'Spin 4.0.2']);
    expect(linksOn('product-service/spin')).toEqual(['Spin 3.6.3 (SpinKube)', 'Spin 4.0.2']);
    expect(linksOn('order-service/wasmcloud')).toEqual(['wasmCloud 2.x']);
    expect(linksOn('notification-service/wasmcloud')).toEqual(['wasmCloud 2.x']);
  });

  it('fails a component with a foreign pin on the runtime, naming the import and the way out', async () => {
    // inventory built for Spin imports Spin's wasi:config/store@0.2.0-draft-2024-09-27; wasmCloud 2 serves
    // @0.2.0-rc.1, and prerelease versions match only exactly.
    const spin = built.get('inventory-service/spin')!;
    const report = await checkComponentLinks(spin.out, spin.imports, {
      runtimes: [getRuntime('wasmcloud')],
    });
    expect(report.checkedBy).toBe('wasmtime');
    const [wasmcloud] = report.runtimes;
    expect(wasmcloud!.links).toBe(false);
    const config = wasmcloud!.unlinked.find((entry) => entry.import.startsWith('wasi:config/store'));
    expect(config).toMatchObject({
      import: 'wasi:config/store@0.2.0-draft-2024-09-27',
      wayOut:
        'wasmCloud 2.x serves wasi:config/store@0.2.0-rc.1: build with --target wasmcloud, which pins it',
    });
    expect(config!.reason).toMatch(
      /component imports instance `wasi:config\/store@0\.2\.0-draft-2024-09-27`, but a matching implementation was not found/,
    );
  }, 300_000);

  it.each(['spin', 'spin4'] as const)(
    'refuses order-service on %s before compiling, with the way out',
    async (target) => {
      const dir = await mkdtemp(join(tmpdir(), 'migrate-runtime-link-'));
      dirs.push(dir);
      const root = await portAndCodemod(dir, 'order-service');
      await expect(buildService(root, { target })).rejects.toMatchObject({
        code: 'MIG_UNSUPPORTED',
        hint: expect.stringMatching(/target wasmCloud for this service/),
      });
    },
    300_000,
  );
});

describe("the same components run in migrate's host", () => {
  let host: Host | undefined;

  afterAll(async () => {
    await host?.close();
  });

  it(
    'instantiates every build and answers a request (the ported router’s 404)',
    async () => {
      expect(built.size).toBe(Object.values(SAMPLE_TARGETS).flat().length);
      const dir = await mkdtemp(join(tmpdir(), 'migrate-runtime-host-'));
      dirs.push(dir);
      // One host component per distinct build: spin/spin4 and wasmcloud/embedded builds of a service are the same bytes.
      const distinct = new Map<string, BuiltService & { key: string }>();
      for (const [key, service] of built) {
        if (!distinct.has(service.hash)) distinct.set(service.hash, { ...service, key });
      }
      const names = [...distinct.values()].map((service) => service.key.replace('/', '-'));
      host = await createHost({
        config: parseHostConfig(
          JSON.stringify({
            cacheDir: join(dir, 'cache'),
            backends: {
              postgres: { url: 'postgres://postgres@127.0.0.1:5432/test', poolSize: 1 },
              redis: { url: 'redis://127.0.0.1:6379/0', keyPrefix: `runtime-link-${process.pid}:` },
              nats: { url: 'nats://127.0.0.1:4222' },
            },
            components: [...distinct.values()].map((service, index) => ({
              name: names[index],
              wasm: service.out,
              capabilities: [
                'sql',
                'kv',
                'redis',
                'messaging',
                'config',
                'logging',
                'clocks',
                'random',
                'http-out',
              ],
              limits: { instances: 1, timeoutMs: 60_000, memoryMb: 256 },
            })),
          }),
          'runtime-link.json',
        ),
        logger: { log: () => undefined },
      });
      for (const name of names) {
        const response = await host.handle(name, { method: 'GET', path: '/migrate-runtime-link-check' });
        expect([name, response.status]).toEqual([name, 404]);
      }
    },
    BUILD_TIMEOUT,
  );
});

// Every runtime is checked, so a build names each one.
it('checks every real runtime', () => {
  expect(RUNTIMES.map((runtime) => runtime.target)).toEqual(['wasmcloud', 'spin', 'spin4']);
});
