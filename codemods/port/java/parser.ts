/**
 * Loads the Java grammar for web-tree-sitter once per process. Kept apart so that it can be swapped for the
 * analyzer's parser loading when `analyzer/index.ts` exposes one.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { ErrorCode, wrapError } from '../../../shared/errors.ts';

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

/** Parses Java source text into a tree-sitter tree. */
export async function parseJava(text: string): Promise<Tree> {
  parserPromise ??= createJavaParser();
  const parser = await parserPromise;
  const tree = parser.parse(text);
  if (tree === null) throw wrapError(ErrorCode.internal, 'tree-sitter returned no tree', undefined);
  return tree;
}
