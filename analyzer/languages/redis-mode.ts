/**
 * One service, one Redis capability. `migrate codemod` (codemods/transforms/kv.ts) decides per service: a service
 * that uses Redis data structures anywhere moves all its Redis calls to `caps.redis` (fermyon:spin/redis), plain
 * get/set included, because they must reach the same keys as its hashes and sets; only a service with nothing but
 * get/set/del/exists keeps `caps.kv` (wasi:keyvalue). The analyzer reports the same, so readiness and the
 * effects' capabilities agree with what `migrate build` will import.
 */
import type { Finding, RawEffect } from '../model.ts';

/**
 * In a service with any `redis` effect, turns its `kv` effects into `redis` ones (both plug-ins report `kv` only
 * for Redis clients and Redis repositories) and returns a finding saying why; the effects are changed in place.
 */
export function applyRedisMode(effects: RawEffect[]): Finding | undefined {
  const structure = effects.find((e) => e.kind === 'redis');
  if (structure === undefined) return undefined;
  const plain = effects.filter((e) => e.kind === 'kv');
  if (plain.length === 0) return undefined;
  for (const e of plain) e.kind = 'redis';
  const first = plain[0]!;
  const where = `${structure.site.file}:${structure.site.line}`;
  return {
    severity: 'info',
    code: 'redis-mode',
    message: `${plain.length} plain Redis get/set call(s) count as \`redis\`: the service also uses Redis data structures (${structure.detail.summary} at ${where}), so \`migrate codemod\` moves all its Redis calls to caps.redis`,
    file: first.site.file,
    line: first.site.line,
  };
}
