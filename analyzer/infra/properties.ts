/**
 * Spring configuration reader: `application.properties`, `application.yml`/`.yaml` and their
 * `application-<profile>` variants. Records every key with its line, the `${ENV:default}` placeholders in its
 * value, and the profile (from the file name, or a YAML document's `spring.config.activate.on-profile`).
 * Secret-looking values and placeholder defaults are redacted.
 */
import { REDACTED, isSecretName, redactValue } from '../redact.ts';
import { join } from 'node:path';
import {
  type InfraProblem,
  type Placeholder,
  baseName,
  compareProblems,
  isBuildOutput,
  parsePlaceholders,
  readTextOrProblem,
} from './common.ts';
import type { InfraContext, InfraFacts, InfraReader, PropertyEntry as CorePropertyEntry } from './types.ts';
import { type YamlDoc, asString, parseYamlFile } from './yaml-source.ts';

export interface PropertyEntry {
  key: string;
  /** Redacted (`***`) when the key looks secret. */
  value: string;
  line: number;
  /** `${NAME:default}` references; defaults redacted when the key or the name looks secret. */
  placeholders: Placeholder[];
  /** The profile this entry applies to; undefined for the default profile. */
  profile?: string;
}

export interface PropertiesFacts {
  file: string;
  format: 'properties' | 'yaml';
  /** The profile from the file name (`application-docker.yml` → `docker`). */
  profile?: string;
  entries: PropertyEntry[];
  problems: InfraProblem[];
}

const FILE_RE = /^(application|bootstrap)(?:-([\w.-]+))?\.(properties|ya?ml)$/;

/** True for `application.properties`, `application-<profile>.yml` and friends. */
export function isSpringConfigFile(name: string): boolean {
  return FILE_RE.test(name);
}

function entry(key: string, raw: string, line: number, profile: string | undefined): PropertyEntry {
  const secretKey = isSecretName(key);
  const placeholders = parsePlaceholders(raw).map((p) =>
    p.default !== undefined && (secretKey || isSecretName(p.name)) ? { ...p, default: REDACTED } : p,
  );
  return {
    key,
    value: redactValue(key, raw),
    line,
    placeholders,
    ...(profile === undefined ? {} : { profile }),
  };
}

/** Parses a `.properties` file per java.util.Properties: continuations, `=`/`:`/space separators, escapes. */
export function parseProperties(text: string, profile?: string): PropertyEntry[] {
  const lines = text.split(/\r\n|\n|\r/);
  const out: PropertyEntry[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const start = i + 1;
    let logical = (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithOddBackslashes(logical) && i + 1 < lines.length) {
      i += 1;
      logical = logical.slice(0, -1) + (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    }
    let k = 0;
    let key = '';
    while (k < logical.length) {
      const ch = logical[k] ?? '';
      if (ch === '\\') {
        key += unescapeChar(logical, k);
        k += logical[k + 1] === 'u' ? 6 : 2;
        continue;
      }
      if (ch === '=' || ch === ':' || /[ \t\f]/.test(ch)) break;
      key += ch;
      k += 1;
    }
    let rest = logical.slice(k).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    let value = '';
    for (let j = 0; j < rest.length; j += 1) {
      if (rest[j] === '\\') {
        value += unescapeChar(rest, j);
        j += rest[j + 1] === 'u' ? 5 : 1;
      } else value += rest[j] ?? '';
    }
    out.push(entry(key, value, start, profile));
  }
  return out;
}

function endsWithOddBackslashes(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i -= 1) n += 1;
  return n % 2 === 1;
}

function unescapeChar(text: string, at: number): string {
  const next = text[at + 1] ?? '';
  if (next === 'u') {
    const code = Number.parseInt(text.slice(at + 2, at + 6), 16);
    return Number.isNaN(code) ? '' : String.fromCharCode(code);
  }
  return ({ n: '\n', t: '\t', r: '\r', f: '\f' } as Record<string, string>)[next] ?? next;
}

/** Flattens YAML documents into dotted keys (`a.b[0].c`), one profile per document. */
export function parseSpringYaml(
  text: string,
  file: string,
  fileProfile?: string,
): {
  entries: PropertyEntry[];
  problems: InfraProblem[];
} {
  const yaml = parseYamlFile(text, file);
  const entries: PropertyEntry[] = [];
  for (const doc of yaml.docs) {
    const docProfile = getDocProfile(doc.value) ?? fileProfile;
    flatten(doc, doc.value, [], entries, docProfile);
  }
  return { entries, problems: yaml.problems };
}

function getDocProfile(value: unknown): string | undefined {
  const spring = (
    value as { spring?: { config?: { activate?: { 'on-profile'?: unknown } }; profiles?: unknown } }
  )?.spring;
  const onProfile = spring?.config?.activate?.['on-profile'] ?? spring?.profiles;
  if (typeof onProfile === 'string') return onProfile;
  if (Array.isArray(onProfile)) return onProfile.map(String).join(',');
  return undefined;
}

function flatten(
  doc: YamlDoc,
  value: unknown,
  path: Array<string | number>,
  out: PropertyEntry[],
  profile: string | undefined,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(doc, item, [...path, i], out, profile));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(doc, v, [...path, k], out, profile);
    return;
  }
  if (path.length === 0) return;
  const key = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  out.push(entry(key, asString(value) ?? '', doc.lineOf(path), profile));
}

/** Parses one Spring configuration file by its name; `file` is estate-relative. */
export function parseSpringConfig(text: string, file: string): PropertiesFacts {
  const name = file.split('/').pop() ?? file;
  const match = FILE_RE.exec(name);
  const profile = match?.[2];
  const format = match?.[3] === 'properties' || name.endsWith('.properties') ? 'properties' : 'yaml';
  const base = { file, format, ...(profile === undefined ? {} : { profile }) } as const;
  if (format === 'properties') return { ...base, entries: parseProperties(text, profile), problems: [] };
  const { entries, problems } = parseSpringYaml(text, file, profile);
  return { ...base, entries, problems };
}

/** Reads every Spring configuration file of the estate (not the copies in build output). */
export const propertiesReader: InfraReader = {
  id: 'properties',
  async read(context: InfraContext): Promise<Partial<InfraFacts>> {
    const properties: CorePropertyEntry[] = [];
    const findings: InfraProblem[] = [];
    for (const file of context.files) {
      if (!isSpringConfigFile(baseName(file)) || isBuildOutput(file)) continue;
      const text = await readTextOrProblem(join(context.estateRoot, file), file, findings);
      if (text === undefined) continue;
      const facts = parseSpringConfig(text, file);
      findings.push(...facts.problems);
      for (const e of facts.entries)
        properties.push({
          file,
          line: e.line,
          key: e.key,
          value: e.value,
          placeholders: e.placeholders,
          ...(e.profile === undefined ? {} : { profile: e.profile }),
        });
    }
    return { properties, findings: findings.sort(compareProblems) };
  },
};
