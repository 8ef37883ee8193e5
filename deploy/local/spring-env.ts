/**
 * Which environment variables make a Spring service use a given setting, read from its own configuration:
 * a property written as a template (`jdbc:postgresql://${DB_HOST:127.0.0.1}:${DB_PORT:5432}/…`) is matched
 * against the value the run needs, which yields each placeholder's variable (`DB_HOST=127.0.0.1`, …). A
 * property without placeholders is overridden whole through Spring's relaxed binding (`SPRING_DATASOURCE_URL`).
 * Pure.
 */

/** One `key=value` of application.properties/yml, as the analyzer reads it (secret values are `***`). */
export interface SpringProperty {
  key: string;
  value: string;
  line: number;
  file: string;
}

type TemplatePart = string | { name: string; default?: string };

const PLACEHOLDER = /\$\{([^}:]+?)(?::-?([^}]*))?\}/g;

/** Splits a property value into literal text and `${NAME:default}` placeholders. */
export function parseTemplate(value: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of value.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(value.slice(last, match.index));
    const name = (match[1] ?? '').trim();
    parts.push(match[2] === undefined ? { name } : { name, default: match[2] });
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push(value.slice(last));
  return parts;
}

/** The value Spring would see with `env` (placeholders not in env take their default). */
export function resolveTemplate(value: string, env: Readonly<Record<string, string>>): string {
  return parseTemplate(value)
    .map((part) => (typeof part === 'string' ? part : (env[part.name] ?? part.default ?? '')))
    .join('');
}

/**
 * The placeholder values that turn the template into `target`, or undefined when it cannot (different literal
 * text). Placeholders take the shortest text that still matches the rest, as a non-greedy pattern would.
 */
export function matchTemplate(value: string, target: string): Record<string, string> | undefined {
  const parts = parseTemplate(value);
  const names: string[] = [];
  const pattern = parts
    .map((part) => {
      if (typeof part === 'string') return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.name);
      return '(.*?)';
    })
    .join('');
  const match = new RegExp(`^${pattern}$`, 's').exec(target);
  if (match === null) return undefined;
  const result: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    const found = match[index + 1] ?? '';
    if (result[name] !== undefined && result[name] !== found) return undefined;
    result[name] = found;
  }
  return result;
}

/** Spring Boot's relaxed binding: `spring.datasource.url` ← `SPRING_DATASOURCE_URL`. */
export function toRelaxedEnvName(key: string): string {
  return key
    .replace(/[.-]/g, '_')
    .replace(/[^A-Za-z0-9_]/g, '')
    .toUpperCase();
}

/** How a property was set: through its placeholders, or whole. */
export interface EnvAssignment {
  key: string;
  env: Record<string, string>;
  via: 'placeholders' | 'relaxed-binding';
}

/** The variables that make property `property` read `target`. */
export function assignProperty(property: SpringProperty, target: string): EnvAssignment {
  const matched = parseTemplate(property.value).some((p) => typeof p !== 'string')
    ? matchTemplate(property.value, target)
    : undefined;
  if (matched !== undefined) return { key: property.key, env: matched, via: 'placeholders' };
  return { key: property.key, env: { [toRelaxedEnvName(property.key)]: target }, via: 'relaxed-binding' };
}

/** A secret-valued property (`***` in the analysis) made of one placeholder: its variable name. */
export function getSinglePlaceholder(property: SpringProperty): string | undefined {
  const parts = parseTemplate(property.value);
  const only = parts[0];
  return parts.length === 1 && only !== undefined && typeof only !== 'string' ? only.name : undefined;
}

/** The placeholder names a property reads (`nats.subject=${NATS_SUBJECT:…}` → NATS_SUBJECT). */
export function getPlaceholderNames(property: SpringProperty): string[] {
  return parseTemplate(property.value).flatMap((p) => (typeof p === 'string' ? [] : [p.name]));
}

/** `${inventory.url}` → `inventory.url`; a plain subject stays undefined. */
export function getReferencedKey(text: string | undefined): string | undefined {
  const match = /^\$\{([^}:]+)(?::[^}]*)?\}$/.exec(text?.trim() ?? '');
  return match?.[1];
}
