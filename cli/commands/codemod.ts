import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadCodemodPlan, type CodemodPlan, type PlannedWrite } from '../../codemods/index.ts';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import type { CliCommand } from '../command.ts';

/**
 * Writes every file or none: all contents go to temp files next to their targets first, then each is renamed
 * over its target. A failure while writing removes the temp files and leaves the service untouched.
 */
async function writeAllOrNothing(root: string, writes: readonly PlannedWrite[]): Promise<void> {
  const staged: { tmp: string; target: string }[] = [];
  try {
    for (const write of writes) {
      const target = join(root, write.path);
      const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(tmp, write.content);
      staged.push({ tmp, target });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw wrapError(
      ErrorCode.io,
      `cannot write the transformed files under ${root}`,
      error,
      'check that the directory is writable; nothing was changed',
    );
  }
  for (const [index, { tmp, target }] of staged.entries()) {
    try {
      await rename(tmp, target);
    } catch (error) {
      await Promise.all(staged.slice(index).map((s) => rm(s.tmp, { force: true })));
      throw wrapError(
        ErrorCode.io,
        `cannot replace ${target}`,
        error,
        'check permissions, then run the codemod again (it is idempotent)',
      );
    }
  }
}

function formatText(plan: CodemodPlan, dryRun: boolean): string {
  const lines: string[] = [];
  for (const file of plan.result.files) {
    const counts = new Map<string, number>();
    for (const edit of file.edits) counts.set(edit.transform, (counts.get(edit.transform) ?? 0) + 1);
    const summary = [...counts].map(([kind, n]) => `${kind} ${n}`).join(', ');
    lines.push(`${file.path}: ${summary === '' ? 'no edits' : summary}`);
    for (const note of file.notes)
      lines.push(`  ${file.path}:${note.line} [${note.transform}] not rewritten: ${note.message}`);
  }
  for (const write of plan.facadeWrites) lines.push(`${write.path}: capability facade`);
  const verb = dryRun ? 'would write' : 'wrote';
  lines.push(plan.writes.length === 0 ? 'nothing to change' : `${verb} ${plan.writes.length} file(s)`);
  return lines.join('\n');
}

export const codemodCommand: CliCommand = {
  name: 'codemod <dir>',
  summary:
    'move side effects (sql incl. transactions, messaging, kv, Redis structures, http, config, clock, random, log) onto the typed capability facade',
  group: 'transform',
  examples: [
    'migrate codemod out/order-service --dry-run',
    'migrate codemod out/order-service',
    'migrate codemod services/api --dry-run --json',
  ],
  reports: true,
  configure(command) {
    command.option('--dry-run', 'print the unified diff and change nothing');
  },
  async run(context, args, options) {
    const dir = args[0];
    if (dir === undefined)
      throw new AppError(ErrorCode.usage, 'missing <dir>', { hint: 'migrate codemod <dir>' });
    const { output } = context;
    const dryRun = options.dryRun === true;
    output.progress('codemod: transforming');
    const plan = loadCodemodPlan(resolve(context.cwd, dir));
    output.progress(undefined);
    if (!dryRun) await writeAllOrNothing(plan.root, plan.writes);
    if (output.json) {
      await output.resultJson({
        schemaVersion: '1',
        dryRun,
        facadeDir: plan.facadeDir,
        files: plan.result.files.map((f) => ({ path: f.path, edits: f.edits, notes: f.notes })),
        written: dryRun ? [] : plan.writes.map((w) => w.path),
        ...(dryRun ? { diff: plan.diff } : {}),
      });
      return;
    }
    if (dryRun) {
      await output.result(plan.diff === '' ? 'nothing to change' : plan.diff);
      output.log(formatText(plan, true));
      return;
    }
    await output.result(formatText(plan, false));
  },
};
