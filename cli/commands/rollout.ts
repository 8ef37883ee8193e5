import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  connectEngine,
  measureFootprint,
  readUpState,
  type Engine,
  type UpState,
} from '../../deploy/local/index.ts';
import { loadPlan, type Plan, type PlanService } from '../../planner/index.ts';
import {
  abortRollout,
  createRolloutReport,
  describeRemainingSteps,
  readStateFile,
  renderRolloutText,
  runRollout,
  ROLLOUT_REPORT_VERSION,
  getRolloutProgress,
  type FootprintMeter,
  type RolloutEvent,
  type RolloutRecord,
  type RolloutVerifier,
} from '../../rollout/index.ts';
import { AppError, ErrorCode, ExitCode } from '../../shared/errors.ts';
import type { Output } from '../../shared/output.ts';
import { runVerify } from '../../verify/index.ts';
import type { CliCommand, CommandContext } from '../command.ts';
import { createRolloutTaskList } from './rollout-tasks.ts';
import { configureAdminOptions, createAdminClientFromOptions } from './shift.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The state file lives next to the plan: plan.yaml → plan.rollout.ndjson. */
export function getStatePath(planPath: string): string {
  return join(dirname(planPath), `${basename(planPath, extname(planPath))}.rollout.ndjson`);
}

/** `service=url` entries of a repeatable option. */
function parseServiceUrls(entries: unknown, option: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of Array.isArray(entries) ? (entries as string[]) : []) {
    const at = entry.indexOf('=');
    if (at <= 0)
      throw new AppError(ErrorCode.usage, `${option} takes service=url, got "${entry}"`, {
        hint: `e.g. ${option} order-service=http://127.0.0.1:8080`,
      });
    map.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return map;
}

/**
 * verify's runVerify for services with both sides given (`--legacy`/`--component`, else the container and
 * component `migrate up` runs); undefined (a clear failure) for the others.
 */
function createVerifier(
  context: CommandContext,
  options: Record<string, unknown>,
  up: UpState | undefined,
): RolloutVerifier {
  const legacy = parseServiceUrls(options.legacy, '--legacy');
  const component = parseServiceUrls(options.component, '--component');
  for (const s of up?.services ?? []) {
    if (s.component === undefined) continue;
    if (!legacy.has(s.id)) legacy.set(s.id, `http://127.0.0.1:${s.container.port}`);
    if (!component.has(s.id)) component.set(s.id, `http://127.0.0.1:${s.component.port}`);
  }
  const estateOption = typeof options.estate === 'string' ? options.estate : undefined;
  const estate = resolve(context.cwd, estateOption ?? up?.estateDir ?? '.');
  return async (service: PlanService) => {
    const legacyUrl = legacy.get(service.id);
    const componentUrl = component.get(service.id);
    if (legacyUrl === undefined || componentUrl === undefined) return undefined;
    const result = await runVerify({
      service: service.id,
      estate,
      legacy: { target: legacyUrl },
      component: { target: componentUrl },
      onProgress: (message) => context.output.progress(`${service.id} verify: ${message}`),
      signal: context.signal,
    });
    return {
      requests: result.requests,
      matched: result.matched,
      mismatches: result.mismatches.length,
      explainedDifferences: result.explainedDifferences,
      noise: result.noise.map((n) => `${n.operation} ${n.pattern}`),
      notes: result.notes,
    };
  };
}

/** Footprints of the services `migrate up` runs beside their containers; the engine is reached once. */
function createMeter(up: UpState): FootprintMeter {
  let engine: Promise<Engine> | undefined;
  return async (service, step) => {
    if (!up.services.some((s) => s.id === service.id && s.component !== undefined)) return undefined;
    engine ??= connectEngine(up.dockerHost);
    return { ...(await measureFootprint(await engine, up, service.id)), at: step.name };
  };
}

/** Progress: a live task list on a TTY (rollout-tasks.ts), NDJSON events on stderr otherwise. */
function createProgress(
  output: Output,
  plan: Plan,
  records: readonly RolloutRecord[],
): { onEvent: (event: RolloutEvent) => void; close: () => Promise<void> } {
  if (!output.interactive)
    return {
      onEvent: (event) =>
        output.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`),
      close: () => Promise.resolve(),
    };
  const { services } = getRolloutProgress(plan, records);
  return createRolloutTaskList(plan, services, output.stderr as NodeJS.WriteStream);
}

async function readPlan(
  context: CommandContext,
  path: string | undefined,
): Promise<{ plan: Plan; planPath: string; statePath: string }> {
  const planPath = resolve(context.cwd, path ?? 'plan.yaml');
  return { plan: await loadPlan(planPath), planPath, statePath: getStatePath(planPath) };
}

async function printReport(
  context: CommandContext,
  plan: Plan,
  statePath: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const report = createRolloutReport(plan, (await readStateFile(statePath)).records);
  if (context.output.json) await context.output.resultJson({ ...report, stateFile: statePath, ...extra });
  else await context.output.result(renderRolloutText(report));
}

/** `migrate rollout`: walks the plan's steps through the running gateway; `status` and `abort` read the log. */
export const rolloutCommand: CliCommand = {
  name: 'rollout <plan|status|abort> [plan]',
  summary: "move services step by step through the gateway, judged by the plan's gates; status; abort",
  group: 'shift',
  examples: [
    'migrate rollout plan.yaml --legacy order-service=http://127.0.0.1:8080 --component order-service=http://127.0.0.1:8090',
    'migrate rollout plan.yaml --resume --only order-service',
    'migrate rollout status plan.yaml --json',
  ],
  reports: true,
  configure: (command) => {
    configureAdminOptions(command);
    command
      .option('--resume', 'continue a rollout from its state file (after Ctrl+C, a crash or a kill)')
      .option('--dry-run', 'print the steps a run would take from here; change nothing')
      .option('--only <service>', 'move only this service (of the wave now moving)')
      .option('--legacy <service=url>', "for verify steps: the service's legacy side; repeatable", collect)
      .option('--component <service=url>', "for verify steps: the service's component; repeatable", collect)
      .option(
        '--estate <dir>',
        "for verify steps: the estate root (OpenAPI and seed values; default: migrate up's, else .)",
      )
      .option('--poll-ms <ms>', 'how often a holding step reads the gateway metrics', '1000');
  },
  async run(context, args, options) {
    const [first, second] = args as [string, string | undefined];
    if (first === 'status') {
      const { plan, statePath } = await readPlan(context, second);
      await printReport(context, plan, statePath);
      return;
    }
    if (first === 'abort') {
      const { plan, statePath } = await readPlan(context, second);
      const aborted = await abortRollout({
        plan,
        statePath,
        gateway: createAdminClientFromOptions(context, options),
        reason: 'migrate rollout abort',
      });
      context.output.log(aborted.length === 0 ? 'nothing in progress' : `back to 0%: ${aborted.join(', ')}`);
      await printReport(context, plan, statePath, { aborted });
      return;
    }
    if (second !== undefined)
      throw new AppError(ErrorCode.usage, `unexpected argument ${second}`, {
        hint: 'migrate rollout <plan.yaml>',
      });
    const { plan, statePath } = await readPlan(context, first);
    const only = typeof options.only === 'string' ? options.only : undefined;
    const { records } = await readStateFile(statePath);
    if (options.dryRun === true) {
      const steps = describeRemainingSteps(plan, records, only);
      if (context.output.json)
        await context.output.resultJson({ schemaVersion: ROLLOUT_REPORT_VERSION, dryRun: true, steps });
      else await context.output.result(steps.join('\n'));
      return;
    }
    if (records.length > 0 && options.resume !== true)
      throw new AppError(ErrorCode.usage, `a rollout of this plan already started (${statePath})`, {
        hint: 'add --resume to continue it, or `migrate rollout status` to see where it stands',
      });
    const pollMs = Number(options.pollMs);
    if (!(pollMs >= 10))
      throw new AppError(ErrorCode.usage, `--poll-ms must be a number >= 10, got ${String(options.pollMs)}`);
    const up = await readUpState(
      resolve(context.cwd, typeof options.runDir === 'string' ? options.runDir : '.migrate'),
    );
    const progress = createProgress(context.output, plan, records);
    const outcome = await runRollout({
      plan,
      statePath,
      gateway: createAdminClientFromOptions(context, options),
      verify: createVerifier(context, options, up),
      ...(up === undefined
        ? {}
        : { routes: new Map(up.services.map((s) => [s.id, s.route])), measure: createMeter(up) }),
      ...(only === undefined ? {} : { only }),
      pollMs,
      onEvent: progress.onEvent,
      signal: context.signal,
    }).finally(() => progress.close());
    if (outcome.breach !== undefined) {
      const b = outcome.breach;
      context.output.warn(
        `${b.service} breached a gate at ${b.step}: ${b.action === 'rollback' ? 'rolled back to 0%' : 'frozen'}`,
      );
      for (const c of b.checks.filter((c) => !c.ok && c.gate !== 'hold' && c.gate !== 'minSamples'))
        context.output.warn(`  ${c.gate} ${c.value ?? '-'} over ${c.threshold}: ${c.detail}`);
      context.output.warn(
        `look at \`migrate status\` (route ${b.route}) and the component's logs; the decision log is ${statePath}`,
      );
    }
    await printReport(context, plan, statePath);
    return outcome.status === 'completed' ? ExitCode.ok : ExitCode.findings;
  },
};
