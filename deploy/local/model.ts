/** What `migrate up` places on one machine, as data: the pure planner makes it, the effects carry it out. */

/** The real servers both sides of every service use (the same schema, subjects and keys). */
export interface InfraBindings {
  /** e.g. `postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dorders` (search_path = schema). */
  postgres: string;
  nats: string;
  /** The database is the URL's path, e.g. `redis://127.0.0.1:6379/3`. */
  redis: string;
}

/** A built component of a migrated service, with its world (from the build plan). */
export interface ComponentBuild {
  service: string;
  wasm: string;
  imports: readonly string[];
  exports: readonly string[];
  /** Effect kinds the build plan found (`http-out`, `clock`…): grants the world's imports do not show. */
  effectKinds: readonly string[];
}

export interface ContainerSpec {
  service: string;
  /** Docker container name, unique per run. */
  name: string;
  /** The tag the image is built as (compose `image:`, else `migrate/<estate>-<service>:local`). */
  image: string;
  /** Absent when the compose service has no `build:` (the image must exist). */
  build?: { context: string; dockerfile: string; buildArgs: Record<string, string> };
  /** Final environment (compose values, then what this run sets). */
  env: Record<string, string>;
  /** The port the service listens on (SERVER_PORT): with `--network host` every container needs its own. */
  port: number;
  /** Compose healthcheck (the image's HEALTHCHECK applies when absent). */
  healthcheck?: { test: string[]; intervalMs?: number; timeoutMs?: number; retries?: number };
  /** The variables this run set and why (shown by `up --json` and in the run config). */
  assignments: { key: string; env: Record<string, string>; via: string; why: string }[];
}

export interface ComponentSpec {
  service: string;
  /** Host component name (= gateway route name). */
  name: string;
  port: number;
  wasm: string;
}

/** Messages of `subject` go to exactly one side: the splitter forwards each to `container` or `wasm`. */
export interface MessageSplit {
  route: string;
  subject: string;
  container: string;
  wasm: string;
}

export interface ServicePlan {
  id: string;
  /** Gateway route and component name, e.g. `order`. */
  route: string;
  prefix: string;
  container: ContainerSpec;
  component?: ComponentSpec;
}

export interface LocalPlan {
  runId: string;
  estate: string;
  services: ServicePlan[];
  /** The host config (input form, before defaults); undefined when no service is migrated. */
  hostConfig?: Record<string, unknown>;
  gatewayConfig: Record<string, unknown>;
  gateway: { url: string; admin: string; port: number; adminPort: number };
  splits: MessageSplit[];
  /** Every port the run listens on, with its owner: all must be free before anything starts. */
  ports: { port: number; owner: string }[];
  warnings: string[];
}
