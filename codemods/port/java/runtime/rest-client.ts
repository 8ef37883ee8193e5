/**
 * Spring's RestClient fluent calls (`get().uri(...).retrieve().body(...)`) on top of `fetch`, building the
 * same URLs; a failed call throws RestClientException as Spring's does.
 */

/** A call to a downstream service failed: connection refused, timeout or a non-2xx answer. */
export class RestClientException extends Error {
  readonly statusCode: number | undefined;

  constructor(message: string, statusCode?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RestClientException';
    this.statusCode = statusCode;
  }
}

/** `UriComponentsBuilder` as the `uri(b -> ...)` lambda sees it. */
export class UriBuilder {
  readonly #url: URL;

  constructor(baseUrl: string) {
    this.#url = new URL(baseUrl);
  }

  path(path: string): this {
    this.#url.pathname = `${this.#url.pathname.replace(/\/$/, '')}${path}`;
    return this;
  }

  queryParam(name: string, ...values: unknown[]): this {
    for (const value of values.flat()) this.#url.searchParams.append(name, String(value));
    return this;
  }

  build(): URL {
    return this.#url;
  }
}

type UriSpec = string | ((builder: UriBuilder) => URL);

export class RequestSpec {
  readonly #baseUrl: string;
  readonly #method: string;
  #uri: UriSpec = '';
  #body: unknown;

  constructor(baseUrl: string, method: string) {
    this.#baseUrl = baseUrl;
    this.#method = method;
  }

  uri(uri: UriSpec, ...vars: unknown[]): this {
    let i = 0;
    this.#uri =
      typeof uri === 'string' ? uri.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(vars[i++]))) : uri;
    return this;
  }

  body(body: unknown): this {
    this.#body = body;
    return this;
  }

  retrieve(): ResponseSpec {
    // no base URL (a WebClient built without one): the uri is absolute, as in Spring
    const url =
      typeof this.#uri === 'string'
        ? this.#baseUrl === ''
          ? new URL(this.#uri)
          : new URL(this.#uri, this.#baseUrl)
        : this.#uri(new UriBuilder(this.#baseUrl));
    const init: RequestInit = { method: this.#method, headers: { accept: 'application/json' } };
    if (this.#body !== undefined) {
      init.headers = { ...init.headers, 'content-type': 'application/json' };
      init.body = JSON.stringify(this.#body);
    }
    return new ResponseSpec(url, init);
  }
}

export class ResponseSpec {
  readonly #url: URL;
  readonly #init: RequestInit;

  constructor(url: URL, init: RequestInit) {
    this.#url = url;
    this.#init = init;
  }

  /** The JSON body, typed as the caller expects (Jackson's `body(Type)`). */
  async body<T>(): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.#url, this.#init);
    } catch (error) {
      throw new RestClientException(
        `I/O error on ${this.#init.method} request for "${this.#url.href}"`,
        undefined,
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok)
      throw new RestClientException(
        `${response.status} on ${this.#init.method} ${this.#url.href}: ${text}`,
        response.status,
      );
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  /** WebClient's `bodyToMono(X.class)`; the port drops the `.block()`. */
  bodyToMono<T>(): Promise<T> {
    return this.body<T>();
  }
}

export class RestClient {
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  static builder(): RestClientBuilder {
    return new RestClientBuilder();
  }

  static create(baseUrl = ''): RestClient {
    return new RestClient(baseUrl);
  }

  get(): RequestSpec {
    return new RequestSpec(this.#baseUrl, 'GET');
  }

  post(): RequestSpec {
    return new RequestSpec(this.#baseUrl, 'POST');
  }

  put(): RequestSpec {
    return new RequestSpec(this.#baseUrl, 'PUT');
  }

  delete(): RequestSpec {
    return new RequestSpec(this.#baseUrl, 'DELETE');
  }
}

export class RestClientBuilder {
  #baseUrl = '';

  baseUrl(baseUrl: string): this {
    this.#baseUrl = baseUrl;
    return this;
  }

  build(): RestClient {
    return new RestClient(this.#baseUrl);
  }
}

/** WebClient has the same shape for the calls the port supports. */
export { RestClient as WebClient };
