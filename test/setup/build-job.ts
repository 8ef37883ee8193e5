// One component build job in its own process: `node test/setup/build-job.ts <job json> <run dir> <cache dir>
// <result file>`. componentize-js blocks its process while it runs wizer, so two builds at once need two
// processes. The result (JSON) goes to the result file; a failure to stderr and exit code 1.
import { writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { runComponentJob, type ComponentJob } from './component-jobs.ts';

const [jobJson, runDir, cacheDir, resultFile] = process.argv.slice(2);
if (jobJson === undefined || runDir === undefined || cacheDir === undefined || resultFile === undefined) {
  process.stderr.write('usage: build-job.ts <job json> <run dir> <cache dir> <result file>\n');
  process.exit(2);
}
try {
  const result = await runComponentJob(JSON.parse(jobJson) as ComponentJob, runDir, cacheDir);
  await writeFile(resultFile, result === undefined ? '' : JSON.stringify(result));
} catch (error) {
  process.stderr.write(`${inspect(error, { depth: 4 })}\n`);
  process.exitCode = 1;
}
