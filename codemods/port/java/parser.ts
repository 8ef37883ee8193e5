/**
 * Loads the Java grammar for web-tree-sitter once per process. Kept apart so that it can be swapped for the
 * analyzer's parser loading when `analyzer/index.ts` exposes one.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { ErrorCode, wrapError } from '../../../shared/errors.ts';
import { createParseBudget } from '../../../shared/parse-budget.ts';

let parserPromise: Promise<Parser> | undefined;

async function createJavaParser(): Promise<Parser> {
  const require = createRequire(import.meta.url);
  try {
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-java/tree-sitter-java.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  } catch (error) {
    throw wrapError(ErrorCode.internal, 'cannot load the Java grammar', error, 'run npm install');
  }
}

/** Thrown when tree-sitter's error recovery ran past its work budget (see createParseBudget). */
export class ParseStopped extends Error {
  constructor() {
    super('the file is too irregular to parse');
    this.name = 'ParseStopped';
  }
}

/** Parses Java source text into a tree-sitter tree. */
export async function parseJava(text: string): Promise<Tree> {
  parserPromise ??= createJavaParser();
  const parser = await parserPromise;
  const tree = parser.parse(text, null, createParseBudget(text));
  if (tree === null) {
    parser.reset(); // else the next parse would resume this one
    throw new ParseStopped();
  }
  return tree;
}
