import type { Node } from 'web-tree-sitter';

/** A piece of Java the port could not translate; it stays in the output as a TODO comment. */
export interface PortTodo {
  /** Java file, relative to the service root. */
  file: string;
  line: number;
  /** Class and method it belongs to, e.g. `OrderService.placeOrder`. */
  member: string;
  why: string;
  java: string;
}

/** Thrown by a translator for a construct it does not support; caught at statement or member level. */
export class Untranslatable extends Error {
  readonly node: Node | undefined;

  constructor(why: string, node?: Node) {
    super(why);
    this.name = 'Untranslatable';
    this.node = node;
  }
}

/**
 * Lines as JavaScript sees them: a `//` comment also ends at \r, U+2028 and U+2029, so Java text put in a line
 * comment is split on all of them (else the rest of a line would become code).
 */
export function splitJsLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\u2028\u2029]/);
}

/** The Java text as line comments, so a reader sees the original beside the TODO. */
export function commentJava(java: string): string {
  const lines = splitJsLines(java);
  const indent = Math.min(
    ...lines
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => /^\s*/.exec(l)?.[0].length ?? 0),
  );
  return lines
    .map((l, i) => `// ${i === 0 || !Number.isFinite(indent) ? l.trimStart() : l.slice(indent)}`.trimEnd())
    .join('\n');
}

/** The TODO comment plus a statement that fails loudly if the untranslated code is reached. */
export function renderTodo(why: string, java: string, where: string): string {
  return `// TODO(migrate): ${why}\n${commentJava(java)}\nthrow new Error(${JSON.stringify(`TODO(migrate): ${why} (${where})`)});`;
}
