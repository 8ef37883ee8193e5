/**
 * Drives one target with fast-check. A crash is any exception that is not a located AppError (file:line, not
 * MIG_INTERNAL); readers that report findings must not throw at all. Every crashing input counts; the first
 * input of each distinct crash (same message shape and top frame) is shrunk by fast-check and kept.
 */
import fc from 'fast-check';
import { ErrorCode, isAppError } from '../../shared/errors.ts';
import type { FuzzInput } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';

export interface Crash {
  readonly reader: string;
  readonly signature: string;
  /** The shrunk input. */
  readonly input: FuzzInput;
  readonly message: string;
  readonly stack: string;
  /** How many generated inputs crashed this way. */
  count: number;
}

export interface TargetResult {
  readonly reader: string;
  inputs: number;
  crashes: number;
  readonly distinct: Crash[];
}

export interface RunOptions {
  readonly seed: number;
  /** Stop after this many inputs. */
  readonly inputs: number;
  /** Stop after this many seconds (undefined: no time bound). */
  readonly seconds?: number;
  /** Told when each input (generated or shrinking) starts and ends, so a watchdog can report a hang. */
  readonly watch?: { start(input: FuzzInput): void; end(): void };
  /** Told after each generated input, with the counts so far. */
  readonly onProgress?: (inputs: number, crashes: number) => void;
}

/** Whether `error` is an accepted outcome: our AppError, located at file:line, not an internal error. */
export function isExpectedError(error: unknown): boolean {
  return isAppError(error) && error.location !== undefined && error.code !== ErrorCode.internal;
}

/** Stable identity of a crash: error type, message with numbers and quoted text blurred, and top frame. */
export function crashSignature(error: unknown): string {
  if (!(error instanceof Error)) return `non-error ${typeof error}`;
  const message = error.message
    .split('\n')[0]!
    .replace(/(.{12,}?): .*$/, '$1: …') // what follows a colon is usually the offending text
    .replace(/`[^`]*`|"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
  const frame = (error.stack ?? '').split('\n').find((l) => l.trim().startsWith('at ')) ?? '';
  const where = /\(?([^()\s]+):\d+:\d+\)?$/.exec(frame.trim())?.[1]?.split('/').slice(-2).join('/') ?? '';
  const code = isAppError(error) ? `${error.code} ` : '';
  return `${error.name} ${code}${message} @${where}`;
}

function describeError(error: unknown): { message: string; stack: string } {
  if (error instanceof Error) {
    const app = isAppError(error)
      ? `${error.code}${error.location === undefined ? ' (no location)' : ''}: `
      : '';
    return { message: `${app}${error.message}`, stack: error.stack ?? '' };
  }
  return { message: String(error), stack: '' };
}

async function outcome(target: FuzzTarget, input: FuzzInput, watch: RunOptions['watch']): Promise<unknown> {
  watch?.start(input);
  try {
    await target.run(input);
    return undefined;
  } catch (error) {
    return isExpectedError(error) ? undefined : error === undefined ? new Error('undefined thrown') : error;
  } finally {
    watch?.end();
  }
}

/**
 * Runs up to `options.inputs` inputs (or until `options.seconds`), continuing past known crashes; returns the
 * counts and one shrunk input per distinct crash.
 */
export async function runTarget(target: FuzzTarget, options: RunOptions): Promise<TargetResult> {
  const result: TargetResult = { reader: target.name, inputs: 0, crashes: 0, distinct: [] };
  const known = new Map<string, Crash>();
  const deadline = options.seconds === undefined ? Infinity : Date.now() + options.seconds * 1000;
  let round = 0;
  while (result.inputs < options.inputs && Date.now() < deadline) {
    // One fast-check run: it ends at the first crash of a new kind (then shrinks it) or when the budget is spent.
    let shrinking: string | undefined;
    let found: { signature: string; error: unknown } | undefined;
    const property = fc.asyncProperty(target.arbitrary, async (input) => {
      if (shrinking !== undefined) {
        const error = await outcome(target, input, options.watch);
        return error === undefined || crashSignature(error) !== shrinking;
      }
      if (result.inputs >= options.inputs || Date.now() >= deadline) return true;
      result.inputs += 1;
      const error = await outcome(target, input, options.watch);
      if (error !== undefined) result.crashes += 1;
      options.onProgress?.(result.inputs, result.crashes);
      if (error === undefined) return true;
      const signature = crashSignature(error);
      const crash = known.get(signature);
      if (crash !== undefined) {
        crash.count += 1;
        return true;
      }
      shrinking = signature;
      found = { signature, error };
      return false;
    });
    const details = await fc.check(property, {
      seed: options.seed + round,
      numRuns: options.inputs - result.inputs,
      ...(options.seconds === undefined
        ? {}
        : { interruptAfterTimeLimit: Math.max(1, deadline - Date.now()) }),
      markInterruptAsFailure: false,
      maxSkipsPerRun: 0,
    });
    round += 1;
    if (!details.failed || found === undefined) break;
    const { signature, error } = found;
    const shrunk = details.counterexample?.[0] ?? { slot: '?', text: '' };
    // the shrunk input's own error is the one to show (same signature, smaller input)
    const shownError = (await outcome(target, shrunk, options.watch)) ?? error;
    const crash: Crash = {
      reader: target.name,
      signature,
      input: shrunk,
      ...describeError(shownError),
      count: 1,
    };
    known.set(signature, crash);
    result.distinct.push(crash);
  }
  return result;
}
