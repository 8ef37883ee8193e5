import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { analyzeEstate, EstateSchema, type Estate } from '../../analyzer/index.ts';
import {
  confirmOverwrite,
  createAnswersSchema,
  createPlan,
  emptyChoices,
  getAnswerChoices,
  loadPlan,
  mergeChoices,
  parseFlagChoices,
  PLAN_FORMATS,
  planReporters,
  PortReportFileSchema,
  renderPlanMarkdown,
  renderPlanSummary,
  renderPlanText,
  renderPlanYaml,
  runPlanPrompts,
  type PlanFormat,
  type PortReport,
} from '../../planner/index.ts';
import { parseConfigText, readConfigText } from '../../shared/config-file.ts';
import { AppError, ErrorCode, ExitCode } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import type { CliCommand, CommandContext } from '../command.ts';

/** Repeatable options collect their values (variadic ones would swallow the [estate] argument). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

async function readEstate(
  context: CommandContext,
  dir: string,
  analysis: string | undefined,
): Promise<Estate> {
  if (analysis !== undefined) {
    const file = resolve(context.cwd, analysis);
    const kind = {
      label: 'analysis',
      docs: 'schema/estate.schema.json (write one with migrate analyze --json)',
    };
    return parseConfigText(await readConfigText(file, kind), analysis, EstateSchema, kind);
  }
  const estate = await analyzeEstate(resolve(context.cwd, dir), {
    onProgress: (message) => context.output.progress(`analyze: ${message}`),
    signal: context.signal,
  });
  context.output.progress(undefined);
  return estate;
}

async function readPortReports(
  context: CommandContext,
  estate: Estate,
  files: readonly string[],
): Promise<Map<string, PortReport>> {
  const reports = new Map<string, PortReport>();
  const kind = { label: 'port report', docs: 'docs/plan.md (write one with migrate port <service> --json)' };
  for (const file of files) {
    const parsed = parseConfigText(
      await readConfigText(resolve(context.cwd, file), kind),
      file,
      PortReportFileSchema,
      kind,
    );
    for (const report of Array.isArray(parsed) ? parsed : [parsed]) {
      const service = estate.services.find((s) => s.id === report.service || s.name === report.service);
      if (service === undefined)
        throw new AppError(
          ErrorCode.input,
          `port report ${file} is for ${report.service}, which is not a service of the analysis`,
          {
            hint: `services: ${estate.services.map((s) => s.id).join(', ')}`,
          },
        );
      reports.set(service.id, report);
    }
  }
  return reports;
}

/** `--check plan.yaml`: the plan's rules at file:line:col, then its report. The HTML graph needs the estate. */
async function checkPlanFile(
  context: CommandContext,
  args: string[],
  options: Record<string, unknown>,
  file: string,
): Promise<ExitCode> {
  const plan = await loadPlan(resolve(context.cwd, file));
  context.output.log(`${file} is a valid plan`);
  if (context.output.json) await context.output.resultJson(plan);
  else {
    const format = (options.format as PlanFormat | undefined) ?? 'text';
    const analysis = typeof options.analysis === 'string' ? options.analysis : undefined;
    const report =
      format === 'html'
        ? planReporters.html(plan, await readEstate(context, args[0] ?? '.', analysis))
        : format === 'markdown'
          ? renderPlanMarkdown(plan)
          : renderPlanText(plan);
    await context.output.result(report);
  }
  return ExitCode.ok;
}

export const planCommand: CliCommand = {
  name: 'plan [estate]',
  summary:
    'plan the migration: per service the wave, target runtime, bindings, effort, traffic steps and gates',
  group: 'assess',
  examples: [
    'migrate plan samples/spring-orders                       # prompts on a terminal; writes plan.yaml',
    'migrate plan --analysis estate.json --answers answers.yaml --out plan.yaml --format markdown',
    'migrate plan --check plan.yaml                            # after editing it by hand',
  ],
  reports: true,
  configure(command) {
    command
      .option(
        '--analysis <file>',
        'reuse an analysis (migrate analyze --json) instead of analyzing the estate',
      )
      .option('--answers <file>', 'choices from a YAML file (no prompts); see docs/plan.md')
      .option('--out <file>', 'where to write the plan', 'plan.yaml')
      .option('--force', 'replace --out if it exists')
      .option('--yes', 'accept the recommended plan without prompting')
      .addOption(
        new Option('--format <format>', 'report format on stdout').choices([...PLAN_FORMATS]).default('text'),
      )
      .option('--port-report <file>', 'effort from a port report (migrate port --json); repeatable', collect)
      .option(
        '--include <services>',
        'move these services (comma-separated) even if not recommended',
        collect,
      )
      .option('--exclude <services>', 'leave these services (comma-separated) in their containers', collect)
      .option(
        '--target <service=target>',
        'a target (wasmcloud, spin, embedded) for a service; repeatable',
        collect,
      )
      .option(
        '--allow-blocked <services>',
        'allow a target the analysis says is blocked (an override)',
        collect,
      )
      .option('--steps <list>', 'traffic steps for every service, e.g. verify,shadow,1,10,50,100')
      .option('--check <plan>', 'validate a (hand-edited) plan file and report it; writes nothing');
  },
  async run(context, args, options) {
    const { output } = context;
    if (typeof options.check === 'string') return checkPlanFile(context, args, options, options.check);
    const estate = await readEstate(
      context,
      args[0] ?? '.',
      typeof options.analysis === 'string' ? options.analysis : undefined,
    );
    const portReports = await readPortReports(context, estate, strings(options.portReport) ?? []);
    let choices = emptyChoices();
    const given: string[] = [];
    if (typeof options.answers === 'string') {
      const kind = { label: 'answers file', docs: 'docs/plan.md' };
      const answers = parseConfigText(
        await readConfigText(resolve(context.cwd, options.answers), kind),
        options.answers,
        createAnswersSchema(estate),
        kind,
      );
      choices = getAnswerChoices(answers);
      given.push(options.answers);
    }
    const flags = {
      include: strings(options.include),
      exclude: strings(options.exclude),
      target: strings(options.target),
      allowBlocked: strings(options.allowBlocked),
      steps: typeof options.steps === 'string' ? options.steps : undefined,
    };
    const flagChoices = parseFlagChoices(estate, flags);
    if (Object.values(flags).some((v) => v !== undefined)) given.push('flags');
    choices = mergeChoices(choices, flagChoices);
    const basis = {
      analysis: typeof options.analysis === 'string' ? options.analysis : 'analyzed',
      answers: given.join(' + ') || 'recommended',
    };
    let plan = createPlan({ estate, choices, portReports, basis });

    const interactive =
      output.interactive &&
      process.stdin.isTTY &&
      !output.json &&
      options.answers === undefined &&
      options.yes !== true;
    const io = { input: process.stdin, output: output.stderr, signal: context.signal };
    if (interactive) {
      output.log(renderPlanSummary(plan));
      const answered = await runPlanPrompts(estate, plan, io);
      if (Object.keys(answered.services).length > 0) {
        plan = createPlan({
          estate,
          choices: mergeChoices(choices, answered),
          portReports,
          basis: { ...basis, answers: [...given, 'interactive'].join(' + ') },
        });
        output.log(renderPlanSummary(plan));
      }
    } else if (given.length === 0 && options.yes !== true)
      output.log(
        `${output.json && output.interactive ? '--json (no prompts)' : 'not on a terminal'} and no --answers: writing the recommended plan (run migrate plan on a terminal to change it)`,
      );

    const out = resolve(context.cwd, typeof options.out === 'string' ? options.out : 'plan.yaml');
    if (existsSync(out) && options.force !== true) {
      if (!interactive)
        throw new AppError(ErrorCode.usage, `${options.out as string} exists; not replacing it`, {
          hint: 'pass --force to replace it, or --out another file',
        });
      if (!(await confirmOverwrite(options.out as string, io)))
        throw new AppError(ErrorCode.cancelled, `${options.out as string} kept; the plan was not written`);
    }
    await writeFileAtomic(out, renderPlanYaml(plan));
    output.log(`wrote ${options.out as string}`);
    if (output.json) await output.resultJson(plan);
    else
      await output.result(planReporters[(options.format as PlanFormat | undefined) ?? 'text'](plan, estate));
    return ExitCode.ok;
  },
};
