/** Loads web-tree-sitter and the bundled Java grammar once per process (or worker). */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

let parserPromise: Promise<Parser> | undefined;

async function createJavaParser(): Promise<Parser> {
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-java/tree-sitter-java.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The shared Java parser; parsing is synchronous once it is loaded. */
export function getJavaParser(): Promise<Parser> {
  parserPromise ??= createJavaParser();
  return parserPromise;
}
