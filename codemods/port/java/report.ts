/** The port report: methods total, ported, with TODOs, and every TODO with file:line of the Java. */
import type { MethodOutcome } from './members.ts';
import type { PortTodo } from './todo.ts';

export const PORT_REPORT_SCHEMA_VERSION = '1.0';

export interface PortReport {
  schemaVersion: string;
  service: string;
  methods: number;
  methods_ported: number;
  methods_todo: number;
  todos: { file: string; line: number; member: string; why: string; java: string }[];
}

export function createPortReport(
  service: string,
  outcomes: readonly MethodOutcome[],
  todos: readonly PortTodo[],
): PortReport {
  const sorted = [...todos].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const withTodo = new Set(sorted.map((t) => t.member.split('.').slice(0, 2).join('.')));
  const methodsTodo = outcomes.filter((o) => o.todos > 0 || withTodo.has(o.member)).length;
  return {
    schemaVersion: PORT_REPORT_SCHEMA_VERSION,
    service,
    methods: outcomes.length,
    methods_ported: outcomes.length - methodsTodo,
    methods_todo: methodsTodo,
    todos: sorted.map((t) => ({
      file: t.file,
      line: t.line,
      member: t.member,
      why: t.why,
      java: t.java.split('\n')[0] ?? '',
    })),
  };
}

/** The text summary printed by `migrate port`. */
export function formatPortReport(report: PortReport): string {
  const lines = [
    `${report.service}: ${report.methods} methods, ${report.methods_ported} ported, ${report.methods_todo} with TODOs`,
  ];
  for (const t of report.todos) lines.push(`  TODO ${t.file}:${t.line} ${t.member}: ${t.why}`);
  return lines.join('\n');
}
