import { join, resolve } from 'node:path';
import { analyzeEstate } from '../../analyzer/index.ts';
import { createOpenApi } from '../../analyzer/openapi.ts';
import { formatPortReport, loadCodemodPlan, portJavaSources, readJavaSources } from '../../codemods/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { writeFilesAtomic } from '../../shared/fs.ts';
import type { Estate } from '../../analyzer/index.ts';
import type { Target } from '../../shared/catalog.ts';
import type { CliCommand, CommandContext } from '../command.ts';
import { writeProject } from './port-write.ts';
import { builtServiceDocument, formatBuiltService, parseTarget, runBuild } from './build.ts';

type Service = Estate['services'][number];

/** `migrate port <service>` for a service the analyzer found: the TypeScript project, written to `out`. */
export async function portService(context: CommandContext, estate: string, service: Service, out: string) {
  context.output.progress(`porting ${service.id}`);
  const ported = await portJavaSources(service.id, await readJavaSources(join(estate, service.root)), {
    openapi: createOpenApi(service),
  });
  await writeProject(out, ported.files);
  return ported;
}

/** `migrate port <service> --build`: port, codemod, build; shared with `migrate up` for missing components. */
export async function portAndBuild(
  context: CommandContext,
  estate: string,
  service: Service,
  out: string,
  target: Target,
  allowTypeErrors = false,
) {
  const ported = await portService(context, estate, service, out);
  context.output.progress(`codemod ${out}`);
  const codemod = loadCodemodPlan(out);
  await writeFilesAtomic(codemod.writes.map((w) => ({ path: join(out, w.path), content: w.content })));
  const built = await runBuild(context, out, target, undefined, 'auto', allowTypeErrors);
  return { ported, codemod, built };
}

export const portCommand: CliCommand = {
  name: 'port <service>',
  summary:
    'translate a Spring Boot (Java) service found by the analyzer into a TypeScript project that runs in plain Node',
  group: 'transform',
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
    command.option(
      '--target <target>',
      'with --build: runtime to build for (wasmcloud, spin, spin4, embedded)',
    );
    command.option(
      '--allow-type-errors',
      'with --build: build even when the ported project fails to type-check (the output says so)',
    );
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
      const { ported, codemod, built } = await portAndBuild(
        context,
        estate,
        service,
        out,
        target,
        options.allowTypeErrors === true,
      );
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
