// A small plain-HTTP service for the verify tests, imitating a Spring service: it writes a row to its own Postgres
// schema, publishes an event on its own NATS subject and answers JSON with a generated id and a timestamp.
// `change` makes one side differ in one place, as a faulty port would.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const NATS_URL = 'nats://127.0.0.1:4222';

/** Where the imitation differs from the reference behaviour. */
export type Change = 'none' | 'answer-field' | 'status' | 'row' | 'message';

export interface WidgetService {
  url: string;
  close(): Promise<void>;
}

export const WIDGET_SEED = `CREATE TABLE IF NOT EXISTS t_widget (
  id BIGSERIAL PRIMARY KEY, code VARCHAR(64) NOT NULL, name VARCHAR(255) NOT NULL, price NUMERIC(10, 2) NOT NULL);
CREATE TABLE IF NOT EXISTS t_kind (name VARCHAR(64) PRIMARY KEY);
INSERT INTO t_kind (name) VALUES ('gear'), ('bolt') ON CONFLICT DO NOTHING;
`;

/** The OpenAPI document of the imitation, as the analyzer would write it. */
export const WIDGET_OPENAPI = {
  openapi: '3.1.0',
  paths: {
    '/api/widget': {
      get: { operationId: 'list' },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetRequest' } } },
        },
      },
    },
  },
  components: {
    schemas: {
      WidgetRequest: {
        type: 'object',
        properties: { name: { type: 'string' }, price: { type: 'number' } },
        required: ['name', 'price'],
      },
    },
  },
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  db: pg.Pool,
  nats: NatsConnection,
  side: { schema: string; subject: string; change: Change },
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const error = (status: number, message: string): void =>
    send(res, status, { timestamp: new Date().toISOString(), status, error: message, path });
  if (path !== '/api/widget') return error(404, 'Not Found');
  const table = `"${side.schema}".t_widget`;
  if (req.method === 'GET') {
    const rows = await db.query<{ code: string; name: string; price: string }>(
      `SELECT code, name, price FROM ${table} ORDER BY id`,
    );
    return send(
      res,
      200,
      rows.rows.map((r) => ({ code: r.code, name: r.name, price: Number(r.price) })),
    );
  }
  if (req.method !== 'POST') return error(405, 'Method Not Allowed');
  if (!/json/.test(req.headers['content-type'] ?? '')) return error(415, 'Unsupported Media Type');
  let body: { name?: unknown; price?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch {
    return error(400, 'Bad Request');
  }
  if (typeof body.name !== 'string' || typeof body.price !== 'number') return error(400, 'Bad Request');
  const code = randomUUID();
  const name = side.change === 'row' ? body.name.toUpperCase() : body.name;
  await db.query(`INSERT INTO ${table} (code, name, price) VALUES ($1, $2, $3)`, [code, name, body.price]);
  const event = { code, name: body.name, ...(side.change === 'message' ? { source: 'component' } : {}) };
  nats.publish(side.subject, JSON.stringify(event));
  await nats.flush();
  const price = side.change === 'answer-field' ? body.price + 1 : body.price;
  send(res, side.change === 'status' ? 200 : 201, {
    code,
    name: body.name,
    price,
    createdAt: new Date().toISOString(),
  });
}

/** Starts the imitation on a free loopback port, on its own schema (made by verify's --seed) and subject. */
export async function startWidgetService(side: {
  schema: string;
  subject: string;
  change: Change;
}): Promise<WidgetService> {
  const db = new pg.Pool({ connectionString: PG_URL, max: 2 });
  const nats = await connect({ servers: NATS_URL });
  const server: Server = createServer((req, res) => {
    handle(req, res, db, nats, side).catch((e: unknown) => send(res, 500, { message: String(e) }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await db.end();
      await nats.close();
    },
  };
}
