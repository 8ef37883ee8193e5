/* eslint-disable @typescript-eslint/only-throw-error -- jco turns a thrown `{ payload }` into a WIT `err`; an Error would trap the guest */
/**
 * The host side of wasi:http 0.2 `types`, `outgoing-handler`, wasi:io `streams`/`poll`/`error` and
 * wasi:clocks `monotonic-clock`, as jco expects them (classes per resource). Runs inside a guest's worker.
 * Bodies are whole buffers: the main thread hands over the full request and receives the full response.
 * Functions returning a WIT `result` report `err` by throwing `{ payload }` (jco's convention), never an
 * `Error`, which would trap the instance.
 */

/** A WIT error value thrown the way jco turns into `err(payload)`. */
export function errValue(payload: unknown): { payload: unknown } {
  return { payload };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Pollable {
  ready(): boolean {
    return true;
  }
  block(): void {}
}

export function poll(list: Pollable[]): Uint32Array {
  return Uint32Array.from(list.map((_, index) => index));
}

export class IoError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
  toDebugString(): string {
    return this.message;
  }
}

export class InputStream {
  #data: Uint8Array;
  #offset = 0;
  constructor(data: Uint8Array) {
    this.#data = data;
  }
  read(len: bigint): Uint8Array {
    if (this.#offset >= this.#data.byteLength) throw errValue({ tag: 'closed' });
    const end = Math.min(this.#data.byteLength, this.#offset + Number(len));
    const chunk = this.#data.slice(this.#offset, end);
    this.#offset = end;
    return chunk;
  }
  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).byteLength);
  }
  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }
  subscribe(): Pollable {
    return new Pollable();
  }
}

/** Collects written bytes; `limit` bounds a guest that writes without end. */
export class OutputStream {
  readonly chunks: Uint8Array[] = [];
  #size = 0;
  #limit: number;
  constructor(limit = 64 * 1024 * 1024) {
    this.#limit = limit;
  }
  checkWrite(): bigint {
    return 1024n * 1024n;
  }
  write(contents: Uint8Array): void {
    this.#size += contents.byteLength;
    if (this.#size > this.#limit) {
      throw errValue({ tag: 'last-operation-failed', val: new IoError('body too large') });
    }
    this.chunks.push(contents.slice());
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
  }
  flush(): void {}
  blockingFlush(): void {}
  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(src: InputStream, len: bigint): bigint {
    const chunk = src.read(len);
    this.write(chunk);
    return BigInt(chunk.byteLength);
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
  subscribe(): Pollable {
    return new Pollable();
  }
  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const chunk of chunks) size += chunk.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export class Fields {
  entriesList: [string, Uint8Array][] = [];
  static fromList(entries: [string, Uint8Array][]): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.entriesList.push([name.toLowerCase(), value]);
    return fields;
  }
  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.entriesList.filter(([k]) => k === key).map(([, v]) => v);
  }
  has(name: string): boolean {
    return this.get(name).length > 0;
  }
  set(name: string, values: Uint8Array[]): void {
    this.delete(name);
    for (const value of values) this.append(name, value);
  }
  delete(name: string): void {
    const key = name.toLowerCase();
    this.entriesList = this.entriesList.filter(([k]) => k !== key);
  }
  append(name: string, value: Uint8Array): void {
    this.entriesList.push([name.toLowerCase(), value]);
  }
  entries(): [string, Uint8Array][] {
    return this.entriesList.map(([k, v]) => [k, v]);
  }
  clone(): Fields {
    return Fields.fromList(this.entries());
  }
  toPairs(): [string, string][] {
    return this.entriesList.map(([k, v]) => [k, decoder.decode(v)]);
  }
}

const METHODS = ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'];

export type WitMethod = { tag: string; val?: string };

export function toWitMethod(method: string): WitMethod {
  const lower = method.toLowerCase();
  return METHODS.includes(lower) ? { tag: lower } : { tag: 'other', val: method };
}

export function fromWitMethod(method: WitMethod): string {
  return method.tag === 'other' ? (method.val ?? 'GET') : method.tag.toUpperCase();
}

export class IncomingBody {
  #stream: InputStream | undefined;
  constructor(data: Uint8Array) {
    this.#stream = new InputStream(data);
  }
  stream(): InputStream {
    const stream = this.#stream;
    if (stream === undefined) throw errValue(undefined);
    this.#stream = undefined;
    return stream;
  }
  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}

export class FutureTrailers {
  subscribe(): Pollable {
    return new Pollable();
  }
  get(): unknown {
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

/** The parts of an incoming request the host hands to a guest. */
export interface RequestParts {
  method: string;
  pathWithQuery: string;
  authority: string;
  headers: [string, string][];
  body: Uint8Array;
}

export class IncomingRequest {
  #parts: RequestParts;
  #consumed = false;
  constructor(parts: RequestParts) {
    this.#parts = parts;
  }
  method(): WitMethod {
    return toWitMethod(this.#parts.method);
  }
  pathWithQuery(): string | undefined {
    return this.#parts.pathWithQuery;
  }
  scheme(): unknown {
    return { tag: 'HTTP' };
  }
  authority(): string | undefined {
    return this.#parts.authority;
  }
  headers(): Fields {
    return Fields.fromList(this.#parts.headers.map(([k, v]) => [k, encoder.encode(v)]));
  }
  consume(): IncomingBody {
    if (this.#consumed) throw errValue(undefined);
    this.#consumed = true;
    return new IncomingBody(this.#parts.body);
  }
}

export class OutgoingBody {
  readonly stream = new OutputStream();
  #taken = false;
  finished = false;
  write(): OutputStream {
    if (this.#taken) throw errValue(undefined);
    this.#taken = true;
    return this.stream;
  }
  static finish(body: OutgoingBody, _trailers: Fields | undefined): void {
    body.finished = true;
  }
}

export class OutgoingResponse {
  status = 200;
  readonly headerFields: Fields;
  outgoingBody: OutgoingBody | undefined;
  constructor(headers: Fields) {
    this.headerFields = headers;
  }
  statusCode(): number {
    return this.status;
  }
  setStatusCode(code: number): void {
    if (code < 100 || code > 999) throw errValue(undefined);
    this.status = code;
  }
  headers(): Fields {
    return this.headerFields;
  }
  body(): OutgoingBody {
    if (this.outgoingBody !== undefined) throw errValue(undefined);
    this.outgoingBody = new OutgoingBody();
    return this.outgoingBody;
  }
}

/** Where the guest puts its response; the worker reads it after `handle` returns. */
export class ResponseOutparam {
  response: { tag: 'ok'; val: OutgoingResponse } | { tag: 'err'; val: unknown } | undefined;
  static set(param: ResponseOutparam, response: ResponseOutparam['response']): void {
    param.response = response;
  }
}

export class RequestOptions {
  #connect: bigint | undefined;
  #firstByte: bigint | undefined;
  #betweenBytes: bigint | undefined;
  connectTimeout(): bigint | undefined {
    return this.#connect;
  }
  setConnectTimeout(value: bigint | undefined): void {
    this.#connect = value;
  }
  firstByteTimeout(): bigint | undefined {
    return this.#firstByte;
  }
  setFirstByteTimeout(value: bigint | undefined): void {
    this.#firstByte = value;
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.#betweenBytes;
  }
  setBetweenBytesTimeout(value: bigint | undefined): void {
    this.#betweenBytes = value;
  }
}

export class OutgoingRequest {
  methodValue: WitMethod = { tag: 'get' };
  path: string | undefined;
  schemeValue: { tag: string; val?: string } | undefined;
  authorityValue: string | undefined;
  readonly headerFields: Fields;
  outgoingBody: OutgoingBody | undefined;
  constructor(headers: Fields) {
    this.headerFields = headers;
  }
  method(): WitMethod {
    return this.methodValue;
  }
  setMethod(method: WitMethod): void {
    this.methodValue = method;
  }
  pathWithQuery(): string | undefined {
    return this.path;
  }
  setPathWithQuery(path: string | undefined): void {
    this.path = path;
  }
  scheme(): unknown {
    return this.schemeValue;
  }
  setScheme(scheme: { tag: string; val?: string } | undefined): void {
    this.schemeValue = scheme;
  }
  authority(): string | undefined {
    return this.authorityValue;
  }
  setAuthority(authority: string | undefined): void {
    this.authorityValue = authority;
  }
  headers(): Fields {
    return this.headerFields;
  }
  body(): OutgoingBody {
    if (this.outgoingBody !== undefined) throw errValue(undefined);
    this.outgoingBody = new OutgoingBody();
    return this.outgoingBody;
  }
  /** The absolute URL of the request. */
  url(): string {
    const scheme =
      this.schemeValue?.tag === 'HTTPS'
        ? 'https'
        : this.schemeValue?.tag === 'other'
          ? this.schemeValue.val
          : 'http';
    return `${scheme}://${this.authorityValue ?? ''}${this.path ?? '/'}`;
  }
}

export class IncomingResponse {
  readonly statusValue: number;
  readonly headerFields: Fields;
  #body: Uint8Array;
  #consumed = false;
  constructor(status: number, headers: [string, string][], body: Uint8Array) {
    this.statusValue = status;
    this.headerFields = Fields.fromList(headers.map(([k, v]) => [k, encoder.encode(v)]));
    this.#body = body;
  }
  status(): number {
    return this.statusValue;
  }
  headers(): Fields {
    return this.headerFields;
  }
  consume(): IncomingBody {
    if (this.#consumed) throw errValue(undefined);
    this.#consumed = true;
    return new IncomingBody(this.#body);
  }
}

/**
 * Sends lazily: at the first `get`, when the guest has finished writing the body. `send` answers at once (a
 * worker's blocking call) or with a promise (JSPI mode: `get` is then an async import the guest suspends on).
 */
export class FutureIncomingResponse {
  #send: () => unknown;
  #taken = false;
  constructor(send: () => unknown) {
    this.#send = send;
  }
  subscribe(): Pollable {
    return new Pollable();
  }
  get(): unknown {
    if (this.#taken) return { tag: 'err', val: undefined };
    this.#taken = true;
    const result = this.#send();
    return result instanceof Promise
      ? result.then((val: unknown) => ({ tag: 'ok', val }))
      : { tag: 'ok', val: result };
  }
}

export function httpErrorCode(_error: IoError): unknown {
  return undefined;
}

const start = process.hrtime.bigint();

export const monotonicClock = {
  now: (): bigint => process.hrtime.bigint() - start,
  resolution: (): bigint => 1n,
  subscribeInstant: (_when: bigint): Pollable => new Pollable(),
  subscribeDuration: (_duration: bigint): Pollable => new Pollable(),
};
