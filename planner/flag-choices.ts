/** Choices from flags (`--exclude`, `--target svc=spin`, `--allow-blocked`, `--steps`), checked like answers. */
import type { Estate } from '../analyzer/index.ts';
import { AppError, ErrorCode } from '../shared/errors.ts';
import type { Target } from '../shared/catalog.ts';
import { emptyChoices, type PlanChoices, type ServiceChoice } from './answers.ts';
import { parseStepList } from './steps.ts';
import { checkTargetChoice, recommendTarget } from './targets.ts';

export interface PlanFlags {
  include?: readonly string[];
  exclude?: readonly string[];
  /** `service=target` pairs. */
  target?: readonly string[];
  allowBlocked?: readonly string[];
  steps?: string;
}

const split = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

const usage = (message: string, flag: string): AppError =>
  new AppError(ErrorCode.usage, message, { hint: `fix ${flag}; run migrate plan --help for the syntax` });

export function parseFlagChoices(estate: Estate, flags: PlanFlags): PlanChoices {
  const choices = emptyChoices();
  const service = (id: string, flag: string) => {
    const found = estate.services.find((s) => s.id === id || s.name === id);
    if (found === undefined)
      throw usage(
        `${flag} names ${id}, which is not a service of the analysis (${estate.services.map((s) => s.id).join(', ')})`,
        flag,
      );
    return found;
  };
  const choice = (id: string): ServiceChoice => (choices.services[id] ??= {});
  for (const id of split(flags.include)) choice(service(id, '--include').id).include = true;
  for (const id of split(flags.exclude)) choice(service(id, '--exclude').id).include = false;
  for (const id of split(flags.allowBlocked)) choice(service(id, '--allow-blocked').id).allowBlocked = true;
  for (const pair of split(flags.target)) {
    const [id, target] = pair.split('=');
    if (id === undefined || target === undefined)
      throw usage(`--target ${pair}: use service=target, e.g. order-service=wasmcloud`, '--target');
    choice(service(id, '--target').id).target = target as Target;
  }
  for (const [id, c] of Object.entries(choices.services)) {
    const s = service(id, '--target');
    if (c.include === false) continue;
    const target = c.target ?? recommendTarget(s).target;
    if (c.target === undefined && c.allowBlocked !== true && c.include !== true) continue;
    const problem = checkTargetChoice(s, target, c.allowBlocked === true);
    if (problem !== undefined) throw usage(problem, c.target === undefined ? '--include' : '--target');
  }
  if (flags.steps !== undefined) {
    const steps = parseStepList(flags.steps);
    if (typeof steps === 'string') throw usage(`--steps: ${steps}`, '--steps');
    choices.defaults.steps = steps;
  }
  return choices;
}
