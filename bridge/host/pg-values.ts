/**
 * Conversions between wasmcloud:postgres `pg-value` variants (as jco represents them: `{ tag, val }`) and
 * node-postgres parameters and results. Pure.
 */

export interface PgValue {
  tag: string;
  val?: unknown;
}

const decoder = new TextDecoder();

/** `hashable-f64` is (mantissa, exponent, sign) as Rust's `integer_decode`. */
export function fromHashable(value: unknown): number {
  const [mantissa, exponent, sign] = value as [bigint, number, number];
  return sign * Number(mantissa) * 2 ** exponent;
}

export function toHashable(value: number): [bigint, number, number] {
  if (value === 0) return [0n, 0, 1];
  const sign = value < 0 ? -1 : 1;
  let exponent = Math.floor(Math.log2(Math.abs(value))) - 52;
  let mantissa = Math.abs(value) / 2 ** exponent;
  while (!Number.isInteger(mantissa)) {
    exponent -= 1;
    mantissa *= 2;
  }
  return [BigInt(mantissa), exponent, sign];
}

/** A pg-value parameter → a node-postgres parameter; throws a message for unsupported variants. */
export function toPgParam(value: PgValue): unknown {
  const { tag, val } = value;
  switch (tag) {
    case 'null':
      return null;
    case 'big-int':
    case 'int8':
    case 'big-serial':
    case 'serial8':
      return (val as bigint).toString();
    case 'bool':
    case 'boolean':
    case 'integer':
    case 'int':
    case 'int4':
    case 'serial':
    case 'serial4':
    case 'small-int':
    case 'int2':
    case 'small-serial':
    case 'serial2':
      return val;
    case 'double':
    case 'float8':
    case 'real':
    case 'float4':
      return fromHashable(val);
    case 'numeric':
    case 'decimal':
    case 'money':
    case 'text':
    case 'name':
    case 'xml':
    case 'uuid':
    case 'json':
    case 'jsonb':
    case 'cidr':
    case 'inet':
    case 'ts-query':
      return val;
    case 'char':
    case 'varchar':
    case 'bit-varying':
    case 'varbit':
      return decoder.decode((val as [unknown, Uint8Array])[1]);
    case 'bytea':
      return Buffer.from(val as Uint8Array);
    case 'int8-array':
      return Array.from(val as ArrayLike<bigint>, String);
    case 'int4-array':
    case 'int2-array':
      // jco lifts list<s32>/list<s16> as typed arrays; node-postgres would send those as binary, not an array.
      return Array.from(val as ArrayLike<number>);
    case 'bool-array':
    case 'text-array':
    case 'uuid-array':
    case 'name-array':
    case 'numeric-array':
    case 'json-array':
    case 'jsonb-array':
      return val;
    case 'date': {
      const date = val as PgValue;
      if (date.tag === 'ymd') {
        const [y, m, d] = date.val as [number, number, number];
        return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      }
      return date.tag === 'positive-infinity' ? 'infinity' : '-infinity';
    }
    default:
      throw new Error(`pg-value variant '${tag}' is not supported as a parameter by this host`);
  }
}

/** Postgres type OIDs the host maps to specific variants; everything else comes back as `text`. */
const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  varchar: 1043,
  numeric: 1700,
  date: 1082,
  uuid: 2950,
  jsonb: 3802,
} as const;

function formatLocalDate(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A node-postgres result value (with its column type) → a pg-value. */
export function fromPgResult(value: unknown, oid: number): PgValue {
  if (value === null || value === undefined) return { tag: 'null' };
  switch (oid) {
    case OID.bool:
      return { tag: 'bool', val: Boolean(value) };
    case OID.int8:
      return { tag: 'int8', val: BigInt(value as string) };
    case OID.int4:
      return { tag: 'int4', val: value };
    case OID.int2:
      return { tag: 'int2', val: value };
    case OID.float4:
    case OID.float8:
      return { tag: 'float8', val: toHashable(Number(value)) };
    case OID.numeric:
      return { tag: 'numeric', val: typeof value === 'number' ? value.toString() : value };
    case OID.json:
      return { tag: 'json', val: JSON.stringify(value) };
    case OID.jsonb:
      return { tag: 'jsonb', val: JSON.stringify(value) };
    case OID.uuid:
      return { tag: 'uuid', val: value };
    case OID.date:
      // node-postgres makes a DATE a Date at local midnight: the day as written ('YYYY-MM-DD'), as a ported
      // LocalDate holds it and Jackson writes it, not that midnight's UTC instant
      return { tag: 'text', val: value instanceof Date ? formatLocalDate(value) : value };
    case OID.bytea:
      return { tag: 'bytea', val: new Uint8Array(value as Buffer) };
    default:
      if (value instanceof Date) return { tag: 'text', val: value.toISOString() };
      if (typeof value === 'object') return { tag: 'text', val: JSON.stringify(value) };
      return { tag: 'text', val: typeof value === 'string' ? value : JSON.stringify(value) };
  }
}
