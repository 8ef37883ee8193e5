/**
 * The record of what one `migrate up` created (`<run dir>/up-state.json`): written after every object it
 * creates, so that `down` (or the undo of a failed or cancelled `up`) removes exactly that and nothing else.
 */
import { chmod, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';

export const UP_STATE_FILE = 'up-state.json';

/** Docker labels on everything `up` creates. */
export const LABELS = {
  managed: 'io.migrate.managed',
  estate: 'io.migrate.estate',
  run: 'io.migrate.run',
  service: 'io.migrate.service',
  role: 'io.migrate.role',
  /** On images up builds: the key of the build's inputs (a later up with the same key skips the build). */
  buildKey: 'io.migrate.build-key',
} as const;

const processSchema = z.object({
  role: z.enum(['host', 'gateway', 'messages']),
  pid: z.number().int(),
  marker: z.string(),
  log: z.string(),
});

export const upStateSchema = z.object({
  schemaVersion: z.literal('1'),
  runId: z.string(),
  estate: z.string(),
  estateDir: z.string(),
  createdAt: z.string(),
  /** `starting` until every part is healthy; a state left in `starting` is what an interrupted up made. */
  phase: z.enum(['starting', 'up']),
  dockerHost: z.string(),
  gateway: z.object({ url: z.string(), admin: z.string(), token: z.string() }),
  services: z.array(
    z.object({
      id: z.string(),
      route: z.string(),
      prefix: z.string(),
      container: z.object({ name: z.string(), port: z.number().int(), image: z.string() }),
      component: z.object({ name: z.string(), port: z.number().int() }).optional(),
    }),
  ),
  containers: z.array(z.object({ id: z.string(), name: z.string(), service: z.string() })),
  networks: z.array(z.object({ id: z.string(), name: z.string() })),
  volumes: z.array(z.string()),
  processes: z.array(processSchema),
  /** A Postgres schema this run created (dropped by `down --volumes` only). */
  schema: z.object({ url: z.string(), name: z.string() }).optional(),
  splits: z.array(
    z.object({ route: z.string(), subject: z.string(), container: z.string(), wasm: z.string() }),
  ),
  files: z.record(z.string(), z.string()),
  warnings: z.array(z.string()),
});

export type UpState = z.infer<typeof upStateSchema>;

export async function readUpState(runDir: string): Promise<UpState | undefined> {
  const file = join(runDir, UP_STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError(ErrorCode.io, `cannot read ${file}`, { cause: error });
  }
  const parsed = upStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new AppError(
      ErrorCode.config,
      `${file} is not a migrate up state (${parsed.error.issues[0]?.message})`,
      {
        hint: 'it records what `migrate up` created; if you edited it, restore it or remove the objects by hand (labels io.migrate.run)',
      },
    );
  return parsed.data;
}

/** Written atomically and readable only by its owner: it holds the gateway's admin token. */
export async function writeUpState(runDir: string, state: UpState): Promise<void> {
  const file = join(runDir, UP_STATE_FILE);
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
  await chmod(file, 0o600);
}

export async function removeUpState(runDir: string): Promise<void> {
  await rm(join(runDir, UP_STATE_FILE), { force: true });
}
