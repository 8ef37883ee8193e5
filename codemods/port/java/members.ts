/** Methods and constructors → TypeScript members; counts each as ported or with TODOs. */
import type { JavaClass, JavaMethod, JavaVariable } from './model.ts';
import { createScope, declareLocal, type ImportSet, type ServiceContext } from './scope.ts';
import { translateStatements } from './statements.ts';
import { tsType } from './expressions.ts';
import { DROPPED_TYPES } from './runtime-names.ts';
import { isNullChecked, returnsNull } from './nullability.ts';
import { isBooleanType, isNumberType } from './types.ts';
import { renderTodo, Untranslatable } from './todo.ts';

/** Per-method outcome, for the port report. */
export interface MethodOutcome {
  member: string;
  file: string;
  line: number;
  todos: number;
}

export interface MemberOptions {
  /** Text put before the member, e.g. `// from OrderController.java:29`. */
  leading?: string;
  /** Statements inserted at the start of a constructor body (after `super`). */
  prologue?: string;
  /** Field names whose assignments are dropped (their type is removed, e.g. ObjectMapper). */
  droppedFields?: ReadonlySet<string>;
  /** The TypeScript name when it differs from Java's (one overload of several: see overloads.ts). */
  emitName?: string;
}

/** A startup runner a `@Bean` method makes (the composition root runs it). */
export function isRunnerType(type: JavaVariable['type'] | undefined): boolean {
  return type?.name === 'CommandLineRunner' || type?.name === 'ApplicationRunner';
}

export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function isDroppedParam(p: JavaVariable): boolean {
  return DROPPED_TYPES.has(p.type.name);
}

/** Translates one method or constructor and records its outcome. */
export function translateMember(
  ctx: ServiceContext,
  cls: JavaClass,
  method: JavaMethod,
  imports: ImportSet,
  outcomes: MethodOutcome[],
  options: MemberOptions = {},
): string {
  const isCtor = method.returnType === undefined;
  const isStatic = method.modifiers.includes('static');
  const scope = createScope(ctx, cls, method.name, imports, isStatic);
  if (isRunnerType(method.returnType)) scope.asyncReturnedLambda = true;
  const before = ctx.todos.length;
  const params = method.params.filter((p) => !isDroppedParam(p));
  const paramText = params
    .map((p) => {
      declareLocal(scope, p.name, p.type);
      const t = tsType(p.type, scope);
      const optional = p.annotations.some(
        (a) =>
          (a.name === 'RequestParam' || a.name === 'PathVariable') &&
          (a.args.required === 'false' || a.args.defaultValue !== undefined),
      );
      // Java references may be null: a parameter the body compares with null is typed so in TypeScript
      const checked =
        method.body !== undefined &&
        !isNumberType(p.type) &&
        !isBooleanType(p.type) &&
        isNullChecked(p.name, method.body);
      const nullable =
        (optional && p.annotations.some((a) => a.args.defaultValue === undefined)) || checked
          ? ' | null'
          : '';
      return `${p.name}: ${t === '' ? 'unknown' : t}${nullable}`;
    })
    .join(', ');
  for (const p of method.params) declareLocal(scope, p.name, p.type);
  const isAsync = ctx.asyncMethods.has(`${cls.name}.${method.name}`);
  let bodyText: string;
  if (method.body === undefined) {
    bodyText = '';
  } else {
    try {
      bodyText = translateStatements(method.body, scope);
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      ctx.todos.push({
        file: cls.file,
        line: method.line,
        member: `${cls.name}.${method.name}`,
        why: error.message,
        java: method.text,
      });
      bodyText = renderTodo(error.message, method.text, `${fileName(cls.file)}:${method.line}`);
    }
  }
  if (options.droppedFields && options.droppedFields.size > 0) {
    bodyText = bodyText
      .split('\n')
      .filter((l) => ![...options.droppedFields!].some((f) => l.trim() === `this.${f} = ${f};`))
      .join('\n');
  }
  if (isCtor && options.prologue) {
    const superCall = /^super\(.*\);$/m.exec(bodyText);
    bodyText = superCall
      ? bodyText.replace(superCall[0], `${superCall[0]}\n${options.prologue}`)
      : `${options.prologue}\n${bodyText}`;
  }
  outcomes.push({
    member: `${cls.name}.${method.name}`,
    file: cls.file,
    line: method.line,
    todos: ctx.todos.length - before,
  });
  const visibility = method.modifiers.includes('private') ? 'private ' : '';
  const leading = options.leading ? `${options.leading}\n` : '';
  // an overloaded constructor becomes a private method the constructor's dispatcher calls
  if (isCtor && options.emitName !== undefined)
    return `${leading}private ${options.emitName}(${paramText}): void {\n${bodyText}\n}`;
  if (isCtor) return `${leading}constructor(${paramText}) {\n${bodyText}\n}`;
  const ret =
    tsType(method.returnType ?? { name: 'void', args: [], array: false, annotations: [] }, scope) ||
    'unknown';
  // `return null;` in a method returning a reference: TypeScript needs `| null` to say so
  const orNull =
    method.body !== undefined &&
    returnsNull(method.body) &&
    !/\bnull\b|^Promise</.test(ret) &&
    ret !== 'unknown'
      ? `${ret} | null`
      : ret;
  // a method returning a CompletableFuture already returns a promise
  const returnType = isAsync && !orNull.startsWith('Promise<') ? `Promise<${orNull}>` : orNull;
  return `${leading}${visibility}${isStatic ? 'static ' : ''}${isAsync ? 'async ' : ''}${options.emitName ?? method.name}(${paramText}): ${returnType} {\n${bodyText}\n}`;
}
