// The guest fixtures the host tests load (fixtures/<name>.ts), as data: the test run's global setup builds each
// one once (test/setup), and the tests only load the .wasm it wrote.
import { fileURLToPath } from 'node:url';
import { HTTP_INCOMING_HANDLER, MESSAGING_HANDLER } from '../../../codemods/wit/world.ts';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface FixtureSpec {
  imports: string[];
  exports?: string[];
  /** Extra WIT package folders (relative to fixtures/) copied into deps/. */
  extraWit?: string[];
  backend?: 'starlingmonkey' | 'qjs';
}

/** The fixtures every host test loads (host.test.ts serves them all in one host). */
export const FIXTURE_SPECS: Record<string, FixtureSpec> = {
  hello: { imports: [] },
  sql: { imports: ['wasmcloud:postgres/query@0.1.1-draft', 'wasi:config/store@0.2.0-rc.1'] },
  kv: { imports: ['wasi:keyvalue/store@0.2.0-draft', 'wasi:keyvalue/atomics@0.2.0-draft'] },
  'kv-cas': { imports: ['wasi:keyvalue/store@0.2.0-draft2', 'wasi:keyvalue/atomics@0.2.0-draft2'] },
  messaging: {
    imports: ['wasmcloud:messaging/consumer@0.2.0'],
    exports: [HTTP_INCOMING_HANDLER, MESSAGING_HANDLER],
  },
  'http-out': { imports: ['wasi:http/outgoing-handler@0.2.10'] },
  env: {
    imports: [
      'wasi:config/store@0.2.0-rc.1',
      'wasi:logging/logging@0.1.0-draft',
      'wasi:clocks/wall-clock@0.2.10',
      'wasi:random/random@0.2.10',
    ],
  },
  faulty: { imports: [] },
  unknown: { imports: ['acme:unknown/thing@1.0.0'], extraWit: ['wit-unknown'] },
};

/** Every fixture the suite builds: the host's own, plus those one test file loads alone. */
export const ALL_FIXTURE_SPECS: Record<string, FixtureSpec> = {
  ...FIXTURE_SPECS,
  // sql-transactions.test.ts: caps.sql.transaction through wasmcloud:postgres/query.
  'sql-tx': { imports: ['wasmcloud:postgres/query@0.1.1-draft', 'wasi:config/store@0.2.0-rc.1'] },
};
