import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'jetstream');
const NATS_URL = 'nats://127.0.0.1:4222';
const run = `js${process.pid}${Date.now().toString(36)}`;

interface EventSender {
  streamOf(): Promise<string>;
  send(id: string, body: Uint8Array): Promise<string>;
  close(): Promise<void>;
}
type EventSenderClass = new (natsUrl: string, subject: string) => EventSender;

let ported: PortedService;
let dir: string;
let Sender: EventSenderClass;
let nc: NatsConnection;
let jsm: JetStreamManager;
const senders: EventSender[] = [];

const sender = (subject: string): EventSender => {
  const s = new Sender(NATS_URL, subject);
  senders.push(s);
  return s;
};

beforeAll(async () => {
  ported = await portJavaSources('fx', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-jetstream-'));
  await writeProject(dir, ported.files);
  ({ EventSender: Sender } = (await import(pathToFileURL(join(dir, 'src/com/ex/event-sender.ts')).href)) as {
    EventSender: EventSenderClass;
  });
  nc = await connect({ servers: NATS_URL });
  jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: `STORED_${run}`, subjects: [`${run}.stored`], storage: StorageType.Memory });
});

afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
  await jsm?.streams.delete(`STORED_${run}`).catch(() => undefined);
  await nc?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("jnats' JetStream publish in the port", () => {
  it('carries jetStream(), jetStreamManagement().getStreamNames, Headers, PublishAck and IOException without a TODO, and compiles', () => {
    const text = ported.files.get('src/com/ex/event-sender.ts') ?? '';
    expect(text).toContain("import { IOException } from '../../runtime/java.ts';");
    expect(text).toContain('await this.connection.jetStreamManagement().getStreamNames(this.subject)');
    expect(text).toContain('await this.jetStream.publish(this.subject, headers, body)');
    expect(text).toContain("new Headers().add('Nats-Msg-Id', id)");
    expect(text).toContain('if (error instanceof IOException)');
    expect(ported.report).toMatchObject({ methods_todo: 0, typecheck_errors: 0 });
    expect(typeCheck(dir)).toEqual([]);
  });

  it('finds the stream capturing a subject, and none for a subject no stream captures', async () => {
    expect(await sender(`${run}.stored`).streamOf()).toBe(`STORED_${run}`);
    expect(await sender(`${run}.loose`).streamOf()).toBe('');
  });

  it('answers with the stream acknowledgement, and a second send with the same Nats-Msg-Id is a duplicate', async () => {
    const s = sender(`${run}.stored`);
    const body = new TextEncoder().encode('{"orderNumber":"a"}');
    expect(await s.send('a', body)).toBe(`STORED_${run}#1`);
    expect(await s.send('a', body)).toBe(`STORED_${run}#1 duplicate`);
    const stored = await jsm.streams.getMessage(`STORED_${run}`, { seq: 1 });
    expect([stored.string(), stored.header.get('Nats-Msg-Id')]).toEqual(['{"orderNumber":"a"}', 'a']);
    expect((await jsm.streams.info(`STORED_${run}`)).state.messages).toBe(1);
  });

  it('throws an IOException, after sending again, when no stream answers', async () => {
    const failure = await sender(`${run}.loose`)
      .send('b', new Uint8Array([1]))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'IOException' });
  });
});
