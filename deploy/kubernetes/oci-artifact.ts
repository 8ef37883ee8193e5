import {
  parseOciReference,
  pullBlob,
  pullManifest,
  pushBlob,
  pushManifest,
  sha256Digest,
  type OciManifest,
  type OciPushOptions,
} from './oci-client.ts';
import type { KubeTarget } from './types.ts';

/**
 * The two layouts a component is pushed in, as the runtimes pull them:
 * - SpinKube (the containerd Spin shim, as `spin registry push` writes it): an OCI image config (architecture
 *   `wasm`) labelled with the locked app's digest, one `application/vnd.wasm.content.layer.v1+wasm` layer per
 *   component, and the locked application JSON as the last layer, `application/vnd.fermyon.spin.application.v1+config`.
 * - wasmCloud (the CNCF Wasm OCI artifact, as `wash push`/`wkg` write it): config
 *   `application/vnd.wasm.config.v0+json` (architecture, os `wasip2`, layer digests), one `application/wasm` layer.
 */
export const MEDIA_TYPES = {
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  spinLockedApp: 'application/vnd.fermyon.spin.application.v1+config',
  spinWasmLayer: 'application/vnd.wasm.content.layer.v1+wasm',
  wasmConfig: 'application/vnd.wasm.config.v0+json',
  wasmLayer: 'application/wasm',
  wasmComponentArtifact: 'application/vnd.wasm.component.v1+wasm',
} as const;

/** One component to push. */
export interface ComponentArtifact {
  /** Component id in the Spin app (the service id, DNS-label form). */
  id: string;
  wasm: Uint8Array;
  /** HTTP route the Spin trigger serves, e.g. `/...` (everything). */
  route?: string;
  /** Spin variable names the SpinApp provides (declared in the locked app, mapped 1:1 to component config). */
  variables?: readonly string[];
}

interface Blob {
  mediaType: string;
  bytes: Uint8Array;
}

/** Blobs and manifest fields of an artifact, before pushing. Pure. */
export interface ArtifactLayout {
  config: Blob;
  layers: Blob[];
  artifactType?: string;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** Spin's application layout: wasm layer + locked app layer, image config labelled with the locked app digest. */
export function createSpinLayout(component: ComponentArtifact): ArtifactLayout {
  const wasmDigest = sha256Digest(component.wasm);
  const variables = component.variables ?? [];
  const locked = {
    spin_lock_version: 1,
    metadata: { name: component.id, version: '0.1.0' },
    variables: Object.fromEntries(variables.map((v) => [v, { required: true }])),
    triggers: [
      {
        id: `trigger--${component.id}`,
        trigger_type: 'http',
        trigger_config: { component: component.id, route: component.route ?? '/...' },
      },
    ],
    components: [
      {
        id: component.id,
        source: { content_type: 'application/wasm', content: { digest: wasmDigest } },
        config: Object.fromEntries(variables.map((v) => [v, `{{ ${v} }}`])),
      },
    ],
  };
  const lockedBytes = json(locked);
  const config = {
    architecture: 'wasm',
    os: 'wasip1',
    config: { Labels: { 'com.fermyon.spin.lockedAppDigest': sha256Digest(lockedBytes) } },
    rootfs: { type: 'layers', diff_ids: [] },
  };
  return {
    config: { mediaType: MEDIA_TYPES.ociConfig, bytes: json(config) },
    layers: [
      { mediaType: MEDIA_TYPES.spinWasmLayer, bytes: component.wasm },
      { mediaType: MEDIA_TYPES.spinLockedApp, bytes: lockedBytes },
    ],
  };
}

/** The Wasm OCI artifact layout wasmCloud pulls: one `application/wasm` layer, a `wasm.config.v0` config. */
export function createWasmLayout(component: ComponentArtifact, created = new Date(0)): ArtifactLayout {
  const config = {
    created: created.toISOString(),
    architecture: 'wasm',
    os: 'wasip2',
    layerDigests: [sha256Digest(component.wasm)],
  };
  return {
    config: { mediaType: MEDIA_TYPES.wasmConfig, bytes: json(config) },
    layers: [{ mediaType: MEDIA_TYPES.wasmLayer, bytes: component.wasm }],
    artifactType: MEDIA_TYPES.wasmComponentArtifact,
  };
}

export function createLayout(target: KubeTarget, component: ComponentArtifact): ArtifactLayout {
  return target === 'spin' ? createSpinLayout(component) : createWasmLayout(component);
}

export interface PushedArtifact {
  reference: string;
  /** Digest of the manifest (what a runtime resolves the tag to). */
  digest: string;
  /** Bytes of all blobs; and how many of them the registry already had. */
  size: number;
  blobs: number;
  reused: number;
}

/** Push a layout under `reference` (blobs first, config, then the manifest). */
export async function pushArtifact(
  reference: string,
  layout: ArtifactLayout,
  options: OciPushOptions = {},
): Promise<PushedArtifact> {
  const ref = parseOciReference(reference);
  let reused = 0;
  const onProgress: OciPushOptions['onProgress'] = (event) => {
    if (event.skipped) reused++;
    options.onProgress?.(event);
  };
  const layers = [];
  for (const layer of layout.layers)
    layers.push(await pushBlob(ref, layer.bytes, layer.mediaType, { ...options, onProgress }));
  const config = await pushBlob(ref, layout.config.bytes, layout.config.mediaType, {
    ...options,
    onProgress,
  });
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    ...(layout.artifactType === undefined ? {} : { artifactType: layout.artifactType }),
    config,
    layers,
  };
  const digest = await pushManifest(ref, manifest, options.signal);
  return {
    reference,
    digest,
    size: [...layers, config].reduce((n, d) => n + d.size, 0),
    blobs: layers.length + 1,
    reused,
  };
}

/** Pull an artifact back and compare it byte for byte with the layout that was pushed. */
export async function verifyArtifact(
  reference: string,
  layout: ArtifactLayout,
  signal?: AbortSignal,
): Promise<{ ok: boolean; problems: string[] }> {
  const ref = parseOciReference(reference);
  const { manifest } = await pullManifest(ref, signal);
  const problems: string[] = [];
  const expected = [layout.config, ...layout.layers];
  const actual = [manifest.config, ...manifest.layers];
  if (actual.length !== expected.length)
    problems.push(`${actual.length} blobs in the registry, ${expected.length} pushed`);
  for (const [i, want] of expected.entries()) {
    const got = actual[i];
    if (got === undefined) continue;
    if (got.mediaType !== want.mediaType)
      problems.push(`blob ${i}: media type ${got.mediaType}, pushed ${want.mediaType}`);
    const bytes = await pullBlob(ref, got.digest, signal);
    if (!Buffer.from(want.bytes).equals(bytes))
      problems.push(`blob ${i} (${got.digest}) differs from what was pushed`);
  }
  return { ok: problems.length === 0, problems };
}
