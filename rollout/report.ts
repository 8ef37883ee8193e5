/**
 * The rollout report, from the plan and the decision log (pure): per service its status, what verify found,
 * and the gate values at each decided step. `migrate rollout` prints it at the end, `rollout status` any time.
 * Also what a run would do next (`--dry-run`).
 */
import type { Plan } from '../planner/index.ts';
import { formatDuration } from '../planner/index.ts';
import { getRolloutProgress, type ServiceStatus } from './progress.ts';
import type { Footprint, GateCheck, RolloutRecord, VerifyEvidence } from './records.ts';

export const ROLLOUT_REPORT_VERSION = '1';

export interface RolloutReportStep {
  index: number;
  name: string;
  decision: 'passed' | 'breached' | 'started';
  at: string;
  checks: GateCheck[];
}

export interface RolloutReportService {
  service: string;
  wave: number;
  status: ServiceStatus;
  verify?: VerifyEvidence;
  steps: RolloutReportStep[];
  /** Container against component, measured during the rollout (the last measurement). */
  footprint?: Footprint;
}

export interface RolloutReport {
  schemaVersion: typeof ROLLOUT_REPORT_VERSION;
  planChanged: boolean;
  wave: number | null;
  done: boolean;
  services: RolloutReportService[];
}

export function createRolloutReport(plan: Plan, records: readonly RolloutRecord[]): RolloutReport {
  const progress = getRolloutProgress(plan, records);
  const services = progress.services.map((p): RolloutReportService => {
    const steps = new Map<number, RolloutReportStep>();
    let verify: VerifyEvidence | undefined;
    let footprint: Footprint | undefined;
    for (const r of records) {
      if (r.event === 'rollout-started' || r.service !== p.service) continue;
      if (r.event === 'footprint') footprint = r.footprint;
      if (r.event === 'step-started')
        steps.set(r.index, { index: r.index, name: r.step, decision: 'started', at: r.at, checks: [] });
      if (r.event === 'step-passed' || r.event === 'step-breached') {
        steps.set(r.index, {
          index: r.index,
          name: r.step,
          decision: r.event === 'step-passed' ? 'passed' : 'breached',
          at: r.at,
          checks: r.checks,
        });
        if (r.evidence !== undefined) verify = r.evidence;
      }
    }
    return {
      service: p.service,
      wave: p.wave,
      status: p.status,
      ...(verify === undefined ? {} : { verify }),
      ...(footprint === undefined ? {} : { footprint }),
      steps: [...steps.values()].sort((a, b) => a.index - b.index),
    };
  });
  return {
    schemaVersion: ROLLOUT_REPORT_VERSION,
    planChanged: progress.planChanged,
    wave: progress.wave ?? null,
    done: progress.done,
    services,
  };
}

const mb = (bytes: number | null): string => (bytes === null ? '-' : `${(bytes / 1e6).toFixed(1)} MB`);
const ms = (value: number | null): string =>
  value === null ? '-' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;

/** `container 312.4 MB RSS, started in 14.2 s, image 430.1 MB → component …`: one line per service. */
export function formatFootprint(f: Footprint): string {
  const { container: c, component: w } = f;
  const shared = w.sharedBy > 1 ? ` (host RSS / ${w.sharedBy} components)` : '';
  return (
    `footprint at ${f.at}: container ${mb(c.rssBytes)} RSS, start ${ms(c.startMs)}, image ${mb(c.sizeBytes)}` +
    ` → component ${mb(w.rssBytes)} RSS${shared}, start ${ms(w.startMs)}, ${mb(w.sizeBytes)}`
  );
}

const formatCheck = (c: GateCheck): string =>
  `${c.ok ? 'ok' : 'FAIL'} ${c.gate} ${c.value ?? '-'} (limit ${c.threshold}): ${c.detail}`;

export function renderRolloutText(report: RolloutReport): string {
  const lines: string[] = [];
  if (report.planChanged) lines.push('warning: the plan changed since this rollout started');
  lines.push(report.done ? 'rollout complete' : `rollout at wave ${report.wave}`);
  for (const s of report.services) {
    lines.push(`${s.service} (wave ${s.wave}): ${s.status}`);
    if (s.verify !== undefined)
      lines.push(
        `  verify: ${s.verify.matched}/${s.verify.requests} matched, ${s.verify.mismatches} mismatches, noise: ${s.verify.noise.join(', ') || 'none'}`,
      );
    if (s.footprint !== undefined) lines.push(`  ${formatFootprint(s.footprint)}`);
    for (const step of s.steps) {
      lines.push(`  ${step.name}: ${step.decision} at ${step.at}`);
      for (const c of step.checks.filter((c) => c.gate !== 'hold' || !c.ok))
        lines.push(`    ${formatCheck(c)}`);
    }
  }
  return lines.join('\n');
}

/** What `migrate rollout --dry-run` prints: the steps a run would take from here, in order. Pure. */
export function describeRemainingSteps(
  plan: Plan,
  records: readonly RolloutRecord[],
  only?: string,
): string[] {
  const progress = getRolloutProgress(plan, records);
  const lines: string[] = [];
  if (progress.planChanged) lines.push('the plan changed since this rollout started: a run would refuse');
  for (const s of progress.services) {
    if (only !== undefined && s.service !== only) continue;
    if (s.status === 'completed') {
      lines.push(`${s.service}: completed, nothing to do`);
      continue;
    }
    if (progress.stopped.includes(s)) {
      lines.push(`${s.service}: ${s.status} at step ${s.nextStep + 1}; a run stops here`);
      continue;
    }
    const service = plan.services.find((p) => p.id === s.service)!;
    lines.push(`${s.service} (wave ${s.wave}):`);
    for (const step of service.steps.slice(s.nextStep)) {
      const g = step.gates;
      const what =
        step.kind === 'verify'
          ? 'run verify against the legacy side and the component; pass at 0 unexplained mismatches'
          : step.kind === 'shadow'
            ? `weight 0, shadow on; hold ${formatDuration(step.holdMs)} with diff rate <= ${g.diffRate.max}`
            : `weight ${step.weight}%; hold ${formatDuration(step.holdMs)} with error rate +${g.errorRate.maxIncrease} max, p99 x${g.latencyP99.maxRatio} max`;
      lines.push(`  ${step.name}: ${what} (${g.minSamples} samples, on breach: ${g.action})`);
    }
  }
  return lines;
}
