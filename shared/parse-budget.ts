/**
 * Parse options that stop tree-sitter when its error recovery runs away: on well-formed Java the progress
 * callback fires about 7 times per KB, on deeply nested garbage thousands of times (seconds per KB). The bound
 * counts work, not time, so the outcome is the same on a busy machine. `parse` returns null when it stops.
 */
export function createParseBudget(text: string): { progressCallback: () => boolean } {
  const limit = 10_000 + 200 * Math.ceil(text.length / 1024);
  let calls = 0;
  return { progressCallback: () => ++calls > limit };
}
