/**
 * The rollout's decision log: one JSON record per line (NDJSON), appended and fsync'd as each decision is taken,
 * so an interrupted rollout resumes where it stopped and every step can be explained afterwards.
 */
import { z } from 'zod';

/** Bump on any breaking change of a record's shape. */
export const ROLLOUT_RECORD_VERSION = 1;

const base = {
  v: z.literal(ROLLOUT_RECORD_VERSION),
  at: z.string().describe('ISO 8601 time of the decision'),
};
const stepRef = {
  service: z.string(),
  step: z.string().describe('step name, e.g. `10%`'),
  index: z.number().int().min(0).describe('index of the step in the service’s plan steps'),
};

/** One gate's measurement at a decision. */
export const GateCheckSchema = z.object({
  gate: z.enum(['minSamples', 'errorRate', 'latencyP99', 'diffRate', 'hold']),
  ok: z.boolean(),
  value: z.number().nullable().describe('null when there was nothing to measure'),
  threshold: z.number(),
  detail: z.string(),
});
export type GateCheck = z.infer<typeof GateCheckSchema>;

export const RolloutRecordSchema = z.discriminatedUnion('event', [
  z.object({
    ...base,
    event: z.literal('rollout-started'),
    planHash: z.string().describe('sha256 of the plan the rollout follows'),
  }),
  z.object({ ...base, ...stepRef, event: z.literal('step-started') }),
  z.object({ ...base, ...stepRef, event: z.literal('step-passed'), checks: z.array(GateCheckSchema) }),
  z.object({
    ...base,
    ...stepRef,
    event: z.literal('step-breached'),
    action: z.enum(['rollback', 'freeze']),
    checks: z.array(GateCheckSchema),
  }),
  z.object({ ...base, service: z.string(), event: z.literal('service-completed') }),
]);
export type RolloutRecord = z.infer<typeof RolloutRecordSchema>;
