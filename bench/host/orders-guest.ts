/* eslint-disable @typescript-eslint/no-unsafe-call -- WIT imports are untyped until componentize-js runs */
// The benchmark's orders handler as a component: wasmcloud:postgres + wasmcloud:messaging + wasi:config.
// @ts-expect-error: WIT import
import { query } from 'wasmcloud:postgres/query@0.1.1-draft';
// @ts-expect-error: WIT import
import { publish } from 'wasmcloud:messaging/consumer@0.2.0';
// @ts-expect-error: WIT import
import { get } from 'wasi:config/store@0.2.0-rc.1';
import {
  readRequest,
  respond,
  text,
  type WitIncomingRequest,
  type WitResponseOutparam,
} from '../../codemods/facade/component-http.ts';
import { handleOrder, type OrdersPorts } from './orders-logic.ts';

const encoder = new TextEncoder();

const ports: OrdersPorts = {
  query(sql, params) {
    const rows = query(
      sql,
      params.map((p) => (typeof p === 'number' ? { tag: 'int4', val: p } : { tag: 'text', val: p })),
    ) as { columnName: string; value: { tag: string; val: unknown } }[][];
    return rows.map((row) =>
      Object.fromEntries(
        row.map((e) => [e.columnName, typeof e.value.val === 'bigint' ? Number(e.value.val) : e.value.val]),
      ),
    );
  },
  publish(subject, body) {
    publish({ subject, body: encoder.encode(body), replyTo: undefined });
  },
};

export const incomingHandler = {
  handle(request: WitIncomingRequest, out: WitResponseOutparam): void {
    try {
      const req = readRequest(request);
      const result = handleOrder(ports, text(req.body), get('table') as string);
      respond(out, result.status, result.body);
    } catch (error) {
      respond(out, 503, JSON.stringify({ error: String((error as { payload?: unknown }).payload ?? error) }));
    }
  },
};
