import { createHash } from 'node:crypto';
import { request } from 'undici';
import { AppError, ErrorCode } from '../../shared/errors.ts';

/**
 * A small client of the OCI distribution API (v2): content-addressed blob pushes (existence check, then a
 * monolithic or chunked upload), manifest PUT by tag, and pulls that verify every digest. Anonymous access only;
 * plain HTTP for loopback registries, HTTPS otherwise.
 */

/** `host[:port]/repo/path:tag` split into its parts. */
export interface OciReference {
  registry: string;
  repository: string;
  tag: string;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType: 'application/vnd.oci.image.manifest.v1+json';
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** Blobs above this size go up in chunks (PATCH with Content-Range), smaller ones in one PUT. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

export interface OciPushOptions {
  /** Bytes sent so far for the blob being pushed; for a progress bar. */
  onProgress?: (event: { digest: string; sent: number; total: number; skipped: boolean }) => void;
  chunkSize?: number;
  signal?: AbortSignal;
}

export const sha256Digest = (bytes: Uint8Array): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Parse `127.0.0.1:5000/shop/order-service:1.0`; the tag defaults to `latest`. */
export function parseOciReference(ref: string): OciReference {
  const slash = ref.indexOf('/');
  const lastColon = ref.lastIndexOf(':');
  const hasTag = lastColon > ref.lastIndexOf('/');
  const registry = slash === -1 ? '' : ref.slice(0, slash);
  const repository = ref.slice(slash + 1, hasTag ? lastColon : undefined);
  if (slash === -1 || registry === '' || !/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(repository))
    throw new AppError(ErrorCode.usage, `not an OCI reference: ${ref}`, {
      hint: 'give host[:port]/repository[:tag], e.g. 127.0.0.1:5000/shop/order-service:1.0',
    });
  return { registry, repository, tag: hasTag ? ref.slice(lastColon + 1) : 'latest' };
}

const isLoopback = (registry: string): boolean =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(registry);

function baseUrl(ref: OciReference): string {
  return `${isLoopback(ref.registry) ? 'http' : 'https'}://${ref.registry}/v2/${ref.repository}`;
}

async function call(
  method: string,
  url: string,
  what: string,
  init: { headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  let response;
  try {
    response = await request(url, {
      method: method as 'GET',
      headers: init.headers,
      body: init.body === undefined ? undefined : Buffer.from(init.body),
      signal: init.signal,
    });
  } catch (cause) {
    throw new AppError(ErrorCode.io, `${what}: cannot reach ${new URL(url).host}: ${String(cause)}`, {
      hint: 'check --registry and that the registry is running',
      cause,
    });
  }
  const body = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode === 401 || response.statusCode === 403)
    throw new AppError(
      ErrorCode.config,
      `${what}: the registry refused access (HTTP ${response.statusCode})`,
      {
        hint: 'migrate pushes anonymously: use a registry (or repository) that accepts anonymous pushes',
      },
    );
  return { status: response.statusCode, headers: response.headers, body };
}

function fail(what: string, status: number, body: Buffer): never {
  throw new AppError(ErrorCode.io, `${what}: HTTP ${status} ${body.toString('utf8').slice(0, 300)}`);
}

const locationOf = (headers: Record<string, string | string[] | undefined>, base: string): string => {
  const location = headers['location'];
  if (typeof location !== 'string') throw new AppError(ErrorCode.io, 'the registry sent no upload Location');
  return new URL(location, base).toString();
};

const withDigest = (url: string, digest: string): string => {
  const u = new URL(url);
  u.searchParams.set('digest', digest);
  return u.toString();
};

/** Push one blob unless the registry has it already (HEAD). Returns its descriptor. */
export async function pushBlob(
  ref: OciReference,
  bytes: Uint8Array,
  mediaType: string,
  options: OciPushOptions = {},
): Promise<OciDescriptor> {
  const digest = sha256Digest(bytes);
  const base = baseUrl(ref);
  const descriptor = { mediaType, digest, size: bytes.byteLength };
  const head = await call('HEAD', `${base}/blobs/${digest}`, `checking blob ${digest}`, options);
  if (head.status === 200) {
    options.onProgress?.({ digest, sent: bytes.byteLength, total: bytes.byteLength, skipped: true });
    return descriptor;
  }
  const start = await call('POST', `${base}/blobs/uploads/`, `starting upload of ${digest}`, options);
  if (start.status !== 202) fail(`starting upload of ${digest}`, start.status, start.body);
  let location = locationOf(start.headers, base);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (bytes.byteLength <= chunkSize) {
    const put = await call('PUT', withDigest(location, digest), `uploading ${digest}`, {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      signal: options.signal,
    });
    if (put.status !== 201) fail(`uploading ${digest}`, put.status, put.body);
  } else {
    for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
      const chunk = bytes.subarray(offset, Math.min(offset + chunkSize, bytes.byteLength));
      const patch = await call('PATCH', location, `uploading ${digest}`, {
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `${offset}-${offset + chunk.byteLength - 1}`,
        },
        body: chunk,
        signal: options.signal,
      });
      if (patch.status !== 202) fail(`uploading ${digest} at ${offset}`, patch.status, patch.body);
      location = locationOf(patch.headers, base);
      options.onProgress?.({
        digest,
        sent: offset + chunk.byteLength,
        total: bytes.byteLength,
        skipped: false,
      });
    }
    const close = await call('PUT', withDigest(location, digest), `finishing ${digest}`, options);
    if (close.status !== 201) fail(`finishing ${digest}`, close.status, close.body);
  }
  options.onProgress?.({ digest, sent: bytes.byteLength, total: bytes.byteLength, skipped: false });
  return descriptor;
}

/** PUT the manifest under the reference's tag; returns the manifest's digest. */
export async function pushManifest(
  ref: OciReference,
  manifest: OciManifest,
  signal?: AbortSignal,
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const put = await call(
    'PUT',
    `${baseUrl(ref)}/manifests/${ref.tag}`,
    `pushing ${ref.repository}:${ref.tag}`,
    {
      headers: { 'content-type': OCI_MANIFEST_MEDIA_TYPE },
      body: bytes,
      signal,
    },
  );
  if (put.status !== 201) fail(`pushing the manifest of ${ref.repository}:${ref.tag}`, put.status, put.body);
  return sha256Digest(bytes);
}

/** The manifest by tag, and a blob by digest (checked against its digest). */
export async function pullManifest(
  ref: OciReference,
  signal?: AbortSignal,
): Promise<{ manifest: OciManifest; digest: string }> {
  const get = await call(
    'GET',
    `${baseUrl(ref)}/manifests/${ref.tag}`,
    `pulling ${ref.repository}:${ref.tag}`,
    {
      headers: { accept: OCI_MANIFEST_MEDIA_TYPE },
      signal,
    },
  );
  if (get.status !== 200) fail(`pulling ${ref.repository}:${ref.tag}`, get.status, get.body);
  return { manifest: JSON.parse(get.body.toString('utf8')) as OciManifest, digest: sha256Digest(get.body) };
}

export async function pullBlob(ref: OciReference, digest: string, signal?: AbortSignal): Promise<Buffer> {
  const get = await call('GET', `${baseUrl(ref)}/blobs/${digest}`, `pulling blob ${digest}`, { signal });
  if (get.status !== 200) fail(`pulling blob ${digest}`, get.status, get.body);
  if (sha256Digest(get.body) !== digest)
    throw new AppError(ErrorCode.io, `blob ${digest} from ${ref.registry} does not match its digest`);
  return get.body;
}
