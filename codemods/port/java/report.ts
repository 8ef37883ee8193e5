/** The port report: methods total, ported, with TODOs, and every TODO with file:line of the Java. */
import type { MethodOutcome } from './members.ts';
import type { PortTodo } from './todo.ts';
import { formatTypeErrors, type TypeCheckError, type TypeCheckResult } from '../../build/type-check.ts';

export const PORT_REPORT_SCHEMA_VERSION = '1.1';

/** The report's file in the ported project. */
export const PORT_REPORT_FILE = 'port-report.json';

export interface PortReport {
  schemaVersion: string;
  service: string;
  methods: number;
  methods_ported: number;
  methods_todo: number;
  todos: { file: string; line: number; member: string; why: string; java: string }[];
  /** The generated project type-checked with migrate's compiler (`checked: false` when it was not). */
  typecheck: { checked: boolean; errors: TypeCheckError[] };
  typecheck_errors: number;
}

export function createPortReport(
  service: string,
  outcomes: readonly MethodOutcome[],
  todos: readonly PortTodo[],
  typecheck: TypeCheckResult | undefined,
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
    typecheck: { checked: typecheck?.checked ?? false, errors: typecheck?.errors ?? [] },
    typecheck_errors: typecheck?.errors.length ?? 0,
  };
}

/** The text summary printed by `migrate port`. */
export function formatPortReport(report: PortReport): string {
  const lines = [
    `${report.service}: ${report.methods} methods, ${report.methods_ported} ported, ${report.methods_todo} with TODOs`,
  ];
  for (const t of report.todos) lines.push(`  TODO ${t.file}:${t.line} ${t.member}: ${t.why}`);
  if (!report.typecheck.checked) lines.push('type check: not run');
  else if (report.typecheck_errors === 0)
    lines.push('type check: clean (tsc --strict, migrate’s declarations)');
  else {
    lines.push(
      `type check: ${report.typecheck_errors} error(s); migrate build refuses the project until fixed`,
    );
    for (const line of formatTypeErrors(report.typecheck.errors)) lines.push(`  ${line}`);
  }
  return lines.join('\n');
}
