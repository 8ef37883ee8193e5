/** Readiness per target from the capability catalog: level, score and blockers with evidence and a way out. */
import { TARGETS, getCapabilitySupport, type EffectKind, type Target } from '../shared/catalog.ts';
import type { Blocker, Effect, RawEffect, Readiness, Service } from './model.ts';

const MAX_EVIDENCE = 5;
const PENALTY = { blocker: 40, 'port-needed': 15 } as const;
/** Draft interfaces cost a little: they may change under the component. */
const MATURITY_PENALTY = { stable: 0, vendor: 2, 'phase-2-draft': 2, 'phase-1-draft': 3 } as const;

/** The WIT interface per target for one effect kind (null where the target has none). */
export function getCapabilityMap(kind: EffectKind): Effect['capability'] {
  const map = {} as Effect['capability'];
  for (const target of TARGETS) {
    const support = getCapabilitySupport(kind, target);
    map[target] = support.supported ? (support.bindings[0]?.interface ?? null) : null;
  }
  return map;
}

export function scoreReadiness(effects: readonly RawEffect[], target: Target): Readiness {
  const byKind = new Map<EffectKind, RawEffect[]>();
  for (const e of effects) {
    const list = byKind.get(e.kind);
    if (list === undefined) byKind.set(e.kind, [e]);
    else list.push(e);
  }
  const blockers: Blocker[] = [];
  let score = 100;
  for (const [kind, list] of [...byKind].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const support = getCapabilitySupport(kind, target);
    if (support.supported) {
      score -= Math.max(...support.bindings.map((b) => MATURITY_PENALTY[b.maturity]));
      continue;
    }
    score -= PENALTY[support.severity];
    blockers.push({
      kind,
      severity: support.severity,
      reason: support.reason,
      wayOut: support.wayOut,
      evidence: list.slice(0, MAX_EVIDENCE).map((e) => e.site),
    });
  }
  const level = blockers.some((b) => b.severity === 'blocker')
    ? 'blocked'
    : blockers.length > 0
      ? 'port-needed'
      : 'ready';
  return { level, score: Math.max(0, Math.min(100, score)), blockers };
}

/** Platform infrastructure (a Eureka, Config or Admin server) is not migrated: blocked 0 on every target. */
export function getPlatformReadiness(): Service['readiness'] {
  const none = (): Readiness => ({ level: 'blocked', score: 0, blockers: [] });
  return { wasmcloud: none(), spin: none(), spin4: none(), embedded: none() };
}

export function getReadiness(effects: readonly RawEffect[]): Service['readiness'] {
  return {
    wasmcloud: scoreReadiness(effects, 'wasmcloud'),
    spin: scoreReadiness(effects, 'spin'),
    spin4: scoreReadiness(effects, 'spin4'),
    embedded: scoreReadiness(effects, 'embedded'),
  };
}
