import { isAlias, isCollection, visit, type Document, type Node } from 'yaml';

/**
 * The offset of the first map key that is a collection (`[a, b]: x`, `{a: 1}: x`, or an alias to one), if any.
 * No config or manifest uses one, and turning one into a JS key makes `yaml` stringify it, which costs time
 * that grows steeply with its nesting (a key nested 1,500 deep took minutes): such a document is refused.
 */
export function findCollectionKey(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      const target = isAlias(key) ? key.resolve(doc) : key;
      if (isCollection(target)) {
        found = key?.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
