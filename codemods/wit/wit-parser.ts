/**
 * Just enough of a WIT parser to know what a host world serves: per package, its interfaces (the functions and
 * resources each defines, the interfaces it `use`s) and its worlds (what they import and include). Types, records
 * and function signatures are skipped: Wasmtime's linker matches imports by name and version, and a host stub
 * needs only the names. Pure.
 */
import { AppError, ErrorCode } from '../../shared/errors.ts';

/** One interface of a package. */
export interface WitInterface {
  /** Component-model names of its functions: `get`, `[method]bucket.get`, `[static]connection.open`, `[constructor]c`. */
  funcs: string[];
  /** Resources it defines (not those it `use`s). */
  resources: string[];
  /** Interfaces it `use`s, as written (`types`, `wasi:io/poll@0.2.6`). */
  uses: string[];
}

/** One world item: an interface imported by path, an inline interface, or an included world. */
export type WitWorldItem =
  | { kind: 'import'; path: string }
  | { kind: 'import-inline'; name: string; iface: WitInterface }
  | { kind: 'include'; path: string }
  | { kind: 'use'; path: string };

export interface WitPackage {
  /** `wasi:config`. */
  name: string;
  /** `0.2.0-rc.1`; `''` for an unversioned package. */
  version: string;
  interfaces: Map<string, WitInterface>;
  worlds: Map<string, WitWorldItem[]>;
}

type Token = { text: string; line: number };

const IDENT = /[A-Za-z0-9_%-]/;
const KEYWORDS_AFTER_COLON = new Set(['func', 'static', 'async', 'interface']);

/** Splits WIT text into tokens: paths (`wasi:io/poll@0.2.6` is one token), identifiers and punctuation. */
export function tokenizeWit(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const peekIdent = (from: number): string => {
    let j = from;
    while (j < text.length && IDENT.test(text[j]!)) j += 1;
    return text.slice(from, j);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') line += 1;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      line += (text.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
    } else if (ch === '@' && /[A-Za-z]/.test(text[i + 1] ?? '')) {
      // A gate (`@since(…)`, `@unstable(…)`, `@deprecated(…)`): kept items are served, so the gate is dropped.
      i += 1 + peekIdent(i + 1).length;
      if (text[i] === '(') {
        const end = text.indexOf(')', i);
        i = end === -1 ? text.length : end + 1;
      }
    } else if (text.startsWith('->', i)) {
      tokens.push({ text: '->', line });
      i += 2;
    } else if (IDENT.test(ch)) {
      let word = peekIdent(i);
      let j = i + word.length;
      // `ns:pkg/iface` is one token; `name: func` (a colon before a keyword, usually spaced) is not.
      while (
        (text[j] === ':' || text[j] === '/') &&
        /[A-Za-z%]/.test(text[j + 1] ?? '') &&
        !(text[j] === ':' && KEYWORDS_AFTER_COLON.has(peekIdent(j + 1)))
      ) {
        const next = peekIdent(j + 1);
        word += text[j]! + next;
        j += 1 + next.length;
      }
      if (text[j] === '@' && /[0-9]/.test(text[j + 1] ?? '')) {
        let k = j + 1;
        while (k < text.length && /[0-9A-Za-z.+-]/.test(text[k]!)) k += 1;
        while (text[k - 1] === '.') k -= 1; // `…@0.2.6.{pollable}`: the dot before `{` is not the version's
        word += text.slice(j, k);
        j = k;
      }
      tokens.push({ text: word, line });
      i = j;
    } else {
      tokens.push({ text: ch, line });
      i += 1;
    }
  }
  return tokens;
}

class Cursor {
  private index = 0;
  private readonly tokens: Token[];
  private readonly file: string;
  constructor(tokens: Token[], file: string) {
    this.tokens = tokens;
    this.file = file;
  }
  get done(): boolean {
    return this.index >= this.tokens.length;
  }
  peek(offset = 0): string | undefined {
    return this.tokens[this.index + offset]?.text;
  }
  next(): string {
    const token = this.tokens[this.index];
    if (token === undefined) throw this.error('unexpected end of file');
    this.index += 1;
    return token.text;
  }
  expect(text: string): void {
    const got = this.next();
    if (got !== text) throw this.error(`expected \`${text}\`, found \`${got}\``, -1);
  }
  error(message: string, offset = 0): AppError {
    const line = this.tokens[Math.max(0, this.index + offset)]?.line ?? this.tokens.at(-1)?.line ?? 1;
    return new AppError(ErrorCode.input, `cannot read WIT: ${message}`, {
      location: { file: this.file, line },
      hint: 'the runtime WIT files must be valid WIT as the runtime ships them',
    });
  }
  /** Skips to the end of the current item: past the next `;` at depth 0, or past a `{…}` block. */
  skipItem(): void {
    let depth = 0;
    while (!this.done) {
      const text = this.next();
      if (text === '(' || text === '<') depth += 1;
      else if (text === ')' || text === '>') depth -= 1;
      else if (text === '{' && depth === 0) {
        this.skipBlock();
        if (this.peek() === ';') this.next();
        return;
      } else if (text === ';' && depth <= 0) return;
    }
  }
  /** After a `{`: skips to its matching `}`. */
  skipBlock(): void {
    let depth = 1;
    while (depth > 0) {
      const text = this.next();
      if (text === '{') depth += 1;
      else if (text === '}') depth -= 1;
    }
  }
}

function parseInterfaceBody(cursor: Cursor): WitInterface {
  const iface: WitInterface = { funcs: [], resources: [], uses: [] };
  cursor.expect('{');
  while (cursor.peek() !== '}') {
    const head = cursor.next();
    if (head === 'use') {
      iface.uses.push(cursor.next());
      cursor.skipItem();
    } else if (head === 'resource') {
      const name = cursor.next();
      iface.resources.push(name);
      if (cursor.peek() === '{') {
        cursor.next();
        while (cursor.peek() !== '}') parseResourceItem(cursor, name, iface);
        cursor.next();
      }
      if (cursor.peek() === ';') cursor.next();
    } else if (['type', 'record', 'variant', 'enum', 'flags'].includes(head)) {
      cursor.skipItem();
    } else if (cursor.peek() === ':') {
      cursor.next();
      iface.funcs.push(cursor.peek() === 'async' ? `[async]${head}` : head);
      cursor.skipItem();
    } else {
      throw cursor.error(`unexpected \`${head}\` in an interface`, -1);
    }
  }
  cursor.next();
  return iface;
}

function parseResourceItem(cursor: Cursor, resource: string, iface: WitInterface): void {
  const head = cursor.next();
  if (head === 'constructor') {
    iface.funcs.push(`[constructor]${resource}`);
  } else {
    cursor.expect(':');
    const modifiers = new Set([cursor.peek(), cursor.peek(1)]);
    const kind = modifiers.has('static') ? 'static' : 'method';
    iface.funcs.push(`[${modifiers.has('async') ? `async ${kind}` : kind}]${resource}.${head}`);
  }
  cursor.skipItem();
}

function parseWorldBody(cursor: Cursor): WitWorldItem[] {
  const items: WitWorldItem[] = [];
  cursor.expect('{');
  while (cursor.peek() !== '}') {
    const head = cursor.next();
    if (head === 'import' || head === 'export') {
      const path = cursor.next();
      if (cursor.peek() === ':') {
        cursor.next();
        if (cursor.peek() === 'interface') {
          cursor.next();
          const iface = parseInterfaceBody(cursor);
          if (head === 'import') items.push({ kind: 'import-inline', name: path, iface });
        } else {
          cursor.skipItem(); // a bare function import/export: none of the runtimes has one
        }
      } else {
        if (head === 'import') items.push({ kind: 'import', path });
        cursor.skipItem();
      }
    } else if (head === 'include') {
      items.push({ kind: 'include', path: cursor.next() });
      cursor.skipItem();
    } else if (head === 'use') {
      items.push({ kind: 'use', path: cursor.next() });
      cursor.skipItem();
    } else {
      cursor.skipItem();
    }
  }
  cursor.next();
  return items;
}

/**
 * Parses the `.wit` files of one package (a folder's files, or one file) into its interfaces and worlds. `file`
 * names the source in errors.
 */
export function parseWitPackage(files: readonly { file: string; text: string }[]): WitPackage {
  const pkg: WitPackage = { name: '', version: '', interfaces: new Map(), worlds: new Map() };
  for (const { file, text } of files) {
    const cursor = new Cursor(tokenizeWit(text), file);
    while (!cursor.done) {
      const head = cursor.next();
      if (head === 'package') {
        const id = cursor.next();
        const at = id.indexOf('@');
        pkg.name = at === -1 ? id : id.slice(0, at);
        pkg.version = at === -1 ? '' : id.slice(at + 1);
        cursor.expect(';');
      } else if (head === 'interface') {
        const name = cursor.next();
        pkg.interfaces.set(name, parseInterfaceBody(cursor));
      } else if (head === 'world') {
        const name = cursor.next();
        pkg.worlds.set(name, parseWorldBody(cursor));
      } else if (head === 'use') {
        cursor.skipItem();
      } else {
        throw cursor.error(`unexpected \`${head}\` at the top level`, -1);
      }
    }
  }
  if (pkg.name === '') {
    throw new AppError(
      ErrorCode.input,
      `cannot read WIT: no \`package\` line in ${files[0]?.file ?? 'WIT'}`,
      {
        hint: 'every WIT package names itself with `package ns:name@version;`',
      },
    );
  }
  return pkg;
}
