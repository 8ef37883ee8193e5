// A PostgreSQL cluster and a NATS server of a test's own, on free loopback ports, for tests that stop and restart
// them: restarting the machine's shared ones would break every test (and every other user) talking to them.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A loopback port nothing listens on now. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Polls until `port` accepts connections (or not, with `open` false); a bound for a hung server only. */
export async function waitForPort(port: number, open = true, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while ((await isListening(port)) !== open) {
    if (Date.now() > deadline) throw new Error(`port ${port} did not ${open ? 'open' : 'close'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (bin === undefined) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return bin;
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every connection drops, the server comes back. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** initdb + pg_ctl start in a temp folder; as root, the server runs as `postgres` (it refuses root). */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  const dir = await mkdtemp(join(tmpdir(), 'migrate-private-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]): Promise<unknown> =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  const data = join(dir, 'data');
  const port = await getFreePort();
  await as(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]): Promise<unknown> =>
    as(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '600', ...args]);
  await ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async () => {
      await ctl('restart', '-m', 'fast');
    },
    stop: async () => {
      await ctl('stop', '-m', 'immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateNats {
  url: string;
  port: number;
  /** SIGTERM: the server is gone until start(). */
  kill(): Promise<void>;
  /** SIGSTOP: the server holds its connections open and answers nothing. */
  stall(): void;
  /** SIGKILL (a stalled server too): gone until start(), with whatever it had not read from its sockets. */
  crash(): Promise<void>;
  /** Starts the server again; `jetstream: false` without JetStream (it takes PUBs and stores nothing). */
  start(options?: { jetstream?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** A nats-server child process on a free port (JetStream on, stored in a temp folder). */
export async function startPrivateNats(): Promise<PrivateNats> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-private-nats-'));
  const port = await getFreePort();
  const binary = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
  let child: ChildProcess | undefined;
  const start = async ({ jetstream = true }: { jetstream?: boolean } = {}): Promise<void> => {
    const args = ['-a', '127.0.0.1', '-p', String(port), ...(jetstream ? ['-js', '-sd', dir] : [])];
    child = spawn(binary, args, { stdio: 'ignore' });
    await waitForPort(port);
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    child = undefined;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill(signal);
    await exited;
  };
  const kill = (): Promise<void> => end('SIGTERM');
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill,
    stall: () => void child?.kill('SIGSTOP'),
    crash: () => end('SIGKILL'),
    start,
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
