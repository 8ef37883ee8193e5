/**
 * A small deterministic slice of `npm run fuzz`: a fixed seed and a few hundred small generated and mutated
 * inputs per reader of user input. Any exception other than a located AppError is a failure, shown with the
 * shrunk input. No time bound is asserted: the inputs are few and small.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runTarget, type Crash } from '../../scripts/fuzz/run-target.ts';
import { createTarget, type FuzzTarget, type TargetName } from '../../scripts/fuzz/targets.ts';

const SEED = 20261205;
/** Inputs per reader; the port formats every file it writes, so it gets fewer. */
const SLICE: Record<TargetName, number> = {
  'host-config': 300,
  'gateway-config': 300,
  java: 300,
  port: 60,
  compose: 300,
  k8s: 120,
  dockerfile: 300,
  properties: 300,
};

const targets: FuzzTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
});

function show(crashes: readonly Crash[]): string[] {
  return crashes.map(
    (c) => `${c.message}\n  input (${c.input.slot}): ${JSON.stringify(c.input.text.slice(0, 500))}`,
  );
}

describe('fuzz slice (fixed seed)', () => {
  for (const [name, inputs] of Object.entries(SLICE) as [TargetName, number][]) {
    it(`${name}: ${inputs} generated and mutated inputs end in a result or a located AppError`, async () => {
      const target = await createTarget(name, 'quick');
      targets.push(target);
      const result = await runTarget(target, { seed: SEED, inputs });
      expect(show(result.distinct)).toEqual([]);
      expect(result).toMatchObject({ inputs, crashes: 0 });
    }, 120_000);
  }
});
