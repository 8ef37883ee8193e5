/** Number of sticky buckets; a weight w (0–100) sends buckets below w × 100 to wasm. */
export const bucketCount = 10_000;

/** FNV-1a over the key's UTF-16 code units: fast, stable across processes and versions. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // a final avalanche so similar keys (user-1, user-2) spread over all buckets
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** The key's bucket, 0..9999. */
export function resolveBucket(key: string): number {
  return hashKey(key) % bucketCount;
}

/**
 * True when the bucket goes to wasm at this weight. Monotonic by construction: the set of wasm buckets at a
 * weight contains the set at every lower weight, so raising the weight never moves a key back to container.
 */
export function isWasmBucket(bucket: number, weight: number): boolean {
  return bucket < Math.round(weight * 100);
}
