/** Controllers → routes on the generated router; `@RestControllerAdvice` → an error handler. */
import {
  getAnnotation,
  hasAnnotation,
  type JavaClass,
  type JavaMethod,
  type JavaType,
  type JavaVariable,
} from './model.ts';
import type { ImportSet, ServiceContext } from './scope.ts';
import { createScope } from './scope.ts';
import { tsType } from './expressions.ts';
import { fileName } from './members.ts';
import { validatorName } from './validation.ts';
import { isFutureType, isListType, isNumberType } from './types.ts';
import { lowerFirst } from './names.ts';
import { RUNTIME_TYPES } from './runtime-names.ts';
import { getResponseBodyType } from './openapi-types.ts';
import { renderJacksonReader } from './jackson-properties.ts';

const MAPPINGS: Record<string, string> = {
  GetMapping: 'GET',
  PostMapping: 'POST',
  PutMapping: 'PUT',
  PatchMapping: 'PATCH',
  DeleteMapping: 'DELETE',
};

const STATUS_CODES: Record<string, number> = {
  OK: 200,
  CREATED: 201,
  ACCEPTED: 202,
  NO_CONTENT: 204,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE_ENTITY: 422,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

function unquote(text: string | undefined): string {
  if (text === undefined) return '';
  const inner = text.startsWith('{') ? (text.slice(1, -1).split(',')[0]?.trim() ?? '') : text;
  return inner.replace(/^"|"$/g, '');
}

/** `"a"` → `['a']`, `{"a", "b"}` → `['a', 'b']`, absent → `[]`. */
function unquoteAll(text: string | undefined): string[] {
  if (text === undefined) return [];
  const inner = text.trim().startsWith('{') ? text.trim().slice(1, -1) : text;
  // Java string literals: `"{id:\\d+}"` is the pattern `{id:\d+}`
  return [...inner.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
}

function joinPath(base: string, path: string): string {
  const joined = `/${base}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** `@ResponseStatus(HttpStatus.CREATED)` → 201. */
export function getResponseStatus(m: { annotations: JavaMethod['annotations'] }): number | undefined {
  const a = getAnnotation(m, 'ResponseStatus');
  const value = a?.args.value ?? a?.args.code;
  if (value === undefined) return undefined;
  return STATUS_CODES[value.replace(/^HttpStatus\./, '')];
}

/** A handler method with its HTTP method, one full path (Spring pattern) and its `params` conditions. */
export interface HandlerRoute {
  method: JavaMethod;
  http: string;
  path: string;
  params: string[];
}

/** The handler methods of a controller; a mapping with several paths (`{"/a", "/b"}`) is one route each. */
export function getRoutes(cls: JavaClass): HandlerRoute[] {
  const mapping = getAnnotation(cls, 'RequestMapping');
  const bases = unquoteAll(mapping?.args.value ?? mapping?.args.path);
  const routes: HandlerRoute[] = [];
  for (const m of cls.methods) {
    for (const a of m.annotations) {
      let http = MAPPINGS[a.name];
      if (a.name === 'RequestMapping')
        http = a.args.method?.replace(/.*RequestMethod\./, '').replace(/[{}]/g, '') ?? 'GET';
      if (http === undefined) continue;
      const paths = unquoteAll(a.args.value ?? a.args.path);
      const params = unquoteAll(a.args.params);
      for (const base of bases.length === 0 ? [''] : bases)
        for (const path of paths.length === 0 ? [''] : paths)
          routes.push({ method: m, http, path: joinPath(base, path), params });
    }
  }
  return routes;
}

function bindParam(
  p: JavaVariable,
  ctx: ServiceContext,
  cls: JavaClass,
  imports: ImportSet,
  todos: string[],
  route: string,
): string {
  const scope = createScope(ctx, cls, 'routes', imports, false);
  const path = getAnnotation(p, 'PathVariable');
  const query = getAnnotation(p, 'RequestParam');
  const body = getAnnotation(p, 'RequestBody');
  const header = getAnnotation(p, 'RequestHeader');
  const name = (a: typeof path): string => unquote(a?.args.value ?? a?.args.name) || p.name;
  if (path) {
    const raw = `httpRequest.params[${JSON.stringify(name(path))}] ?? ''`;
    if (!isNumberType(p.type)) return `const ${p.name} = ${raw};`;
    imports.useRuntime('router', 'toNumber');
    return `const ${p.name} = toNumber(${raw}, ${JSON.stringify(name(path))}, ${JSON.stringify(p.type.name)});`;
  }
  if (query) {
    const required = query.args.required !== 'false' && query.args.defaultValue === undefined;
    const key = JSON.stringify(name(query));
    if (isListType(p.type)) {
      if (required) {
        imports.useRuntime('router', 'requireQueryList');
        return `const ${p.name} = requireQueryList(httpRequest, ${key});`;
      }
      return `const ${p.name} = httpRequest.query.getAll(${key}).flatMap((v) => v.split(','));`;
    }
    let value: string;
    if (required) {
      imports.useRuntime('router', 'requireQuery');
      value = `requireQuery(httpRequest, ${key}, ${JSON.stringify(p.type.name)})`;
    } else value = `(httpRequest.query.get(${key}) ?? ${query.args.defaultValue ?? 'null'})`;
    if (!isNumberType(p.type)) return `const ${p.name} = ${value};`;
    imports.useRuntime('router', 'toNumber');
    const javaType = JSON.stringify(p.type.name);
    return required
      ? `const ${p.name} = toNumber(${value}, ${key}, ${javaType});`
      : `const ${p.name} = ${value} === null ? null : toNumber(String(${value}), ${key}, ${javaType});`;
  }
  if (body) {
    const type = tsType(p.type, scope) || 'unknown';
    const validate = hasAnnotation(p, 'Valid', 'Validated') && ctx.classes.has(p.type.name);
    // Jackson reads the body by its property names, into the class (its methods and toJSON with it)
    const reader = renderJacksonReader(p.type, ctx, imports);
    if (reader !== undefined) imports.useRuntime('spring-web', 'readJackson');
    const json = reader === undefined ? 'httpRequest.json()' : `readJackson(httpRequest.json(), ${reader})`;
    if (!validate) return `const ${p.name} = ${json} as ${type};`;
    imports.useRuntime('spring-web', 'MethodArgumentNotValidException');
    imports.useRuntime('spring-web', 'FieldError');
    imports.useModule('../validation.ts', validatorName(p.type.name));
    return `const ${p.name}Json = ${json};\nconst ${p.name}Errors: FieldError[] = [];\n${validatorName(p.type.name)}(${p.name}Json, '', ${p.name}Errors);\nif (${p.name}Errors.length > 0) throw new MethodArgumentNotValidException(${p.name}Errors);\nconst ${p.name} = ${p.name}Json as ${type};`;
  }
  if (header) {
    return `const ${p.name} = String(httpRequest.headers[${JSON.stringify(name(header).toLowerCase())}] ?? '');`;
  }
  if (p.type.name === 'HttpServletRequest') return `const ${p.name} = httpRequest;`;
  todos.push(`${p.type.name} ${p.name} (${route})`);
  return `// TODO(migrate): parameter ${p.type.name} ${p.name} has no binding in the port\nconst ${p.name} = undefined as never;`;
}

/**
 * The response body, checked against the OpenAPI schema of the route when there is one:
 * `(await controller.getOrders()) satisfies JsonOf<components['schemas']['OrderResponse'][]>`.
 */
function checkBody(
  ctx: ServiceContext,
  imports: ImportSet,
  http: string,
  path: string,
  status: number,
  call: string,
): string {
  const type = getResponseBodyType(ctx.openapi, http, path, status);
  if (type === undefined) return call;
  imports.useModule('../api/openapi.ts', 'components');
  imports.useModule('../api/openapi.ts', 'JsonOf');
  return `(${call}) satisfies JsonOf<${type}>`;
}

/** What a handler's return type answers with: a future's value type (`CompletableFuture<Void>` → void). */
function getAnsweredType(type: JavaType | undefined): JavaType | undefined {
  if (!isFutureType(type)) return type;
  const value = type?.args[0];
  return value === undefined || value.name === 'Void'
    ? { name: 'void', args: [], array: false, annotations: [] }
    : value;
}

/** `export function orderControllerRoutes(controller): Route[]`. */
export function generateRoutes(ctx: ServiceContext, cls: JavaClass, imports: ImportSet): string {
  imports.useRuntime('router', 'Route');
  const entries = getRoutes(cls).map(({ method: m, http, path, params }) => {
    const todos: string[] = [];
    const bindings = m.params.map((p) => bindParam(p, ctx, cls, imports, todos, `${http} ${path}`));
    for (const t of todos) {
      ctx.todos.push({
        file: cls.file,
        line: m.line,
        member: `${cls.name}.${m.name}`,
        why: `unsupported handler parameter ${t}`,
        java: m.text.split('\n')[0] ?? '',
      });
    }
    const isAsync = ctx.asyncMethods.has(`${cls.name}.${m.name}`);
    const call = `${isAsync ? 'await ' : ''}controller.${m.name}(${m.params.map((p) => p.name).join(', ')})`;
    const status = getResponseStatus(m) ?? 200;
    // Spring MVC answers a CompletableFuture with what it completes with: a ResponseEntity's status and body too
    const returns = getAnsweredType(m.returnType)?.name;
    const result =
      returns === 'ResponseEntity'
        ? `return ${call};`
        : returns === 'void'
          ? `${call};\nreturn { status: ${status === 200 ? 200 : status}, body: undefined };`
          : `return { status: ${status}, body: ${checkBody(ctx, imports, http, path, status, call)} };`;
    return `{
  method: '${http}',
  path: ${JSON.stringify(path)},${params.length > 0 ? `\n  params: ${JSON.stringify(params)},` : ''}
  // from ${fileName(cls.file)}:${m.line}
  handle: async (${m.params.length > 0 ? 'httpRequest' : '_httpRequest'}) => {
${bindings.join('\n')}
${result}
  },
}`;
  });
  return `/** The routes of ${cls.name}. */\nexport function ${lowerFirst(cls.name)}Routes(controller: ${cls.name}): Route[] {\n// eslint-disable-next-line @typescript-eslint/require-await\nreturn [\n${entries.join(',\n')}\n];\n}`;
}

/** `export function apiExceptionHandlerErrors(advice): ErrorHandler`, most specific exception first. */
export function generateAdvice(ctx: ServiceContext, cls: JavaClass, imports: ImportSet): string {
  imports.useRuntime('router', 'ErrorHandler');
  const handlers: { types: string[]; method: JavaMethod }[] = [];
  for (const m of cls.methods) {
    const a = getAnnotation(m, 'ExceptionHandler');
    if (!a) continue;
    const raw = a.args.value ?? m.params[0]?.type.name ?? 'Exception';
    const types = raw
      .replace(/[{}]/g, '')
      .split(',')
      .map((t) => t.trim().replace(/\.class$/, ''))
      .filter(Boolean);
    handlers.push({ types, method: m });
  }
  const generic = (t: string): boolean => ['Exception', 'RuntimeException', 'Throwable'].includes(t);
  handlers.sort((x, y) => Number(x.types.some(generic)) - Number(y.types.some(generic)));
  const branches = handlers.map(({ types, method: m }) => {
    const checks: string[] = [];
    for (const t of types) {
      if (generic(t)) checks.push('error instanceof Error');
      else if (RUNTIME_TYPES[t]) {
        const r = RUNTIME_TYPES[t];
        imports.useRuntime(r.module, r.name);
        checks.push(`error instanceof ${r.name}`);
      } else if (ctx.classes.has(t)) {
        imports.useClass(t);
        checks.push(`error instanceof ${t}`);
      } else {
        ctx.todos.push({
          file: cls.file,
          line: m.line,
          member: `${cls.name}.${m.name}`,
          why: `exception type ${t} has no equivalent in the port`,
          java: m.text.split('\n')[0] ?? '',
        });
      }
    }
    if (checks.length === 0) return '';
    const args = m.params.length > 0 ? 'error' : '';
    const isAsync = ctx.asyncMethods.has(`${cls.name}.${m.name}`);
    const call = `${isAsync ? 'await ' : ''}advice.${m.name}(${args})`;
    const result =
      getAnsweredType(m.returnType)?.name === 'ResponseEntity'
        ? call
        : `{ status: ${getResponseStatus(m) ?? 500}, body: ${call} }`;
    return `// from ${fileName(cls.file)}:${m.line}\nif (${checks.join(' || ')}) return ${result};`;
  });
  return `/** Maps exceptions to responses as ${cls.name} did. */\nexport function ${lowerFirst(cls.name)}ErrorHandler(advice: ${cls.name}): ErrorHandler {\nreturn ${handlers.some((h) => ctx.asyncMethods.has(`${cls.name}.${h.method.name}`)) ? 'async ' : ''}(error) => {\n${branches.filter(Boolean).join('\n')}\nreturn undefined;\n};\n}`;
}
