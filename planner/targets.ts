/**
 * Which runtime a service goes to: recommended from the analysis' readiness, and the one check every way of
 * choosing (flag, answers file, prompt, hand-edited plan) shares: a blocked target needs an explicit override.
 */
import type { Service } from '../analyzer/index.ts';
import { TARGETS, type Target } from '../shared/catalog.ts';

const LEVEL_RANK = { ready: 0, 'port-needed': 1, blocked: 2 } as const;

/** Ties go to the real runtimes first; `embedded` is migrate's own Node host, the stepping stone. */
const PREFERENCE: readonly Target[] = ['wasmcloud', 'spin', 'spin4', 'embedded'];

export interface TargetRecommendation {
  target: Target;
  reason: string;
  /** False when every target is blocked: the service is best left in its container for now. */
  movable: boolean;
}

const describe = (service: Service, target: Target): string =>
  `${target} ${service.readiness[target].level} ${service.readiness[target].score}`;

/** Targets ranked best first: readiness level, then score, then preference. */
export function rankTargets(service: Service): Target[] {
  return [...TARGETS].sort((a, b) => {
    const ra = service.readiness[a];
    const rb = service.readiness[b];
    return (
      LEVEL_RANK[ra.level] - LEVEL_RANK[rb.level] ||
      rb.score - ra.score ||
      PREFERENCE.indexOf(a) - PREFERENCE.indexOf(b)
    );
  });
}

export function recommendTarget(service: Service): TargetRecommendation {
  const [best, ...others] = rankTargets(service) as [Target, ...Target[]];
  const readiness = service.readiness[best];
  const blocked = others.filter((t) => service.readiness[t].level === 'blocked');
  const rest = others.filter((t) => service.readiness[t].level !== 'blocked');
  const parts = [`${describe(service, best)} is the best readiness`];
  if (rest.length > 0) parts.push(`then ${rest.map((t) => describe(service, t)).join(', ')}`);
  for (const t of blocked)
    parts.push(
      `${t} blocked: ${service.readiness[t].blockers.find((b) => b.severity === 'blocker')?.reason ?? 'see readiness'}`,
    );
  if (readiness.level === 'port-needed')
    parts.push(`port needed first: ${readiness.blockers.map((b) => b.wayOut).join('; ')}`);
  if (readiness.level === 'blocked')
    return {
      target: best,
      movable: false,
      reason: `blocked on every target (${readiness.blockers.map((b) => `${b.reason}; way out: ${b.wayOut}`).join('; ')})`,
    };
  return { target: best, movable: true, reason: parts.join('; ') };
}

/**
 * Checks a chosen target for a service: undefined when it may be used, else the message to show. A blocked target
 * is allowed only with `allowBlocked` (the override), and the message names the blocker and its way out.
 */
export function checkTargetChoice(
  service: Service,
  target: string,
  allowBlocked: boolean,
): string | undefined {
  if (!(TARGETS as readonly string[]).includes(target))
    return `unknown target "${target}" for ${service.id}: use ${TARGETS.join(', ')}`;
  const readiness = service.readiness[target as Target];
  if (readiness.level !== 'blocked' || allowBlocked) return undefined;
  const blocker = readiness.blockers.find((b) => b.severity === 'blocker') ?? readiness.blockers[0];
  return `${target} is blocked for ${service.id}: ${blocker?.reason ?? 'see the analysis'} (way out: ${blocker?.wayOut ?? 'choose another target'}); choose another target, or override with allowBlocked`;
}
