/**
 * The Plan: what `migrate plan` writes to plan.yaml. This zod schema is the single source of truth;
 * `schema/plan.schema.json` is generated from it (`npm run gen:schema`) and a test fails when the checked-in file
 * is stale. A plan is explicit: every threshold is written out, so what rollout will do is what the file says.
 * The cross-field rules (wave order, blocked targets, step order) are checked here too, so a hand-edited plan
 * is held to the same rules as a generated one.
 */
import { z } from 'zod';
import { TARGETS } from '../shared/catalog.ts';
import { checkSteps } from './steps.ts';

/** Bump on any breaking change of the document's shape. */
export const PLAN_SCHEMA_VERSION = '1.0';

const serviceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a service id from the analysis');
const where = z.string().describe('`file:line` relative to the estate root');

/**
 * The gates of one step, named as the gateway names them (`bridge/gateway` route `gates`), so rollout can hand
 * them to the gateway as they are. Every gate compares the component (wasm) with the container over a window.
 */
export const GatesSchema = z
  .object({
    windowMs: z.number().int().min(1000).describe('sliding window the gates look at, in milliseconds'),
    minSamples: z
      .number()
      .int()
      .min(1)
      .describe('requests (or compared pairs) each side needs in the window before the gates decide'),
    action: z
      .enum(['rollback', 'freeze'])
      .describe('what a breach does: roll the route back to the container, or freeze it where it is'),
    errorRate: z
      .object({
        maxIncrease: z
          .number()
          .min(0)
          .max(1)
          .describe("breach when wasm's error rate exceeds the container's by more than this (0-1)"),
      })
      .strict(),
    latencyP99: z
      .object({
        maxRatio: z.number().min(1).describe("breach when wasm's p99 exceeds the container's p99 times this"),
        minMs: z.number().min(0).describe('p99s below this many milliseconds never breach'),
      })
      .strict(),
    diffRate: z
      .object({
        max: z
          .number()
          .min(0)
          .max(1)
          .describe('breach when more than this share of compared responses differ (after noise filtering)'),
      })
      .strict(),
  })
  .strict();
export type Gates = z.infer<typeof GatesSchema>;

export const STEP_KINDS = ['verify', 'shadow', 'canary'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** One traffic step. verify and shadow send no user to the component; canary steps send `weight` percent. */
export const StepSchema = z
  .object({
    name: z.string().min(1).describe('`verify`, `shadow`, or the weight such as `10%`'),
    kind: z
      .enum(STEP_KINDS)
      .describe(
        'verify: replay requests against both sides and diff; shadow: live traffic to both, answers from the container; canary: weight percent of users to the component',
      ),
    weight: z.number().min(0).max(100).describe('percent of sticky users routed to the component'),
    holdMs: z
      .number()
      .int()
      .min(0)
      .describe('how long the step holds with every gate passing before the next step, in milliseconds'),
    gates: GatesSchema,
  })
  .strict();
export type Step = z.infer<typeof StepSchema>;

export const BlockerRefSchema = z
  .object({
    kind: z.string(),
    severity: z.enum(['blocker', 'port-needed']),
    reason: z.string(),
    wayOut: z.string(),
    at: z.array(where).describe('sites of the effects that cause it'),
  })
  .strict();

const readinessEntry = z
  .object({
    level: z.enum(['ready', 'port-needed', 'blocked']),
    score: z.number().int().min(0).max(100),
    blockers: z.array(BlockerRefSchema),
  })
  .strict();

export const BINDING_CAPABILITIES = [
  'postgres',
  'mysql',
  'redis',
  'nats',
  'kafka',
  'rabbitmq',
  'http',
  'other',
] as const;

/** A real backend a capability of the component binds to. Never holds a credential. */
export const BindingSchema = z
  .object({
    capability: z.enum(BINDING_CAPABILITIES),
    target: z
      .string()
      .nullable()
      .describe('infra id (`postgres`) or service id (`inventory-service`); null when unresolved'),
    address: z
      .string()
      .refine((value) => !/\/\/[^/@\s]*:[^/@\s]*@/.test(value), 'an address never holds a password')
      .optional()
      .describe('host, port and database or URL, credentials removed'),
    detail: z.string().describe('what is bound: property, subject, tables or URL expression'),
    evidence: z.array(where),
  })
  .strict();
export type Binding = z.infer<typeof BindingSchema>;

/** A secret the component needs, by reference only: the plan never holds a secret's value. */
export const SecretRefSchema = z
  .object({
    name: z.string().describe('environment variable or configuration key'),
    ref: z
      .string()
      .describe('e.g. `secretKeyRef:orders-db/password`, or `env:DB_PASSWORD` for a value given inline'),
    source: where,
  })
  .strict();
export type SecretRef = z.infer<typeof SecretRefSchema>;

export const EffortSchema = z
  .object({
    points: z.number().int().min(0).describe('story points on the scale 1, 2, 3, 5, 8, 13, 21, 34, 55, 89'),
    raw: z.number().min(0).describe('the formula before rounding up to the scale'),
    basis: z
      .enum(['port-report', 'analysis'])
      .describe('port-report: from `migrate port --json`; analysis: estimated from endpoints and effects'),
    formula: z.string().describe('the formula with this service’s numbers'),
  })
  .strict();
export type Effort = z.infer<typeof EffortSchema>;

export const DependencySchema = z
  .object({
    service: serviceId,
    kind: z.enum(['http', 'message']),
    detail: z.string(),
  })
  .strict();

export const PlanServiceSchema = z
  .object({
    id: serviceId,
    include: z.boolean().describe('false: the service stays in its container'),
    includeReason: z.string(),
    wave: z
      .number()
      .int()
      .min(1)
      .nullable()
      .describe('services of a wave move together; null when not included'),
    waveReason: z.string(),
    dependsOn: z
      .array(DependencySchema)
      .describe('services it calls (http) or sends messages to: they move in an earlier wave'),
    cycle: z
      .array(serviceId)
      .optional()
      .describe('the services it forms a dependency cycle with; they share its wave'),
    target: z.enum(TARGETS),
    targetReason: z.string(),
    allowBlocked: z
      .boolean()
      .optional()
      .describe('true: the target is blocked and was chosen anyway (an explicit override)'),
    readiness: z
      .object({
        wasmcloud: readinessEntry,
        spin: readinessEntry,
        spin4: readinessEntry,
        embedded: readinessEntry,
      })
      .strict(),
    bindings: z.array(BindingSchema),
    secrets: z.array(SecretRefSchema),
    effort: EffortSchema,
    steps: z.array(StepSchema).min(1),
  })
  .strict();
export type PlanService = z.infer<typeof PlanServiceSchema>;

export const PlanFindingSchema = z
  .object({
    severity: z.enum(['error', 'warning', 'info']),
    code: z.string().describe('`cycle`, `blocked-override`, `unresolved-call`, `unresolved-binding`…'),
    message: z.string(),
    services: z.array(serviceId),
    at: where.optional(),
  })
  .strict();
export type PlanFinding = z.infer<typeof PlanFindingSchema>;

const PlanShape = z
  .object({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    estate: z.string().describe('name of the estate root directory'),
    basis: z
      .object({
        analysis: z.string().describe('`analyzed` or the analysis file it was made from'),
        portReports: z.array(serviceId).describe('services whose effort comes from a port report'),
        answers: z.string().describe('`recommended`, `interactive`, or the answers file and flags used'),
      })
      .strict(),
    services: z.array(PlanServiceSchema),
    findings: z.array(PlanFindingSchema),
  })
  .strict();

type PlanShape = z.infer<typeof PlanShape>;

/** The rules a plan must keep, hand-edited or not; each issue points at the field to fix. */
function checkPlan(plan: PlanShape, ctx: z.RefinementCtx): void {
  const byId = new Map<string, { service: PlanService; index: number }>();
  plan.services.forEach((service, index) => {
    if (byId.has(service.id))
      ctx.addIssue({
        code: 'custom',
        message: `duplicate service ${service.id}`,
        path: ['services', index, 'id'],
      });
    byId.set(service.id, { service, index });
  });
  plan.services.forEach((service, index) => {
    const at = (...path: (string | number)[]): (string | number)[] => ['services', index, ...path];
    if (service.include && service.wave === null)
      ctx.addIssue({ code: 'custom', message: 'an included service needs a wave', path: at('wave') });
    if (!service.include && service.wave !== null)
      ctx.addIssue({ code: 'custom', message: 'a service not included has wave: null', path: at('wave') });
    const readiness = service.readiness[service.target];
    if (service.include && readiness.level === 'blocked' && service.allowBlocked !== true)
      ctx.addIssue({
        code: 'custom',
        message: `${service.target} is blocked for ${service.id} (${readiness.blockers[0]?.reason ?? 'see readiness'}); choose another target or set allowBlocked: true to override`,
        path: at('target'),
      });
    service.dependsOn.forEach((dep, d) => {
      const other = byId.get(dep.service);
      if (other === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown service ${dep.service}`,
          path: at('dependsOn', d, 'service'),
        });
        return;
      }
      if (!service.include || !other.service.include) return;
      const sameCycle = service.cycle?.includes(dep.service) === true;
      const mine = service.wave ?? 0;
      const theirs = other.service.wave ?? 0;
      if (sameCycle ? mine !== theirs : mine <= theirs)
        ctx.addIssue({
          code: 'custom',
          message: sameCycle
            ? `${service.id} and ${dep.service} form a cycle and must share a wave (${mine} vs ${theirs})`
            : `${service.id} (wave ${mine}) must move after ${dep.service} (wave ${theirs}), which it ${dep.kind === 'http' ? 'calls' : 'sends messages to'}`,
          path: at('wave'),
        });
    });
    for (const issue of checkSteps(service.steps))
      ctx.addIssue({ code: 'custom', message: issue.message, path: at('steps', ...issue.path) });
  });
}

/** The plan document, with its rules. */
export const PlanSchema = PlanShape.superRefine(checkPlan);
export type Plan = z.infer<typeof PlanSchema>;

/** The JSON Schema of plan.yaml, generated from the zod model (the cross-field rules are not expressible there). */
export function createPlanJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://migrate.dev/schema/plan.schema.json',
    title: 'migrate Plan',
    ...(z.toJSONSchema(PlanShape, { target: 'draft-2020-12' }) as Record<string, unknown>),
  };
}
