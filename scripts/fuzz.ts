/**
 * `npm run fuzz [-- --seed N --seconds S --inputs N --reader NAME[,NAME] --input-timeout S --jobs N]`: drives every reader
 * of user input (host and gateway configs, Java, the Java → TS port, compose, Kubernetes/kustomize,
 * Dockerfiles, Spring properties/yml) with generated and mutated inputs (fast-check, seeded), each reader in a
 * worker thread watched for hangs. Prints ONE JSON line on stdout:
 *   {"inputs":…,"crashes":…,"by_reader":{"host-config":{"inputs":…,"crashes":…,"distinct":…},…},"seed":…}
 * and, on stderr, each distinct crash's reader, shrunk input and stack. Exits 1 when anything crashed.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Crash, TargetResult } from './fuzz/run-target.ts';
import { createSharedBuffer, readShared } from './fuzz/shared-state.ts';
import { SCRATCH_BASE, TARGET_NAMES, type TargetName } from './fuzz/targets.ts';
import type { WorkerReply, WorkerRequest } from './fuzz/worker.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20261205' },
    seconds: { type: 'string', default: '120' },
    inputs: { type: 'string', default: '10000' },
    reader: { type: 'string', multiple: true },
    'input-timeout': { type: 'string', default: '20' },
    jobs: { type: 'string', default: '1' },
  },
});
const seed = Number(values.seed);
const seconds = Number(values.seconds);
const inputs = Number(values.inputs);
const inputTimeoutMs = Number(values['input-timeout']) * 1000;
const jobs = Math.max(1, Math.floor(Number(values.jobs)));
const wanted = (values.reader ?? []).flatMap((r) => r.split(','));
for (const name of wanted) {
  if (!(TARGET_NAMES as readonly string[]).includes(name)) {
    console.error(`unknown reader ${name}; readers: ${TARGET_NAMES.join(', ')}`);
    process.exit(2);
  }
}
if (![seed, seconds, inputs, inputTimeoutMs, jobs].every(Number.isFinite)) {
  console.error('--seed, --seconds, --inputs, --input-timeout and --jobs take numbers');
  process.exit(2);
}
const readers = wanted.length === 0 ? TARGET_NAMES : (wanted as TargetName[]);

type Attempt =
  { kind: 'done'; result: TargetResult } | { kind: 'stopped'; crash: Crash; inputs: number; crashes: number };

/** One worker run; ends with its result, or with a crash when an input hangs or the worker dies. */
function attempt(target: TargetName, runSeed: number, budget: number, secondsLeft: number): Promise<Attempt> {
  const shared = createSharedBuffer();
  const request: WorkerRequest = { target, seed: runSeed, inputs: budget, seconds: secondsLeft, shared };
  const worker = new Worker(new URL('./fuzz/worker.ts', import.meta.url), {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: 3072 },
  });
  return new Promise((resolve) => {
    let settled = false;
    const stop = (message: string, stack: string): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      const snapshot = readShared(shared);
      void worker.terminate();
      resolve({
        kind: 'stopped',
        inputs: snapshot.inputs + 1,
        crashes: snapshot.crashes + 1,
        crash: { reader: target, signature: message, input: snapshot.input, message, stack, count: 1 },
      });
    };
    const timer = setInterval(() => {
      const { runningFor } = readShared(shared);
      if (runningFor !== undefined && runningFor > inputTimeoutMs) {
        stop(`hang: one input ran more than ${inputTimeoutMs / 1000} s`, '(terminated by the fuzzer)');
      }
    }, 250);
    worker.on('message', (reply: WorkerReply) => {
      settled = true;
      clearInterval(timer);
      resolve({ kind: 'done', result: reply.result });
    });
    worker.on('error', (error) => stop(`worker died: ${error.message}`, error.stack ?? ''));
    worker.on('exit', (code) => {
      if (!settled) stop(`worker exited with code ${code} before finishing`, '');
    });
  });
}

async function fuzzReader(target: TargetName): Promise<TargetResult> {
  const total: TargetResult = { reader: target, inputs: 0, crashes: 0, distinct: [] };
  const deadline = Date.now() + seconds * 1000;
  for (let restart = 0; total.inputs < inputs && Date.now() < deadline && restart < 10; restart++) {
    const run = await attempt(
      target,
      seed + restart * 1000,
      inputs - total.inputs,
      (deadline - Date.now()) / 1000,
    );
    if (run.kind === 'done') {
      total.inputs += run.result.inputs;
      total.crashes += run.result.crashes;
      total.distinct.push(...run.result.distinct);
      break;
    }
    total.inputs += run.inputs;
    total.crashes += run.crashes;
    total.distinct.push(run.crash);
  }
  return total;
}

function showCrash(crash: Crash): void {
  const text =
    crash.input.text.length > 4000
      ? `${crash.input.text.slice(0, 4000)}… (${crash.input.text.length} chars)`
      : crash.input.text;
  console.error(`\n=== crash in ${crash.reader} (${crash.count}×): ${crash.message}`);
  console.error(`--- shrunk input (${crash.input.slot}), as JSON:\n${JSON.stringify(text)}`);
  console.error(`--- stack:\n${crash.stack}`);
}

const byReader: Record<string, { inputs: number; crashes: number; distinct: number }> = {};
let totalInputs = 0;
let totalCrashes = 0;
// --jobs readers at a time, each in its own worker; reports are printed in reader order once all are done
const queue = [...readers];
const results = new Map<TargetName, TargetResult>();
await Promise.all(
  Array.from({ length: Math.min(jobs, readers.length) }, async () => {
    for (let reader = queue.shift(); reader !== undefined; reader = queue.shift()) {
      const started = Date.now();
      const result = await fuzzReader(reader);
      results.set(reader, result);
      console.error(
        `${reader}: ${result.inputs} inputs, ${result.crashes} crashes (${result.distinct.length} distinct) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }),
);
for (const reader of readers) {
  const result = results.get(reader)!;
  for (const crash of result.distinct) showCrash(crash);
  byReader[reader] = { inputs: result.inputs, crashes: result.crashes, distinct: result.distinct.length };
  totalInputs += result.inputs;
  totalCrashes += result.crashes;
}
// a worker stopped for a hang could not remove its scratch estate; workers share this process's pid
for (const name of await readdir(SCRATCH_BASE)) {
  if (name.startsWith('migrate-fuzz-') && name.includes(`-${process.pid}-`))
    await rm(join(SCRATCH_BASE, name), { recursive: true, force: true });
}
console.log(JSON.stringify({ inputs: totalInputs, crashes: totalCrashes, by_reader: byReader, seed }));
process.exitCode = totalCrashes > 0 ? 1 : 0;
