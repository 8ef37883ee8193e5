// Reads vitest's JSON report (scripts/test.sh writes it) and fails when a test was skipped, left todo, or nothing
// ran: a test that did not run proves nothing, and a skip hides a failed hook (vitest skips the tests of a suite
// whose beforeAll failed). Prints one summary line on stderr.
//   node scripts/check-test-report.ts <report.json>
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Report {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: node scripts/check-test-report.ts <vitest json report>');
  process.exit(2);
}
let report: Report;
try {
  report = JSON.parse(readFileSync(file, 'utf8')) as Report;
} catch (error) {
  console.error(`cannot read the vitest report ${file}: ${(error as Error).message}`);
  process.exit(1);
}
const notRun = report.testResults.flatMap((result) =>
  result.assertionResults
    .filter((test) => test.status !== 'passed' && test.status !== 'failed')
    .map((test) => `  ${test.status}: ${result.name} > ${test.fullName}`),
);
console.error(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
    `${report.numPendingTests} skipped, ${report.numTodoTests} todo (of ${report.numTotalTests})`,
);
// The slowest files, so a run that got slower shows where (the suite's time is bounded by its few longest files).
const slowest = [...report.testResults]
  .sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime))
  .slice(0, 8)
  .map(
    (result) =>
      `${((result.endTime - result.startTime) / 1000).toFixed(0)} s ${relative(process.cwd(), result.name)}`,
  );
console.error(`slowest files: ${slowest.join(', ')}`);
if (report.numTotalTests === 0) {
  console.error('no test ran');
  process.exitCode = 1;
} else if (report.numPendingTests + report.numTodoTests > 0 || notRun.length > 0) {
  console.error(`every test must run; these did not:\n${notRun.join('\n')}`);
  process.exitCode = 1;
}
