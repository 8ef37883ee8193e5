/**
 * The conductor: walks the plan's waves and steps through a running gateway, judging each step with
 * `evaluateStep` over the route's metrics, and appends every decision to the state file before acting on the
 * next. Effects come in through `RolloutGateway` and `verify` so the walk itself is one place to read.
 * Every step is idempotent (setting a weight that is set is fine), so a resume reruns an undecided step.
 */
import type { RouteSnapshot } from '../bridge/index.ts';
import type { Plan, PlanService, Step } from '../planner/index.ts';
import { AppError, ErrorCode } from '../shared/errors.ts';
import { createStepRecord, getHeldMs } from './decide.ts';
import { evaluateStep, type StepVerdict } from './gates.ts';
import { getPlanHash, getRolloutProgress } from './progress.ts';
import {
  ROLLOUT_RECORD_VERSION,
  type Footprint,
  type GateCheck,
  type RolloutRecord,
  type VerifyEvidence,
} from './records.ts';
import { appendRecord, readStateFile } from './state-file.ts';

/** What the conductor needs from the gateway admin API (createAdminClient fits). */
export interface RolloutGateway {
  getState(): Promise<{ routes: RouteSnapshot[] }>;
  setWeight(route: string, weight: number, force?: boolean): Promise<unknown>;
  setShadow(route: string, enabled: boolean): Promise<unknown>;
  /** Sends warm-up requests to the component before it first gets users (a cold component answers slowly). */
  warm?(route: string): Promise<unknown>;
}

/** Measures a service's container and component while both run; undefined when there is nothing to measure. */
export type FootprintMeter = (service: PlanService, step: Step) => Promise<Footprint | undefined>;

/** Runs verify for a service; undefined when nothing says where its legacy side and component run. */
export type RolloutVerifier = (service: PlanService) => Promise<VerifyEvidence | undefined>;

/** A progress event (the CLI shows it on a TTY, or writes it as NDJSON on stderr). */
export type RolloutEvent =
  | { type: 'step-started'; service: string; step: string; index: number; route: string }
  | { type: 'step-waiting'; service: string; step: string; reason: string }
  | { type: 'step-passed' | 'step-breached'; service: string; step: string; checks: GateCheck[] }
  | { type: 'service-completed'; service: string };

export interface RolloutOptions {
  plan: Plan;
  statePath: string;
  gateway: RolloutGateway;
  verify: RolloutVerifier;
  /** The route of each service where something else (migrate up's state) names it; else `findRoute`. */
  routes?: ReadonlyMap<string, string>;
  /** Measures the footprint when a service's last step passed (never fails the rollout). */
  measure?: FootprintMeter;
  /** Only this service moves (it must belong to the wave now moving). */
  only?: string;
  /** How often a holding step reads the route's metrics (default 1000 ms). */
  pollMs?: number;
  onEvent?: (event: RolloutEvent) => void;
  signal?: AbortSignal;
}

export interface RolloutOutcome {
  /** completed: every service of the plan (or --only) is at 100%; stopped: a gate breached. */
  status: 'completed' | 'stopped';
  breach?: { service: string; step: string; route: string; checks: GateCheck[]; action: string };
  records: RolloutRecord[];
}

/** The gateway route for a service: the route named like the service, or like it without `-service`. */
export function findRoute(routes: readonly { name: string }[], service: string): string {
  const short = service.replace(/-service$/, '');
  const found = routes.find((r) => r.name === service) ?? routes.find((r) => r.name === short);
  if (found === undefined)
    throw new AppError(ErrorCode.config, `the gateway has no route for ${service}`, {
      hint: `name a route "${service}" or "${short}" in the gateway config (routes: ${routes.map((r) => r.name).join(', ') || 'none'})`,
    });
  return found.name;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true)
    throw new AppError(ErrorCode.cancelled, 'rollout interrupted', {
      hint: 'run `migrate rollout <plan> --resume` to continue from the last completed step',
    });
}

export async function runRollout(options: RolloutOptions): Promise<RolloutOutcome> {
  const { plan, statePath, gateway, signal } = options;
  const { records } = await readStateFile(statePath);
  const append = async (record: RolloutRecord): Promise<void> => {
    await appendRecord(statePath, record);
    records.push(record);
  };
  const at = (): string => new Date().toISOString();
  if (!records.some((r) => r.event === 'rollout-started'))
    await append({
      v: ROLLOUT_RECORD_VERSION,
      at: at(),
      event: 'rollout-started',
      planHash: getPlanHash(plan),
    });
  if (getRolloutProgress(plan, records).planChanged)
    throw new AppError(ErrorCode.config, `the plan changed since this rollout started (${statePath})`, {
      hint: 'restore the plan the rollout started with, or move the state file away to start over',
    });
  if (options.only !== undefined && !plan.services.some((s) => s.id === options.only && s.include))
    throw new AppError(ErrorCode.usage, `--only ${options.only}: not a service the plan moves`);

  for (;;) {
    throwIfCancelled(signal);
    const progress = getRolloutProgress(plan, records);
    const next = progress.next.filter((n) => options.only === undefined || n.service === options.only);
    if (next.length === 0) {
      const mine = progress.services.filter((s) => options.only === undefined || s.service === options.only);
      if (mine.every((s) => s.status === 'completed')) return { status: 'completed', records };
      const stopped = progress.stopped.find((s) => mine.includes(s));
      if (stopped !== undefined)
        throw new AppError(
          ErrorCode.input,
          `${stopped.service} stopped (${stopped.status}); the rollout cannot go on`,
          {
            hint: `look at \`migrate rollout status\` and \`migrate status\`; after fixing it, remove its records from ${statePath} to move it again`,
          },
        );
      const waiting = mine.find((s) => s.status !== 'completed');
      throw new AppError(
        ErrorCode.usage,
        `${waiting?.service ?? options.only} is in wave ${waiting?.wave}, which waits for wave ${progress.wave}`,
        {
          hint: 'finish the earlier wave first (run without --only)',
        },
      );
    }
    const { service: id, step: index } = next[0]!;
    const service = plan.services.find((s) => s.id === id)!;
    const routes = (await gateway.getState()).routes;
    const named = options.routes?.get(id);
    const route = named !== undefined && routes.some((r) => r.name === named) ? named : findRoute(routes, id);
    const step = service.steps[index]!;
    await append({
      v: ROLLOUT_RECORD_VERSION,
      at: at(),
      event: 'step-started',
      service: id,
      step: step.name,
      index,
    });
    options.onEvent?.({ type: 'step-started', service: id, step: step.name, index, route });
    const decided = await runStep({ ...options, service, route, step, index, records, append });
    if (decided.event === 'step-breached') {
      if (decided.action === 'rollback') {
        await gateway.setWeight(route, 0, true);
        await gateway.setShadow(route, false);
      }
      options.onEvent?.({ type: 'step-breached', service: id, step: step.name, checks: decided.checks });
      return {
        status: 'stopped',
        breach: { service: id, step: step.name, route, checks: decided.checks, action: decided.action },
        records,
      };
    }
    options.onEvent?.({ type: 'step-passed', service: id, step: step.name, checks: decided.checks });
    if (index === service.steps.length - 1) {
      const footprint = await options.measure?.(service, step).catch(() => undefined);
      if (footprint !== undefined)
        await append({ v: ROLLOUT_RECORD_VERSION, at: at(), event: 'footprint', service: id, footprint });
      await append({ v: ROLLOUT_RECORD_VERSION, at: at(), event: 'service-completed', service: id });
      options.onEvent?.({ type: 'service-completed', service: id });
    }
  }
}

type Decided = Extract<RolloutRecord, { event: 'step-passed' | 'step-breached' }>;

interface StepRun extends RolloutOptions {
  service: PlanService;
  route: string;
  step: Step;
  index: number;
  records: RolloutRecord[];
  append: (record: RolloutRecord) => Promise<void>;
}

async function runStep(run: StepRun): Promise<Decided> {
  const { gateway, route, step, service, index } = run;
  if (step.kind === 'verify') return runVerifyStep(run);
  const before = (await gateway.getState()).routes.find((r) => r.name === route);
  if (step.kind === 'canary' && before?.weight === 0) await gateway.warm?.(route);
  // shadow: live copies to the component, answers from the container; canary: the step's weight
  await gateway.setWeight(route, step.weight, true);
  if (step.kind === 'shadow') await gateway.setShadow(route, true);
  for (;;) {
    throwIfCancelled(run.signal);
    const snapshot = (await gateway.getState()).routes.find((r) => r.name === route);
    if (snapshot === undefined)
      throw new AppError(ErrorCode.config, `route ${route} disappeared from the gateway`, {
        hint: 'was the gateway config reloaded without it?',
      });
    const now = new Date();
    const verdict =
      movedByGateway(snapshot, step) ??
      evaluateStep(step, snapshot, getHeldMs(run.records, service.id, index, now));
    const record = createStepRecord(service.id, index, step, verdict, now);
    if (record !== undefined) {
      await run.append(record);
      return record as Decided;
    }
    if (verdict.decision === 'wait')
      run.onEvent?.({ type: 'step-waiting', service: service.id, step: step.name, reason: verdict.reason });
    await sleep(run.pollMs ?? 1000, run.signal);
  }
}

/** The gateway's own gates may roll the route back or freeze it under us: that is a breach too. */
function movedByGateway(snapshot: RouteSnapshot, step: Step): StepVerdict | undefined {
  if (snapshot.weight === step.weight && !snapshot.frozen) return undefined;
  return {
    decision: 'breach',
    action: step.gates.action,
    checks: [
      {
        gate: 'gateway',
        ok: false,
        value: snapshot.weight,
        threshold: step.weight,
        detail: `the gateway ${snapshot.frozen ? 'froze the route' : `moved the weight to ${snapshot.weight}%`}${snapshot.gatesBreached.length > 0 ? ` (gates breached: ${snapshot.gatesBreached.join(', ')})` : ''}`,
      },
    ],
  };
}

async function runVerifyStep(run: StepRun): Promise<Decided> {
  const { service, step, index } = run;
  const evidence = await run.verify(service);
  if (evidence === undefined)
    throw new AppError(
      ErrorCode.config,
      `${service.id}: the verify step needs its legacy side and component`,
      {
        hint: `run \`migrate up --plan <plan>\` first (the rollout then finds both sides in its --run-dir), or give --legacy ${service.id}=<url> and --component ${service.id}=<url>`,
      },
    );
  const ok = evidence.mismatches === 0;
  const checks: GateCheck[] = [
    {
      gate: 'mismatches',
      ok,
      value: evidence.mismatches,
      threshold: 0,
      detail: `${evidence.matched} of ${evidence.requests} requests matched, ${evidence.mismatches} unexplained mismatches, ${evidence.explainedDifferences} differences explained by noise`,
    },
  ];
  const ref = {
    v: ROLLOUT_RECORD_VERSION,
    at: new Date().toISOString(),
    service: service.id,
    step: step.name,
    index,
  } as const;
  const record: Decided = ok
    ? { ...ref, event: 'step-passed', checks, evidence }
    : { ...ref, event: 'step-breached', action: step.gates.action, checks, evidence };
  await run.append(record);
  return record;
}

/** `migrate rollout abort`: every service with traffic in play goes back to 0, and the log says so. */
export async function abortRollout(options: {
  plan: Plan;
  statePath: string;
  gateway: RolloutGateway;
  reason: string;
}): Promise<string[]> {
  const { records } = await readStateFile(options.statePath);
  const progress = getRolloutProgress(options.plan, records);
  const routes = (await options.gateway.getState()).routes;
  const aborted: string[] = [];
  for (const s of progress.services) {
    if (s.status !== 'in-progress' && s.status !== 'frozen') continue;
    const route = findRoute(routes, s.service);
    await options.gateway.setWeight(route, 0, true);
    await options.gateway.setShadow(route, false);
    await appendRecord(options.statePath, {
      v: ROLLOUT_RECORD_VERSION,
      at: new Date().toISOString(),
      event: 'service-aborted',
      service: s.service,
      reason: options.reason,
    });
    aborted.push(s.service);
  }
  return aborted;
}
