/**
 * Against a real Docker Engine (scripts/ensure-services.sh starts one and writes its DOCKER_HOST to
 * `.docker-host`). Images are built FROM scratch here: there is no registry. If the engine is not reachable
 * the test fails and says how to start it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerLiveReader, getDockerOptions } from '../../../analyzer/infra/docker-live.ts';
import type { LiveContainer } from '../../../analyzer/infra/types.ts';
import { isAppError } from '../../../shared/errors.ts';
import { FIXTURES, contextFor } from './helpers.ts';

const repoRoot = join(import.meta.dirname, '../../..');
const estate = join(FIXTURES, 'live-estate');
const hostFile = join(repoRoot, '.docker-host');
const dockerHost =
  process.env['DOCKER_HOST'] ?? (existsSync(hostFile) ? readFileSync(hostFile, 'utf8').trim() : undefined);
const suffix = randomBytes(4).toString('hex');
const IMAGES = ['migrate-live-test/api:1', 'migrate-live-test/worker:1', `migrate-live-test/stray:${suffix}`];

/** A 129-byte static x86-64 Linux program that sleeps forever (`pause()` in a loop): a container's PID 1. */
function pauseBinary(): Buffer {
  const code = Buffer.from([0xb8, 0x22, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7]); // mov eax,34; syscall; jmp -9
  const base = 0x400000n;
  const size = 64 + 56 + code.length;
  const b = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(b, 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // x86-64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(base + 120n, 24); // entry
  b.writeBigUInt64LE(64n, 32); // phoff
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(1, 56);
  b.writeUInt32LE(1, 64); // PT_LOAD
  b.writeUInt32LE(5, 68); // R+X
  b.writeBigUInt64LE(0n, 72);
  b.writeBigUInt64LE(base, 80);
  b.writeBigUInt64LE(base, 88);
  b.writeBigUInt64LE(BigInt(size), 96);
  b.writeBigUInt64LE(BigInt(size), 104);
  b.writeBigUInt64LE(0x1000n, 112);
  code.copy(b, 120);
  return b;
}

/** A minimal ustar archive (the build context). */
function tar(files: Record<string, { data: Buffer; mode: number }>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, { data, mode }] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write(
      `${Math.floor(Date.now() / 1000)
        .toString(8)
        .padStart(11, '0')}\0`,
      136,
    );
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

async function build(docker: Docker, tag: string, labels: Record<string, string>): Promise<void> {
  const dockerfile =
    'FROM scratch\nCOPY pause /pause\nENV GREETING=hello\nEXPOSE 8080\nENTRYPOINT ["/pause"]\n';
  const stream = await docker.buildImage(
    tar({
      Dockerfile: { data: Buffer.from(dockerfile), mode: 0o644 },
      pause: { data: pauseBinary(), mode: 0o755 },
    }) as unknown as NodeJS.ReadableStream,
    { t: tag, labels },
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: Array<{ error?: string }>) => {
      const failed = output.find((o) => o.error !== undefined);
      if (error) reject(error);
      else if (failed) reject(new Error(failed.error));
      else resolve();
    });
  });
}

describe('docker-live reader against a real engine', () => {
  let docker: Docker;
  const names = {
    labelled: `migrate-live-test-api-${suffix}`,
    byImage: `migrate-live-test-worker-${suffix}`,
    stray: `migrate-live-test-stray-${suffix}`,
  };
  let containers: LiveContainer[] = [];

  beforeAll(async () => {
    if (dockerHost === undefined)
      throw new Error(
        'no Docker engine: run `bash scripts/ensure-services.sh` (it writes .docker-host) or set DOCKER_HOST',
      );
    docker = new Docker(getDockerOptions(dockerHost));
    try {
      await docker.ping();
    } catch (error) {
      throw new Error(
        `Docker engine at ${dockerHost} is not reachable (${String(error)}); run \`bash scripts/ensure-services.sh\``,
        { cause: error },
      );
    }
    if (process.arch !== 'x64')
      throw new Error(`the test image's pause binary is x86-64; this machine is ${process.arch}`);
    for (const tag of IMAGES) await build(docker, tag, { 'org.example.test': tag });
    const run = async (name: string, image: string, extra: Docker.ContainerCreateOptions): Promise<void> => {
      const c = await docker.createContainer({ name, Image: image, ...extra });
      await c.start();
    };
    await run(names.labelled, 'migrate-live-test/api:1', {
      Labels: { 'com.docker.compose.project': 'migrate-live-test', 'com.docker.compose.service': 'api' },
      Env: ['STOCK_URL=http://stock:8080', 'DB_PASSWORD=hunter2', 'QUEUE_URL=amqp://u:pw@rabbit:5672'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } },
    });
    await run(names.byImage, 'migrate-live-test/worker:1', {});
    await run(names.stray, `migrate-live-test/stray:${suffix}`, {});
    const reader = createDockerLiveReader({ dockerHost });
    const facts = await reader.read({ ...contextFor(estate), docker: true });
    containers = (facts.containers ?? []).filter((c) => c.name.endsWith(suffix));
  });

  afterAll(async () => {
    if (docker === undefined) return;
    for (const name of Object.values(names))
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => undefined);
    for (const tag of IMAGES)
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('joins a container to its compose service by the compose labels', () => {
    const c = containers.find((x) => x.name === names.labelled);
    expect(c).toMatchObject({
      image: 'migrate-live-test/api:1',
      state: 'running',
      composeProject: 'migrate-live-test',
      composeService: 'api',
      service: 'api',
      joinedBy: 'compose-labels',
    });
    expect(c?.imageSize).toBeGreaterThan(0);
  });

  it('publishes ports on loopback only and reports them', () => {
    const c = containers.find((x) => x.name === names.labelled);
    expect(c?.ports).toHaveLength(1);
    expect(c?.ports[0]).toMatchObject({ container: 8080, hostIp: '127.0.0.1' });
    expect(c?.ports[0]?.host).toBeGreaterThan(0);
  });

  it('reads env with secrets and URL passwords redacted', () => {
    const c = containers.find((x) => x.name === names.labelled);
    // The engine adds PATH to every container.
    expect(c?.env.filter((e) => e.name !== 'PATH').map((e) => [e.name, e.value])).toEqual([
      ['DB_PASSWORD', '***'],
      ['GREETING', 'hello'],
      ['QUEUE_URL', 'amqp://u:***@rabbit:5672'],
      ['STOCK_URL', 'http://stock:8080'],
    ]);
    expect(JSON.stringify(containers)).not.toContain('hunter2');
  });

  it('joins a container without labels by its image name, and leaves an unknown one unjoined', () => {
    expect(containers.find((x) => x.name === names.byImage)).toMatchObject({
      service: 'worker',
      joinedBy: 'image',
    });
    const stray = containers.find((x) => x.name === names.stray);
    expect(stray?.service).toBeUndefined();
    expect(containers.map((c) => c.name)).toEqual([...Object.values(names)].sort());
  });

  it('fails with a MIG_DOCKER error naming the host when the engine is not reachable', async () => {
    const reader = createDockerLiveReader({ dockerHost: 'unix:///nonexistent/docker.sock' });
    const error: unknown = await reader
      .read({ ...contextFor(estate), docker: true })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('MIG_DOCKER');
    expect(String((error as Error).message)).toContain('/nonexistent/docker.sock');
  });

  it('does nothing without --docker', async () => {
    expect(await createDockerLiveReader({ dockerHost }).read(contextFor(estate))).toEqual({});
  });
});
