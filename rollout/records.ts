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
  gate: z.enum(['minSamples', 'errorRate', 'latencyP99', 'diffRate', 'hold', 'mismatches', 'gateway']),
  ok: z.boolean(),
  value: z.number().nullable().describe('null when there was nothing to measure'),
  threshold: z.number(),
  detail: z.string(),
});
export type GateCheck = z.infer<typeof GateCheckSchema>;

/** What a verify step found (a summary of verify's result; the full result is `migrate verify --json`'s). */
export const VerifyEvidenceSchema = z.object({
  requests: z.number().int().min(0),
  matched: z.number().int().min(0),
  mismatches: z.number().int().min(0).describe('unexplained mismatches; a verify step passes only at 0'),
  explainedDifferences: z.number().int().min(0),
  noise: z.array(z.string()).describe('fields learned as noise'),
  notes: z.array(z.string()),
});
export type VerifyEvidence = z.infer<typeof VerifyEvidenceSchema>;

const side = {
  rssBytes: z.number().min(0).nullable().describe('resident memory; null when it could not be read'),
  startMs: z.number().min(0).nullable().describe('start time: to ready (component) or started (container)'),
  sizeBytes: z.number().min(0).nullable().describe('image size (container) or component file size'),
};

/** Container against component for one service, measured while both run during the rollout. */
export const FootprintSchema = z.object({
  container: z.object(side),
  component: z.object({
    ...side,
    sharedBy: z
      .number()
      .int()
      .min(1)
      .describe('components in the host process; rssBytes is the process RSS divided by this'),
  }),
  at: z.string().describe('the step during which it was measured, e.g. `100%`'),
});
export type Footprint = z.infer<typeof FootprintSchema>;

export const RolloutRecordSchema = z.discriminatedUnion('event', [
  z.object({
    ...base,
    event: z.literal('rollout-started'),
    planHash: z.string().describe('sha256 of the plan the rollout follows'),
  }),
  z.object({ ...base, ...stepRef, event: z.literal('step-started') }),
  z.object({
    ...base,
    ...stepRef,
    event: z.literal('step-passed'),
    checks: z.array(GateCheckSchema),
    evidence: VerifyEvidenceSchema.optional(),
  }),
  z.object({
    ...base,
    ...stepRef,
    event: z.literal('step-breached'),
    action: z.enum(['rollback', 'freeze']),
    checks: z.array(GateCheckSchema),
    evidence: VerifyEvidenceSchema.optional(),
  }),
  z.object({ ...base, service: z.string(), event: z.literal('service-completed') }),
  z.object({ ...base, service: z.string(), event: z.literal('footprint'), footprint: FootprintSchema }),
  z.object({
    ...base,
    service: z.string(),
    event: z.literal('service-aborted'),
    reason: z.string().describe('who aborted and why, e.g. `migrate rollout abort`'),
  }),
]);
export type RolloutRecord = z.infer<typeof RolloutRecordSchema>;
