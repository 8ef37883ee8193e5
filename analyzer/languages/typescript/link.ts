/**
 * Links the per-file facts of one service: endpoints with their handler sites, and for each effect the call
 * chain from a route handler to it (through named functions, matched by name across the service's files).
 */
import type { CallStep, Endpoint, RawEffect } from '../../model.ts';
import type { TsFileFacts, TsFunction, TsRoute } from './extract.ts';

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

export function linkTsService(files: readonly LocatedTsFacts[]): {
  endpoints: Endpoint[];
  effects: RawEffect[];
} {
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
      endpoints.push({
        method: route.method as Endpoint['method'],
        path: route.path,
        handler: routeSymbol(route),
        site: { file: path, line: route.line, column: route.column, excerpt: route.excerpt },
        parameters: pathParameters(route.path),
        status: 200,
      });
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
