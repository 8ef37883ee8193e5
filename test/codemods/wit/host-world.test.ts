// The runtimes' own host worlds, as copied under runtimes/: what each serves, after includes and uses.
import { describe, expect, it } from 'vitest';
import { loadRuntimeWorld } from '../../../codemods/build/link-check.ts';
import { getRuntime } from '../../../shared/runtimes.ts';

const names = (target: 'wasmcloud' | 'spin' | 'spin4'): string[] => [
  ...loadRuntimeWorld(getRuntime(target)).keys(),
];

describe('runtime host worlds', () => {
  it('wasmCloud 2 serves wasi:config/store@0.2.0-rc.1, not -draft, and the sync postgres and messaging', () => {
    const world = names('wasmcloud');
    expect(world.filter((name) => name.startsWith('wasi:config/'))).toEqual(['wasi:config/store@0.2.0-rc.1']);
    expect(world).toEqual(
      expect.arrayContaining([
        'wasmcloud:postgres/query@0.1.1-draft',
        'wasmcloud:messaging/consumer@0.2.0',
        'wasi:logging/logging@0.1.0-draft',
        'wasi:keyvalue/store@0.2.0-draft',
        'wasmcloud:secrets/store@2.1.0',
      ]),
    );
  });

  it('Spin 3.6.3 serves spin:postgres 3 and 4.0, its config draft and key-value draft2, and no wasi:logging', () => {
    const world = names('spin');
    expect(world).toEqual(
      expect.arrayContaining([
        'spin:postgres/postgres@3.0.0',
        'spin:postgres/postgres@4.0.0',
        'wasi:config/store@0.2.0-draft-2024-09-27',
        'wasi:keyvalue/store@0.2.0-draft2',
        'fermyon:spin/redis@2.0.0',
        // from `include wasi:cli/imports@0.2.6` and the interfaces it uses
        'wasi:cli/stdout@0.2.6',
        'wasi:io/streams@0.2.6',
      ]),
    );
    expect(world.some((name) => name.startsWith('wasi:logging/'))).toBe(false);
  });

  it('Spin 4.0.2 serves spin:postgres@4.2.0 with async functions next to the sync 3.0.0', () => {
    const world = loadRuntimeWorld(getRuntime('spin4'));
    expect(world.get('spin:postgres/postgres@4.2.0')?.funcs).toContain(
      '[async method]connection.query-async',
    );
    expect(world.get('spin:postgres/postgres@3.0.0')?.funcs).toEqual([
      '[static]connection.open',
      '[method]connection.query',
      '[method]connection.execute',
    ]);
  });
});
