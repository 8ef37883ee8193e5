import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTransforms } from '../../../codemods/transforms/run.ts';
import { createMemoryProject, FACADE_PATH } from './harness.ts';

const runtime = (name: string): string =>
  readFileSync(new URL(`../../../codemods/port/java/runtime/${name}.ts`, import.meta.url), 'utf8');

const PUBLISHER = `import { Nats } from '../runtime/nats.ts';
const connection = Nats.connect('nats://127.0.0.1:4222');
export function send(): void {
  connection.publish('orders.placed', 'x');
}
`;
const STREAM_PUBLISHER = `import { Headers, Nats } from '../runtime/nats.ts';
const connection = Nats.connect('nats://127.0.0.1:4222');
export async function store(): Promise<string[]> {
  await connection.jetStream().publish('orders.placed', new Headers().add('Nats-Msg-Id', '1'), 'x');
  return connection.jetStreamManagement().getStreamNames('orders.placed');
}
`;
const LISTENER = `import { Nats, type Message } from '../runtime/nats.ts';
export function listen(onMessage: (m: Message) => void): void {
  Nats.connect('nats://127.0.0.1:4222').createDispatcher(onMessage).subscribe('orders.*');
}
`;

/** Runs every transform over a project with the port's runtime modules and `files`; returns runtime/*.ts after. */
function run(files: Record<string, string>): { nats: string; logger: string; changed: string[] } {
  const project = createMemoryProject({
    'runtime/nats.ts': runtime('nats'),
    'runtime/logger.ts': runtime('logger'),
    ...files,
  });
  const result = runTransforms(project, { facadePath: FACADE_PATH, root: '/svc' });
  const text = (path: string): string => project.getSourceFileOrThrow(`/svc/src/${path}`).getFullText();
  return {
    nats: text('runtime/nats.ts'),
    logger: text('runtime/logger.ts'),
    changed: result.files.filter((f) => f.before !== f.after).map((f) => f.path),
  };
}

describe('runtime shims: the port runtime modules replaced by caps-backed ones', () => {
  it('replaces runtime/nats.ts, keeping publish and dropping the dispatcher nothing uses', () => {
    const { nats, changed } = run({ 'event/publisher.ts': PUBLISHER });
    expect(nats.startsWith("import { caps } from '../caps/capabilities.ts';\n")).toBe(true);
    expect(nats).toContain('// @migrate-runtime nats-caps');
    expect(nats).toContain('caps.messaging.publish(subject, data);');
    expect(nats).not.toContain('class Dispatcher');
    expect(nats).not.toContain('caps.messaging.subscribe(subject');
    expect(nats).not.toContain("from 'nats'");
    expect(changed).toEqual(['src/runtime/logger.ts', 'src/runtime/nats.ts']);
  });

  it('keeps the dispatcher (caps.messaging.subscribe) and drops publish for a listener', () => {
    const { nats } = run({ 'listener/listener.ts': LISTENER });
    expect(nats).toContain('caps.messaging.subscribe(subject, (m) =>');
    expect(nats).toContain('export class Dispatcher');
    expect(nats).not.toContain('caps.messaging.publish(subject');
  });

  it('maps a JetStream publish onto the capability publish (the host waits for the stream), and drops it for a listener', () => {
    const { nats } = run({ 'event/publisher.ts': STREAM_PUBLISHER });
    expect(nats).toContain('export class JetStream {');
    expect(nats).toContain(
      'caps.messaging.publish(subject, headers instanceof Headers ? (body ?? new Uint8Array()) : headers);',
    );
    expect(nats).toContain(
      'getStreamNames(_subject?: string): Promise<string[]> {\n    return Promise.resolve([]);',
    );
    expect(nats).not.toContain('nc.jetstream()');
    expect(run({ 'listener/listener.ts': LISTENER }).nats).not.toContain('class JetStream {');
  });

  it('routes the logger through caps.log', () => {
    const { logger } = run({});
    expect(logger).toContain('caps.log.log(level, name, format(message, args));');
    expect(logger).not.toContain('process.');
  });

  it('no change when already migrated', () => {
    const first = run({ 'event/publisher.ts': PUBLISHER, 'listener/listener.ts': LISTENER });
    const project = createMemoryProject({
      'runtime/nats.ts': first.nats,
      'runtime/logger.ts': first.logger,
      'event/publisher.ts': PUBLISHER,
      'listener/listener.ts': LISTENER,
      'caps/capabilities.ts': 'export const caps = {} as never;\n',
    });
    const result = runTransforms(project, {
      facadePath: FACADE_PATH,
      root: '/svc',
      exclude: ['/svc/src/caps/'],
    });
    expect(result.files.filter((f) => f.before !== f.after)).toEqual([]);
  });

  it('leaves a hand-written nats module to the messaging transform', () => {
    const { changed } = run({
      'runtime/bus.ts': `// a bus\nimport { connect } from 'nats';\nconst nc = await connect();\nnc.publish('a', 'b');\n`,
    });
    expect(changed).toContain('src/runtime/bus.ts');
  });
});
