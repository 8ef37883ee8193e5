/**
 * Java overloads → one TypeScript member per overload under its own name, and a dispatcher under the Java name
 * with one overload signature each. TypeScript allows one implementation per name, so two `owners(...)` handlers
 * or two `toResponse(...)` helpers would otherwise be a duplicate implementation; the signatures keep every call
 * site type-checked (the compiler picks the overload as javac did) and the dispatcher picks the same one at run
 * time from the arguments' count and kinds.
 */
import type { JavaClass, JavaMethod, JavaType } from './model.ts';
import {
  translateMember,
  fileName,
  isDroppedParam,
  type MemberOptions,
  type MethodOutcome,
} from './members.ts';
import { createScope, type ImportSet, type ServiceContext } from './scope.ts';
import { tsType } from './expressions.ts';
import { isNumberType } from './types.ts';

const CLASS_ROLES = new Set(['entity', 'redis-entity', 'data', 'exception', 'bean', 'controller', 'advice']);

/** Methods grouped by name, in source order; a group of one is not overloaded. */
export function groupOverloads(methods: readonly JavaMethod[]): JavaMethod[][] {
  const groups = new Map<string, JavaMethod[]>();
  for (const m of methods) groups.set(m.name, [...(groups.get(m.name) ?? []), m]);
  return [...groups.values()];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `owners()` → `ownersNoArgs`, `owners(String name)` → `ownersByName`, `toResponse(Pet pet)` → `toResponseByPet`. */
export function getOverloadName(base: string, m: JavaMethod, taken: Set<string>): string {
  const params = m.params.filter((p) => !isDroppedParam(p));
  let name =
    params.length === 0 ? `${base}NoArgs` : `${base}By${params.map((p) => capitalize(p.name)).join('And')}`;
  if (taken.has(name)) name = `${base}By${params.map((p) => capitalize(p.type.name)).join('And')}`;
  for (let i = 2; taken.has(name); i++) name = `${name}${i}`;
  taken.add(name);
  return name;
}

/** The run-time test that an argument fits a Java parameter type; `undefined` when none tells types apart. */
function getGuard(ctx: ServiceContext, type: JavaType, arg: string): string | undefined {
  if (type.array || type.name === 'List' || type.name === 'Collection') return `Array.isArray(${arg})`;
  if (type.name === 'Set') return `${arg} instanceof Set`;
  if (type.name === 'Map') return `${arg} instanceof Map`;
  if (type.name === 'String') return `(${arg} === null || typeof ${arg} === 'string')`;
  if (type.name === 'boolean') return `typeof ${arg} === 'boolean'`;
  if (type.name === 'Boolean') return `(${arg} === null || typeof ${arg} === 'boolean')`;
  // every Java type the port writes as `number` (types.ts), so the guard and the signature agree
  if (isNumberType(type)) {
    const primitive = type.name.charAt(0) === type.name.charAt(0).toLowerCase();
    return primitive ? `typeof ${arg} === 'number'` : `(${arg} === null || typeof ${arg} === 'number')`;
  }
  if (CLASS_ROLES.has(ctx.roles.get(type.name) ?? ''))
    return `(${arg} === null || ${arg} instanceof ${type.name})`;
  return undefined;
}

interface Variant {
  method: JavaMethod;
  name: string;
  params: { name: string; type: string; guard: string | undefined }[];
}

function describeVariants(
  ctx: ServiceContext,
  cls: JavaClass,
  group: readonly JavaMethod[],
  imports: ImportSet,
  taken: Set<string>,
  base?: string,
): Variant[] {
  return group.map((method) => {
    const scope = createScope(ctx, cls, method.name, imports, method.modifiers.includes('static'));
    const params = method.params
      .filter((p) => !isDroppedParam(p))
      .map((p, i) => ({
        name: p.name,
        type: tsType(p.type, scope) || 'unknown',
        guard: getGuard(ctx, p.type, `args[${i}]`),
      }));
    return { method, name: getOverloadName(base ?? method.name, method, taken), params };
  });
}

/** Two variants no run-time test tells apart (same count, and no parameter whose guards both exist and differ). */
function isAmbiguous(a: Variant, b: Variant): boolean {
  if (a.params.length !== b.params.length) return false;
  return !a.params.some(
    (p, i) => p.guard !== undefined && b.params[i]?.guard !== undefined && p.guard !== b.params[i]?.guard,
  );
}

function condition(v: Variant): string {
  const tests = [
    `args.length === ${v.params.length}`,
    ...v.params.flatMap((p) => (p.guard ? [p.guard] : [])),
  ];
  return tests.join(' && ');
}

function callArgs(v: Variant): string {
  return v.params.map((p, i) => `args[${i}] as ${p.type}`).join(', ');
}

/** Records a dispatcher that cannot tell two overloads apart, as a TODO and a report entry. */
function reportAmbiguous(ctx: ServiceContext, cls: JavaClass, variants: Variant[]): string | undefined {
  const clash = variants.find((v, i) => variants.some((w, j) => j > i && isAmbiguous(v, w)));
  if (clash === undefined) return undefined;
  const why = `overloads of ${clash.method.name} that the arguments' run-time kinds do not tell apart: call ${variants.map((v) => v.name).join(' or ')} directly`;
  const where = `${fileName(cls.file)}:${clash.method.line}`;
  ctx.todos.push({
    file: cls.file,
    line: clash.method.line,
    member: `${cls.name}.${clash.method.name}`,
    why,
    java: clash.method.text,
  });
  return `// TODO(migrate): ${why} (${where})`;
}

/** The Java-named dispatcher of an overloaded method, with one signature per overload. */
function renderMethodDispatcher(
  ctx: ServiceContext,
  cls: JavaClass,
  variants: Variant[],
  imports: ImportSet,
): string {
  const first = variants[0]!.method;
  const isStatic = first.modifiers.includes('static');
  const isPrivate = variants.every((v) => v.method.modifiers.includes('private'));
  const prefix = `${isPrivate ? 'private ' : ''}${isStatic ? 'static ' : ''}`;
  const target = isStatic ? cls.name : 'this';
  const returns = variants.map((v) => {
    const scope = createScope(ctx, cls, v.method.name, imports, isStatic);
    const ret =
      tsType(v.method.returnType ?? { name: 'void', args: [], array: false, annotations: [] }, scope) ||
      'unknown';
    return ctx.asyncMethods.has(`${cls.name}.${v.method.name}`) ? `Promise<${ret}>` : ret;
  });
  const signatures = variants.map(
    (v, i) =>
      `${prefix}${first.name}(${v.params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${returns[i]};`,
  );
  const todo = reportAmbiguous(ctx, cls, variants);
  const branches = variants.map((v) => `if (${condition(v)}) return ${target}.${v.name}(${callArgs(v)});`);
  const union = [...new Set(returns)].join(' | ');
  const lead = `// Java overloads ${first.name}: one method each, chosen here as javac chose from the argument types`;
  return [
    lead,
    ...(todo ? [todo] : []),
    ...signatures,
    `${prefix}${first.name}(...args: unknown[]): ${union} {`,
    ...branches,
    `throw new TypeError(${JSON.stringify(`${cls.name}.${first.name}: no overload takes these arguments`)});`,
    '}',
  ].join('\n');
}

/**
 * Translates a class's methods, overloads included; `options` gives each method's member options (its leading
 * comment). Returns the members' texts in source order, each overload group as its variants then its dispatcher.
 */
export function translateMethods(
  ctx: ServiceContext,
  cls: JavaClass,
  methods: readonly JavaMethod[],
  imports: ImportSet,
  outcomes: MethodOutcome[],
  options: (m: JavaMethod) => MemberOptions = () => ({}),
): string[] {
  const taken = new Set(cls.methods.map((m) => m.name));
  const members: string[] = [];
  for (const group of groupOverloads(methods)) {
    if (group.length === 1) {
      members.push(translateMember(ctx, cls, group[0]!, imports, outcomes, options(group[0]!)));
      continue;
    }
    const variants = describeVariants(ctx, cls, group, imports, taken);
    for (const v of variants)
      members.push(
        translateMember(ctx, cls, v.method, imports, outcomes, { ...options(v.method), emitName: v.name }),
      );
    members.push(renderMethodDispatcher(ctx, cls, variants, imports));
  }
  return members;
}

/**
 * Overloaded constructors of a data class: each becomes a private `init…` method and the constructor dispatches to
 * one. A constructor body that calls `super(…)` or `this(…)` cannot move into a method: undefined, the caller keeps
 * the constructors as they are (and the type check says so).
 */
export function translateConstructors(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string[] | undefined {
  const ctors = cls.constructors;
  if (ctors.length < 2 || ctors.some((c) => /\b(super|this)\s*\(/.test(c.body?.text ?? ''))) return undefined;
  const taken = new Set(cls.methods.map((m) => m.name));
  const variants = describeVariants(ctx, cls, ctors, imports, taken, 'init');
  const members = variants.map((v) =>
    translateMember(ctx, cls, v.method, imports, outcomes, { emitName: v.name }),
  );
  const todo = reportAmbiguous(ctx, cls, variants);
  const signatures = variants.map(
    (v) => `constructor(${v.params.map((p) => `${p.name}: ${p.type}`).join(', ')});`,
  );
  const branches = variants.map((v) => `if (${condition(v)}) {\nthis.${v.name}(${callArgs(v)});\nreturn;\n}`);
  members.unshift(
    [
      `// Java overloads the constructor: one init method each, chosen here as javac chose from the argument types`,
      ...(todo ? [todo] : []),
      ...signatures,
      'constructor(...args: unknown[]) {',
      ...branches,
      `throw new TypeError(${JSON.stringify(`new ${cls.name}: no constructor takes these arguments`)});`,
      '}',
    ].join('\n'),
  );
  return members;
}
