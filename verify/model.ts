/** The types of `migrate verify`: requests, what each side answered and did, and the result. */
import type { FieldDifference } from './json-pointer.ts';

export const VERIFY_SCHEMA_VERSION = '1';

/** Why a request is in the run. */
export type RequestKind =
  | 'valid'
  | 'variant'
  | 'read-back'
  | 'malformed-json'
  | 'wrong-content-type'
  | 'missing-field'
  | 'missing-parameter'
  | 'unknown-id'
  | 'unknown-path'
  | 'wrong-method'
  | 'replay';

/** One request verify sends to every side, in the same order. */
export interface VerifyRequest {
  /** Stable within a run: `gen-7`, `replay-3`. */
  id: string;
  kind: RequestKind;
  /** One line for people: `POST /api/order without orderLineItemsDtoList`. */
  description: string;
  method: string;
  /** Path and query string. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** UTF-8 body text; `bodyBase64` instead when binary. */
  body?: string;
  bodyBase64?: string;
  /** Method plus path template (`POST /api/order`): noise is learned per operation. */
  operation: string;
  /** Where the request came from: `openapi`, or `file.ndjson:12`. */
  origin: string;
}

/** The rows a request added, removed or changed in one table, each row as column → value. */
export interface TableDelta {
  inserted: Record<string, unknown>[];
  deleted: Record<string, unknown>[];
  updated: { before: Record<string, unknown>; after: Record<string, unknown> }[];
}

/** A Redis key a request created, deleted or changed. */
export interface KeyDelta {
  key: string;
  type: string;
  change: 'created' | 'deleted' | 'changed';
  /** Hash fields set / set members added, etc., as JSON. */
  added?: unknown;
  removed?: unknown;
}

/** What one side did for one request: its answer and its side effects. */
export interface Observation {
  /** 0 when no answer came (connection refused, timeout). */
  status: number;
  /** Media type without parameters, lower case (`application/json`); '' when none. */
  contentType: string;
  /** Parsed JSON, or text, or `{ base64 }` for binary; undefined for an empty body. */
  body: unknown;
  /** Set when the request failed before an answer. */
  error?: string;
  rows?: Record<string, TableDelta>;
  keys?: KeyDelta[];
  /** Messages published on the side's subject while the request ran (JSON parsed when possible). */
  messages?: unknown[];
}

/** A request with everything each side did, before classification. */
export interface ExchangeRecord {
  request: VerifyRequest;
  legacy: Observation;
  component: Observation;
  /** The noise call: the same request to the legacy side again, or to its twin; undefined when it failed. */
  noise: Observation | undefined;
  /** The component's answer to the same second call (replay mode, writes only): pairs its noise with legacy's. */
  componentNoise?: Observation | undefined;
}

/** A request whose answers or effects differ in a way noise does not explain. */
export interface Mismatch {
  request: VerifyRequest;
  legacy: Observation;
  component: Observation;
  /** Only the unexplained differences, by JSON pointer into the compared document (/status, /body/…, /rows/…). */
  differences: FieldDifference[];
  /** Pointers that differed too but are noise or ignored. */
  explained: string[];
}

/** A field learned as noise, or ignored by the user, and how many differences it explained. */
export interface NoiseField {
  operation: string;
  pattern: string;
  /**
   * `learned`: differed between two legacy answers; `correlated`: a value that earlier noise paired (legacy's
   * generated id and the component's), met again later (e.g. a list read back); `ignored`: --ignore;
   * `unordered`: an array --unordered names, whose items the component answered in another order.
   */
  source: 'learned' | 'correlated' | 'ignored' | 'unordered';
  explained: number;
}

export interface VerifyResult {
  schemaVersion: typeof VERIFY_SCHEMA_VERSION;
  service: string;
  legacy: string;
  component: string;
  /** How noise was learned: the legacy side called twice, or a second legacy instance. */
  noiseSource: 'replay' | 'twin';
  requests: number;
  /** Requests whose answers and effects were equal after noise. */
  matched: number;
  mismatches: Mismatch[];
  /** Differences explained by noise or --ignore (counted, not listed per request). */
  explainedDifferences: number;
  noise: NoiseField[];
  /** What verify could not do, for people to read (a side without data access, a skipped request…). */
  notes: string[];
  /** True when there is no unexplained mismatch. */
  passed: boolean;
}
