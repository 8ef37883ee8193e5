import { relative } from 'node:path';
import { buildService, formatTypeErrors, type BuiltService } from '../../codemods/index.ts';
import { TARGETS, type Target } from '../../shared/catalog.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand, CommandContext } from '../command.ts';

export function parseTarget(value: unknown): Target {
  const target = value === undefined ? 'wasmcloud' : value;
  if (typeof target !== 'string' || !(TARGETS as readonly string[]).includes(target)) {
    throw new AppError(
      ErrorCode.usage,
      `unknown target ${typeof target === 'string' ? target : JSON.stringify(target)}`,
      {
        hint: `--target is one of ${TARGETS.join(', ')}`,
      },
    );
  }
  return target as Target;
}

/** Where the component links, one line per real runtime. */
function formatLinks(built: BuiltService): string[] {
  const { link } = built;
  const by =
    link.checkedBy === 'wasmtime' ? 'Wasmtime 49 linked and instantiated it' : 'Wasmtime’s linking rule';
  const lines = [
    `links on: ${link.linksOn.length === 0 ? 'no real runtime' : link.linksOn.join(', ')} (${by}, against each runtime’s own WIT)`,
  ];
  if (link.note !== undefined) lines.push(`  note: ${link.note}`);
  for (const runtime of link.runtimes) {
    if (runtime.links) {
      lines.push(`  ${runtime.label}: links`);
      continue;
    }
    lines.push(`  ${runtime.label}: does not link`);
    for (const entry of runtime.unlinked) lines.push(`    ${entry.import}: ${entry.wayOut}`);
  }
  if (built.target === 'embedded' && built.pins === undefined) {
    lines.push(
      '  warning: no real runtime serves every capability this service uses: migrate’s host runs it, but it deploys nowhere as built',
    );
  }
  return lines;
}

/** What the type check found; a build with allowed errors says so on every report. */
function formatTypeCheck(built: BuiltService): string[] {
  const { typecheck } = built;
  if (!typecheck.checked) return [`type check: not run (${typecheck.reason ?? 'no tsconfig.json'})`];
  if (typecheck.errors.length === 0) return [`type check: clean (${typecheck.files} files)`];
  return [
    `type check: ${typecheck.errors.length} error(s), built anyway because of --allow-type-errors`,
    ...formatTypeErrors(typecheck.errors).map((line) => `  ${line}`),
  ];
}

export function formatBuiltService(built: BuiltService, cwd: string): string {
  const mb = (built.size / (1024 * 1024)).toFixed(2);
  const lines = [
    `built ${relative(cwd, built.out) || built.out} for ${built.target}: ${built.size} bytes (${mb} MB)${built.cached ? ', from cache' : ''}`,
    ...(built.target === 'embedded' && built.pins !== undefined
      ? [`versions: ${built.pins}'s (migrate's host serves every target's)`]
      : []),
    `capabilities: ${built.capabilities.length === 0 ? 'none' : built.capabilities.join(', ')}`,
    'imports:',
    ...built.imports.map((name) => `  ${name}`),
    'exports:',
    ...built.exports.map((name) => `  ${name}`),
    ...formatLinks(built),
    ...formatTypeCheck(built),
  ];
  return lines.join('\n');
}

export function builtServiceDocument(built: BuiltService, cwd: string): Record<string, unknown> {
  return {
    name: built.name,
    target: built.target,
    out: relative(cwd, built.out) || built.out,
    size: built.size,
    sizeMb: Number((built.size / (1024 * 1024)).toFixed(2)),
    imports: built.imports,
    exports: built.exports,
    capabilities: built.capabilities,
    effectKinds: built.effectKinds,
    world: { imports: built.plan.imports, exports: built.plan.exports, wit: relative(cwd, built.witPath) },
    hash: built.hash,
    cached: built.cached,
    pins: built.pins ?? null,
    links: {
      checkedBy: built.link.checkedBy,
      ...(built.link.note === undefined ? {} : { note: built.link.note }),
      linksOn: built.link.linksOn,
      runtimes: built.link.runtimes,
    },
    typecheck: {
      checked: built.typecheck.checked,
      ...(built.typecheck.reason === undefined ? {} : { reason: built.typecheck.reason }),
      errors: built.typecheck.errors,
      allowedTypeErrors: built.typecheck.allowed,
    },
  };
}

/** Runs `migrate build` for one directory; shared with `migrate port --build`. */
export async function runBuild(
  context: CommandContext,
  dir: string,
  target: Target,
  out: string | undefined,
  linkCheck: 'auto' | 'rule' = 'auto',
  allowTypeErrors = false,
): Promise<BuiltService> {
  return buildService(dir, {
    target,
    linkCheck,
    allowTypeErrors,
    cwd: context.cwd,
    ...(out === undefined ? {} : { out }),
    onProgress: (message) => context.output.progress(message),
  });
}

export const buildCommand: CliCommand = {
  name: 'build <dir>',
  summary:
    'build a codemodded service into a WebAssembly component: minimal WIT world with the target runtime’s versions, componentize-js, and where it links (each runtime’s own host world)',
  group: 'transform',
  examples: [
    'migrate build ported/inventory-service --target spin   # prints the runtimes it links on',
    'migrate build ported/order-service --target embedded --out order.wasm --json',
    'migrate build ported/order-service --allow-type-errors   # builds a project tsc rejects, and says so',
  ],
  reports: true,
  configure(command) {
    command.option(
      '--target <target>',
      'runtime to build for: wasmcloud (wasmCloud 2.x), spin (Spin 3.x, SpinKube), spin4 (Spin 4 CLI), embedded (migrate’s host; takes wasmCloud’s versions, or Spin’s when wasmCloud lacks a capability)',
      'wasmcloud',
    );
    command.option('--out <file>', 'where to write the .wasm (default: <dir>/dist/<name>.wasm)');
    command.option(
      '--allow-type-errors',
      'build even when the project fails to type-check (the output and --json then say so)',
    );
    command.option(
      '--no-wasmtime',
      'check where the component links with Wasmtime’s linking rule in TypeScript, without starting Wasmtime',
    );
  },
  async run(context, args, options) {
    const dir = args[0];
    if (dir === undefined)
      throw new AppError(ErrorCode.usage, 'missing <dir>', { hint: 'migrate build <dir>' });
    const target = parseTarget(options.target);
    const out = typeof options.out === 'string' ? options.out : undefined;
    const built = await runBuild(
      context,
      dir,
      target,
      out,
      options.wasmtime === false ? 'rule' : 'auto',
      options.allowTypeErrors === true,
    );
    if (context.output.json) {
      await context.output.resultJson({ schemaVersion: '1', ...builtServiceDocument(built, context.cwd) });
      return;
    }
    await context.output.result(formatBuiltService(built, context.cwd));
  },
};
