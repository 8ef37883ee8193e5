import { relative } from 'node:path';
import { buildService, type BuiltService } from '../../codemods/index.ts';
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

export function formatBuiltService(built: BuiltService, cwd: string): string {
  const mb = (built.size / (1024 * 1024)).toFixed(2);
  const lines = [
    `built ${relative(cwd, built.out) || built.out} for ${built.target}: ${built.size} bytes (${mb} MB)${built.cached ? ', from cache' : ''}`,
    `capabilities: ${built.capabilities.length === 0 ? 'none' : built.capabilities.join(', ')}`,
    'imports:',
    ...built.imports.map((name) => `  ${name}`),
    'exports:',
    ...built.exports.map((name) => `  ${name}`),
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
  };
}

/** Runs `migrate build` for one directory; shared with `migrate port --build`. */
export async function runBuild(
  context: CommandContext,
  dir: string,
  target: Target,
  out: string | undefined,
): Promise<BuiltService> {
  return buildService(dir, {
    target,
    cwd: context.cwd,
    ...(out === undefined ? {} : { out }),
    onProgress: (message) => context.output.progress(message),
  });
}

export const buildCommand: CliCommand = {
  name: 'build <dir>',
  summary:
    'build a codemodded service into a WebAssembly component: minimal WIT world, componentize-js, target check',
  group: 'transform',
  examples: [
    'migrate build ported/order-service',
    'migrate build ported/notification-service --target spin',
    'migrate build ported/order-service --target embedded --out order.wasm --json',
  ],
  reports: true,
  configure(command) {
    command.option('--target <target>', `runtime to build for: ${TARGETS.join(', ')}`, 'wasmcloud');
    command.option('--out <file>', 'where to write the .wasm (default: <dir>/dist/<name>.wasm)');
  },
  async run(context, args, options) {
    const dir = args[0];
    if (dir === undefined)
      throw new AppError(ErrorCode.usage, 'missing <dir>', { hint: 'migrate build <dir>' });
    const target = parseTarget(options.target);
    const out = typeof options.out === 'string' ? options.out : undefined;
    const built = await runBuild(context, dir, target, out);
    if (context.output.json) {
      await context.output.resultJson({ schemaVersion: '1', ...builtServiceDocument(built, context.cwd) });
      return;
    }
    await context.output.result(formatBuiltService(built, context.cwd));
  },
};
