// The service `migrate build` tests compile (cli.test.ts); the test run's global setup (test/setup) builds it first
// into the CLI's build cache, so the test's own build is a cache hit and no test waits on componentize-js.

/** A codemodded service: logs through the facade; its hand-written guest exports `incomingHandler`. */
export const TINY = {
  'package.json': JSON.stringify({ name: '@acme/tiny-service', type: 'module' }),
  'src/app.ts': `import { caps } from './caps/capabilities.ts';

export function greet(name: string): string {
  caps.log.info('greeting', name);
  return \`hello \${name}\`;
}
`,
  'src/component.ts': `// @ts-expect-error: WIT import
import { log } from 'wasi:logging/logging@0.1.0-draft';
// @ts-expect-error: WIT import
import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from 'wasi:http/types@0.2.10';

const encoder = new TextEncoder();

export const incomingHandler = {
  handle(_request: unknown, out: unknown): void {
    log('info', 'tiny', 'request');
    const response = new OutgoingResponse(Fields.fromList([['content-type', encoder.encode('text/plain')]]));
    response.setStatusCode(200);
    const body = response.body();
    ResponseOutparam.set(out, { tag: 'ok', val: response });
    const stream = body.write();
    stream.blockingWriteAndFlush(encoder.encode('hello'));
    stream[Symbol.dispose]?.();
    OutgoingBody.finish(body, undefined);
  },
};
`,
};
