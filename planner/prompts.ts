/**
 * The plan's prompts: the one file that imports @inquirer/prompts. Each question has the recommendation
 * preselected, so pressing Enter through gives the recommended plan; the first question accepts it whole.
 * Each answer goes through the validator its flag and the answers file use. Ctrl+C is a cancel error (exit 130).
 */
import { confirm, input, select } from '@inquirer/prompts';
import type { Estate } from '../analyzer/index.ts';
import { AppError, ErrorCode } from '../shared/errors.ts';
import type { Target } from '../shared/catalog.ts';
import { emptyChoices, type PlanChoices } from './answers.ts';
import type { Plan } from './plan-schema.ts';
import { formatStepList, parseStepList } from './steps.ts';
import { checkTargetChoice, rankTargets } from './targets.ts';

export interface PromptIo {
  input: NodeJS.ReadableStream;
  /** Prompts go to stderr: stdout is for the result. */
  output: NodeJS.WritableStream;
  signal?: AbortSignal;
}

/** Ctrl+C (ExitPromptError) and an aborted signal (AbortPromptError) are a cancel, whatever the prompt. */
async function ask<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError')
      throw new AppError(ErrorCode.cancelled, 'plan cancelled; nothing was written', { cause: error });
    throw error;
  }
}

/**
 * Asks whether to accept the recommended plan and, if not, walks through each service: move it or not, the
 * target (blocked targets need a second yes), and the steps. Returns the choices (empty when accepted).
 */
export async function runPlanPrompts(estate: Estate, recommended: Plan, io: PromptIo): Promise<PlanChoices> {
  const context = {
    input: io.input,
    output: io.output,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };
  const choices = emptyChoices();
  const accepted = await ask(() =>
    confirm({ message: 'Accept the recommended plan?', default: true }, context),
  );
  if (accepted) return choices;
  for (const planned of recommended.services) {
    const service = estate.services.find((s) => s.id === planned.id)!;
    const include = await ask(() =>
      confirm({ message: `Move ${service.id} to WebAssembly?`, default: planned.include }, context),
    );
    choices.services[service.id] = { include };
    if (!include) continue;
    let target: Target | undefined;
    let allowBlocked = false;
    while (target === undefined) {
      const picked = await ask(() =>
        select<Target>(
          {
            message: `Target for ${service.id}`,
            default: planned.target,
            choices: rankTargets(service).map((t) => {
              const r = service.readiness[t];
              return {
                value: t,
                name: `${t.padEnd(10)} ${r.level} ${r.score}${t === planned.target ? '  (recommended)' : ''}`,
                description:
                  r.blockers.map((b) => `${b.severity}: ${b.reason}; way out: ${b.wayOut}`).join('\n') ||
                  'no blockers',
              };
            }),
          },
          context,
        ),
      );
      const blocker = service.readiness[picked].blockers.find((b) => b.severity === 'blocker');
      const message = `${picked} is blocked for ${service.id}: ${blocker?.reason ?? 'see the analysis'}. Way out: ${blocker?.wayOut ?? 'choose another target'}. Override and use ${picked} anyway?`;
      if (checkTargetChoice(service, picked, false) === undefined) target = picked;
      else if (await ask(() => confirm({ message, default: false }, context))) {
        target = picked;
        allowBlocked = true;
      }
    }
    choices.services[service.id] = { include, target, ...(allowBlocked ? { allowBlocked } : {}) };
    const stepText = await ask(() =>
      input(
        {
          message: `Steps for ${service.id} (verify, shadow, weights in %)`,
          default: formatStepList(planned.steps),
          validate: (text) => {
            const steps = parseStepList(text);
            return typeof steps === 'string' ? steps : true;
          },
        },
        context,
      ),
    );
    const steps = parseStepList(stepText);
    if (typeof steps !== 'string' && stepText !== formatStepList(planned.steps))
      choices.services[service.id]!.steps = steps;
  }
  return choices;
}

/** Asks before replacing an existing plan file (the flag equivalent is --force). */
export async function confirmOverwrite(path: string, io: PromptIo): Promise<boolean> {
  const context = {
    input: io.input,
    output: io.output,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };
  return ask(() => confirm({ message: `${path} exists. Replace it?`, default: false }, context));
}
