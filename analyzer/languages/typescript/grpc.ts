/** gRPC servers (`@grpc/grpc-js`): the methods a `Server` is given, as endpoints of kind GRPC. */
import { ts } from 'ts-morph';
import type { CallContext } from './facts.ts';

/**
 * `server.addService(proto.pkg.Svc.service, { method: impl })`: one endpoint per implemented method, path
 * `/pkg.Svc/Method` (the gRPC wire path; the proto package is read from the expression as written), plus a
 * `grpc-in` effect for readiness.
 */
export function visitGrpcService(node: ts.CallExpression, context: CallContext): void {
  const [definition, impl] = node.arguments;
  if (definition === undefined) return;
  const path = definition.getText(context.sf).split('.');
  if (path[path.length - 1] === 'service') path.pop();
  // proto.shop.Catalog or pkg['shop'].Catalog: drop the loaded-package variable, keep the proto path
  const serviceName = path.length > 1 ? path.slice(1).join('.') : (path[0] ?? '?');
  const methods: Array<{ name: string; handler: ts.Expression | undefined; node: ts.Node }> = [];
  if (impl !== undefined && ts.isObjectLiteralExpression(impl))
    for (const p of impl.properties) {
      const name =
        p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
          ? p.name.text
          : undefined;
      if (name === undefined) continue;
      const handler = ts.isPropertyAssignment(p)
        ? p.initializer
        : ts.isShorthandPropertyAssignment(p)
          ? p.name
          : ts.isMethodDeclaration(p)
            ? (p as unknown as ts.Expression)
            : undefined;
      methods.push({ name, handler, node: p });
    }
  // An implementation passed by name: its methods come from the .proto (see `grpc-proto.ts`).
  if (methods.length === 0) methods.push({ name: '*', handler: undefined, node });
  for (const m of methods) {
    const method = `${m.name.charAt(0).toUpperCase()}${m.name.slice(1)}`;
    context.addRoute({
      node: m.node,
      method: 'grpc',
      path: `/${serviceName}/${method}`,
      handler: m.handler,
      owner: '<grpc>',
      status: 0,
    });
  }
  context.effect(node, 'grpc-in', {
    summary: `gRPC service ${serviceName}`,
    api: 'grpc.Server.addService',
    operation: 'grpc',
  });
}
