/**
 * jakarta.validation constraints of request bodies → generated checks with Bean Validation's default messages
 * and Spring's field paths (`items[0].price`), so a ported service answers the same 400s.
 */
import type { JavaAnnotation, JavaClass, JavaType, JavaVariable } from './model.ts';
import { isBooleanType, isListType, isNumberType, isStringType } from './types.ts';

const MESSAGES: Record<string, (a: JavaAnnotation) => string> = {
  NotNull: () => 'must not be null',
  NotEmpty: () => 'must not be empty',
  NotBlank: () => 'must not be blank',
  Positive: () => 'must be greater than 0',
  PositiveOrZero: () => 'must be greater than or equal to 0',
  Negative: () => 'must be less than 0',
  Min: (a) => `must be greater than or equal to ${a.args.value ?? 0}`,
  Max: (a) => `must be less than or equal to ${a.args.value ?? 0}`,
  Size: (a) => `size must be between ${a.args.min ?? 0} and ${a.args.max ?? 2147483647}`,
};

function check(a: JavaAnnotation, v: string): string | undefined {
  switch (a.name) {
    case 'NotNull':
      return `${v} == null`;
    case 'NotEmpty':
      return `${v} == null || (typeof ${v} === 'string' || Array.isArray(${v})) && ${v}.length === 0`;
    case 'NotBlank':
      return `${v} == null || typeof ${v} === 'string' && ${v}.trim() === ''`;
    case 'Positive':
      return `typeof ${v} === 'number' && ${v} <= 0`;
    case 'PositiveOrZero':
      return `typeof ${v} === 'number' && ${v} < 0`;
    case 'Negative':
      return `typeof ${v} === 'number' && ${v} >= 0`;
    case 'Min':
      return `typeof ${v} === 'number' && ${v} < ${a.args.value ?? 0}`;
    case 'Max':
      return `typeof ${v} === 'number' && ${v} > ${a.args.value ?? 0}`;
    case 'Size':
      return `(typeof ${v} === 'string' || Array.isArray(${v})) && (${v}.length < ${a.args.min ?? 0} || ${v}.length > ${a.args.max ?? 2147483647})`;
    default:
      return undefined;
  }
}

function typeCheck(type: JavaType, v: string): string | undefined {
  if (isStringType(type)) return `typeof ${v} !== 'string'`;
  if (isNumberType(type)) return `typeof ${v} !== 'number'`;
  if (isBooleanType(type)) return `typeof ${v} !== 'boolean'`;
  if (isListType(type)) return `!Array.isArray(${v})`;
  return undefined;
}

export function validatorName(cls: string): string {
  return `validate${cls}`;
}

/** The validator functions for `root` and every class it reaches through `@Valid`. */
export function generateValidators(
  root: string,
  classes: ReadonlyMap<string, JavaClass>,
  done = new Set<string>(),
): string[] {
  const cls = classes.get(root);
  if (!cls || done.has(root)) return [];
  done.add(root);
  const props =
    cls.kind === 'record' ? cls.components : cls.fields.filter((f) => !f.modifiers.includes('static'));
  const out: string[] = [];
  const nested: string[] = [];
  const body = props.map((p) => propertyChecks(p, classes, nested)).join('\n');
  out.push(`/** Checks a ${cls.name} body as Bean Validation would; a wrongly typed value is unreadable JSON, as for Jackson. */
export function ${validatorName(cls.name)}(value: unknown, path: string, errors: FieldError[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpMessageNotReadableException(\`JSON parse error: cannot read \${path || 'body'} as ${cls.name}\`);
  }
  const body = value as Record<string, unknown>;
  const at = (name: string): string => (path === '' ? name : \`\${path}.\${name}\`);
${body}
}`);
  for (const n of nested) out.push(...generateValidators(n, classes, done));
  return out;
}

function propertyChecks(p: JavaVariable, classes: ReadonlyMap<string, JavaClass>, nested: string[]): string {
  const v = `body[${JSON.stringify(p.name)}]`;
  const lines: string[] = [];
  const typeErr = typeCheck(p.type, v);
  if (typeErr)
    lines.push(
      `if (${v} != null && ${typeErr}) throw new HttpMessageNotReadableException(\`JSON parse error: wrong type for \${at(${JSON.stringify(p.name)})}\`);`,
    );
  for (const a of p.annotations) {
    const cond = check(a, v);
    const message = MESSAGES[a.name];
    if (cond && message)
      lines.push(
        `if (${cond}) errors.push({ field: at(${JSON.stringify(p.name)}), defaultMessage: ${JSON.stringify(message(a))} });`,
      );
  }
  const valid = p.annotations.some((a) => a.name === 'Valid');
  if (classes.has(p.type.name) && valid) {
    nested.push(p.type.name);
    lines.push(
      `if (${v} != null) ${validatorName(p.type.name)}(${v}, at(${JSON.stringify(p.name)}), errors);`,
    );
  }
  const element = isListType(p.type) ? p.type.args[0] : undefined;
  if (element) {
    const inner: string[] = [];
    const e = 'item';
    for (const a of element.annotations) {
      const cond = check(a, e);
      const message = MESSAGES[a.name];
      if (cond && message)
        inner.push(
          `if (${cond}) errors.push({ field: \`\${at(${JSON.stringify(p.name)})}[\${index}]\`, defaultMessage: ${JSON.stringify(message(a))} });`,
        );
    }
    if (classes.has(element.name) && (element.annotations.some((a) => a.name === 'Valid') || valid)) {
      nested.push(element.name);
      inner.push(
        `if (item != null) ${validatorName(element.name)}(item, \`\${at(${JSON.stringify(p.name)})}[\${index}]\`, errors);`,
      );
    }
    if (inner.length > 0)
      lines.push(
        `if (Array.isArray(${v})) {\nfor (const [index, item] of (${v} as unknown[]).entries()) {\n${inner.join('\n')}\n}\n}`,
      );
  }
  return lines.join('\n');
}
