import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import {
  decodeBody,
  encodeBody,
  formatTrafficRecord,
  parseTrafficRecords,
} from '../../shared/traffic-record.ts';

describe('traffic records (NDJSON)', () => {
  it('round-trips text and binary bodies', () => {
    const binary = Buffer.from([0xff, 0x00, 0x81]);
    const text =
      formatTrafficRecord({ v: 1, method: 'POST', path: '/x', headers: {}, ...encodeBody(binary) }) +
      '\n' +
      formatTrafficRecord({
        v: 1,
        method: 'GET',
        path: '/y?a=1',
        headers: { accept: 'a/b' },
        ...encodeBody(Buffer.from('héllo')),
      });
    const records = parseTrafficRecords(text, 'traffic.ndjson');
    expect(records[0]!.bodyBase64).toBe(binary.toString('base64'));
    expect(decodeBody(records[0]!)).toEqual(binary);
    expect(records[1]).toMatchObject({ path: '/y?a=1', body: 'héllo' });
  });

  it('rejects a bad line with its file and line number', () => {
    const text = '{"v":1,"method":"GET","path":"/ok"}\n\n{"v":1,"method":"get","path":"/x"}\n';
    try {
      parseTrafficRecords(text, 'rec.ndjson');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).location).toMatchObject({ file: 'rec.ndjson', line: 3 });
      expect((error as AppError).message).toMatch(/method/);
    }
  });
});
