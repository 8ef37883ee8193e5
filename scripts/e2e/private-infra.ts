/**
 * A Postgres cluster and a NATS server of this run's own (`npm run e2e:faults` restarts them; the machine's
 * shared servers are never touched). Postgres runs as the `postgres` user (initdb refuses root), on loopback,
 * with its data and socket in the run's directory.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** True once something accepts TCP connections on 127.0.0.1:port. */
export function isOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000}s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function asPostgres(command: string, args: string[]): Promise<string> {
  const { stdout } = await exec('runuser', ['-u', 'postgres', '--', command, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function pgBin(name: string): Promise<string> {
  const { stdout } = await exec('bash', [
    '-c',
    `ls -d /usr/lib/postgresql/*/bin/${name} | sort -V | tail -n1`,
  ]);
  return stdout.trim();
}

export interface PrivatePostgres {
  port: number;
  /** Connection URL of the `postgres` database. */
  url: string;
  /** `pg_ctl restart -m fast`: every client connection is cut, the server is back when this resolves. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(dir: string, port: number): Promise<PrivatePostgres> {
  await mkdir(dir, { recursive: true });
  await chmod(dirname(dir), 0o711); // the postgres user must be able to reach its directory
  const { stdout } = await exec('id', ['-u', 'postgres']);
  const { stdout: gid } = await exec('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  const data = join(dir, 'data');
  const [initdb, pgCtl] = [await pgBin('initdb'), await pgBin('pg_ctl')];
  await asPostgres(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (...args: string[]): Promise<string> =>
    asPostgres(pgCtl, [
      '-D',
      data,
      '-l',
      join(dir, 'postgres.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      ...args,
    ]);
  await ctl('start');
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await ctl('restart', '-m', 'fast');
    },
    stop: async () => {
      await ctl('stop', '-m', 'immediate').catch(() => undefined);
    },
  };
}

export interface PrivateNats {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL) and starts it again on the same port and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateNats(dir: string, port: number): Promise<PrivateNats> {
  await mkdir(dir, { recursive: true });
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
      stdio: 'ignore',
    });
    await waitUntil(`nats-server on ${port}`, () => isOpen(port), 30_000);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise<void>((done) => running.once('exit', () => done()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      await start();
    },
    stop,
  };
}
