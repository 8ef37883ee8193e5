// A benchmark that cannot run ends with an error line, a hint and exit 2 — never a stack trace — and its peers are
// checked (or installed) before it starts.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const PEERS = join(ROOT, 'bench/ensure-peers.sh');

interface Failure {
  code: number;
  stdout: string;
  stderr: string;
}
const failure = (error: unknown): Failure => error as Failure;

describe('benchmark peers', () => {
  let work = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'migrate-bench-peers-'));
  });

  afterAll(async () => {
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('passes when the services a benchmark needs are listening', async () => {
    const run = await exec('bash', [PEERS, 'postgres', 'nats']);
    expect(run.stderr).toBe('');
  });

  it('exits 2 with the install command when a program is missing and it cannot install (not root)', async () => {
    const bin = join(work, 'bin');
    await exec('mkdir', ['-p', bin]);
    await writeFile(join(bin, 'id'), '#!/bin/sh\necho 1000\n');
    await chmod(join(bin, 'id'), 0o755);
    await symlink('/usr/bin/dirname', join(bin, 'dirname'));
    // wrk lives in /usr/bin, which this PATH leaves out: it counts as missing whether installed or not
    const run = await exec('/bin/bash', [PEERS, 'wrk'], { env: { PATH: bin } }).catch(failure);
    expect(run).toMatchObject({ code: 2 });
    expect(run.stderr).toContain('error MIG_BACKEND wrk is not installed');
    expect(run.stderr).toContain('hint: install it with: sudo apt-get update && sudo apt-get install -y wrk');
  });

  it('exits 2 naming the choices on an unknown peer', async () => {
    const run = await exec('bash', [PEERS, 'envoy']).catch(failure);
    expect(run).toMatchObject({ code: 2 });
    expect(run.stderr).toMatch(/unknown benchmark peer 'envoy'\nhint: one of: nginx/);
  });

  it('ends a failing benchmark with an error line, a hint and exit 2, without a stack trace', async () => {
    const script = join(work, 'bench.ts');
    await writeFile(
      script,
      `import { BenchError } from ${JSON.stringify(join(ROOT, 'bench/fail-cleanly.ts'))};\n` +
        `try { await Promise.resolve(); throw new BenchError('nginx is not installed', 'apt-get install -y nginx'); }\n` +
        `finally { console.error('cleaned up'); }\n`,
    );
    const run = await exec(process.execPath, [script]).catch(failure);
    expect(run).toMatchObject({ code: 2 });
    expect(run.stderr).toBe(
      'cleaned up\nerror MIG_BENCH nginx is not installed\nhint: apt-get install -y nginx\n',
    );
  });

  it('names an unreachable service and how to start it', async () => {
    const script = join(work, 'refused.ts');
    await writeFile(
      script,
      `import ${JSON.stringify(join(ROOT, 'bench/fail-cleanly.ts'))};\n` +
        `import { connect } from 'node:net';\n` +
        `const server = (await import('node:net')).createServer();\n` +
        `await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));\n` +
        `const { port } = server.address();\nawait new Promise((r) => server.close(r));\n` +
        `await new Promise((_, reject) => connect(port, '127.0.0.1').on('error', reject));\n`,
    );
    const run = await exec(process.execPath, [script]).catch(failure);
    expect(run).toMatchObject({ code: 2 });
    expect(run.stderr).toMatch(/^error MIG_BENCH connect ECONNREFUSED 127\.0\.0\.1:\d+: a service/);
    expect(run.stderr).toContain(
      'hint: start PostgreSQL, NATS and Redis with `bash scripts/ensure-services.sh`',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
