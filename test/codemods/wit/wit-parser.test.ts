import { describe, expect, it } from 'vitest';
import { parseWitPackage, tokenizeWit } from '../../../codemods/wit/wit-parser.ts';
import { isAppError } from '../../../shared/errors.ts';

const STORE = `/// doc
package wasi:keyvalue@0.2.0-draft2;

interface store {
  use wasi:io/poll@0.2.6.{pollable};
  variant error { no-such-store, other(string) }
  @since(version = 0.2.0)
  open: func(identifier: string) -> result<bucket, error>;
  resource bucket {
    get: func(key: string) -> result<option<list<u8>>, error>;
    new: static func(name: string) -> bucket;
    make: static async func() -> bucket;
    constructor(x: u32);
  }
  watch: async func() -> result<_, error>;
}

world imports {
  @unstable(feature = x)
  import store;
  import wasi:config/store@0.2.0-rc.1;
  include wasi:cli/imports@0.2.6;
  import extra: interface { ping: func(); }
  export wasi:http/incoming-handler@0.2.6;
}
`;

describe('parseWitPackage', () => {
  it('reads the package, each interface’s functions (component-model names), resources and uses', () => {
    const pkg = parseWitPackage([{ file: 'store.wit', text: STORE }]);
    expect([pkg.name, pkg.version]).toEqual(['wasi:keyvalue', '0.2.0-draft2']);
    expect(pkg.interfaces.get('store')).toEqual({
      funcs: [
        'open',
        '[method]bucket.get',
        '[static]bucket.new',
        '[async static]bucket.make',
        '[constructor]bucket',
        '[async]watch',
      ],
      resources: ['bucket'],
      uses: ['wasi:io/poll@0.2.6'],
    });
  });

  it('reads a world’s imports, includes and inline interfaces, gates dropped, exports left out', () => {
    const pkg = parseWitPackage([{ file: 'store.wit', text: STORE }]);
    expect(pkg.worlds.get('imports')).toEqual([
      { kind: 'import', path: 'store' },
      { kind: 'import', path: 'wasi:config/store@0.2.0-rc.1' },
      { kind: 'include', path: 'wasi:cli/imports@0.2.6' },
      { kind: 'import-inline', name: 'extra', iface: { funcs: ['ping'], resources: [], uses: [] } },
    ]);
  });

  it('keeps a dated prerelease version whole and drops the dot before a use list', () => {
    expect(tokenizeWit('use wasi:config/store@0.2.0-draft-2024-09-27.{error};').map((t) => t.text)).toEqual([
      'use',
      'wasi:config/store@0.2.0-draft-2024-09-27',
      '.',
      '{',
      'error',
      '}',
      ';',
    ]);
  });

  it('names the file and line of what it cannot read', () => {
    let caught: unknown;
    try {
      parseWitPackage([{ file: 'bad.wit', text: 'package a:b;\ninterface i {\n  ???\n}' }]);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.location).toMatchObject({ file: 'bad.wit', line: 3 });
  });
});
