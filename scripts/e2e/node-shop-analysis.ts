/** Compares `migrate analyze --json` on samples/node-shop with the hand-written samples/node-shop/expected.json. */

export interface NodeShopExpectation {
  services: Record<string, { routes: string[]; effects: Record<string, number> }>;
}

interface AnalyzedService {
  name: string;
  endpoints?: { method: string; path: string }[];
  effects?: { kind: string }[];
}

export interface AnalysisComparison {
  /** Expected services the analysis found. */
  servicesFound: number;
  /** Expected routes (method and full path) the analysis found. */
  routesFound: number;
  routesExpected: number;
  /** Expected effect call sites the analysis did not report (per kind, the shortfall against the count). */
  effectsMissed: number;
  /** One line per difference. */
  problems: string[];
}

export function compareNodeShopAnalysis(
  analysis: unknown,
  expected: NodeShopExpectation,
): AnalysisComparison {
  const services = (analysis as { services?: AnalyzedService[] }).services ?? [];
  const problems: string[] = [];
  let servicesFound = 0;
  let routesFound = 0;
  let routesExpected = 0;
  let effectsMissed = 0;
  for (const [name, want] of Object.entries(expected.services)) {
    routesExpected += want.routes.length;
    const got = services.find((s) => s.name === name);
    if (got === undefined) {
      problems.push(`${name}: service not found`);
      effectsMissed += Object.values(want.effects).reduce((a, b) => a + b, 0);
      continue;
    }
    servicesFound += 1;
    const routes = new Set((got.endpoints ?? []).map((e) => `${e.method} ${e.path}`));
    for (const route of want.routes) {
      if (routes.has(route)) routesFound += 1;
      else problems.push(`${name}: route ${route} not found (found: ${[...routes].join(', ') || 'none'})`);
    }
    for (const [kind, count] of Object.entries(want.effects)) {
      const seen = (got.effects ?? []).filter((e) => e.kind === kind).length;
      if (seen < count) {
        effectsMissed += count - seen;
        problems.push(`${name}: ${count - seen} of ${count} ${kind} effect(s) missed`);
      }
    }
  }
  return { servicesFound, routesFound, routesExpected, effectsMissed, problems };
}
