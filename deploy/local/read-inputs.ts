/**
 * Reads what the pure planner needs from the estate: its compose services (environment interpolated as
 * docker compose does, secrets taken from migrate's own environment) and each service's Spring configuration.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseSpringConfig, readComposeFile, type ComposeFacts, type Estate } from '../../analyzer/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { ComposeServiceInput } from './plan-local.ts';
import type { SpringProperty } from './spring-env.ts';

/** docker compose interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$`. Pure. */
export function interpolate(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      whole,
      braced: string | undefined,
      op: string | undefined,
      fallback: string | undefined,
      bare: string | undefined,
    ) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare ?? '';
      const found = env[name];
      if (op === ':-') return found === undefined || found === '' ? (fallback ?? '') : found;
      if (op === '-') return found ?? fallback ?? '';
      return found ?? '';
    },
  );
}

/** Milliseconds of a compose duration (`5s`, `1m30s`, `500ms`). */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|s|m|h)/g)) {
    const factor = { ms: 1, us: 0.001, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms'];
    total += Number(n) * factor;
  }
  return total === 0 ? undefined : Math.round(total);
}

/** The estate's compose file (the one its services are joined to). */
export function getComposeFile(estate: Estate): string {
  const files = new Set(
    estate.services.flatMap((s) =>
      s.deployments.filter((d) => d.kind === 'compose').map((d) => d.source.file),
    ),
  );
  const [file, ...others] = [...files];
  if (file === undefined)
    throw new AppError(ErrorCode.input, 'the estate has no compose file joined to its services', {
      hint: 'migrate up runs the legacy side from docker-compose.yml (build, environment, healthcheck)',
    });
  if (others.length > 0)
    throw new AppError(
      ErrorCode.input,
      `the services are spread over several compose files: ${[...files].join(', ')}`,
      {
        hint: 'merge them into one compose file for migrate up',
      },
    );
  return file;
}

export async function readCompose(estateDir: string, estate: Estate, env: NodeJS.ProcessEnv) {
  const file = getComposeFile(estate);
  const facts: ComposeFacts = await readComposeFile(estateDir, file);
  const warnings: string[] = [];
  const byService = new Map<string, ComposeServiceInput>();
  for (const service of estate.services) {
    const name = service.deployments.find((d) => d.kind === 'compose')?.name;
    const compose = facts.services.find((s) => s.name === name);
    if (compose === undefined) continue;
    const values: Record<string, string> = {};
    for (const entry of compose.env) {
      if (entry.name in values) continue;
      if (entry.value === undefined || entry.value === '***') {
        // a secret or `- NAME`: docker compose takes it from its own environment, and so do we
        const fromEnv = env[entry.name];
        if (fromEnv !== undefined) values[entry.name] = fromEnv;
        else if (entry.value === '***')
          warnings.push(
            `${service.id}: ${entry.name} (${entry.source}:${entry.line}) is a secret: set it in migrate's environment to pass it`,
          );
      } else values[entry.name] = interpolate(entry.value, env);
    }
    const health = compose.healthcheck;
    byService.set(service.id, {
      name: compose.name,
      ...(compose.image === undefined ? {} : { image: interpolate(compose.image, env) }),
      ...(compose.build === undefined
        ? {}
        : {
            build: {
              context: join(estateDir, compose.build.context),
              dockerfile: posix.relative(compose.build.context, compose.build.dockerfile),
            },
          }),
      env: values,
      ...(health === undefined || health.test[0] === 'NONE'
        ? {}
        : {
            healthcheck: {
              test: health.test,
              ...(parseDuration(health.interval) === undefined
                ? {}
                : { intervalMs: parseDuration(health.interval) }),
              ...(parseDuration(health.timeout) === undefined
                ? {}
                : { timeoutMs: parseDuration(health.timeout) }),
              ...(health.retries === undefined ? {} : { retries: health.retries }),
            },
          }),
    });
  }
  return { file, facts, services: byService, warnings };
}

/** A service's default-profile Spring properties (application.properties, then application.yml/yaml). */
export async function readSpringProperties(estateDir: string, root: string): Promise<SpringProperty[]> {
  const out: SpringProperty[] = [];
  for (const name of ['application.properties', 'application.yml', 'application.yaml']) {
    const file = posix.join(root, 'src/main/resources', name);
    const text = await readFile(join(estateDir, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    for (const entry of parseSpringConfig(text, file).entries) {
      if (entry.profile !== undefined || out.some((p) => p.key === entry.key)) continue;
      out.push({ key: entry.key, value: entry.value, line: entry.line, file });
    }
  }
  return out;
}
