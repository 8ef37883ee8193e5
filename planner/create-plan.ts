/**
 * Turns an Estate (and the user's choices, if any) into a Plan. Pure: no I/O, same input → same plan.
 * Without choices it is the recommended plan; each field says why it is what it is.
 */
import type { Estate, Service } from '../analyzer/index.ts';
import { AppError, ErrorCode } from '../shared/errors.ts';
import { emptyChoices, type PlanChoices } from './answers.ts';
import { getBindings, getSecrets } from './bindings.ts';
import { estimateEffort, type PortReport } from './effort.ts';
import {
  PLAN_SCHEMA_VERSION,
  PlanSchema,
  type Plan,
  type PlanFinding,
  type PlanService,
} from './plan-schema.ts';
import { DEFAULT_STEPS, mergeGates } from './steps.ts';
import { checkTargetChoice, recommendTarget } from './targets.ts';
import { assignWaves } from './waves.ts';

export interface CreatePlanInput {
  estate: Estate;
  choices?: PlanChoices;
  /** Port reports by service id (`migrate port --json`); other services are estimated from the analysis. */
  portReports?: ReadonlyMap<string, PortReport>;
  /** Where the analysis and the choices came from, recorded in the plan. */
  basis?: { analysis: string; answers: string };
}

const toReadiness = (service: Service): PlanService['readiness'] => {
  const entry = (target: keyof Service['readiness']) => {
    const r = service.readiness[target];
    return {
      level: r.level,
      score: r.score,
      blockers: r.blockers.map((b) => ({
        kind: b.kind,
        severity: b.severity,
        reason: b.reason,
        wayOut: b.wayOut,
        at: b.evidence.map((e) => `${e.file}:${e.line}`),
      })),
    };
  };
  return {
    wasmcloud: entry('wasmcloud'),
    spin: entry('spin'),
    spin4: entry('spin4'),
    embedded: entry('embedded'),
  };
};

export function createPlan(input: CreatePlanInput): Plan {
  const { estate } = input;
  const choices = input.choices ?? emptyChoices();
  const findings: PlanFinding[] = [];
  const recommendations = new Map(estate.services.map((s) => [s.id, recommendTarget(s)]));
  const included = new Set(
    estate.services
      .filter((s) => choices.services[s.id]?.include ?? recommendations.get(s.id)!.movable)
      .map((s) => s.id),
  );
  const { waves, findings: waveFindings } = assignWaves(estate, included);
  findings.push(...waveFindings);

  const services: PlanService[] = estate.services.map((service) => {
    const choice = choices.services[service.id] ?? {};
    const recommended = recommendations.get(service.id)!;
    const include = included.has(service.id);
    const target = choice.target ?? recommended.target;
    const allowBlocked = choice.allowBlocked === true;
    const problem = include ? checkTargetChoice(service, target, allowBlocked) : undefined;
    if (problem !== undefined)
      throw new AppError(ErrorCode.input, problem, {
        hint: 'choose another target, or allow the blocked one explicitly (--allow-blocked or allowBlocked: true)',
      });
    const blocked = service.readiness[target].level === 'blocked';
    if (include && blocked) {
      const { blockers } = service.readiness[target];
      const site = blockers[0]?.evidence[0];
      findings.push({
        severity: 'warning',
        code: 'blocked-override',
        message: `${service.id} goes to ${target} although it is blocked there: ${blockers
          .map((b) => `${b.reason} (way out: ${b.wayOut})`)
          .join('; ')}`,
        services: [service.id],
        ...(site === undefined ? {} : { at: `${site.file}:${site.line}` }),
      });
    }
    const steps = structuredClone(choice.steps ?? choices.defaults.steps ?? [...DEFAULT_STEPS]).map(
      (step) => ({
        ...step,
        gates: mergeGates(mergeGates(step.gates, choices.defaults.gates), choice.gates),
      }),
    );
    const { bindings, findings: bindingFindings } = getBindings(estate, service);
    if (include) findings.push(...bindingFindings);
    const wave = waves.get(service.id);
    const planned: PlanService = {
      id: service.id,
      include,
      includeReason:
        choice.include !== undefined
          ? `chosen: ${include ? 'include' : 'leave in its container'}`
          : recommended.movable
            ? 'recommended: a target is available'
            : `stays in its container: ${recommended.reason}`,
      wave: include ? wave!.wave : null,
      waveReason: include ? wave!.reason : 'not included',
      dependsOn: wave?.dependsOn ?? [],
      ...(wave?.cycle === undefined ? {} : { cycle: wave.cycle }),
      target,
      targetReason:
        choice.target !== undefined && choice.target !== recommended.target
          ? `chosen over the recommended ${recommended.target}${blocked ? ' (blocked: explicit override)' : ''}; ${recommended.reason}`
          : recommended.reason,
      ...(blocked && include ? { allowBlocked: true } : {}),
      readiness: toReadiness(service),
      bindings,
      secrets: getSecrets(service),
      effort: estimateEffort(service, target, input.portReports?.get(service.id)),
      steps,
    };
    return planned;
  });
  // Excluded services still list what they would depend on; the rule only binds included ones.
  for (const s of services)
    if (!s.include && s.dependsOn.length === 0)
      s.dependsOn = estate.edges
        .filter(
          (e) =>
            e.from === s.id &&
            e.toKind === 'service' &&
            e.to !== null &&
            (e.kind === 'http' || e.kind === 'message'),
        )
        .map((e) => ({ service: e.to!, kind: e.kind as 'http' | 'message', detail: e.detail }));
  services.sort((a, b) => (a.wave ?? Infinity) - (b.wave ?? Infinity) || (a.id < b.id ? -1 : 1));
  const plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    estate: estate.root,
    basis: {
      analysis: input.basis?.analysis ?? 'analyzed',
      portReports: [...(input.portReports?.keys() ?? [])]
        .filter((id) => estate.services.some((s) => s.id === id))
        .sort(),
      answers: input.basis?.answers ?? 'recommended',
    },
    services,
    findings: findings.sort((a, b) => (a.code + a.message < b.code + b.message ? -1 : 1)),
  };
  const checked = PlanSchema.safeParse(plan);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new AppError(
      ErrorCode.input,
      `the plan breaks a rule at ${issue.path.join('.')}: ${issue.message}`,
      {
        hint: 'change the choices (answers file or flags) that lead to it',
      },
    );
  }
  return checked.data;
}
