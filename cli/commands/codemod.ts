import { join, resolve } from 'node:path';
import { loadCodemodPlan, type CodemodPlan } from '../../codemods/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { writeFilesAtomic } from '../../shared/fs.ts';
import type { CliCommand } from '../command.ts';

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
  const notes = plan.result.files.reduce((n, f) => n + f.notes.length, 0);
  // A service whose effects are all left for hand work has something to change, even with nothing written.
  const left = notes === 0 ? '' : `; ${notes} place(s) not rewritten, listed above`;
  lines.push(
    plan.writes.length === 0 && notes === 0
      ? 'nothing to change'
      : `${verb} ${plan.writes.length} file(s)${left}`,
  );
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
    // every file or none; a symlinked source file keeps its link (the file it points at is rewritten)
    if (!dryRun)
      await writeFilesAtomic(
        plan.writes.map((w) => ({ path: join(plan.root, w.path), content: w.content })),
        `check that ${plan.root} is writable; nothing was changed`,
      );
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
