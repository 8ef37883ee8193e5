/**
 * Effort in story points, with the formula shown. From a port report (`migrate port --json`: methods, methods
 * with TODOs, dropped constructs) when one is given, else estimated from the analysis (endpoints, effects);
 * blockers on the chosen target add to either.
 */
import { z } from 'zod';
import type { Service } from '../analyzer/index.ts';
import type { Target } from '../shared/catalog.ts';
import type { Effort } from './plan-schema.ts';

/** The part of `migrate port --json` the planner reads (the port may add fields; they are ignored). */
export const PortReportSchema = z.object({
  schemaVersion: z.string(),
  service: z.string().min(1),
  methods: z.number().int().min(0),
  methods_todo: z.number().int().min(0),
  todos: z.array(z.object({ file: z.string(), line: z.number().int(), why: z.string() })),
  /** Constructs the port removed rather than translated; older reports have none. */
  dropped: z.union([z.number().int().min(0), z.array(z.unknown())]).optional(),
});
export type PortReport = z.infer<typeof PortReportSchema>;

/** A file holds one report or a list of them. */
export const PortReportFileSchema = z.union([PortReportSchema, z.array(PortReportSchema)]);

/** The story-point scale; a raw estimate rounds up to the next value (estimates err on the safe side). */
export const POINT_SCALE = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89] as const;

const IO_KINDS = new Set(['sql', 'kv', 'redis', 'publish', 'subscribe', 'http-out']);

const toPoints = (raw: number): number => POINT_SCALE.find((p) => p >= raw) ?? Math.ceil(raw);
const n = (value: number): string => String(Number(value.toFixed(2)));

export function estimateEffort(service: Service, target: Target, report: PortReport | undefined): Effort {
  const readiness = service.readiness[target];
  const blockers = readiness.blockers.filter((b) => b.severity === 'blocker').length;
  const portNeeded = readiness.blockers.filter((b) => b.severity === 'port-needed').length;
  const tail = `3×${portNeeded} port-needed + 8×${blockers} blockers on ${target}`;
  let raw: number;
  let formula: string;
  if (report !== undefined) {
    const dropped = typeof report.dropped === 'number' ? report.dropped : (report.dropped?.length ?? 0);
    raw = 1 + report.methods / 10 + 2 * report.methods_todo + dropped + 3 * portNeeded + 8 * blockers;
    formula = `1 + ${report.methods} methods/10 + 2×${report.methods_todo} methods with TODOs + 1×${dropped} dropped + ${tail}`;
  } else {
    const endpoints = service.endpoints.length;
    const io = service.effects.filter((e) => IO_KINDS.has(e.kind)).length;
    const other = service.effects.length - io;
    raw = 1 + 0.5 * endpoints + 0.5 * io + 0.1 * other + 3 * portNeeded + 8 * blockers;
    formula = `1 + 0.5×${endpoints} endpoints + 0.5×${io} I/O effects + 0.1×${other} other effects + ${tail}`;
  }
  raw = Number(raw.toFixed(2));
  const points = toPoints(raw);
  return {
    points,
    raw,
    basis: report === undefined ? 'analysis' : 'port-report',
    formula: `${formula} = ${n(raw)} → ${points}`,
  };
}
