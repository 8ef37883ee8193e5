import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { analyzeEstate } from '../../analyzer/index.ts';
import { createOpenApi } from '../../analyzer/openapi.ts';
import { formatPortReport, loadCodemodPlan, portJavaSources, readJavaSources } from '../../codemods/index.ts';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import type { Estate } from '../../analyzer/index.ts';
import type { Target } from '../../shared/catalog.ts';
import type { CliCommand, CommandContext } from '../command.ts';

type Service = Estate['services'][number];
import { builtServiceDocument, formatBuiltService, parseTarget, runBuild } from './build.ts';

/**
 * Writes the ported files so that a failure never leaves a half-written project: everything goes to a staging
 * folder next to `out` first; then `src/` is swapped in by rename and the other files are renamed over theirs.
 */
async function writeProject(out: string, files: ReadonlyMap<string, string>): Promise<void> {
  const staging = `${out}.migrate-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [path, text] of files) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), text);
    }
    await mkdir(out, { recursive: true });
    const old = join(staging, '.old-src');
    await rename(join(out, 'src'), old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(join(staging, 'src'), join(out, 'src'));
    for (const path of files.keys()) {
      if (!path.startsWith('src/')) {
        await mkdir(dirname(join(out, path)), { recursive: true });
        await rename(join(staging, path), join(out, path));
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `migrate port <service>` for a service the analyzer found: the TypeScript project, written to `out`. */
export async function portService(context: CommandContext, estate: string, service: Service, out: string) {
  context.output.progress(`porting ${service.id}`);
  const ported = await portJavaSources(service.id, await readJavaSources(join(estate, service.root)), {
    openapi: createOpenApi(service),
  });
  try {
    await writeProject(out, ported.files);
  } catch (error) {
    throw wrapError(
      ErrorCode.io,
      `cannot write the ported project to ${out}`,
      error,
      'check that the directory is writable',
    );
  }
  return ported;
}

/** `migrate port <service> --build`: port, codemod, build; shared with `migrate up` for missing components. */
export async function portAndBuild(
  context: CommandContext,
  estate: string,
  service: Service,
  out: string,
  target: Target,
) {
  const ported = await portService(context, estate, service, out);
  context.output.progress(`codemod ${out}`);
  const codemod = loadCodemodPlan(out);
  for (const write of codemod.writes) await writeFileAtomic(join(out, write.path), write.content);
  const built = await runBuild(context, out, target, undefined);
  return { ported, codemod, built };
}

export const portCommand: CliCommand = {
  name: 'port <service>',
  summary:
    'translate a Spring Boot (Java) service found by the analyzer into a TypeScript project that runs in plain Node',
  examples: [
    'migrate port order-service --estate samples/spring-orders --out ported/order-service',
    'migrate port inventory-service --estate samples/spring-orders --json',
    'migrate port order-service --estate samples/spring-orders --build --target wasmcloud',
  ],
  reports: true,
  configure: (command) => {
    command.option('--estate <dir>', 'the estate root the analyzer reads', '.');
    command.option('--out <dir>', 'where to write the TypeScript project (default: ported/<service>)');
    command.option('--build', 'then run migrate codemod and migrate build on the ported project');
    command.option('--target <target>', 'with --build: runtime to build for (wasmcloud, spin, embedded)');
  },
  async run(context, args, options) {
    const id = args[0] ?? '';
    const estate = resolve(context.cwd, typeof options.estate === 'string' ? options.estate : '.');
    const out = resolve(context.cwd, typeof options.out === 'string' ? options.out : join('ported', id));
    const target = options.build === true ? parseTarget(options.target) : undefined;
    context.output.progress(`analyzing ${estate}`);
    const model = await analyzeEstate(estate, { signal: context.signal });
    const service = model.services.find((s) => s.id === id || s.name === id);
    if (!service) {
      throw new AppError(ErrorCode.notFound, `no service ${id} in ${estate}`, {
        hint: `services found: ${model.services.map((s) => s.id).join(', ') || 'none'}`,
      });
    }
    if (service.language !== 'java') {
      throw new AppError(
        ErrorCode.unsupported,
        `${id} is a ${service.language} service; port translates Java services`,
        {
          hint: 'run migrate codemod on TypeScript services directly',
        },
      );
    }
    if (target !== undefined) {
      const { ported, codemod, built } = await portAndBuild(context, estate, service, out, target);
      if (context.output.json) {
        await context.output.resultJson({
          ...ported.report,
          out,
          codemod: { written: codemod.writes.map((w) => w.path) },
          build: builtServiceDocument(built, context.cwd),
        });
      } else {
        await context.output.result(
          `${formatPortReport(ported.report)}\nwritten to ${out}; codemod wrote ${codemod.writes.length} file(s)\n${formatBuiltService(built, context.cwd)}`,
        );
      }
      return;
    }
    const ported = await portService(context, estate, service, out);
    context.output.progress(undefined);
    if (context.output.json) await context.output.resultJson({ ...ported.report, out });
    else
      await context.output.result(
        `${formatPortReport(ported.report)}\nwritten to ${out} (run: cd ${out} && npm install && node src/main.ts)`,
      );
  },
};
