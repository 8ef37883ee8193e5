// The order vitest starts the test files in: the few files that take minutes go first, so that the run does not
// end with one worker alone on a long file while the other sits idle. Vitest's own order puts the longest first
// only when its timing cache knows the files; a fresh clone has none, and then it goes by file size.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Repository-relative files, longest first. From the test command's "slowest files" line; a file missing here
 * only starts later.
 */
export const LONGEST_FILES: readonly string[] = [
  'test/deploy/local/up-docker.test.ts',
  'test/codemods/build/runtime-link.test.ts',
  'test/cli/install.test.ts',
  'test/bridge/host/host.test.ts',
  'test/contract/spring.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const index = LONGEST_FILES.indexOf(relative(this.ctx.config.root, spec.moduleId));
      return index < 0 ? LONGEST_FILES.length : index;
    };
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
