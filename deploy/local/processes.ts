/**
 * The host, the gateway and the message splitter run as supervised local processes of this project's own CLI
 * (`migrate host`, `migrate gateway`, `migrate split-messages`), detached from `up` so they outlive it, each
 * with its log file. A pid alone could be reused by another program after a reboot: a process is ours only
 * while its command line still names this run's config file.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError, ErrorCode } from '../../shared/errors.ts';

export interface ProcessRecord {
  role: 'host' | 'gateway' | 'messages';
  pid: number;
  /** The run's config file: present in the command line of our process, and only ours. */
  marker: string;
  log: string;
}

/** bin/migrate.js of this installation (source checkout or installed package). */
export function findMigrateBin(): string {
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i += 1) {
    const candidate = join(dir, 'bin', 'migrate.js');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new AppError(ErrorCode.internal, 'cannot find bin/migrate.js next to deploy/local');
}

export function spawnSupervised(options: {
  role: ProcessRecord['role'];
  args: string[];
  marker: string;
  log: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}): ProcessRecord {
  const fd = openSync(options.log, 'a');
  try {
    const child = spawn(process.execPath, [findMigrateBin(), ...options.args], {
      cwd: options.cwd,
      env: { ...options.env, NO_COLOR: '1' },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined)
      throw new AppError(ErrorCode.io, `cannot start the ${options.role} process`, {
        hint: `see ${options.log}`,
      });
    child.unref();
    return { role: options.role, pid: child.pid, marker: options.marker, log: options.log };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether process `pid` runs. A zombie awaiting its reaper has stopped: an orphan's reaper may be slow or absent
 * (in a container, or a sandbox whose init does not reap).
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    // no /proc (not Linux): the signal check is all there is
    return process.platform !== 'linux';
  }
}

/** Whether the process still runs and is the one we started. */
export function isAlive(record: ProcessRecord): boolean {
  if (!isRunning(record.pid)) return false;
  try {
    return readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').includes(record.marker);
  } catch {
    return process.platform !== 'linux';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after `graceMs`; returns when the process is gone. Idempotent. */
export async function stopProcess(record: ProcessRecord, graceMs = 10_000): Promise<void> {
  if (!isAlive(record)) return;
  try {
    process.kill(record.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(record) && Date.now() < deadline) await sleep(100);
  if (isAlive(record)) {
    try {
      process.kill(record.pid, 'SIGKILL');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && isAlive(record); i += 1) await sleep(100);
  }
}

/** The last lines of a process's log. */
export function readLogTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
