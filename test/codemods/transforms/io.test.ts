import { describe, expect, it } from 'vitest';
import { httpOutTransform } from '../../../codemods/transforms/http-out.ts';
import { kvTransform } from '../../../codemods/transforms/kv.ts';
import { messagingTransform } from '../../../codemods/transforms/messaging.ts';
import type { Transform } from '../../../codemods/transforms/transform.ts';
import { checkCase, transformText, type Case } from './harness.ts';

const table: [string, Transform, Case[]][] = [
  [
    'http-out',
    httpOutTransform,
    [
      {
        name: 'rewrites the global fetch and undici fetch',
        input: `import { fetch as undiciFetch } from 'undici';
export async function stock(sku: string) {
  const res = await fetch(\`http://inventory/api/inventory?skuCode=\${sku}\`, { method: 'GET' });
  await undiciFetch('http://audit/');
  return res.json();
}
`,
        expected: `import { caps } from './caps/capabilities.ts';

export async function stock(sku: string) {
  const res = await caps.http.fetch(\`http://inventory/api/inventory?skuCode=\${sku}\`, { method: 'GET' });
  await caps.http.fetch('http://audit/');
  return res.json();
}
`,
      },
      {
        name: 'no change when already migrated',
        input: `import { caps } from './caps/capabilities.ts';
export const get = () => caps.http.fetch('http://x/');
`,
        expected: `import { caps } from './caps/capabilities.ts';
export const get = () => caps.http.fetch('http://x/');
`,
      },
    ],
  ],
  [
    'kv',
    kvTransform,
    [
      {
        name: 'rewrites get, set, del and exists on an ioredis client',
        input: `import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost');

export async function cache(key: string, value: string) {
  if (await redis.exists(key)) return redis.get(key);
  await redis.set(key, value);
  await redis.del(\`stale:\${key}\`);
  return value;
}
`,
        expected: `import { caps } from './caps/capabilities.ts';

export async function cache(key: string, value: string) {
  if (await caps.kv.exists(key)) return caps.kv.get(key);
  await caps.kv.set(key, value);
  await caps.kv.delete(\`stale:\${key}\`);
  return value;
}
`,
      },
      {
        name: 'no change when already migrated',
        input: `import { caps } from './caps/capabilities.ts';
export const read = (k: string) => caps.kv.get(k);
`,
        expected: `import { caps } from './caps/capabilities.ts';
export const read = (k: string) => caps.kv.get(k);
`,
      },
    ],
  ],
  [
    'messaging',
    messagingTransform,
    [
      {
        name: 'rewrites publish and a for-await subscription, and takes JSONCodec from the facade',
        input: `import { connect, JSONCodec } from 'nats';

const nc = await connect({ servers: process.env.NATS_URL });
const jc = JSONCodec<{ orderNumber: string }>();

export function placed(orderNumber: string) {
  nc.publish('order-placed', jc.encode({ orderNumber }));
}

export async function listen() {
  const sub = nc.subscribe('order-placed');
  for await (const m of sub) {
    // one notification per order
    console.log(jc.decode(m.data).orderNumber);
  }
}
`,
        expected: `import { caps, JSONCodec } from './caps/capabilities.ts';
const jc = JSONCodec<{ orderNumber: string }>();

export function placed(orderNumber: string) {
  caps.messaging.publish('order-placed', jc.encode({ orderNumber }));
}

export async function listen() {
  caps.messaging.subscribe('order-placed', (m) => {
    // one notification per order
    console.log(jc.decode(m.data).orderNumber);
  });
}
`,
      },
      {
        name: 'rewrites a subscription with a callback, declaring the error it reads',
        input: `import { connect } from 'nats';

const nc = await connect();

export function listen(seen: string[]) {
  nc.subscribe('order-placed', {
    callback: (error, message) => {
      if (error) return;
      seen.push(message.subject);
    },
  });
}
`,
        expected: `import { caps } from './caps/capabilities.ts';

export function listen(seen: string[]) {
  caps.messaging.subscribe('order-placed', (message) => {
    const error = null;
    if (error) return;
    seen.push(message.subject);
  });
}
`,
      },
      {
        name: 'no change when already migrated',
        input: `import { caps } from './caps/capabilities.ts';
caps.messaging.publish('x', 'y');
`,
        expected: `import { caps } from './caps/capabilities.ts';
caps.messaging.publish('x', 'y');
`,
      },
    ],
  ],
];

describe.each(table)('%s transform', (_name, transform, cases) => {
  it.each(cases)('$name', (c) => {
    const { first, second } = checkCase(c, [transform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });
});

describe('notes instead of rewrites', () => {
  it('keeps a subscription loop that breaks out, and a Redis set with a TTL', () => {
    const input = `import { connect } from 'nats';
import { Redis } from 'ioredis';
const nc = await connect();
const redis = new Redis();
for await (const m of nc.subscribe('x')) {
  if (m.data.length === 0) break;
}
await redis.set('k', 'v', 'EX', 60);
`;
    const { output, result } = transformText(input, [messagingTransform, kvTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes.map((n) => [n.transform, n.line])).toEqual([
      ['messaging', 5],
      ['kv', 8],
    ]);
  });
});
