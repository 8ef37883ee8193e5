/** The container image a Spring service ships as, built locally from its Dockerfile when Docker is up. */
import { execFile } from 'node:child_process';
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
    await run('docker', ['build', '-q', '-f', `${service}/Dockerfile`, '-t', tag, '.'], estate, 600_000);
    const size = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', tag], estate, 15_000);
    return Number(size.trim()) / 1e6;
  } catch (error) {
    return `image size: ${(error as Error).message}`;
  }
}
