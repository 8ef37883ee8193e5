/** Classes → TypeScript: records as interfaces, entities and Lombok/POJO data as classes, beans as classes with injected fields. */
import { getAnnotation, hasAnnotation, type JavaClass, type JavaMethod, type JavaVariable } from './model.ts';
import { translateMember, type MethodOutcome } from './members.ts';
import { createScope, fieldName, type ImportSet, type ServiceContext } from './scope.ts';
import { translateExpr, tsType } from './expressions.ts';
import { DROPPED_TYPES } from './runtime-names.ts';
import { renderTodo, splitJsLines, Untranslatable } from './todo.ts';
import { getJacksonProperties, isTrivialAccessor } from './jackson-properties.ts';
import { fileName } from './members.ts';
import { translateConstructors, translateMethods } from './overloads.ts';
import { getStaticallyAssigned, isDeferredStaticField, translateStaticInit } from './static-init.ts';

function doc(cls: JavaClass): string {
  return cls.javadoc ? `${cls.javadoc}\n` : '';
}

function loggerLine(cls: JavaClass, imports: ImportSet): string {
  const hasLogger = cls.fields.some((f) => f.type.name === 'Logger') || hasAnnotation(cls, 'Slf4j');
  if (!hasLogger) return '';
  imports.useRuntime('logger', 'createLogger');
  return `const log = createLogger(${JSON.stringify(cls.name)});\n\n`;
}

function fieldInit(
  ctx: ServiceContext,
  cls: JavaClass,
  f: JavaVariable,
  imports: ImportSet,
): string | undefined {
  if (!f.init) return undefined;
  const scope = createScope(ctx, cls, f.name, imports, f.modifiers.includes('static'));
  try {
    return translateExpr(f.init, scope);
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    ctx.dropped.push({
      file: cls.file,
      line: f.line,
      construct: `${f.modifiers.includes('static') ? 'static ' : ''}field initializer`,
      member: `${cls.name}.${f.name}`,
      why: error.message,
      java: f.text ?? f.init.text,
    });
    return `(() => {\n${renderTodo(error.message, f.init.text, `${fileName(cls.file)}:${f.line}`)}\n})()`;
  }
}

function fieldLines(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  mutable: boolean,
  staticInit = false,
): string[] {
  const scope = createScope(ctx, cls, 'fields', imports, false);
  // with a static initStatics(), the fields it sets are declared here and assigned there
  const deferred = staticInit ? getStaticallyAssigned(cls) : new Set<string>();
  return cls.fields
    .filter((f) => f.type.name !== 'Logger' && !DROPPED_TYPES.has(f.type.name))
    .map((f) => {
      const isStatic = f.modifiers.includes('static');
      // the composition root sets an injected field after construction: public, and assigned by then
      const injected = !mutable && isInjectedField(f);
      const isDeferred = isStatic && deferred.has(f.name);
      const readonly = !mutable && !isDeferred && f.modifiers.includes('final') ? 'readonly ' : '';
      const visibility = !mutable && !injected && f.modifiers.includes('private') ? 'private ' : '';
      const type = tsType(f.type, scope) || 'unknown';
      const init = isDeferred && isDeferredStaticField(f) ? undefined : fieldInit(ctx, cls, f, imports);
      // a bean's field Spring leaves unset holds Java's default until the code sets it
      const unset =
        !mutable &&
        !injected &&
        !isStatic &&
        init === undefined &&
        !f.modifiers.includes('final') &&
        !cls.constructors.some((c) => new RegExp(`\\b${f.name}\\s*=[^=]`).test(c.text))
          ? defaultValue(f)
          : undefined;
      if (unset !== undefined)
        return `${visibility}${fieldName(cls, f.name)}: ${type}${unset === 'null' ? ' | null' : ''} = ${unset};`;
      const bang = init === undefined && (mutable || injected) ? '!' : '';
      return `${visibility}${isStatic ? 'static ' : ''}${readonly}${fieldName(cls, f.name)}${bang}: ${type}${init === undefined ? '' : ` = ${init}`};`;
    });
}

/** Java's default value of an unset field: 0, false or null. */
function defaultValue(f: JavaVariable): string {
  if (['int', 'long', 'short', 'byte', 'double', 'float'].includes(f.type.name) && !f.type.array) return '0';
  if (f.type.name === 'boolean' && !f.type.array) return 'false';
  return 'null';
}

/** `record X(A a, B b)` → `interface X { a: A; b: B }`; built with object literals at the call sites. */
export function translateRecord(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  const scope = createScope(ctx, cls, 'components', imports, false);
  const props = cls.components.map((c) => `readonly ${c.name}: ${tsType(c.type, scope) || 'unknown'};`);
  const extra: string[] = [];
  for (const m of [...cls.methods, ...cls.constructors]) {
    const why = `method ${m.name} of record ${cls.name}: records become interfaces`;
    ctx.todos.push({ file: cls.file, line: m.line, member: `${cls.name}.${m.name}`, why, java: m.text });
    outcomes.push({ member: `${cls.name}.${m.name}`, file: cls.file, line: m.line, todos: 1 });
    extra.push(
      `// TODO(migrate): ${why}\n${splitJsLines(m.text)
        .map((l) => `// ${l}`)
        .join('\n')}`,
    );
  }
  return `${doc(cls)}export interface ${cls.name} {\n${props.join('\n')}\n}\n${extra.join('\n')}`;
}

/** Entities, Lombok and plain data classes: public fields; trivial getters/setters become the fields. */
export function translateDataClass(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  const members: string[] = fieldLines(ctx, cls, imports, true);
  if (hasAnnotation(cls, 'AllArgsConstructor', 'Value') && cls.constructors.length === 0) {
    const scope = createScope(ctx, cls, 'constructor', imports, false);
    const fields = cls.fields.filter((f) => !f.modifiers.includes('static'));
    const noArgs = hasAnnotation(cls, 'NoArgsConstructor', 'Builder');
    const params = fields.map((f) => `${f.name}${noArgs ? '?' : ''}: ${tsType(f.type, scope) || 'unknown'}`);
    const assigns = fields.map((f) =>
      noArgs ? `if (${f.name} !== undefined) this.${f.name} = ${f.name};` : `this.${f.name} = ${f.name};`,
    );
    members.push(`constructor(${params.join(', ')}) {\n${assigns.join('\n')}\n}`);
  }
  const ctors = translateConstructors(ctx, cls, imports, outcomes);
  if (ctors) members.push(...ctors);
  else for (const m of cls.constructors) members.push(translateMember(ctx, cls, m, imports, outcomes));
  const methods = cls.methods.filter((m) => {
    if (!isTrivialAccessor(cls, m)) return true;
    outcomes.push({ member: `${cls.name}.${m.name}`, file: cls.file, line: m.line, todos: 0 });
    return false;
  });
  members.push(...translateMethods(ctx, cls, methods, imports, outcomes));
  const toJson = renderJacksonToJson(ctx, cls, imports);
  if (toJson) members.push(toJson);
  return `${loggerLine(cls, imports)}${doc(cls)}export class ${cls.name} {\n${members.join('\n\n')}\n}`;
}

/**
 * Jackson names a bean's JSON properties after its getters (`boolean isActive` → `active`, `xCoordinate` →
 * `xcoordinate`) or `@JsonProperty`: where a field's name differs, `toJSON` writes Jackson's names
 * (JSON.stringify calls it).
 */
function renderJacksonToJson(ctx: ServiceContext, cls: JavaClass, imports: ImportSet): string | undefined {
  const names = getJacksonProperties(cls);
  if (names.every(({ field, json }) => field.name === json)) return undefined;
  const scope = createScope(ctx, cls, 'toJSON', imports, false);
  const key = (json: string): string => (/^[A-Za-z_$][\w$]*$/.test(json) ? json : JSON.stringify(json));
  const type = names
    .map(({ field, json }) => `${key(json)}: ${tsType(field.type, scope) || 'unknown'}`)
    .join('; ');
  const body = names.map(({ field, json }) => `${key(json)}: this.${fieldName(cls, field.name)}`).join(', ');
  return `/** Jackson's property names (from the getters, or @JsonProperty), which JSON.stringify writes. */\ntoJSON(): { ${type} } {\nreturn { ${body} };\n}`;
}

/** `class X extends RuntimeException` → `class X extends Error` with its name set. */
export function translateException(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  const base = cls.superclass && ctx.classes.has(cls.superclass.name) ? cls.superclass.name : 'Error';
  if (base !== 'Error') imports.useClass(base);
  const members = fieldLines(ctx, cls, imports, false);
  const prologue = `this.name = ${JSON.stringify(cls.name)};`;
  for (const m of cls.constructors)
    members.push(translateMember(ctx, cls, m, imports, outcomes, { prologue }));
  if (cls.constructors.length === 0)
    members.push(`constructor(message?: string) {\nsuper(message);\n${prologue}\n}`);
  members.push(...translateMethods(ctx, cls, cls.methods, imports, outcomes));
  return `${doc(cls)}export class ${cls.name} extends ${base} {\n${members.join('\n\n')}\n}`;
}

export function translateEnum(cls: JavaClass, outcomes: MethodOutcome[], ctx: ServiceContext): string {
  for (const m of [...cls.methods, ...cls.constructors]) {
    ctx.todos.push({
      file: cls.file,
      line: m.line,
      member: `${cls.name}.${m.name}`,
      why: 'enum methods',
      java: m.text,
    });
    outcomes.push({ member: `${cls.name}.${m.name}`, file: cls.file, line: m.line, todos: 1 });
  }
  return `${doc(cls)}export type ${cls.name} = ${cls.enumConstants.map((c) => JSON.stringify(c)).join(' | ') || 'never'};`;
}

/** Services, components, controllers, advice: injected fields, constructor, methods (async where they await). */
export function translateBean(
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  outcomes: MethodOutcome[],
  leadingFor: (m: JavaMethod) => string | undefined = () => undefined,
): string {
  const staticInit = translateStaticInit(ctx, cls, imports, outcomes);
  if (staticInit) (ctx.staticInits ??= new Set()).add(cls.name);
  const members = fieldLines(ctx, cls, imports, false, staticInit !== undefined);
  if (staticInit) members.push(staticInit.member);
  const dropped = new Set(cls.fields.filter((f) => DROPPED_TYPES.has(f.type.name)).map((f) => f.name));
  for (const m of cls.constructors)
    members.push(translateMember(ctx, cls, m, imports, outcomes, { droppedFields: dropped }));
  if (cls.constructors.length === 0 && hasAnnotation(cls, 'RequiredArgsConstructor', 'AllArgsConstructor')) {
    const all = getAnnotation(cls, 'AllArgsConstructor') !== undefined;
    const injected = cls.fields.filter(
      (f) =>
        !f.modifiers.includes('static') &&
        !f.init &&
        (all || f.modifiers.includes('final')) &&
        !DROPPED_TYPES.has(f.type.name),
    );
    const scope = createScope(ctx, cls, 'constructor', imports, false);
    members.push(
      `constructor(${injected.map((f) => `${f.name}: ${tsType(f.type, scope) || 'unknown'}`).join(', ')}) {\n${injected.map((f) => `this.${f.name} = ${f.name};`).join('\n')}\n}`,
    );
  }
  members.push(
    ...translateMethods(ctx, cls, cls.methods, imports, outcomes, (m) => {
      const leading = leadingFor(m);
      return leading === undefined ? {} : { leading };
    }),
  );
  return `${loggerLine(cls, imports)}${doc(cls)}export class ${cls.name} {\n${members.join('\n\n')}\n}`;
}

/** A field Spring sets after construction: `@Autowired`/`@Inject`, or `@Value`. */
export function isInjectedField(f: JavaVariable): boolean {
  return !f.modifiers.includes('static') && !f.init && hasAnnotation(f, 'Autowired', 'Inject', 'Value');
}

/** Constructor parameters of a bean as the composition root must supply them. */
export function getInjectedParams(cls: JavaClass): JavaVariable[] {
  const ctor = cls.constructors[0];
  if (ctor) return ctor.params.filter((p) => !DROPPED_TYPES.has(p.type.name));
  if (!hasAnnotation(cls, 'RequiredArgsConstructor', 'AllArgsConstructor')) return [];
  const all = hasAnnotation(cls, 'AllArgsConstructor');
  return cls.fields.filter(
    (f) =>
      !f.modifiers.includes('static') &&
      !f.init &&
      (all || f.modifiers.includes('final')) &&
      !DROPPED_TYPES.has(f.type.name),
  );
}
