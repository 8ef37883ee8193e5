/**
 * The port report: every method with whether it was ported, every TODO in a method with file:line of the Java,
 * every construct the generated code leaves out, and the type check. Its totals are counts of its entries.
 */
import type { MethodOutcome } from './members.ts';
import type { PortTodo } from './todo.ts';
import type { DroppedConstruct } from './dropped.ts';
import { formatTypeErrors, type TypeCheckError, type TypeCheckResult } from '../../build/type-check.ts';

export const PORT_REPORT_SCHEMA_VERSION = '1.1';

/** The report's file in the ported project. */
export const PORT_REPORT_FILE = 'port-report.json';

export interface PortReport {
  schemaVersion: string;
  service: string;
  /** `method_list.length`. */
  methods: number;
  /** Entries of `method_list` with `todo: false`. */
  methods_ported: number;
  /** Entries of `method_list` with `todo: true`; each has at least one entry in `todos`. */
  methods_todo: number;
  /** `dropped.length`. */
  constructs_dropped: number;
  method_list: { member: string; file: string; line: number; todo: boolean }[];
  todos: { file: string; line: number; member: string; why: string; java: string }[];
  dropped: { file: string; line: number; construct: string; member: string; why: string; java: string }[];
  /** The generated project type-checked with migrate's compiler (`checked: false` when it was not). */
  typecheck: { checked: boolean; errors: TypeCheckError[] };
  /** `typecheck.errors.length`. */
  typecheck_errors: number;
}

const byPlace = (a: { file: string; line: number }, b: { file: string; line: number }): number =>
  a.file.localeCompare(b.file) || a.line - b.line;

export function createPortReport(
  service: string,
  outcomes: readonly MethodOutcome[],
  todos: readonly PortTodo[],
  dropped: readonly DroppedConstruct[],
  typecheck: TypeCheckResult | undefined,
): PortReport {
  const methods = new Set(outcomes.map((o) => o.member));
  // A TODO outside any method (a field's lambda, say) is a dropped construct of its own.
  const inMethod = todos.filter((t) => methods.has(t.member));
  const outside: DroppedConstruct[] = todos
    .filter((t) => !methods.has(t.member))
    .map((t) => ({ ...t, construct: 'member' }));
  const withTodo = new Set(inMethod.map((t) => t.member));
  const methodList = outcomes
    .map((o) => ({
      member: o.member,
      file: o.file,
      line: o.line,
      todo: o.todos > 0 || withTodo.has(o.member),
    }))
    .sort(byPlace);
  const droppedList = [...dropped, ...outside].sort(byPlace).map((d) => ({
    file: d.file,
    line: d.line,
    construct: d.construct,
    member: d.member,
    why: d.why,
    java: d.java.split('\n')[0] ?? '',
  }));
  const methodsTodo = methodList.filter((m) => m.todo).length;
  return {
    schemaVersion: PORT_REPORT_SCHEMA_VERSION,
    service,
    methods: methodList.length,
    methods_ported: methodList.length - methodsTodo,
    methods_todo: methodsTodo,
    constructs_dropped: droppedList.length,
    method_list: methodList,
    todos: [...inMethod].sort(byPlace).map((t) => ({
      file: t.file,
      line: t.line,
      member: t.member,
      why: t.why,
      java: t.java.split('\n')[0] ?? '',
    })),
    dropped: droppedList,
    typecheck: { checked: typecheck?.checked ?? false, errors: typecheck?.errors ?? [] },
    typecheck_errors: typecheck?.errors.length ?? 0,
  };
}

/** The text summary printed by `migrate port`. */
export function formatPortReport(report: PortReport): string {
  const lines = [
    `${report.service}: ${report.methods} methods, ${report.methods_ported} ported, ${report.methods_todo} with TODOs; ${report.constructs_dropped} constructs not carried over`,
  ];
  for (const t of report.todos) lines.push(`  TODO ${t.file}:${t.line} ${t.member}: ${t.why}`);
  for (const d of report.dropped)
    lines.push(`  DROPPED ${d.file}:${d.line} ${d.construct} ${d.member}: ${d.why}`);
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
