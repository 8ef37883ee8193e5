/**
 * Dockerfile reader: stages (base image, name), exposed ports, env, entrypoint/cmd, user, workdir, healthcheck,
 * with the line each came from. Follows the Dockerfile reference for line continuations, the `escape` parser
 * directive, JSON (exec) vs shell form, and both `ENV k=v` and legacy `ENV k v` forms. Heredoc bodies are skipped.
 */
import { redactValue } from '../redact.ts';
import { join } from 'node:path';
import type {
  DockerfileFacts as CoreDockerfileFacts,
  EnvVar,
  InfraContext,
  InfraFacts,
  InfraReader,
} from './types.ts';
import { type InfraProblem, baseName, compareProblems, isBuildOutput, readTextOrProblem } from './common.ts';

export interface DockerfileStage {
  /** 0-based index in the file. */
  index: number;
  /** `AS <name>`, if any. */
  name?: string;
  /** The image after `FROM`, with `ARG` defaults substituted where known. */
  baseImage: string;
  /** Set when the base is an earlier stage (`FROM build`). */
  fromStage?: string;
  platform?: string;
  line: number;
}

export interface DockerfilePort {
  port: number;
  protocol: 'tcp' | 'udp';
  line: number;
}

export interface DockerfileEnv {
  name: string;
  /** Redacted when the name looks secret. */
  value: string;
  line: number;
}

export interface DockerfileCommand {
  /** `exec` for the JSON form, `shell` for the plain form (runs under `/bin/sh -c`). */
  form: 'exec' | 'shell';
  args: string[];
  line: number;
}

/** Facts about the final stage (the image that runs), plus every stage. */
export interface DockerfileFacts {
  file: string;
  stages: DockerfileStage[];
  /** The runtime base image: the final stage's base, followed through stage references. */
  baseImage?: string;
  exposedPorts: DockerfilePort[];
  env: DockerfileEnv[];
  entrypoint?: DockerfileCommand;
  cmd?: DockerfileCommand;
  user?: string;
  workdir?: string;
  healthcheck?: DockerfileCommand;
  labels: Record<string, string>;
  problems: InfraProblem[];
}

const KNOWN = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Joins continuation lines and drops comments; returns instructions with their first line number. */
function splitInstructions(text: string, problems: InfraProblem[], file: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  // Parser directives: only at the very top, before any instruction, comment or blank line.
  for (const raw of lines) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(raw);
    if (!directive) break;
    if ((directive[1] ?? '').toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\'))
      escape = directive[2];
  }
  const out: Instruction[] = [];
  let current: Instruction | undefined;
  let heredocEnd: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    if (heredocEnd.length > 0) {
      if (raw.replace(/^\t+/, '') === heredocEnd[0]) heredocEnd = heredocEnd.slice(1);
      continue;
    }
    const trimmed = raw.trim();
    if (current === undefined) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const match = /^(\S+)\s*(.*)$/.exec(trimmed);
      current = { keyword: (match?.[1] ?? '').toUpperCase(), args: '', line: lineNo };
      const rest = match?.[2] ?? '';
      if (rest.endsWith(escape)) {
        current.args = rest.slice(0, -1);
        continue;
      }
      current.args = rest;
    } else {
      // Inside a continuation, comment lines and empty lines are removed.
      if (trimmed.startsWith('#') || trimmed === '') continue;
      if (trimmed.endsWith(escape)) {
        current.args += ` ${trimmed.slice(0, -1)}`;
        continue;
      }
      current.args += ` ${trimmed}`;
    }
    heredocEnd = [...current.args.matchAll(/<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)].map(
      (m) => m[1] ?? '',
    );
    if (!['RUN', 'COPY', 'ADD'].includes(current.keyword)) heredocEnd = [];
    out.push({ ...current, args: current.args.trim() });
    current = undefined;
  }
  if (current !== undefined) {
    problems.push({
      code: 'dockerfile-invalid',
      file,
      line: current.line,
      message: `${current.keyword} ends with a line continuation at the end of the file`,
      severity: 'warning',
    });
    out.push({ ...current, args: current.args.trim() });
  }
  return out;
}

/** Splits shell-ish words, honouring double and single quotes (enough for ENV, LABEL, EXPOSE). */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i] ?? '';
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function parseCommand(args: string, line: number): DockerfileCommand {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string'))
        return { form: 'exec', args: parsed, line };
    } catch {
      // Not valid JSON: Docker then runs it in shell form, and so do we.
    }
  }
  return { form: 'shell', args: [args], line };
}

/** `KEY=VALUE ...` pairs, or the legacy single `KEY VALUE` form. */
function parseKeyValues(args: string): Array<[string, string]> {
  const words = splitWords(args);
  if (words.length > 0 && !(words[0] ?? '').includes('=')) {
    const legacy = /^(\S+)\s+(.*)$/.exec(args);
    return legacy ? [[legacy[1] ?? '', splitWords(legacy[2] ?? '').join(' ')]] : [[words[0] ?? '', '']];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, a, def, b) => {
      const name = (a ?? b) as string;
      return vars.get(name) ?? (def as string | undefined) ?? all;
    },
  );
}

/** Parses one Dockerfile. Pure: `file` is only used in facts and problems. */
export function parseDockerfile(text: string, file: string): DockerfileFacts {
  const problems: InfraProblem[] = [];
  const facts: DockerfileFacts = { file, stages: [], exposedPorts: [], env: [], labels: {}, problems };
  const globalArgs = new Map<string, string>();
  // ARG and ENV values of the current stage, for `EXPOSE ${PORT}`
  let stageVars = new Map<string, string>();
  const stageStates: StageState[] = [];
  const rawLines = text.split(/\r?\n/);
  for (const ins of splitInstructions(text, problems, file)) {
    const inStage = facts.stages.length > 0;
    switch (ins.keyword) {
      case 'ARG': {
        for (const [k, v] of parseKeyValuesArg(ins.args)) {
          if (!inStage) globalArgs.set(k, v);
          const value = v !== '' ? v : globalArgs.get(k);
          if (inStage && value !== undefined && value !== '') stageVars.set(k, value);
        }
        break;
      }
      case 'FROM': {
        const words = splitWords(ins.args);
        const platform = words.find((w) => w.startsWith('--platform='))?.slice('--platform='.length);
        const rest = words.filter((w) => !w.startsWith('--'));
        const image = substitute(rest[0] ?? '', globalArgs);
        if (image === '') {
          problems.push({
            code: 'dockerfile-invalid',
            file,
            line: ins.line,
            message: 'FROM without an image',
            severity: 'error',
          });
          break;
        }
        const name = (rest[1] ?? '').toLowerCase() === 'as' ? rest[2] : undefined;
        const earlier = facts.stages.find((s) => s.name !== undefined && s.name === image.toLowerCase());
        if (facts.stages.length > 0) stageStates.push(snapshot(facts));
        stageVars = new Map();
        facts.stages.push({
          index: facts.stages.length,
          baseImage: image,
          line: ins.line,
          ...(name === undefined ? {} : { name: name.toLowerCase() }),
          ...(earlier?.name === undefined ? {} : { fromStage: earlier.name }),
          ...(platform === undefined ? {} : { platform }),
        });
        restore(facts, earlier === undefined ? undefined : stageStates[earlier.index]);
        break;
      }
      case 'EXPOSE':
        for (const written of splitWords(ins.args)) {
          // `EXPOSE ${PORT}` is valid: Docker expands ARG and ENV values; one it cannot know is no problem
          const word = written.includes('$')
            ? substitute(substitute(written, stageVars), globalArgs)
            : written;
          if (word.includes('$') || word === '') continue;
          const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/i.exec(word);
          if (!m) {
            problems.push({
              code: 'dockerfile-invalid',
              file,
              line: ins.line,
              message: `EXPOSE ${word}: not a port (expected e.g. 8080 or 8080/tcp)`,
              severity: 'warning',
            });
            continue;
          }
          const protocol = (m[3] ?? 'tcp').toLowerCase() as 'tcp' | 'udp';
          const from = Number(m[1]);
          const to = m[2] === undefined ? from : Number(m[2]);
          // 1e26 + 1 === 1e26: an unchecked huge port looped forever here
          if (from > 65535 || to > 65535 || to < from) {
            problems.push({
              code: 'dockerfile-invalid',
              file,
              line: ins.line,
              message: `EXPOSE ${word}: ${to < from ? 'the range ends before it starts' : 'a port is 0-65535'}`,
              severity: 'warning',
            });
            continue;
          }
          for (let p = from; p <= to && p - from < 1000; p += 1)
            facts.exposedPorts.push({ port: p, protocol, line: ins.line });
        }
        break;
      case 'ENV':
        for (const [name, value] of parseKeyValues(ins.args)) {
          stageVars.set(name, substitute(value, stageVars));
          facts.env = facts.env.filter((e) => e.name !== name);
          facts.env.push({
            name,
            value: redactValue(name, value),
            line: lineOfKey(rawLines, ins.line, name),
          });
        }
        break;
      case 'LABEL':
        for (const [name, value] of parseKeyValues(ins.args)) facts.labels[name] = redactValue(name, value);
        break;
      case 'ENTRYPOINT':
        facts.entrypoint = parseCommand(ins.args, ins.line);
        break;
      case 'CMD':
        facts.cmd = parseCommand(ins.args, ins.line);
        break;
      case 'USER':
        facts.user = ins.args;
        break;
      case 'WORKDIR':
        facts.workdir = ins.args;
        break;
      case 'HEALTHCHECK': {
        const cmdAt = /(?:^|\s)CMD\s+(.*)$/i.exec(ins.args);
        if (cmdAt) facts.healthcheck = parseCommand(cmdAt[1] ?? '', ins.line);
        else delete facts.healthcheck;
        break;
      }
      default:
        if (!KNOWN.has(ins.keyword))
          problems.push({
            code: 'dockerfile-unknown-instruction',
            file,
            line: ins.line,
            column: 1,
            message: `unknown instruction ${ins.keyword}; expected one of FROM, RUN, COPY, ENV, EXPOSE, ENTRYPOINT, CMD…`,
            severity: 'warning',
          });
        else if (!inStage && ins.keyword !== 'ARG')
          problems.push({
            code: 'dockerfile-invalid',
            file,
            line: ins.line,
            message: `${ins.keyword} before the first FROM`,
            severity: 'warning',
          });
    }
  }
  if (facts.stages.length === 0)
    problems.push({
      code: 'dockerfile-invalid',
      file,
      line: 1,
      message: 'no FROM instruction: not a Dockerfile?',
      severity: 'error',
    });
  const finalBase = resolveBase(facts.stages);
  if (finalBase !== undefined) facts.baseImage = finalBase;
  return facts;
}

function parseKeyValuesArg(args: string): Array<[string, string]> {
  return splitWords(args).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

type StageState = Pick<
  DockerfileFacts,
  'exposedPorts' | 'env' | 'labels' | 'entrypoint' | 'cmd' | 'user' | 'workdir' | 'healthcheck'
>;

function snapshot(facts: DockerfileFacts): StageState {
  const { exposedPorts, env, labels, entrypoint, cmd, user, workdir, healthcheck } = facts;
  return structuredClone({ exposedPorts, env, labels, entrypoint, cmd, user, workdir, healthcheck });
}

/** A stage built `FROM` an earlier stage inherits its state; any other stage starts empty. */
function restore(facts: DockerfileFacts, from: StageState | undefined): void {
  delete facts.entrypoint;
  delete facts.cmd;
  delete facts.user;
  delete facts.workdir;
  delete facts.healthcheck;
  facts.exposedPorts = [];
  facts.env = [];
  facts.labels = {};
  if (from === undefined) return;
  for (const [key, value] of Object.entries(structuredClone(from))) {
    if (value !== undefined) (facts as unknown as Record<string, unknown>)[key] = value;
  }
}

function resolveBase(stages: readonly DockerfileStage[]): string | undefined {
  let stage = stages[stages.length - 1];
  const seen = new Set<number>();
  while (stage?.fromStage !== undefined && !seen.has(stage.index)) {
    seen.add(stage.index);
    const name = stage.fromStage;
    stage = stages.find((s) => s.name === name);
  }
  return stage?.baseImage;
}

/** `Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`, `Containerfile`. */
export function isDockerfile(name: string): boolean {
  // `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file, not a Dockerfile
  if (name.endsWith('.dockerignore')) return false;
  return /^(Dockerfile|Containerfile)(\.[\w.-]+)?$/.test(name) || /\.(Dockerfile|dockerfile)$/.test(name);
}

function toCoreEnv(env: DockerfileEnv, file: string): EnvVar {
  return { file, line: env.line, name: env.name, value: env.value };
}

/** Maps the rich facts onto the core's shape. */
export function toCoreDockerfileFacts(facts: DockerfileFacts): CoreDockerfileFacts {
  const words = (c: DockerfileCommand | undefined): string[] | undefined =>
    c === undefined ? undefined : c.form === 'exec' ? c.args : ['/bin/sh', '-c', ...c.args];
  const entrypoint = words(facts.entrypoint);
  const cmd = words(facts.cmd);
  return {
    file: facts.file,
    line: facts.stages[facts.stages.length - 1]?.line ?? 1,
    exposedPorts: [...new Set(facts.exposedPorts.map((p) => p.port))].sort((a, b) => a - b),
    env: facts.env.map((e) => toCoreEnv(e, facts.file)),
    stages: facts.stages.map((s) => ({
      baseImage: s.baseImage,
      line: s.line,
      ...(s.name === undefined ? {} : { name: s.name }),
    })),
    ...(facts.baseImage === undefined ? {} : { baseImage: facts.baseImage }),
    ...(entrypoint === undefined ? {} : { entrypoint }),
    ...(cmd === undefined ? {} : { cmd }),
    ...(facts.user === undefined ? {} : { user: facts.user }),
  };
}

/** Reads every Dockerfile of the estate. */
export const dockerfileReader: InfraReader = {
  id: 'dockerfile',
  async read(context: InfraContext): Promise<Partial<InfraFacts>> {
    const dockerfiles: CoreDockerfileFacts[] = [];
    const findings: InfraProblem[] = [];
    for (const file of context.files) {
      if (!isDockerfile(baseName(file)) || isBuildOutput(file)) continue;
      const text = await readTextOrProblem(join(context.estateRoot, file), file, findings);
      if (text === undefined) continue;
      const facts = parseDockerfile(text, file);
      findings.push(...facts.problems);
      dockerfiles.push(toCoreDockerfileFacts(facts));
    }
    return { dockerfiles, findings: findings.sort(compareProblems) };
  },
};

/** The physical line of `name` inside a (possibly continued) instruction starting at `start`. */
function lineOfKey(lines: readonly string[], start: number, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|\\s)${escaped}(=|\\s|$)`);
  for (let i = start - 1; i < lines.length && i < start + 500; i += 1) {
    const line = lines[i] ?? '';
    if (re.test(i === start - 1 ? line.replace(/^\s*\S+/, '') : line)) return i + 1;
    if (!/\\\s*$/.test(line) && !/^\s*(#.*)?$/.test(line)) break;
  }
  return start;
}
