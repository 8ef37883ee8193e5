/** Java statements → TypeScript. A statement that cannot be translated becomes a TODO with the Java beside it. */
import type { Node } from 'web-tree-sitter';
import { field, isNode, setBlockTranslator, translateExpr, tsType } from './expressions.ts';
import { readType } from './read-model.ts';
import { declareLocal, OBJECT_TYPE, simpleType, withBlock, type Scope } from './scope.ts';
import { renderTodo, Untranslatable } from './todo.ts';
import { PLAIN_ERRORS, RUNTIME_TYPES } from './runtime-names.ts';
import { isNullChecked } from './nullability.ts';
import { isBooleanType, isMapType, isNumberType } from './types.ts';
import { isAsyncCall, lambdaParamNames } from './calls.ts';
import { inferType } from './infer.ts';

/** Translates the statements of a block (without braces), one TODO per failing statement. */
export function translateStatements(block: Node, scope: Scope): string {
  return block.namedChildren
    .filter(isNode)
    .map((s) => translateStatementOrTodo(s, scope))
    .join('\n');
}

export function translateBlock(block: Node, scope: Scope): string {
  return `{\n${withBlock(scope, () => translateStatements(block, scope))}\n}`;
}

setBlockTranslator(translateBlock);

function translateStatementOrTodo(node: Node, scope: Scope): string {
  // U+2028/U+2029 end a line comment in JavaScript, not in Java
  if (node.type === 'line_comment') return node.text.replace(/[\u2028\u2029]/g, ' ');
  if (node.type === 'block_comment') return node.text;
  try {
    return translateStatement(node, scope);
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    const line = (error.node ?? node).startPosition.row + 1;
    scope.ctx.todos.push({
      file: scope.cls.file,
      line,
      member: `${scope.cls.name}.${scope.member}`,
      why: error.message,
      java: node.text,
    });
    // A local declared by the failed statement still exists for the statements after it.
    const declared = node.type === 'local_variable_declaration' ? declaredNames(node, scope) : '';
    return `${renderTodo(error.message, node.text, `${fileName(scope.cls.file)}:${line}`)}${declared}`;
  }
}

function declaredNames(node: Node, scope: Scope): string {
  const typeNode = node.childForFieldName('type');
  const type = typeNode ? readType(typeNode) : simpleType('Object');
  return node
    .childrenForFieldName('declarator')
    .filter(isNode)
    .map((d) => {
      const name = d.childForFieldName('name')?.text ?? '';
      declareLocal(scope, name, type);
      return `\nlet ${name}: ${tsType(type, scope) || 'unknown'};`;
    })
    .join('');
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function body(node: Node, scope: Scope): string {
  return node.type === 'block'
    ? translateBlock(node, scope)
    : `{\n${withBlock(scope, () => translateStatementOrTodo(node, scope))}\n}`;
}

function translateStatement(node: Node, scope: Scope): string {
  switch (node.type) {
    case 'local_variable_declaration':
      return translateLocal(node, scope);
    case 'expression_statement': {
      const loop = translateAwaitingForEach(node.namedChildren[0] ?? undefined, scope);
      return loop ?? `${translateExpr(node.namedChildren[0] ?? node, scope)};`;
    }
    case 'return_statement': {
      const value = node.namedChildren[0];
      return value ? `return ${translateExpr(value, scope)};` : 'return;';
    }
    case 'if_statement': {
      const alt = node.childForFieldName('alternative');
      const cond = translateExpr(field(node, 'condition'), scope);
      const head = `if ${cond.startsWith('(') && cond.endsWith(')') ? cond : `(${cond})`} ${body(field(node, 'consequence'), scope)}`;
      if (!alt) return head;
      return `${head} else ${alt.type === 'if_statement' ? translateStatement(alt, scope) : body(alt, scope)}`;
    }
    case 'enhanced_for_statement': {
      const name = field(node, 'name').text;
      const type = readType(field(node, 'type'));
      const iterable = translateExpr(field(node, 'value'), scope);
      return withBlock(scope, () => {
        declareLocal(scope, name, type);
        return `for (const ${name} of ${iterable}) ${body(field(node, 'body'), scope)}`;
      });
    }
    case 'for_statement': {
      return withBlock(scope, () => {
        const init = node.childForFieldName('init');
        const initText = init
          ? init.type === 'local_variable_declaration'
            ? translateLocal(init, scope, true).replace(/;$/, '')
            : translateExpr(init, scope)
          : '';
        const cond = node.childForFieldName('condition');
        const update = node.childForFieldName('update');
        return `for (${initText}; ${cond ? translateExpr(cond, scope) : ''}; ${update ? translateExpr(update, scope) : ''}) ${body(field(node, 'body'), scope)}`;
      });
    }
    case 'while_statement':
      return `while ${translateExpr(field(node, 'condition'), scope)} ${body(field(node, 'body'), scope)}`;
    case 'do_statement':
      return `do ${body(field(node, 'body'), scope)} while ${translateExpr(field(node, 'condition'), scope)};`;
    case 'throw_statement':
      return `throw ${translateExpr(node.namedChildren[0] ?? node, scope)};`;
    case 'block':
      return translateBlock(node, scope);
    case 'synchronized_statement':
      // Node runs one request's code at a time between awaits; the lock has nothing to guard.
      return translateBlock(field(node, 'body'), scope);
    case 'break_statement':
    case 'continue_statement':
      if (node.namedChildren.length > 0) throw new Untranslatable('labelled break/continue', node);
      return `${node.type === 'break_statement' ? 'break' : 'continue'};`;
    case 'try_statement':
      return translateTry(node, scope);
    case 'explicit_constructor_invocation': {
      const ctor = node.namedChildren[0]?.text;
      const argsNode = node.childForFieldName('arguments');
      const args = (argsNode?.namedChildren.filter(isNode) ?? []).map((a) => translateExpr(a, scope));
      if (ctor !== 'super') throw new Untranslatable('this(...) constructor delegation', node);
      return `super(${args.join(', ')});`;
    }
    case ';':
      return '';
    default:
      throw new Untranslatable(`${node.type.replaceAll('_', ' ')} is not supported`, node);
  }
}

/**
 * `xs.forEach(x -> repo.save(x))` / `map.forEach((k, v) -> …)` whose lambda awaits, where the code may await:
 * a `for … of` loop, so that each call finishes before the next and before the statement after, as in Java.
 */
function translateAwaitingForEach(expr: Node | undefined, scope: Scope): string | undefined {
  if (expr?.type !== 'method_invocation' || expr.childForFieldName('name')?.text !== 'forEach')
    return undefined;
  const object = expr.childForFieldName('object');
  const lambda = expr.childForFieldName('arguments')?.namedChildren[0];
  if (!object || lambda?.type !== 'lambda_expression' || scope.lambdaDepth > 0) return undefined;
  const awaits = lambda
    .descendantsOfType('method_invocation')
    .some((c) => c !== null && safeIsAsyncCall(c, scope));
  if (!awaits) return undefined;
  const names = lambdaParamNames(lambda);
  const body = lambda.childForFieldName('body');
  if (!body || names.length === 0 || names.length > 2) return undefined;
  const receiverType = inferType(object, scope);
  return withBlock(scope, () => {
    for (const n of names) declareLocal(scope, n, OBJECT_TYPE);
    const head = names.length === 2 ? `[${names.join(', ')}]` : names[0];
    const source = translateExpr(object, scope);
    const iterable = names.length === 2 || isMapType(receiverType) ? `${source}.entries()` : source;
    const inner = body.type === 'block' ? translateStatements(body, scope) : `${translateExpr(body, scope)};`;
    return `for (const ${head} of ${iterable}) {\n${inner}\n}`;
  });
}

function safeIsAsyncCall(call: Node, scope: Scope): boolean {
  try {
    return isAsyncCall(call, scope);
  } catch {
    return false;
  }
}

function isReassigned(name: string, scopeNode: Node | null): boolean {
  if (!scopeNode) return true;
  const assigns = scopeNode.descendantsOfType(['assignment_expression', 'update_expression']);
  return assigns.some((a) => {
    const target = a?.type === 'assignment_expression' ? a.childForFieldName('left') : a?.namedChildren[0];
    return target?.type === 'identifier' && target.text === name;
  });
}

function translateLocal(node: Node, scope: Scope, forceLet = false): string {
  const type = readType(field(node, 'type'));
  return node
    .childrenForFieldName('declarator')
    .filter(isNode)
    .map((d) => {
      const name = field(d, 'name').text;
      const value = d.childForFieldName('value');
      const init = value ? translateExpr(value, scope) : undefined;
      declareLocal(scope, name, type);
      const keyword = forceLet || !value || isReassigned(name, node.parent) ? 'let' : 'const';
      const ts = type.name === 'var' ? '' : tsType(type, scope);
      // a local the code compares with null may hold null (e.g. `System.getenv`)
      const nullable =
        node.parent !== null &&
        !isNumberType(type) &&
        !isBooleanType(type) &&
        isNullChecked(name, node.parent)
          ? ' | null'
          : '';
      const annotation = ts === '' || ts === 'unknown' ? '' : `: ${ts}${nullable}`;
      return `${keyword} ${name}${annotation}${init === undefined ? '' : ` = ${init}`};`;
    })
    .join('\n');
}

/** Spring's per-status client exceptions (`WebClientResponseException.NotFound`) → the status they stand for. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  Gone: 410,
  UnprocessableEntity: 422,
  TooManyRequests: 429,
  InternalServerError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
};

function getClientErrorStatus(type: string): number | undefined {
  const m = /^(?:WebClientResponseException|HttpClientErrorException|HttpServerErrorException)\.(\w+)$/.exec(
    type,
  );
  return m?.[1] === undefined ? undefined : CLIENT_ERROR_STATUS[m[1]];
}

/** Java's typed catch clauses → one catch with instanceof checks, rethrowing what no clause takes. */
function translateTry(node: Node, scope: Scope): string {
  if (node.type === 'try_with_resources_statement') throw new Untranslatable('try-with-resources', node);
  const tryBlock = translateBlock(field(node, 'body'), scope);
  const clauses = node.namedChildren.filter((n): n is Node => n?.type === 'catch_clause');
  const finallyNode = node.namedChildren.find((n) => n?.type === 'finally_clause');
  let out = `try ${tryBlock}`;
  if (clauses.length > 0) {
    const branches: string[] = [];
    let catchAll = false;
    for (const clause of clauses) {
      const param = clause.namedChildren.find((n) => n?.type === 'catch_formal_parameter');
      const name = param?.childForFieldName('name')?.text ?? 'e';
      const types = (
        param?.namedChildren.find((n) => n?.type === 'catch_type')?.namedChildren.filter(isNode) ?? []
      ).map((t) => t.text);
      const isAll = types.some((t) => PLAIN_ERRORS.has(t));
      const block = field(clause, 'body');
      const inner = withBlock(scope, () => {
        declareLocal(scope, name, simpleType(isAll ? 'Exception' : (types[0] ?? 'Exception')));
        return translateStatements(block, scope);
      });
      if (isAll) {
        scope.imports.useRuntime('java', 'asError');
        branches.push(`{\nconst ${name} = asError(error);\n${inner}\n}`);
        catchAll = true;
        break;
      }
      const checks = types.map((t) => {
        const status = getClientErrorStatus(t);
        if (status !== undefined) {
          scope.imports.useRuntime('rest-client', 'RestClientException');
          return `(error instanceof RestClientException && error.statusCode === ${status})`;
        }
        const runtime = RUNTIME_TYPES[t];
        if (runtime) scope.imports.useRuntime(runtime.module, runtime.name);
        else if (scope.ctx.classes.has(t)) scope.imports.useClass(t);
        else throw new Untranslatable(`catch of ${t}`, clause);
        return `error instanceof ${runtime?.name ?? t}`;
      });
      branches.push(`if (${checks.join(' || ')}) {\nconst ${name} = error;\n${inner}\n}`);
    }
    if (!catchAll) branches.push('{\nthrow error;\n}');
    out += ` catch (error) {\n${branches.length === 1 ? branches[0]?.slice(2, -2) : branches.join(' else ')}\n}`;
  }
  if (finallyNode) out += ` finally ${translateBlock(finallyNode.namedChildren[0] ?? finallyNode, scope)}`;
  return out;
}
