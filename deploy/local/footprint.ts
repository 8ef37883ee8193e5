/**
 * What a service costs as a container and as a component, measured on the running hybrid estate: the
 * container's memory (Docker's stats, page cache left out as `docker stats` does), its image size and the start
 * time Spring Boot logs; the component's share of the host process's RSS (/proc), its file size and the start
 * time the host logs when it serves it. Every figure is null when it cannot be read: measuring never fails.
 */
import { readFile, stat } from 'node:fs/promises';
import { getContainerLogTail, type Engine } from './docker-engine.ts';
import type { UpState } from './state.ts';

export interface SideFootprint {
  rssBytes: number | null;
  startMs: number | null;
  sizeBytes: number | null;
}

export interface ServiceFootprint {
  container: SideFootprint;
  component: SideFootprint & { sharedBy: number };
}

/** `Started OrderServiceApplication in 9.8 seconds (process running for 11.2)` → 11200 (JVM start to ready). */
export function parseSpringStartMs(log: string): number | null {
  const match = /Started \S+ in ([\d.]+) seconds(?: \(process running for ([\d.]+)\))?/.exec(log);
  if (match === null) return null;
  return Math.round(Number(match[2] ?? match[1]) * 1000);
}

/** The `startMs` of the host's `serving on` line for a component (NDJSON log of `migrate host --json`). */
export function parseHostStartMs(log: string, component: string): number | null {
  for (const line of log.split('\n')) {
    if (!line.includes('"serving on')) continue;
    try {
      const entry = JSON.parse(line) as { component?: string; startMs?: unknown };
      if (entry.component === component && typeof entry.startMs === 'number') return entry.startMs;
    } catch {
      // a torn line: not ours
    }
  }
  return null;
}

/** VmRSS of a process in bytes, from /proc (Linux). */
export async function readProcessRss(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

const orNull = async <T>(work: () => Promise<T>): Promise<T | null> => {
  try {
    return await work();
  } catch {
    return null;
  }
};

async function measureContainer(engine: Engine, state: UpState, serviceId: string): Promise<SideFootprint> {
  const service = state.services.find((s) => s.id === serviceId);
  const id = state.containers.find((c) => c.service === serviceId)?.id;
  if (service === undefined || id === undefined) return { rssBytes: null, startMs: null, sizeBytes: null };
  const container = engine.docker.getContainer(id);
  const [stats, image, log] = await Promise.all([
    orNull(
      () =>
        container.stats({ stream: false }) as Promise<{
          memory_stats?: { usage?: number; stats?: Record<string, number> };
        }>,
    ),
    orNull(() => engine.docker.getImage(service.container.image).inspect()),
    getContainerLogTail(engine, id, 5000),
  ]);
  const memory = stats?.memory_stats;
  const cache = memory?.stats?.['inactive_file'] ?? memory?.stats?.['total_inactive_file'] ?? 0;
  return {
    rssBytes: memory?.usage === undefined ? null : Math.max(0, memory.usage - cache),
    startMs: parseSpringStartMs(log),
    sizeBytes: image?.Size ?? null,
  };
}

async function measureComponent(
  state: UpState,
  serviceId: string,
): Promise<SideFootprint & { sharedBy: number }> {
  const host = state.processes.find((p) => p.role === 'host');
  const name = state.services.find((s) => s.id === serviceId)?.component?.name;
  const sharedBy = Math.max(1, state.services.filter((s) => s.component !== undefined).length);
  if (host === undefined || name === undefined)
    return { rssBytes: null, startMs: null, sizeBytes: null, sharedBy };
  const config = await orNull(
    async () =>
      JSON.parse(await readFile(state.files.host ?? '', 'utf8')) as {
        components?: { name: string; wasm: string }[];
      },
  );
  const wasm = config?.components?.find((c) => c.name === name)?.wasm;
  const [rss, log, size] = await Promise.all([
    readProcessRss(host.pid),
    orNull(() => readFile(host.log, 'utf8')),
    wasm === undefined ? null : orNull(async () => (await stat(wasm)).size),
  ]);
  return {
    rssBytes: rss === null ? null : Math.round(rss / sharedBy),
    startMs: log === null ? null : parseHostStartMs(log, name),
    sizeBytes: size,
    sharedBy,
  };
}

/** Container and component of one service of a running `migrate up`. */
export async function measureFootprint(
  engine: Engine,
  state: UpState,
  serviceId: string,
): Promise<ServiceFootprint> {
  const [container, component] = await Promise.all([
    measureContainer(engine, state, serviceId),
    measureComponent(state, serviceId),
  ]);
  return { container, component };
}
