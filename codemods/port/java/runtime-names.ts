/** Java library types the generated runtime provides, by Java simple name: runtime module and TS name. */
export const RUNTIME_TYPES: Readonly<Record<string, { module: string; name: string }>> = {
  ResponseEntity: { module: 'spring-web', name: 'ResponseEntity' },
  HttpStatus: { module: 'spring-web', name: 'HttpStatus' },
  HttpStatusCode: { module: 'spring-web', name: 'HttpStatus' },
  ResponseStatusException: { module: 'spring-web', name: 'ResponseStatusException' },
  HttpMessageNotReadableException: { module: 'spring-web', name: 'HttpMessageNotReadableException' },
  HttpMediaTypeNotSupportedException: { module: 'spring-web', name: 'HttpMediaTypeNotSupportedException' },
  MissingServletRequestParameterException: {
    module: 'spring-web',
    name: 'MissingServletRequestParameterException',
  },
  MethodArgumentNotValidException: { module: 'spring-web', name: 'MethodArgumentNotValidException' },
  MethodArgumentTypeMismatchException: { module: 'spring-web', name: 'MethodArgumentTypeMismatchException' },
  FieldError: { module: 'spring-web', name: 'FieldError' },
  // a handler's HttpServletRequest is the router's request (requestURI, queryString, method, headers)
  HttpServletRequest: { module: 'router', name: 'RouteRequest' },
  Logger: { module: 'logger', name: 'Logger' },
  RestClient: { module: 'rest-client', name: 'RestClient' },
  WebClient: { module: 'rest-client', name: 'RestClient' },
  'RestClient.Builder': { module: 'rest-client', name: 'RestClientBuilder' },
  'WebClient.Builder': { module: 'rest-client', name: 'RestClientBuilder' },
  RestClientException: { module: 'rest-client', name: 'RestClientException' },
  WebClientException: { module: 'rest-client', name: 'RestClientException' },
  WebClientResponseException: { module: 'rest-client', name: 'RestClientException' },
  HttpClientErrorException: { module: 'rest-client', name: 'RestClientException' },
  Connection: { module: 'nats', name: 'Connection' },
  Dispatcher: { module: 'nats', name: 'Dispatcher' },
  Message: { module: 'nats', name: 'Message' },
  Options: { module: 'nats', name: 'Options' },
  Nats: { module: 'nats', name: 'Nats' },
  JsonProcessingException: { module: 'java', name: 'JsonProcessingException' },
  CommandLineRunner: { module: 'java', name: 'CommandLineRunner' },
  ApplicationRunner: { module: 'java', name: 'ApplicationRunner' },
  ApplicationArguments: { module: 'java', name: 'ApplicationArguments' },
  ExecutorService: { module: 'java', name: 'ExecutorService' },
  Executor: { module: 'java', name: 'ExecutorService' },
  StringRedisTemplate: { module: 'redis-template', name: 'StringRedisTemplate' },
  IOException: { module: 'java', name: 'JsonProcessingException' },
};

/** Java exceptions that become a plain `Error`. */
export const PLAIN_ERRORS = new Set([
  'Exception',
  'RuntimeException',
  'Throwable',
  'IllegalStateException',
  'IllegalArgumentException',
  'UnsupportedOperationException',
  'NoSuchElementException',
  'NullPointerException',
  'InterruptedException',
  'ExceptionInInitializerError',
  'CompletionException',
  'ExecutionException',
]);

/** Injected types the port removes: their calls are translated to plain JavaScript. */
export const DROPPED_TYPES = new Set(['ObjectMapper']);
