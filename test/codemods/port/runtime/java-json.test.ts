import { describe, expect, it } from 'vitest';
import {
  localDate,
  putPrevious,
  removePrevious,
  toJson,
} from '../../../../codemods/port/java/runtime/java.ts';
import { createLogger } from '../../../../codemods/port/java/runtime/logger.ts';
import { handleRequest } from '../../../../codemods/port/java/runtime/router.ts';

describe('runtime helpers the port calls', () => {
  it('reads a LocalDate as YYYY-MM-DD from the Node pool’s text and from a component’s Date alike', () => {
    expect(localDate('2026-01-01')).toBe('2026-01-01');
    expect(localDate(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01');
    expect(JSON.stringify({ date: localDate(new Date(Date.UTC(2026, 0, 1))) })).toBe('{"date":"2026-01-01"}');
    expect(localDate(null)).toBeNull();
  });

  it('answers put and remove with the previous value, or null', () => {
    const map = new Map<string, number>();
    expect(putPrevious(map, 'a', 1)).toBeNull();
    expect(putPrevious(map, 'a', 2)).toBe(1);
    expect(removePrevious(map, 'a')).toBe(2);
    expect(removePrevious(map, 'a')).toBeNull();
  });

  it('writes a Map as an object and a Set as an array, as Jackson does', () => {
    expect(toJson({ m: new Map([['message', 'x']]), s: new Set([1, 2]) })).toBe(
      '{"m":{"message":"x"},"s":[1,2]}',
    );
  });

  it('answers a route whose body is a Map (Map.of in a ResponseEntity) with the map’s entries', async () => {
    const response = await handleRequest(
      {
        routes: [
          {
            method: 'GET',
            path: '/reminders/{id}',
            handle: () => Promise.resolve({ status: 404, body: new Map([['message', 'no reminder']]) }),
          },
        ],
        log: createLogger('test'),
      },
      { method: 'GET', url: '/reminders/1', headers: {}, body: '' },
    );
    expect(response).toMatchObject({ status: 404, body: '{"message":"no reminder"}' });
  });
});
