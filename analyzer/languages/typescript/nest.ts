/**
 * NestJS routes: `@Controller('orders')` classes with `@Get(':id')`/`@Post()`… methods. The success status is
 * `@HttpCode(n)`, else Nest's default (201 for POST, 200 otherwise). `app.setGlobalPrefix('api')` is a mount of
 * every controller (owner `<nest>`), read in `visitNestBootstrap`.
 */
import { ts } from 'ts-morph';
import type { RouteSpec, TsMount } from './routes.ts';

const VERBS: Readonly<Record<string, string>> = {
  Get: 'get',
  Post: 'post',
  Put: 'put',
  Patch: 'patch',
  Delete: 'delete',
  Head: 'head',
  Options: 'options',
  All: 'all',
};
export const NEST_OWNER = '<nest>';

interface Decorator {
  name: string;
  args: readonly ts.Expression[];
}

function getDecorators(node: ts.Node): Decorator[] {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).flatMap((d) => {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression))
      return [{ name: e.expression.text, args: e.arguments }];
    return [];
  });
}

/** The literal path of `@Controller('x')`, `@Controller({ path: 'x' })` or `@Get('x')`; '' when none. */
function getPath(args: readonly ts.Expression[]): string | undefined {
  const first = args[0];
  if (first === undefined) return '';
  if (ts.isStringLiteralLike(first)) return first.text;
  if (ts.isObjectLiteralExpression(first))
    for (const p of first.properties)
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'path')
        return ts.isStringLiteralLike(p.initializer) ? p.initializer.text : undefined;
  return ts.isObjectLiteralExpression(first) ? '' : undefined;
}

const join = (a: string, b: string): string =>
  `/${[a, b]
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter((s) => s !== '')
    .join('/')}`;

/** Routes of a `@Controller` class. */
export function visitNestController(node: ts.ClassDeclaration, add: (spec: RouteSpec) => void): void {
  const controller = getDecorators(node).find((d) => d.name === 'Controller');
  if (controller === undefined) return;
  const prefix = getPath(controller.args);
  if (prefix === undefined) return;
  for (const member of node.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const decorators = getDecorators(member);
    const code = decorators.find((d) => d.name === 'HttpCode')?.args[0];
    for (const d of decorators) {
      const verb = VERBS[d.name];
      const path = verb === undefined ? undefined : getPath(d.args);
      if (verb === undefined || path === undefined) continue;
      const status =
        code !== undefined && ts.isNumericLiteral(code) ? Number(code.text) : verb === 'post' ? 201 : 200;
      add({
        node: member,
        method: verb,
        path: join(prefix, path),
        handler: member as unknown as ts.Expression,
        owner: NEST_OWNER,
        status,
      });
    }
  }
}

/** `app.setGlobalPrefix('api')` in the bootstrap: a mount of every controller. */
export function visitNestBootstrap(node: ts.CallExpression, mounts: TsMount[], line: number): void {
  const callee = node.expression;
  const first = node.arguments[0];
  if (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'setGlobalPrefix' &&
    first !== undefined &&
    ts.isStringLiteralLike(first)
  )
    mounts.push({ owner: '<nest-root>', prefix: first.text, child: NEST_OWNER, line });
}
