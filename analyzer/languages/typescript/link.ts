/**
 * Links the per-file facts of one service: endpoints with their handler sites, and for each effect the call
 * chain from a route handler to it (through named functions, matched by name across the service's files).
 */
import type { CallStep, Endpoint, RawEffect } from '../../model.ts';
import type { TsFileFacts, TsFunction, TsRoute } from './extract.ts';
import { resolveRelative } from './modules.ts';

export interface LocatedTsFacts {
  path: string;
  facts: TsFileFacts;
}

interface FnRef {
  file: string;
  fn: TsFunction;
}

function pathParameters(path: string): Endpoint['parameters'] {
  return [...path.matchAll(/:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\}/g)].map((m) => ({
    name: m[1] ?? m[2] ?? '',
    in: 'path' as const,
    type: 'string',
    required: true,
  }));
}

function routeSymbol(route: TsRoute): string {
  return route.handler === '<anonymous>' ? `${route.method} ${route.path}` : route.handler;
}

/** `/api` + `/products/` → `/api/products`; the root stays `/`. */
export function joinPath(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  return joined === '' ? '/' : joined.startsWith('/') ? joined : `/${joined}`;
}

const MAX_HOPS = 8;

/**
 * Mount prefixes per owner (`file#local`): an owner mounted nowhere is a root (prefix ''); one mounted twice has
 * two. Owners are followed through relative imports and re-exports to the file that declares them.
 */
function createPrefixResolver(files: readonly LocatedTsFacts[]): (file: string, owner: string) => string[] {
  const paths = new Set(files.map((f) => f.path));
  const byPath = new Map(files.map((f) => [f.path, f.facts]));
  const resolveExport = (file: string, name: string, hops: number): string => {
    const module = byPath.get(file)?.module;
    const local = module?.exports[name];
    if (local !== undefined) return resolveLocal(file, local, hops + 1);
    const re = module?.reexports[name];
    const target = re === undefined ? undefined : resolveRelative(file, re.spec, paths);
    if (re !== undefined && target !== undefined && hops < MAX_HOPS)
      return resolveExport(target, re.name, hops + 1);
    return `${file}#${name}`;
  };
  const resolveLocal = (file: string, local: string, hops = 0): string => {
    if (hops > MAX_HOPS) return `${file}#${local}`;
    // `<nest>`-style owners are the service's, not a file's (every controller, the global prefix)
    if (local.startsWith('<')) return local;
    if (local.startsWith('require:')) {
      const target = resolveRelative(file, local.slice('require:'.length), paths);
      return target === undefined ? `${file}#${local}` : resolveExport(target, 'default', hops + 1);
    }
    const imported = byPath.get(file)?.module.imports[local];
    const target = imported === undefined ? undefined : resolveRelative(file, imported.spec, paths);
    if (imported !== undefined && target !== undefined) return resolveExport(target, imported.name, hops + 1);
    return `${file}#${local}`;
  };
  const parents = new Map<string, Array<{ parent: string; prefix: string }>>();
  /** A router's own prefix (koa-router `new Router({ prefix })`), written as a mount on itself. */
  const own = new Map<string, string>();
  for (const { path, facts } of files)
    for (const mount of facts.mounts) {
      const child = resolveLocal(path, mount.child);
      const parent = resolveLocal(path, mount.owner);
      if (child === parent) {
        own.set(child, mount.prefix);
        continue;
      }
      parents.set(child, [...(parents.get(child) ?? []), { parent, prefix: mount.prefix }]);
    }
  const prefixesOf = (key: string, seen: ReadonlySet<string>): string[] => {
    const up = (parents.get(key) ?? []).filter((p) => !seen.has(p.parent));
    const self = own.get(key) ?? '';
    if (up.length === 0) return [self];
    const next = new Set([...seen, key]);
    return [
      ...new Set(
        up.flatMap((p) => prefixesOf(p.parent, next).map((x) => joinPath(joinPath(x, p.prefix), self))),
      ),
    ];
  };
  return (file, owner) => prefixesOf(resolveLocal(file, owner), new Set()).map((p) => (p === '/' ? '' : p));
}

export function linkTsService(files: readonly LocatedTsFacts[]): {
  endpoints: Endpoint[];
  effects: RawEffect[];
} {
  const getPrefixes = createPrefixResolver(files);
  const byName = new Map<string, FnRef[]>();
  for (const { path, facts } of files)
    for (const fn of facts.functions) {
      const short = fn.symbol.split('.').pop() ?? fn.symbol;
      byName.set(short, [...(byName.get(short) ?? []), { file: path, fn }]);
    }
  const endpoints: Endpoint[] = [];
  // Reachability: function key → call chain from a route.
  const chains = new Map<string, CallStep[]>();
  const key = (file: string, fn: { start: number }): string => `${file}#${fn.start}`;
  const queue: Array<{ ref: FnRef; chain: CallStep[] }> = [];
  for (const { path, facts } of files) {
    for (const route of facts.routes) {
      for (const prefix of route.method === 'GRPC' ? [''] : getPrefixes(path, route.owner)) {
        const full = route.method === 'GRPC' ? route.path : joinPath(prefix, route.path);
        endpoints.push({
          method: route.method as Endpoint['method'],
          path: full,
          handler: routeSymbol(route),
          site: { file: path, line: route.line, column: route.column, excerpt: route.excerpt },
          parameters: pathParameters(full),
          status: route.status,
        });
      }
      const hs = route.handlerSite;
      const local = hs === undefined ? undefined : facts.functions.find((f) => f.start === hs.start);
      // A handler imported from another file of the service is found by name.
      const refs: FnRef[] =
        local !== undefined
          ? [{ file: path, fn: local }]
          : route.handler === '<anonymous>'
            ? []
            : (byName.get(route.handler.split('.').pop() ?? route.handler) ?? []);
      for (const ref of refs)
        queue.push({ ref, chain: [{ symbol: routeSymbol(route), file: ref.file, line: ref.fn.line }] });
    }
  }
  while (queue.length > 0) {
    const { ref, chain } = queue.shift() as { ref: FnRef; chain: CallStep[] };
    const k = key(ref.file, ref.fn);
    if (chains.has(k)) continue;
    const own: CallStep[] =
      chain[chain.length - 1]?.symbol === ref.fn.symbol
        ? chain
        : [...chain, { symbol: ref.fn.symbol, file: ref.file, line: ref.fn.line }];
    chains.set(k, own);
    for (const name of ref.fn.calls)
      for (const next of byName.get(name) ?? []) queue.push({ ref: next, chain: own });
  }
  const effects: RawEffect[] = [];
  for (const { path, facts } of files) {
    for (const e of facts.effects) {
      // Innermost enclosing named function, else an inline handler.
      const enclosing = facts.functions
        .filter((f) => f.start <= e.pos && e.pos < f.end)
        .sort((a, b) => b.start - a.start)[0];
      const via: CallStep[] = enclosing === undefined ? [] : (chains.get(key(path, enclosing)) ?? []);
      effects.push({
        kind: e.kind,
        detail: e.detail,
        site: { file: path, line: e.line, column: e.column, excerpt: e.excerpt },
        via,
      });
    }
  }
  return { endpoints, effects };
}
