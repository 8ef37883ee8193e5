/** What `bench:estate` measures on processes and endpoints: resident memory from /proc and load from autocannon. */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Resident set of one process, in kB (0 when it is gone). Threads (the host's workers) are part of it. */
async function readRssKb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Parent of every live process, from /proc/<pid>/stat. */
async function readParents(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return parents;
}

/** The summed RSS (MB) of `pids` and all their descendants. */
export async function readTreeRssMb(pids: readonly number[]): Promise<number> {
  const parents = await readParents();
  const tree = new Set(pids);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of tree) kb += await readRssKb(pid);
  return kb / 1024;
}

/** One endpoint's load: method, path and body (JSON) if any. */
export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadResult {
  rps: number;
  p99_ms: number;
  /** Non-2xx answers and socket errors: a figure with many of them measures errors, not work. */
  errors: number;
}

/** Runs autocannon in a child process (so that the load generator is not the process measured). Bounded by `seconds`. */
export function runLoad(
  url: string,
  endpoint: Endpoint,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const bin = fileURLToPath(new URL('../../node_modules/.bin/autocannon', import.meta.url));
  const args = ['-j', '-c', String(connections), '-d', String(seconds), '-m', endpoint.method];
  if (endpoint.body !== undefined) args.push('-H', 'content-type=application/json', '-b', endpoint.body);
  args.push(url + endpoint.path);
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 16 * 1024 * 1024, timeout: (seconds + 60) * 1000 }, (error, stdout) => {
      if (error) return reject(new Error(`autocannon failed: ${error.message.split('\n')[0]}`));
      const result = JSON.parse(stdout) as {
        requests: { average: number };
        latency: { p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        rps: result.requests.average,
        p99_ms: result.latency.p99,
        errors: result.non2xx + result.errors,
      });
    });
  });
}

/** Polls until every URL answers 2xx; returns false when `timeoutMs` passes first. */
export async function waitAllOk(urls: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (Date.now() > deadline) return false;
    await Promise.all(
      [...pending].map(async (url) => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
          await response.arrayBuffer();
          if (response.ok) pending.delete(url);
        } catch {
          // not listening yet
        }
      }),
    );
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
