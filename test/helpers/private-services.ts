// A PostgreSQL cluster and a NATS server of a test's own, on free loopback ports, for tests that stop and restart
// them: restarting the machine's shared ones would break every test (and every other user) talking to them.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readEphemeralPortRange } from '../../bridge/host/listen.ts';

const run = promisify(execFile);

/** Binds `port` (0: any) on loopback and lets it go; the port bound, or undefined when it is taken. */
function tryBind(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Where the private servers' ports come from: above the fixed ports tests use (up to 28432), below 32000, a
 * thousand for each vitest worker (VITEST_POOL_ID), so that two test files running side by side never pick the
 * same one in the seconds before their servers bind it.
 */
function getPortRange(): { low: number; high: number } {
  const slot = (Math.max(1, Number(process.env['VITEST_POOL_ID'] ?? 1)) - 1) % 3;
  return { low: 29000 + slot * 1000, high: 30000 + slot * 1000 };
}

/** Ports this process handed out already: each goes to one server. */
const handedOut = new Set<number>();

/**
 * A loopback port nothing listens on now, below the kernel's ephemeral range: a server that restarts on its port
 * must find it free, and in that range an outgoing connection can take it as its local port while the server is
 * down (or a client reconnecting to it can connect to itself). Port 0's pick where the range leaves no room.
 */
export async function getFreePort(): Promise<number> {
  const { low, high: top } = getPortRange();
  const high = Math.min(top, (await readEphemeralPortRange()).low);
  for (let attempt = 0; high - low >= 100 && attempt < 100; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port) || (await tryBind(port)) === undefined) continue;
    handedOut.add(port);
    return port;
  }
  const any = await tryBind(0);
  if (any === undefined) throw new Error('no free loopback port');
  return any;
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
