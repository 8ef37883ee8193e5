/**
 * The state file on disk: NDJSON records, each appended with one write and fsync'd before the rollout acts on
 * it. Reading tolerates exactly one kind of damage, a torn last line from a crash mid-append: it is cut off
 * (it was never a decision), and the rollout resumes from the last complete record.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError, ErrorCode, wrapError } from '../shared/errors.ts';
import { RolloutRecordSchema, type RolloutRecord } from './records.ts';

export interface StateFileContents {
  records: RolloutRecord[];
  /** The torn last line that was cut off, if any. */
  repairedTail?: string;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends one record and fsyncs it (and the directory, when the file is new) before returning. */
export async function appendRecord(path: string, record: RolloutRecord): Promise<void> {
  const line = `${JSON.stringify(RolloutRecordSchema.parse(record))}\n`;
  try {
    const existed = await stat(path).then(
      (s) => {
        if (!s.isFile())
          throw new AppError(ErrorCode.io, `${path} is not a regular file`, {
            hint: 'give the rollout state another path',
          });
        return true;
      },
      () => false,
    );
    const handle = await open(path, 'a');
    try {
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!existed) await syncDirectory(dirname(path));
  } catch (error) {
    throw wrapError(
      ErrorCode.io,
      `cannot append to the rollout state ${path}`,
      error,
      'check that the directory is writable',
    );
  }
}

/** Reads the records; a missing file is an empty rollout. A torn last line is cut off the file. */
export async function readStateFile(path: string): Promise<StateFileContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
    throw wrapError(ErrorCode.io, `cannot read the rollout state ${path}`, error);
  }
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const records: RolloutRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    records.push(parseLine(line, path, i + 1));
  });
  if (tail === '') return { records };
  // A last line without its newline: the append was interrupted. Cut it off so the next append starts clean.
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(Buffer.byteLength(text) - Buffer.byteLength(tail));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { records, repairedTail: tail };
}

function parseLine(line: string, file: string, lineNumber: number): RolloutRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    json = undefined;
  }
  const result = RolloutRecordSchema.safeParse(json);
  if (result.success) return result.data;
  throw new AppError(
    ErrorCode.config,
    `invalid record in the rollout state: ${json === undefined ? 'not JSON' : (result.error.issues[0]?.message ?? 'bad record')}`,
    {
      location: { file, line: lineNumber, column: 1, excerpt: line.slice(0, 200) },
      hint: 'the state file is written by migrate rollout only; restore it from a copy, or remove the line to replay that decision',
    },
  );
}
