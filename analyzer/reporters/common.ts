/** Small helpers shared by the reporters. */
import type { EffectKind } from '../../shared/catalog.ts';
import type { Estate, Service, SourceRef } from '../model.ts';

export const formatSite = (site: SourceRef): string =>
  `${site.file}:${site.line}${site.column === undefined ? '' : `:${site.column}`}`;

/** `sql 3, log 2` in a stable kind order. */
export function countKinds(service: Service): [EffectKind, number][] {
  const counts = new Map<EffectKind, number>();
  for (const e of service.effects) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
}

export const readinessCell = (service: Service, target: keyof Service['readiness']): string =>
  service.platform === undefined
    ? `${service.readiness[target].level} ${service.readiness[target].score}`
    : `platform (${service.platform.role})`;

export function edgeLine(edge: Estate['edges'][number]): string {
  const to = edge.to ?? '(unresolved)';
  return `${edge.from} --${edge.kind}--> ${to}  ${edge.detail}`;
}
