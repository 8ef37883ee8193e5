/**
 * `migrate down`: stops the processes and removes the containers and networks one `up` recorded (and anything
 * else carrying its run label, e.g. a container created just before a crash), keeps volumes and the Postgres
 * schema unless asked. Images stay: they are the build cache of the next `up`. Idempotent.
 */
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { wrapError, ErrorCode } from '../../shared/errors.ts';
import { listLabelled, removeContainer, removeNetwork, removeVolume, type Engine } from './docker-engine.ts';
import { isAlive, stopProcess } from './processes.ts';
import { LABELS, removeUpState, type UpState } from './state.ts';

export interface DownRequest {
  state: UpState;
  engine: Engine;
  runDir: string;
  /** Also remove the run's volumes and the Postgres schema it created. */
  volumes: boolean;
  /** Keep the processes' logs and the run config (the undo of a failed up: the error points at them). */
  keepLogs?: boolean;
  progress: (message: string | undefined) => void;
}

export interface DownResult {
  processes: number;
  containers: number;
  networks: number;
  volumes: number;
  schemaDropped?: string;
}

export async function runDown(request: DownRequest): Promise<DownResult> {
  const { state, engine } = request;
  const result: DownResult = { processes: 0, containers: 0, networks: 0, volumes: 0 };
  // the processes first: the gateway stops sending traffic before its upstreams go
  for (const record of [...state.processes].reverse()) {
    if (!isAlive(record)) continue;
    request.progress(`stopping the ${record.role} (pid ${record.pid})`);
    await stopProcess(record);
    result.processes += 1;
  }
  const labelled = await listLabelled(engine, `${LABELS.run}=${state.runId}`);
  const containers = new Set([...state.containers.map((c) => c.id), ...labelled.containers]);
  for (const id of containers) {
    request.progress(`removing container ${id.slice(0, 12)}`);
    await removeContainer(engine, id);
    result.containers += 1;
  }
  for (const id of new Set([...state.networks.map((n) => n.id), ...labelled.networks])) {
    await removeNetwork(engine, id);
    result.networks += 1;
  }
  if (request.volumes) {
    for (const name of new Set([...state.volumes, ...labelled.volumes])) {
      await removeVolume(engine, name);
      result.volumes += 1;
    }
    if (state.schema !== undefined) {
      const client = new pg.Client({ connectionString: state.schema.url });
      try {
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${state.schema.name.replaceAll('"', '""')}" CASCADE`);
        result.schemaDropped = state.schema.name;
      } catch (error) {
        throw wrapError(
          ErrorCode.backend,
          `cannot drop the schema ${state.schema.name} this run created`,
          error,
        );
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }
  for (const [key, file] of Object.entries(state.files)) {
    if (request.keepLogs === true && (key.endsWith('Log') || key === 'runConfig')) continue;
    await rm(file, { force: true });
  }
  await removeUpState(request.runDir);
  request.progress(undefined);
  return result;
}
