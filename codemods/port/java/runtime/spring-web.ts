/**
 * The few Spring Web types the ported handlers use, with the same names and shapes, so that status codes and
 * error bodies stay what the Spring service answered.
 */

/** An HTTP status with its number and reason phrase, like Spring's `HttpStatus`. */
export interface HttpStatus {
  readonly value: number;
  readonly reasonPhrase: string;
}

const status = (value: number, reasonPhrase: string): HttpStatus => ({ value, reasonPhrase });

export const HttpStatus = {
  OK: status(200, 'OK'),
  CREATED: status(201, 'Created'),
  ACCEPTED: status(202, 'Accepted'),
  NO_CONTENT: status(204, 'No Content'),
  BAD_REQUEST: status(400, 'Bad Request'),
  UNAUTHORIZED: status(401, 'Unauthorized'),
  FORBIDDEN: status(403, 'Forbidden'),
  NOT_FOUND: status(404, 'Not Found'),
  METHOD_NOT_ALLOWED: status(405, 'Method Not Allowed'),
  CONFLICT: status(409, 'Conflict'),
  GONE: status(410, 'Gone'),
  UNSUPPORTED_MEDIA_TYPE: status(415, 'Unsupported Media Type'),
  UNPROCESSABLE_ENTITY: status(422, 'Unprocessable Entity'),
  TOO_MANY_REQUESTS: status(429, 'Too Many Requests'),
  INTERNAL_SERVER_ERROR: status(500, 'Internal Server Error'),
  BAD_GATEWAY: status(502, 'Bad Gateway'),
  SERVICE_UNAVAILABLE: status(503, 'Service Unavailable'),
  GATEWAY_TIMEOUT: status(504, 'Gateway Timeout'),
} as const;

/** `HttpStatus.valueOf(409)`. */
export function httpStatusOf(code: number): HttpStatus {
  return Object.values(HttpStatus).find((s) => s.value === code) ?? status(code, '');
}

/** What a handler answers: a status and a JSON body (`undefined` for none). */
export class ResponseEntity<T> {
  readonly status: number;
  readonly body: T;

  constructor(status: HttpStatus | number, body: T) {
    this.status = typeof status === 'number' ? status : status.value;
    this.body = body;
  }

  static status(status: HttpStatus | number): ResponseEntityBuilder {
    return new ResponseEntityBuilder(status);
  }

  static ok<T>(body: T): ResponseEntity<T> {
    return new ResponseEntity(200, body);
  }

  /** `ResponseEntity.of(optional)`: 200 with the value, or 404 with no body when it is absent. */
  static of<T>(value: T | null | undefined): ResponseEntity<T> {
    // the 404 has no body: the router sends none for `undefined`, whatever T the handler declares
    return value === null || value === undefined
      ? new ResponseEntity(404, undefined as T)
      : new ResponseEntity(200, value);
  }

  static notFound(): ResponseEntityBuilder {
    return new ResponseEntityBuilder(404);
  }

  static noContent(): ResponseEntityBuilder {
    return new ResponseEntityBuilder(204);
  }

  static badRequest(): ResponseEntityBuilder {
    return new ResponseEntityBuilder(400);
  }
}

export class ResponseEntityBuilder {
  readonly #status: HttpStatus | number;

  constructor(status: HttpStatus | number) {
    this.#status = status;
  }

  body<T>(body: T): ResponseEntity<T> {
    return new ResponseEntity(this.#status, body);
  }

  build(): ResponseEntity<undefined> {
    return new ResponseEntity(this.#status, undefined);
  }
}

/** `throw new ResponseStatusException(HttpStatus.NOT_FOUND, "reason")`. */
export class ResponseStatusException extends Error {
  readonly statusCode: HttpStatus;
  readonly reason: string | undefined;

  constructor(statusCode: HttpStatus, reason?: string) {
    super(reason ?? statusCode.reasonPhrase);
    this.name = 'ResponseStatusException';
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

/**
 * A path variable or request parameter that does not convert to the handler's type: a 400, as in Spring MVC.
 * Like Spring's, it is no ResponseStatusException: an advice for that does not catch it.
 */
export class MethodArgumentTypeMismatchException extends Error {
  readonly parameterName: string;
  readonly value: string;

  /** `requiredType` is the Java type's simple name (`Long`, `int`). */
  constructor(parameterName: string, value: string, requiredType = 'Object') {
    const qualified = /^[a-z]/.test(requiredType)
      ? requiredType
      : `${/^Big(Decimal|Integer)$/.test(requiredType) ? 'java.math' : 'java.lang'}.${requiredType}`;
    super(
      `Method parameter '${parameterName}': Failed to convert value of type 'java.lang.String' to required ` +
        `type '${qualified}'; For input string: "${value.replace(/\s+/g, '')}"`,
    );
    this.name = 'MethodArgumentTypeMismatchException';
    this.parameterName = parameterName;
    this.value = value;
  }
}

/** The request body is missing or is not the JSON the handler expects. */
export class HttpMessageNotReadableException extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpMessageNotReadableException';
  }
}

/** The request's Content-Type is not application/json. */
export class HttpMediaTypeNotSupportedException extends Error {
  constructor(contentType: string) {
    super(`Content-Type '${contentType}' is not supported`);
    this.name = 'HttpMediaTypeNotSupportedException';
  }
}

/** A required query parameter is missing. */
export class MissingServletRequestParameterException extends Error {
  readonly parameterName: string;
  readonly parameterType: string;

  constructor(parameterName: string, parameterType: string) {
    super(
      `Required request parameter '${parameterName}' for method parameter type ${parameterType} is not present`,
    );
    this.name = 'MissingServletRequestParameterException';
    this.parameterName = parameterName;
    this.parameterType = parameterType;
  }
}

/** One failed constraint: the field path (`items[0].price`) and Bean Validation's default message. */
export interface FieldError {
  readonly field: string;
  readonly defaultMessage: string;
}

/** A `@Valid @RequestBody` failed its constraints. */
export class MethodArgumentNotValidException extends Error {
  readonly bindingResult: { readonly fieldErrors: readonly FieldError[] };

  constructor(fieldErrors: readonly FieldError[]) {
    super(`Validation failed: ${fieldErrors.map((f) => `${f.field} ${f.defaultMessage}`).join('; ')}`);
    this.name = 'MethodArgumentNotValidException';
    this.bindingResult = { fieldErrors };
  }
}

/** How Jackson reads one class of a request body: generated per body type (jackson-properties.ts). */
export interface JacksonReader {
  /** The fields (or record components) Jackson sets; any other property is ignored, as Spring Boot's is. */
  readonly fields: readonly string[];
  /** JSON property → field, where they differ (Lombok's `active` → `isActive`, `@JsonProperty`). */
  readonly names?: Readonly<Record<string, string>>;
  /** Readers of the fields that hold another class of the service, or a list of one. */
  readonly nested?: Readonly<Record<string, JacksonReader>>;
  /** A class (not a record): the value read is an instance of it, with its methods and its toJSON. */
  readonly prototype?: object;
}

/**
 * A parsed JSON body as Jackson binds it to the handler's class: properties by their JSON names, unknown ones
 * left out, nested objects and lists read by their own class's reader. A value of another shape (a string
 * where an object belongs) is left as it is, for validation to answer it.
 */
export function readJackson(json: unknown, reader: JacksonReader): unknown {
  if (Array.isArray(json)) return json.map((item) => readJackson(item, reader));
  if (json === null || typeof json !== 'object') return json;
  const renamed = new Set(Object.values(reader.names ?? {}));
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = reader.names?.[key] ?? (renamed.has(key) ? undefined : key);
    if (field === undefined || !reader.fields.includes(field)) continue;
    const nested = reader.nested?.[field];
    values[field] = nested === undefined ? value : readJackson(value, nested);
  }
  return reader.prototype === undefined ? values : Object.assign(Object.create(reader.prototype), values);
}
