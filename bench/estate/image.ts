/** The container image a Spring service ships as, built locally from its Dockerfile when Docker is up. */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error((stderr || error.message).trim().split('\n').pop())) : resolve(stdout),
    );
  });
}

/**
 * Builds from a context holding only the service's Dockerfile and jar (what its Dockerfile.dockerignore lets in):
 * the legacy builder (no buildx here) drops a `-f sub/Dockerfile` when the estate has both a root .dockerignore
 * and a per-Dockerfile one ("Cannot locate specified Dockerfile"), so the bench does not hand it the estate root.
 */
async function buildInStagedContext(estate: string, service: string, tag: string): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'migrate-bench-image-'));
  try {
    await mkdir(join(context, service, 'target'), { recursive: true });
    await copyFile(join(estate, service, 'Dockerfile'), join(context, service, 'Dockerfile'));
    const jar = join(service, 'target', `${service}.jar`);
    await copyFile(join(estate, jar), join(context, jar));
    await run('docker', ['build', '-q', '-f', `${service}/Dockerfile`, '-t', tag, '.'], context, 600_000);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/**
 * Builds `<service>` from `<estate>/<service>/Dockerfile` (its Java base made by scripts/ensure-jre-image.sh when no
 * registry has it) and returns the image's size in MB, or why it could not: Docker is optional for this figure.
 */
export async function imageSizeMb(
  estate: string,
  service: string,
  log: (message: string) => void,
): Promise<number | string> {
  if (process.env.DOCKER_HOST === undefined)
    return 'image size: no DOCKER_HOST (export DOCKER_HOST=… of a running engine to measure the container image)';
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], estate, 15_000);
  } catch (error) {
    return `image size: Docker is not reachable (${(error as Error).message})`;
  }
  const tag = `migrate-bench/${service}:latest`;
  try {
    log(`building the ${service} image (Java base from scripts/ensure-jre-image.sh)`);
    await run('bash', [`${ROOT}scripts/ensure-jre-image.sh`], estate, 900_000);
    await buildInStagedContext(estate, service, tag);
    const size = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', tag], estate, 15_000);
    return Number(size.trim()) / 1e6;
  } catch (error) {
    return `image size: ${(error as Error).message}`;
  }
}
