/**
 * Compares `migrate analyze --json` on samples/node-shop with the hand-written samples/node-shop/expected.json.
 * Run alone (`node scripts/e2e/node-shop-analysis.ts`) it analyzes the sample in-process and prints one JSON line
 * of figures, then the differences on stderr; `npm run e2e:node-sample` uses the same comparison.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NodeShopExpectation {
  services: Record<
    string,
    {
      framework?: string;
      /** `METHOD /full/path` → success status. */
      routes: Record<string, number>;
      /** `kind file:line`, one entry per call site or env key (repeated when one line has several). */
      effects: string[];
    }
  >;
}

interface AnalyzedService {
  name: string;
  framework?: string;
  endpoints?: { method: string; path: string; status?: number }[];
  effects?: { kind: string; site: { file: string; line: number } }[];
}

export interface AnalysisComparison {
  /** Expected services the analysis found. */
  servicesFound: number;
  /** Expected routes (method, full path and status) the analysis found. */
  routesFound: number;
  routesExpected: number;
  /** Expected effects (kind at file:line) the analysis did not report. */
  effectsMissed: number;
  /** Effects the analysis reported that the expectation does not list. */
  effectsUnexpected: number;
  /** One line per difference. */
  problems: string[];
}

function countBy(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

export function compareNodeShopAnalysis(
  analysis: unknown,
  expected: NodeShopExpectation,
): AnalysisComparison {
  const services = (analysis as { services?: AnalyzedService[] }).services ?? [];
  const problems: string[] = [];
  const result = {
    servicesFound: 0,
    routesFound: 0,
    routesExpected: 0,
    effectsMissed: 0,
    effectsUnexpected: 0,
  };
  for (const [name, want] of Object.entries(expected.services)) {
    result.routesExpected += Object.keys(want.routes).length;
    const got = services.find((s) => s.name === name);
    if (got === undefined) {
      problems.push(`${name}: service not found`);
      result.effectsMissed += want.effects.length;
      continue;
    }
    result.servicesFound += 1;
    if (want.framework !== undefined && got.framework !== want.framework)
      problems.push(`${name}: framework ${got.framework ?? 'none'}, expected ${want.framework}`);
    const routes = new Map((got.endpoints ?? []).map((e) => [`${e.method} ${e.path}`, e.status]));
    for (const [route, status] of Object.entries(want.routes)) {
      const seen = routes.get(route);
      if (!routes.has(route))
        problems.push(
          `${name}: route ${route} not found (found: ${[...routes.keys()].join(', ') || 'none'})`,
        );
      else if (seen !== status)
        problems.push(`${name}: route ${route} has status ${seen}, expected ${status}`);
      else result.routesFound += 1;
    }
    for (const route of routes.keys())
      if (!(route in want.routes)) problems.push(`${name}: unexpected route ${route}`);
    const wanted = countBy(want.effects);
    const found = countBy((got.effects ?? []).map((e) => `${e.kind} ${e.site.file}:${e.site.line}`));
    for (const [effect, count] of wanted) {
      const short = count - (found.get(effect) ?? 0);
      if (short > 0) {
        result.effectsMissed += short;
        problems.push(`${name}: effect ${effect} missed${count > 1 ? ` (${short} of ${count})` : ''}`);
      }
    }
    for (const [effect, count] of found) {
      const extra = count - (wanted.get(effect) ?? 0);
      if (extra > 0) {
        result.effectsUnexpected += extra;
        problems.push(`${name}: unexpected effect ${effect}${extra > 1 ? ` (${extra})` : ''}`);
      }
    }
  }
  return { ...result, problems };
}

async function main(): Promise<void> {
  const { analyzeEstate } = await import('../../analyzer/index.ts');
  const root = join(dirname(fileURLToPath(import.meta.url)), '../../samples/node-shop');
  const estate = await analyzeEstate(root, {});
  const expected = JSON.parse(await readFile(join(root, 'expected.json'), 'utf8')) as NodeShopExpectation;
  const compared = compareNodeShopAnalysis(estate, expected);
  for (const line of compared.problems) process.stderr.write(`analyze: ${line}\n`);
  process.stdout.write(
    `${JSON.stringify({
      services: compared.servicesFound,
      routes_found: compared.routesFound,
      routes_expected: compared.routesExpected,
      effects_missed: compared.effectsMissed,
      effects_unexpected: compared.effectsUnexpected,
    })}\n`,
  );
}

if (import.meta.main) await main();
