// The splitter against the machine's real NATS: each message of the subject reaches exactly one side, in the
// share the weight sets, and a second splitter of the same run never forwards a message again.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeightedChoice, startMessageSplitter, type MessageSplitter } from '../../../bridge/index.ts';

const NATS = 'nats://127.0.0.1:4222';
const run = `split-test-${process.pid}-${Date.now()}`;

describe('weighted choice', () => {
  it('sends exactly the weight in percent of 100 messages to wasm, for every weight', () => {
    for (let weight = 0; weight <= 100; weight += 5) {
      const choose = createWeightedChoice();
      const wasm = Array.from({ length: 100 }, () => choose(weight)).filter((s) => s === 'wasm').length;
      expect({ weight, wasm }).toEqual({ weight, wasm: weight });
    }
  });
});

describe('message splitter on NATS', () => {
  let nc: NatsConnection;
  const splitters: MessageSplitter[] = [];
  let weight = 0;
  const received = { container: [] as string[], wasm: [] as string[] };
  const config = {
    nats: NATS,
    queue: `q-${run}`,
    splits: [{ route: 'notification', subject: `${run}.orders`, container: `${run}.c`, wasm: `${run}.w` }],
  };

  beforeAll(async () => {
    nc = await connect({ servers: NATS });
    for (const side of ['container', 'wasm'] as const) {
      const sub = nc.subscribe(side === 'container' ? `${run}.c` : `${run}.w`);
      void (async () => {
        for await (const msg of sub) received[side].push(new TextDecoder().decode(msg.data));
      })();
    }
    await nc.flush();
    // two splitters of one run (a restarted one overlapping the old): the queue group keeps it once
    for (let i = 0; i < 2; i += 1) splitters.push(await startMessageSplitter(config, () => weight));
  });

  afterAll(async () => {
    for (const splitter of splitters) await splitter.close();
    await nc?.drain();
  });

  async function publishAndWait(prefix: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1)
      nc.publish(`${run}.orders`, new TextEncoder().encode(`${prefix}-${i}`));
    await nc.flush();
    const deadline = Date.now() + 20_000;
    const seen = (): number =>
      [...received.container, ...received.wasm].filter((m) => m.startsWith(`${prefix}-`)).length;
    while (seen() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // a duplicate would arrive right after: give it the chance to show
    await new Promise((r) => setTimeout(r, 300));
  }

  const sides = (prefix: string) => ({
    container: received.container.filter((m) => m.startsWith(`${prefix}-`)),
    wasm: received.wasm.filter((m) => m.startsWith(`${prefix}-`)),
  });

  it('sends every message to the container at weight 0, once', async () => {
    weight = 0;
    await publishAndWait('w0', 40);
    expect(sides('w0').container.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `w0-${i}`).sort());
    expect(sides('w0').wasm).toEqual([]);
  });

  it('sends every message to the component at weight 100, once', async () => {
    weight = 100;
    await publishAndWait('w100', 40);
    expect(sides('w100').wasm.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `w100-${i}`).sort());
    expect(sides('w100').container).toEqual([]);
  });

  it('splits by the weight in between, each message to exactly one side', async () => {
    weight = 30;
    await publishAndWait('w30', 100);
    const { container, wasm } = sides('w30');
    expect(container.length + wasm.length).toBe(100);
    expect(new Set([...container, ...wasm]).size).toBe(100);
    // two splitters share the queue group: each forwards its share at 30% (±1 each)
    expect(wasm.length).toBeGreaterThanOrEqual(28);
    expect(wasm.length).toBeLessThanOrEqual(32);
  });
});
