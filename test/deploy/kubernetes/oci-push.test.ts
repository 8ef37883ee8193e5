import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSpinLayout,
  createWasmLayout,
  MEDIA_TYPES,
  pushArtifact,
  verifyArtifact,
} from '../../../deploy/kubernetes/index.ts';
import { parseOciReference, pullBlob, pullManifest } from '../../../deploy/kubernetes/oci-client.ts';
import { startLocalRegistry, type LocalRegistry } from '../../helpers/oci-registry.ts';

// A component-shaped payload: the registry does not look inside, the runtimes do (not run here).
const wasm = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x0d,
  0x00,
  0x01,
  0x00,
  ...randomBytes(9 * 1024 * 1024),
]);

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(async () => {
  await registry.close();
});

describe('pushing components to a real OCI registry (docker-registry on loopback)', () => {
  it('pushes the Spin layout in chunks and pulls back the same bytes with its media types', async () => {
    const ref = `${registry.host}/shop/order-service:1.0`;
    const layout = createSpinLayout({ id: 'order-service', wasm, variables: ['db_host'] });
    const sent: number[] = [];
    const pushed = await pushArtifact(ref, layout, {
      chunkSize: 4 * 1024 * 1024,
      onProgress: (e) => sent.push(e.sent),
    });
    expect(pushed.blobs).toBe(3);
    expect(pushed.reused).toBe(0);
    expect(sent.filter((n) => n < wasm.byteLength).length).toBeGreaterThanOrEqual(2); // chunks reported
    const { manifest, digest } = await pullManifest(parseOciReference(ref));
    expect(digest).toBe(pushed.digest);
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.ociConfig);
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([
      MEDIA_TYPES.spinWasmLayer,
      MEDIA_TYPES.spinLockedApp,
    ]);
    const locked = JSON.parse(
      (await pullBlob(parseOciReference(ref), manifest.layers[1]!.digest)).toString('utf8'),
    ) as { components: { source: { content: { digest: string } } }[] };
    expect(locked.components[0]!.source.content.digest).toBe(manifest.layers[0]!.digest);
    expect(await verifyArtifact(ref, layout)).toEqual({ ok: true, problems: [] });
  });

  it('pushes the Wasm OCI artifact and reuses blobs the registry already has', async () => {
    const layout = createWasmLayout({ id: 'inventory-service', wasm });
    const first = await pushArtifact(`${registry.host}/shop/inventory-service:1`, layout);
    const second = await pushArtifact(`${registry.host}/shop/inventory-service:2`, layout);
    expect(first.reused).toBe(0);
    expect(second.reused).toBe(2);
    expect(second.digest).toBe(first.digest);
    const { manifest } = await pullManifest(parseOciReference(`${registry.host}/shop/inventory-service:2`));
    expect(manifest.artifactType).toBe(MEDIA_TYPES.wasmComponentArtifact);
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.wasmConfig);
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([MEDIA_TYPES.wasmLayer]);
    expect(await verifyArtifact(`${registry.host}/shop/inventory-service:2`, layout)).toEqual({
      ok: true,
      problems: [],
    });
  });

  it('reports a difference when the tag holds other bytes than the layout', async () => {
    const ref = `${registry.host}/shop/product-service:1`;
    await pushArtifact(ref, createWasmLayout({ id: 'p', wasm: new Uint8Array([0, 97, 115, 109, 1]) }));
    const other = createWasmLayout({ id: 'p', wasm: new Uint8Array([0, 97, 115, 109, 2]) });
    const result = await verifyArtifact(ref, other);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/differs from what was pushed/);
  });

  it('names the registry when nothing listens there', async () => {
    const layout = createWasmLayout({ id: 'x', wasm: new Uint8Array([0, 97, 115, 109]) });
    await expect(pushArtifact('127.0.0.1:9/shop/x:1', layout)).rejects.toThrow(/cannot reach 127\.0\.0\.1:9/);
  });
});
