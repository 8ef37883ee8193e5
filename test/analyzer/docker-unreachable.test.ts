import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/run-cli.ts';

const exec = promisify(execFile);

describe('migrate analyze --docker', () => {
  it('exits 2 with MIG_DOCKER and a hint, no stack trace, when the engine cannot be reached', async () => {
    const failed = await exec(
      process.execPath,
      ['bin/migrate.js', 'analyze', 'samples/spring-orders', '--docker'],
      {
        env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', NO_COLOR: '1' },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    const { stderr } = failed as { stderr: string };
    expect(stderr).toMatch(/error MIG_DOCKER .*nonexistent/);
    expect(stderr).toMatch(/hint: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reads the engine from the environment the command was given, not only the process', async () => {
    const run = await runCliCaptured(['analyze', 'samples/spring-orders', '--docker'], {
      DOCKER_HOST: 'unix:///injected/nowhere.sock',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error MIG_DOCKER .*injected\/nowhere\.sock/);
  });
});
