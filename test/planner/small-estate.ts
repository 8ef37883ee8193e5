/** Small hand-made estates for planner tests: services, their writes, readiness, and the edges between them. */
import type { Estate, Service } from '../../analyzer/index.ts';

type Level = 'ready' | 'port-needed' | 'blocked';

export interface SmallService {
  id: string;
  /** Adds a POST endpoint and an INSERT, so the service is not read-only. */
  writes?: boolean;
  readiness?: Partial<Record<'wasmcloud' | 'spin' | 'spin4' | 'embedded', [Level, number]>>;
}

const readiness = (id: string, level: Level, score: number): Service['readiness']['spin'] => ({
  level,
  score,
  blockers:
    level === 'ready'
      ? []
      : [
          {
            kind: 'publish',
            severity: level === 'blocked' ? 'blocker' : 'port-needed',
            reason: `${id} cannot ${level === 'blocked' ? 'publish here' : 'use hashes here'}`,
            wayOut: 'use another target',
            evidence: [{ file: `${id}/Main.java`, line: 7 }],
          },
        ],
});

export function createSmallEstate(
  services: readonly SmallService[],
  edges: readonly [from: string, to: string | null, kind?: 'http' | 'message'][] = [],
): Estate {
  return {
    schemaVersion: '1.0',
    root: 'small',
    services: services.map((s) => {
      const r = s.readiness ?? {};
      const get = (t: 'wasmcloud' | 'spin' | 'spin4' | 'embedded', fallback: [Level, number]) =>
        readiness(s.id, ...(r[t] ?? fallback));
      return {
        id: s.id,
        name: s.id,
        language: 'java',
        framework: 'spring-boot',
        root: s.id,
        build: { tool: 'maven', file: `${s.id}/pom.xml` },
        files: 1,
        deployments: [],
        endpoints: [
          {
            method: 'GET',
            path: `/api/${s.id}`,
            handler: 'C.get',
            site: { file: `${s.id}/C.java`, line: 3 },
            parameters: [],
            status: 200,
          },
          ...(s.writes === true
            ? [
                {
                  method: 'POST' as const,
                  path: `/api/${s.id}`,
                  handler: 'C.post',
                  site: { file: `${s.id}/C.java`, line: 9 },
                  parameters: [],
                  status: 201,
                },
              ]
            : []),
        ],
        effects:
          s.writes === true
            ? [
                {
                  kind: 'sql',
                  detail: { summary: `INSERT t_${s.id}`, operation: 'insert', table: `t_${s.id}` },
                  site: { file: `${s.id}/R.java`, line: 5 },
                  via: [],
                  capability: {
                    wasmcloud: 'wasmcloud:postgres',
                    spin: 'spin:postgres',
                    spin4: 'spin:postgres',
                    embedded: 'x',
                  },
                },
              ]
            : [],
        types: [],
        readiness: {
          wasmcloud: get('wasmcloud', ['ready', 90]),
          spin: get('spin', ['ready', 85]),
          spin4: get('spin4', r.spin ?? ['ready', 85]),
          embedded: get('embedded', ['ready', 80]),
        },
      };
    }),
    infra: [],
    edges: edges.map(([from, to, kind = 'http']) => ({
      from,
      to,
      toKind: to === null ? 'unresolved' : 'service',
      kind,
      detail: to === null ? 'http://unknown:8080' : `${kind === 'http' ? 'http://' : 'subject.'}${to}`,
      evidence: [{ from: 'code', text: 'call()', source: { file: `${from}/Client.java`, line: 12 } }],
    })),
    findings: [],
    stats: { files: services.length, servicesFound: services.length },
  };
}
