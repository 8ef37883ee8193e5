/**
 * The readers the fuzzer drives, each with its real seeds (fixtures and samples) and an arbitrary of generated
 * and mutated inputs. A target's `run` feeds one input through the reader the way `migrate` does (infra
 * readers read a scratch estate on disk) and throws whatever the reader throws.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { parseGatewayConfig } from '../../bridge/gateway/load-config.ts';
import { parseHostConfig } from '../../bridge/host/config.ts';
import { composeReader } from '../../analyzer/infra/compose.ts';
import { dockerfileReader } from '../../analyzer/infra/dockerfile.ts';
import { k8sReader } from '../../analyzer/infra/k8s.ts';
import { propertiesReader } from '../../analyzer/infra/properties.ts';
import type { InfraReader } from '../../analyzer/infra/types.ts';
import { extractJavaFacts } from '../../analyzer/languages/java/extract.ts';
import { linkJavaService } from '../../analyzer/languages/java/link.ts';
import { getJavaParser } from '../../analyzer/languages/java/parser.ts';
import { portJavaSources } from '../../codemods/port/java/index.ts';
import { linesArbitrary, tokenSoupArbitrary, yamlArbitrary } from './generate.ts';
import { mutatedArbitrary, type FuzzInput, type InputSize, type Seed } from './mutate.ts';

const ROOT = join(import.meta.dirname, '../..');

export const TARGET_NAMES = [
  'host-config',
  'gateway-config',
  'java',
  'port',
  'compose',
  'k8s',
  'dockerfile',
  'properties',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface FuzzTarget {
  readonly name: TargetName;
  readonly seeds: readonly Seed[];
  /** Generated and mutated inputs, mostly mutated. */
  readonly arbitrary: fc.Arbitrary<FuzzInput>;
  /** Feeds one input to the reader; throws what the reader throws. */
  run(input: FuzzInput): Promise<unknown>;
  close(): Promise<void>;
}

/** Every file under `dirs` (relative to the repository) whose name passes `accept`. */
function findFiles(dirs: readonly string[], accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'target' || name === 'dist') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (accept(name)) out.push(path);
    }
  };
  for (const dir of dirs) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  return out.sort();
}

function seedsFrom(files: readonly string[], slot: (path: string) => string): Seed[] {
  return files.map((path) => ({ slot: slot(path), text: readFileSync(path, 'utf8') }));
}

function mix(
  size: InputSize,
  seeds: readonly Seed[],
  generated: fc.Arbitrary<FuzzInput>,
): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { arbitrary: mutatedArbitrary(seeds, size), weight: 3 },
    { arbitrary: generated, weight: 1 },
  );
}

const HOST_BLOCK: Seed = {
  slot: 'host.yaml',
  text: `cacheDir: .cache/host
backends:
  postgres:
    url: postgres://postgres@127.0.0.1:5432/test
    poolSize: 4
components:
  - name: inventory
    wasm: dist/inventory.wasm
    port: 0
    listen: 127.0.0.1
    capabilities:
      - sql
      - kv
      - redis
    backends:
      redis:
        url: redis://127.0.0.1:6379/3
        keyPrefix: "inv:"
    allowedHosts: []
    config:
      spring.datasource.url: jdbc:postgresql://127.0.0.1:5432/test
    subscriptions: [orders.placed]
    limits:
      timeoutMs: 10000
      memoryMb: 64
      instances: 1
`,
};

const GATEWAY_BLOCK: Seed = {
  slot: 'gateway.yaml',
  text: `listen:
  host: 127.0.0.1
  port: 0
routes:
  - name: orders
    prefix: /api/orders
    container:
      - http://127.0.0.1:18081
    wasm:
      - http://127.0.0.1:28081
    weight: 10
    sticky: { from: cookie, name: uid }
    shadow:
      enabled: true
      sampleRate: 0.5
      ignore: [createdAt, items[].sku]
`,
};

/** Where scratch estates go (memory-backed when there is one); each is named `migrate-fuzz-<reader>-<pid>-…`. */
export const SCRATCH_BASE = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

async function createScratch(name: string): Promise<string> {
  const dir = join(
    SCRATCH_BASE,
    `migrate-fuzz-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  );
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Writes the seeds as an estate, then per input overwrites one file, runs the reader and puts the seed back. */
async function createInfraTarget(
  name: TargetName,
  seeds: readonly Seed[],
  arbitrary: fc.Arbitrary<FuzzInput>,
  reader: InfraReader,
  filesFor: (slot: string, all: readonly string[]) => string[],
): Promise<FuzzTarget> {
  const estate = await createScratch(name);
  const originals = new Map<string, string>();
  for (const seed of seeds) {
    if (originals.has(seed.slot)) continue;
    originals.set(seed.slot, seed.text);
    await mkdir(dirname(join(estate, seed.slot)), { recursive: true });
    await writeFile(join(estate, seed.slot), seed.text);
  }
  const all = [...originals.keys()].sort();
  return {
    name,
    seeds,
    arbitrary,
    async run(input) {
      const path = join(estate, input.slot);
      await writeFile(path, input.text);
      try {
        const facts = await reader.read({
          estateRoot: estate,
          files: filesFor(input.slot, all),
          docker: false,
        });
        JSON.stringify(facts); // what --json does with it
        return facts;
      } finally {
        await writeFile(path, originals.get(input.slot) ?? '');
      }
    },
    close: () => rm(estate, { recursive: true, force: true }),
  };
}

const rel = (path: string): string => relative(ROOT, path).split(sep).join('/');

/** Creates the target `name`; `size` bounds how big its inputs get (see InputSize). */
export async function createTarget(name: TargetName, size: InputSize = 'full'): Promise<FuzzTarget> {
  const noClose = (): Promise<void> => Promise.resolve();
  switch (name) {
    case 'host-config': {
      const seeds = [
        ...seedsFrom(
          findFiles(['bridge/host/examples', 'samples/spring-orders'], (n) => n === 'host.yaml'),
          () => 'host.yaml',
        ),
        HOST_BLOCK,
        { slot: 'host.json', text: JSON.stringify(parseHostConfig(HOST_BLOCK.text, 'host.yaml'), null, 2) },
      ];
      return {
        name,
        seeds,
        arbitrary: mix(size, seeds, yamlArbitrary(seeds)),
        run: (input) => Promise.resolve(parseHostConfig(input.text, input.slot)),
        close: noClose,
      };
    }
    case 'gateway-config': {
      const seeds = [
        ...seedsFrom(
          findFiles(['bridge/gateway/examples'], (n) => /\.ya?ml$/.test(n)),
          () => 'gateway.yaml',
        ),
        GATEWAY_BLOCK,
      ];
      return {
        name,
        seeds,
        arbitrary: mix(size, seeds, yamlArbitrary(seeds)),
        run: (input) => Promise.resolve(parseGatewayConfig(input.text, input.slot)),
        close: noClose,
      };
    }
    case 'java': {
      const seeds = seedsFrom(
        findFiles(['samples', 'test'], (n) => n.endsWith('.java')),
        (p) => rel(p),
      );
      const parser = await getJavaParser();
      return {
        name,
        seeds,
        arbitrary: mix(size, seeds, tokenSoupArbitrary(seeds)),
        run(input) {
          const facts = extractJavaFacts(parser, input.text);
          const analysis = linkJavaService([{ path: input.slot, facts }]);
          JSON.stringify(analysis);
          return Promise.resolve(analysis);
        },
        close: noClose,
      };
    }
    case 'port': {
      const seeds = seedsFrom(
        findFiles(['test/codemods/port/fixtures', 'samples/spring-orders/inventory-service'], (n) =>
          n.endsWith('.java'),
        ),
        (p) => rel(p).replace(/^.*?src\/main\/java\//, 'src/main/java/'),
      );
      const app = `package com.ex;\n@SpringBootApplication\npublic class App { public static void main(String[] args) { SpringApplication.run(App.class, args); } }\n`;
      return {
        name,
        seeds,
        arbitrary: mix(size, seeds, tokenSoupArbitrary(seeds)),
        run: (input) =>
          portJavaSources(
            'fuzz-service',
            new Map([
              ['src/main/java/com/ex/App.java', app],
              [input.slot, input.text],
            ]),
          ),
        close: noClose,
      };
    }
    case 'compose': {
      const seeds = seedsFrom(
        findFiles(['samples', 'test'], (n) => /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(n)),
        () => 'docker-compose.yml',
      );
      return createInfraTarget(name, seeds, mix(size, seeds, yamlArbitrary(seeds)), composeReader, (slot) => [
        slot,
      ]);
    }
    case 'k8s': {
      const seeds = [
        ...seedsFrom(
          findFiles(['test/analyzer/infra/fixtures/estate/k8s'], (n) => /\.ya?ml$/.test(n)),
          (p) => `fixture/${rel(p).split('/estate/k8s/')[1]}`,
        ),
        ...seedsFrom(
          findFiles(['samples/spring-orders/k8s'], (n) => /\.ya?ml$/.test(n)),
          (p) => `sample/${rel(p).split('/k8s/')[1]}`,
        ),
      ];
      // the reader sees the whole estate of the seed's side, so kustomizations pull the mutated file in
      return createInfraTarget(name, seeds, mix(size, seeds, yamlArbitrary(seeds)), k8sReader, (slot, all) =>
        all.filter((f) => f.split('/')[0] === slot.split('/')[0]),
      );
    }
    case 'dockerfile': {
      const seeds = seedsFrom(
        findFiles(['samples', 'test'], (n) => n === 'Dockerfile' || n.endsWith('.Dockerfile')),
        () => 'Dockerfile',
      );
      const heads = [
        'FROM',
        'RUN',
        'ENV',
        'ARG',
        'EXPOSE',
        'CMD',
        'ENTRYPOINT',
        'USER',
        'COPY',
        'WORKDIR',
        'LABEL',
        'HEALTHCHECK',
        'ONBUILD',
        '#',
        '',
      ];
      return createInfraTarget(
        name,
        seeds,
        mix(size, seeds, linesArbitrary(seeds, heads)),
        dockerfileReader,
        (slot) => [slot],
      );
    }
    case 'properties': {
      const seeds = seedsFrom(
        findFiles(['samples', 'test'], (n) => /^application(-[\w]+)?\.(properties|ya?ml)$/.test(n)),
        (p) => p.split(sep).pop()!,
      );
      const keys = [
        ...new Set(seeds.flatMap((s) => [...s.text.matchAll(/^([\w.-]+)\s*[=:]/gm)].map((m) => m[1]!))),
      ];
      const generated = fc.oneof(
        yamlArbitrary(seeds.filter((s) => !s.slot.endsWith('.properties'))),
        linesArbitrary(
          seeds.filter((s) => s.slot.endsWith('.properties')),
          keys,
        ),
      );
      return createInfraTarget(name, seeds, mix(size, seeds, generated), propertiesReader, (slot) => [slot]);
    }
  }
}
