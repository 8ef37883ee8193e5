/**
 * Jackson's property names of the port's data classes and records, both ways: `toJSON` writes them
 * (classes.ts) and a request body is read by them (`readJackson` at the route, web.ts). A Lombok class is named
 * after its getters and setters (`boolean isActive` → `active`, `xCount` → `xcount`), a record after its
 * components, and `@JsonProperty("name")` on a field or component wins over both.
 */
import {
  getAnnotation,
  hasAnnotation,
  type JavaClass,
  type JavaMethod,
  type JavaType,
  type JavaVariable,
} from './model.ts';
import { fieldName, type ImportSet, type ServiceContext } from './scope.ts';
import { isListType, isSetType } from './types.ts';
import { getPropertyOfAccessor } from './names.ts';
import { DROPPED_TYPES } from './runtime-names.ts';
import { getJacksonFieldName, getLombokGetterName } from '../../../shared/jackson-names.ts';

const LOMBOK_ACCESSORS = ['Data', 'Value', 'Getter', 'Setter'];

/** True for `getX() { return x; }`, `isX()`, `setX(v) { this.x = v; }` on a field of the class. */
export function isTrivialAccessor(cls: JavaClass, m: JavaMethod): boolean {
  const prop = getPropertyOfAccessor(m.name);
  if (!prop || !cls.fields.some((f) => f.name === prop) || !m.body) return false;
  const statements = m.body.namedChildren.filter((n) => n !== null);
  if (statements.length !== 1) return false;
  const text = statements[0]?.text.replace(/\s+/g, ' ') ?? '';
  return (
    text === `return ${prop};` ||
    text === `return this.${prop};` ||
    text === `this.${prop} = ${m.params[0]?.name ?? ''};`
  );
}

/** One JSON property of a class: the field (or record component) that holds it, and its JSON name. */
export interface JacksonProperty {
  field: JavaVariable;
  json: string;
}

/** `@JsonProperty("x")` → `x`; undefined without one (or with an empty name, which keeps the default). */
function getJsonPropertyName(v: JavaVariable): string | undefined {
  const a = getAnnotation(v, 'JsonProperty');
  const raw = a?.args.value ?? a?.args.name;
  const name = raw?.replace(/^"|"$/g, '');
  return name === undefined || name === '' ? undefined : name;
}

/** The JSON properties of a data class (its instance fields) or a record (its components). */
export function getJacksonProperties(cls: JavaClass): JacksonProperty[] {
  if (cls.kind === 'record')
    return cls.components.map((c) => ({ field: c, json: getJsonPropertyName(c) ?? c.name }));
  const lombok = hasAnnotation(cls, ...LOMBOK_ACCESSORS);
  return cls.fields
    .filter(
      (f) => !f.modifiers.includes('static') && f.type.name !== 'Logger' && !DROPPED_TYPES.has(f.type.name),
    )
    .map((f) => {
      const getter = getLombokGetterName(f.name, f.type.name);
      const accessed =
        lombok ||
        hasAnnotation(f, 'Getter', 'Setter') ||
        cls.methods.some((m) => m.name === getter && isTrivialAccessor(cls, m));
      const named = accessed ? getJacksonFieldName(f.name, f.type.name) : f.name;
      return { field: f, json: getJsonPropertyName(f) ?? named };
    });
}

/** The class a property holds: itself, or the element of a list, set or array of it. */
function getHeldClass(type: JavaType, ctx: ServiceContext): JavaClass | undefined {
  const held = (isListType(type) || isSetType(type)) && !type.array ? type.args[0] : type;
  return held === undefined ? undefined : ctx.classes.get(held.name);
}

/**
 * The `JacksonReader` literal (runtime/spring-web.ts) that reads a request body of `type` by Jackson's names,
 * or undefined when `type` is no class of the service (a String, a Map) and the JSON is taken as it is.
 */
export function renderJacksonReader(
  type: JavaType,
  ctx: ServiceContext,
  imports: ImportSet,
  seen: ReadonlySet<string> = new Set(),
): string | undefined {
  const cls = getHeldClass(type, ctx);
  if (cls === undefined || seen.has(cls.name) || (cls.kind !== 'record' && cls.kind !== 'class'))
    return undefined;
  const properties = getJacksonProperties(cls);
  const inner = new Set([...seen, cls.name]);
  // a class's field is renamed where a method has its name (scope.ts fieldName)
  const tsName = (f: JavaVariable): string => (cls.kind === 'record' ? f.name : fieldName(cls, f.name));
  const names = properties.filter((p) => p.json !== tsName(p.field));
  const nested = properties.flatMap((p) => {
    const reader = renderJacksonReader(p.field.type, ctx, imports, inner);
    return reader === undefined ? [] : [`${JSON.stringify(tsName(p.field))}: ${reader}`];
  });
  const parts = [`fields: ${JSON.stringify(properties.map((p) => tsName(p.field)))}`];
  if (names.length > 0)
    parts.push(
      `names: { ${names.map((p) => `${JSON.stringify(p.json)}: ${JSON.stringify(tsName(p.field))}`).join(', ')} }`,
    );
  if (nested.length > 0) parts.push(`nested: { ${nested.join(', ')} }`);
  if (cls.kind === 'class') {
    imports.useClass(cls.name);
    parts.push(`prototype: ${cls.name}.prototype`);
  }
  return `{ ${parts.join(', ')} }`;
}
