import { join, resolve } from 'node:path';
import { Option } from 'commander';
import {
  analyzeEstate,
  createOpenApi,
  REPORT_FORMATS,
  reporters,
  type Estate,
  type ReportFormat,
} from '../../analyzer/index.ts';
import { AppError, ErrorCode, ExitCode } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import type { CliCommand } from '../command.ts';

const FAIL_ON = ['blocked', 'port-needed'] as const;

function hasBlockers(estate: Estate, level: (typeof FAIL_ON)[number]): boolean {
  return estate.services.some((s) =>
    Object.values(s.readiness).some(
      (r) => r.level === 'blocked' || (level === 'port-needed' && r.level === 'port-needed'),
    ),
  );
}

export const analyzeCommand: CliCommand = {
  name: 'analyze <dir>',
  summary: "inventory an estate's services, side effects, graph and Wasm readiness",
  group: 'assess',
  examples: [
    'migrate analyze samples/spring-orders',
    'migrate analyze samples/spring-orders --json -o analysis.json',
    'migrate analyze . --format sarif --fail-on blocked > analyze.sarif',
  ],
  reports: true,
  configure(command) {
    command
      .addOption(
        new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'),
      )
      .option('--openapi <dir>', 'write an OpenAPI 3.1 document per service into this directory')
      .addOption(
        new Option(
          '--fail-on <level>',
          'exit 1 when a service is blocked (or needs porting) on any target',
        ).choices([...FAIL_ON]),
      )
      .option('--docker', 'also inspect the live Docker engine and join its containers')
      .option('--cache-dir <dir>', 'per-file content-hash cache; re-runs skip unchanged files');
  },
  async run(context, args, options) {
    const dir = args[0];
    if (dir === undefined)
      throw new AppError(ErrorCode.usage, 'missing <dir>', { hint: 'migrate analyze <dir>' });
    const { output } = context;
    const format = (output.json ? 'json' : (options.format as ReportFormat | undefined)) ?? 'text';
    const estate = await analyzeEstate(resolve(context.cwd, dir), {
      docker: options.docker === true,
      // The command's environment (tests and embedders inject one), not necessarily this process's.
      ...(context.env['DOCKER_HOST'] === undefined ? {} : { dockerHost: context.env['DOCKER_HOST'] }),
      ...(typeof options.cacheDir === 'string' ? { cacheDir: resolve(context.cwd, options.cacheDir) } : {}),
      onProgress: (message) => output.progress(`analyze: ${message}`),
      signal: context.signal,
    });
    output.progress(undefined);
    if (typeof options.openapi === 'string') {
      const outDir = resolve(context.cwd, options.openapi);
      for (const service of estate.services) {
        if (service.endpoints.length === 0) continue;
        await writeFileAtomic(
          join(outDir, `${service.id}.openapi.json`),
          `${JSON.stringify(createOpenApi(service), null, 2)}\n`,
        );
      }
      output.log(`wrote OpenAPI documents to ${options.openapi}`);
    }
    if (format === 'json') await output.resultJson(estate);
    else await output.result(reporters[format](estate));
    const failOn = options.failOn as (typeof FAIL_ON)[number] | undefined;
    // An estate with no service found is not a clean one: the gate has nothing to judge, so it fails loudly.
    if (failOn !== undefined && estate.services.length === 0) {
      output.warn(
        `--fail-on ${failOn}: no service found in ${dir}, so nothing was judged; check that the services' package.json/pom.xml are under it (see the no-services finding)`,
      );
      return ExitCode.findings;
    }
    if (failOn !== undefined && hasBlockers(estate, failOn)) return ExitCode.findings;
    return ExitCode.ok;
  },
};
