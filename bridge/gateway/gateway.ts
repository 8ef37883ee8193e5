import { watch, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { AppError, ErrorCode, formatLocation, isAppError } from '../../shared/errors.ts';
import { handleAdminRequest } from './admin-api.ts';
import type { GatewayConfig, Side } from './config-schema.ts';
import { EventLog } from './event-log.ts';
import { evaluateGates } from './gates.ts';
import { handleRequest, type RequestEnv } from './handle-request.ts';
import { HealthChecker } from './health-checker.ts';
import { warmRoute, type WarmResult } from './warm.ts';
import { loadGatewayConfig } from './load-config.ts';
import { TrafficRecorder } from './recorder.ts';
import { RouteState } from './route-state.ts';
import type { CapturedResponse } from './shadow-tracker.ts';
import { getRouteSnapshot, type GatewayState } from './gateway-state.ts';
import { UpstreamPools } from './upstream-pools.ts';

export interface GatewayOptions {
  /** The file the config came from: enables reload() and watching. */
  configFile?: string;
  /** Where tokens are read from (`admin.tokenEnv`, `override.tokenEnv`). */
  env?: NodeJS.ProcessEnv;
  /** Reload when the config file changes (default true when configFile is set). */
  watch?: boolean;
  /** How often gates are checked (default 100 ms, so a breach acts well within a second). */
  gateIntervalMs?: number;
}

/**
 * The traffic-shift gateway: a data plane that routes each route's requests between its container and wasm
 * upstreams, and an admin plane (loopback, bearer token) to read state and move weights.
 */
export class Gateway {
  readonly events = new EventLog();
  readonly #options: GatewayOptions;
  readonly #routes = new Map<string, RouteState>();
  #config: GatewayConfig;
  #pools: UpstreamPools;
  #env: RequestEnv;
  #server: Server | undefined;
  #admin: Server | undefined;
  #timer: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  #adminToken: string;
  #recorder: { key: string; recorder: TrafficRecorder } | undefined;
  readonly #health: HealthChecker;
  #startedAt = new Date().toISOString();
  url = '';
  adminUrl = '';

  constructor(config: GatewayConfig, options: GatewayOptions = {}) {
    this.#options = options;
    this.#config = config;
    this.#adminToken = this.#resolveAdminToken(config);
    this.#pools = new UpstreamPools({
      connections: config.upstreamConnections,
      connectMs: config.timeouts.connectMs,
    });
    for (const route of config.routes) this.#routes.set(route.name, new RouteState(route));
    this.#applyRecord(config);
    this.#health = new HealthChecker((route, side, origin, change, result) => {
      const name = route.config.name;
      if (change === 'restored')
        this.events.emit('upstream.restored', { route: name, side, origin, by: 'health' });
      else
        this.events.emit(change === 'down' ? 'upstream.unhealthy' : 'upstream.healthy', {
          route: name,
          side,
          origin,
          ...result,
        });
    });
    this.#env = this.#createEnv();
    this.#applyEventsFile(config);
  }

  /** Opens (or swaps, or closes) the traffic recorder for `config.record`. */
  #applyRecord(config: GatewayConfig): void {
    const record = config.record;
    const base = this.#options.configFile === undefined ? process.cwd() : dirname(this.#options.configFile);
    const path = record === undefined ? undefined : resolve(base, record.path);
    const key = JSON.stringify([path, record]);
    if (this.#recorder?.key === key) return;
    void this.#recorder?.recorder.close();
    this.#recorder =
      record === undefined || path === undefined
        ? undefined
        : {
            key,
            recorder: new TrafficRecorder(path, record, (message) =>
              this.events.emit('record.file-error', { file: path, message }),
            ),
          };
  }

  static async fromFile(file: string, options: GatewayOptions = {}): Promise<Gateway> {
    return new Gateway(await loadGatewayConfig(file), { ...options, configFile: file });
  }

  get config(): GatewayConfig {
    return this.#config;
  }

  get adminToken(): string {
    return this.#adminToken;
  }

  #envVars(): NodeJS.ProcessEnv {
    return this.#options.env ?? process.env;
  }

  #resolveAdminToken(config: GatewayConfig): string {
    const token = config.admin.token ?? this.#envVars()[config.admin.tokenEnv];
    if (token === undefined || token.length < 8) {
      throw new AppError(ErrorCode.config, 'the gateway admin API needs a token of at least 8 characters', {
        hint: `set ${config.admin.tokenEnv} (e.g. export ${config.admin.tokenEnv}=$(openssl rand -hex 16)) or admin.token in the config`,
      });
    }
    return token;
  }

  #applyEventsFile(config: GatewayConfig): void {
    const file = config.events.file;
    const base = this.#options.configFile === undefined ? process.cwd() : dirname(this.#options.configFile);
    this.events.setFile(file === undefined ? undefined : resolve(base, file));
  }

  #createEnv(): RequestEnv {
    const config = this.#config;
    const routes = [...this.#routes.values()].sort((a, b) => b.config.prefix.length - a.config.prefix.length);
    const env = this.#envVars();
    return {
      config,
      pools: this.#pools,
      routes,
      recorder: this.#recorder?.recorder,
      overrideToken:
        config.override.token ??
        (config.override.tokenEnv === undefined ? undefined : env[config.override.tokenEnv]),
      onOutcome: (route, side, ms, failed, shadow, answered = true) => {
        route.windows[side].record(ms, failed, Date.now(), answered);
        if (side === 'wasm') route.wasmSinceChange += 1;
        const m = route.metrics[side];
        m.observe(ms / 1000, failed);
        if (shadow) m.shadowRequests += 1;
      },
      onRetry: (route, from, to, method, path, error, reason) => {
        this.events.emit('request.retried', {
          route: route.config.name,
          from,
          to,
          method,
          path,
          error,
          reason,
        });
      },
      onFailover: (route, from, to) => {
        if (!route.noteFailover(from)) return;
        this.events.emit('failover', {
          route: route.config.name,
          from,
          to,
          weight: route.weight,
          reason: `every ${from} upstream is out (unreachable or failing health checks)`,
        });
      },
      onAmbiguous: (route, side, method, path, error) => {
        route.ambiguous[side] += 1;
        this.events.emit('request.ambiguous', { route: route.config.name, side, method, path, error });
      },
      onUpstreamHealth: (route, side, origin, ms, error) => {
        if (ms > 0) {
          this.events.emit('upstream.ejected', { route: route.config.name, side, origin, forMs: ms, error });
        } else this.events.emit('upstream.restored', { route: route.config.name, side, origin });
      },
      onShadowResult: (route, request, primary, candidate, noise) =>
        this.#onShadowResult(route, request, primary, candidate, noise),
    };
  }

  #onShadowResult(
    route: RouteState,
    request: { method: string; path: string; primary: Side },
    primary: CapturedResponse,
    candidate: CapturedResponse,
    noise: CapturedResponse | undefined,
  ): void {
    const shadow = route.config.shadow;
    const before = new Set(Object.keys(route.tracker.noise(shadow)));
    if (noise !== undefined) route.tracker.learnNoise(primary, noise, shadow);
    const learned = Object.keys(route.tracker.noise(shadow)).filter((path) => !before.has(path));
    if (learned.length > 0)
      this.events.emit('shadow.noise-learned', { route: route.config.name, fields: learned });
    const known = new Set(route.tracker.fieldCounts.keys());
    const differences = route.tracker.compare(request, primary, candidate, shadow);
    route.shadowCompared += 1;
    if (differences.length === 0) return;
    route.shadowDiffs += 1;
    const fresh = differences.filter((path) => !known.has(path));
    if (fresh.length > 0) {
      this.events.emit('shadow.diff', {
        route: route.config.name,
        ...request,
        differences,
        newFields: fresh,
        primaryStatus: primary.status,
        candidateStatus: candidate.status,
      });
    }
  }

  /** Starts both listeners and the gate loop; resolves once they accept connections. */
  async start(): Promise<{ url: string; adminUrl: string }> {
    const config = this.#config;
    const requestMs = config.timeouts.clientRequestMs;
    this.#server = createServer(
      {
        requestTimeout: requestMs,
        headersTimeout: Math.min(requestMs, 60_000),
        keepAliveTimeout: 5_000,
        connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestMs / 4))),
      },
      (req, res) => handleRequest(this.#env, req, res),
    );
    this.#admin = createServer((req, res) => handleAdminRequest(this, req, res));
    const listen = (server: Server, host: string, port: number): Promise<string> =>
      new Promise((resolvePort, reject) => {
        server.once('error', (error) =>
          reject(
            new AppError(ErrorCode.io, `cannot listen on ${host}:${port}: ${error.message}`, {
              cause: error,
              hint: 'pick a free port in the config (listen.port / admin.port)',
            }),
          ),
        );
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolvePort(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        });
      });
    this.url = await listen(this.#server, config.listen.host, config.listen.port);
    this.adminUrl = await listen(this.#admin, config.admin.host, config.admin.port);
    this.#timer = setInterval(() => this.checkGates(), this.#options.gateIntervalMs ?? 100);
    this.#timer.unref();
    this.#health.sync([...this.#routes.values()]);
    if (this.#options.configFile !== undefined && this.#options.watch !== false)
      this.#watch(this.#options.configFile);
    this.events.emit('gateway.started', {
      listen: this.url,
      admin: this.adminUrl,
      routes: this.#config.routes.map((r) => ({ name: r.name, prefix: r.prefix, weight: r.weight })),
    });
    return { url: this.url, adminUrl: this.adminUrl };
  }

  #watch(file: string): void {
    const name = basename(file);
    try {
      this.#watcher = watch(dirname(resolve(file)), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        clearTimeout(this.#reloadTimer);
        this.#reloadTimer = setTimeout(() => void this.reload('file-change'), 150);
      });
      this.#watcher.unref();
    } catch (error) {
      this.events.emit('config.watch-failed', { file, message: (error as Error).message });
    }
  }

  /** Re-reads the config file and applies it; a bad file is reported and the running config kept. */
  async reload(trigger = 'reload'): Promise<boolean> {
    const file = this.#options.configFile;
    if (file === undefined) return false;
    try {
      this.applyConfig(await loadGatewayConfig(file), trigger);
      return true;
    } catch (error) {
      const appError = isAppError(error) ? error : undefined;
      this.events.emit('config.rejected', {
        trigger,
        file,
        message: error instanceof Error ? error.message : String(error),
        ...(appError?.location === undefined ? {} : { location: formatLocation(appError.location) }),
        kept: 'the running config',
      });
      return false;
    }
  }

  /**
   * Swaps in a new config without touching in-flight requests: they hold their own route and pool objects,
   * and pools of removed upstreams close only after their requests finish.
   */
  applyConfig(config: GatewayConfig, trigger = 'api'): void {
    const notes: string[] = [];
    if (config.listen.port !== this.#config.listen.port || config.listen.host !== this.#config.listen.host) {
      notes.push('listen address changes need a restart');
    }
    if (config.admin.port !== this.#config.admin.port) notes.push('admin port changes need a restart');
    this.#adminToken = this.#resolveAdminToken(config);
    const added: string[] = [];
    const removed: string[] = [];
    const names = new Set(config.routes.map((r) => r.name));
    for (const name of this.#routes.keys()) {
      if (!names.has(name)) {
        this.#routes.delete(name);
        removed.push(name);
      }
    }
    for (const route of config.routes) {
      const existing = this.#routes.get(route.name);
      if (existing === undefined) {
        this.#routes.set(route.name, new RouteState(route));
        added.push(route.name);
      } else existing.applyConfig(route);
    }
    this.#config = config;
    this.#applyRecord(config);
    this.#env = this.#createEnv();
    this.#applyEventsFile(config);
    const keep = new Set<string>();
    for (const route of this.#routes.values()) {
      for (const origin of [...route.upstreams.container.origins, ...route.upstreams.wasm.origins])
        keep.add(origin);
    }
    void this.#pools.retain(keep);
    if (this.#server !== undefined) this.#health.sync([...this.#routes.values()]);
    this.events.emit('config.reloaded', {
      trigger,
      added,
      removed,
      routes: [...this.#routes.values()].map((r) => ({
        name: r.config.name,
        weight: r.weight,
        shadow: r.shadowEnabled,
      })),
      ...(notes.length === 0 ? {} : { notes }),
    });
  }

  getRouteOrThrow(name: string): RouteState {
    const route = this.#routes.get(name);
    if (route === undefined) {
      throw new AppError(ErrorCode.notFound, `no route named "${name}"`, {
        hint: `routes: ${[...this.#routes.keys()].join(', ')}`,
      });
    }
    return route;
  }

  /** Sets a route's wasm weight. A frozen route only goes down unless `force` is given. */
  setWeight(
    name: string,
    weight: number,
    source: string,
    options: { force?: boolean; reason?: string } = {},
  ): void {
    const route = this.getRouteOrThrow(name);
    if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
      throw new AppError(ErrorCode.input, `weight must be a number from 0 to 100, got ${weight}`);
    }
    if (weight > 0 && route.upstreams.wasm.empty) {
      throw new AppError(ErrorCode.unsupported, `route ${name} has no wasm upstream`, {
        hint: 'add wasm upstreams to the route in the config first',
      });
    }
    if (route.frozen && weight > route.weight && options.force !== true) {
      throw new AppError(
        ErrorCode.unsupported,
        `route ${name} is frozen by a gate at weight ${route.weight}`,
        {
          hint: 'look at the gate.breach event, then raise the weight with force, or roll back',
        },
      );
    }
    const from = route.weight;
    route.weight = weight;
    if (weight !== from) route.markWeightChange();
    if (weight <= from || options.force === true) route.frozen = false;
    this.events.emit('weight.changed', {
      route: name,
      from,
      to: weight,
      source,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    });
  }

  setShadow(name: string, enabled: boolean, sampleRate?: number): void {
    const route = this.getRouteOrThrow(name);
    if (sampleRate !== undefined && !(sampleRate >= 0 && sampleRate <= 1)) {
      throw new AppError(ErrorCode.input, `sampleRate must be between 0 and 1, got ${sampleRate}`);
    }
    if (enabled && route.upstreams.wasm.empty) {
      throw new AppError(ErrorCode.unsupported, `route ${name} has no wasm upstream to shadow`);
    }
    route.shadowEnabled = enabled;
    if (sampleRate !== undefined) route.shadowSampleRate = sampleRate;
    this.events.emit('shadow.changed', { route: name, enabled, sampleRate: route.shadowSampleRate });
  }

  /** Sends every request of the route to container again. */
  rollback(name: string, source: string, details: Record<string, unknown> = {}): void {
    const route = this.getRouteOrThrow(name);
    const from = route.weight;
    route.weight = 0;
    route.frozen = false;
    route.rollbacks += 1;
    route.markWeightChange();
    this.events.emit('route.rolled-back', { route: name, from, to: 0, source, ...details });
  }

  /** Sends the synthetic warm-up requests of a route to its wasm side (not counted by the gates). */
  async warm(name: string, requests?: number): Promise<WarmResult> {
    const route = this.getRouteOrThrow(name);
    if (route.upstreams.wasm.empty) {
      throw new AppError(ErrorCode.unsupported, `route ${name} has no wasm upstream to warm`);
    }
    const result = await warmRoute(route, this.#pools, this.#config, requests ?? route.config.warm.requests);
    this.events.emit('route.warmed', { route: name, ...result });
    return result;
  }

  /** Ends failovers whose side has a usable origin again. */
  #checkFailovers(route: RouteState, now: number): void {
    for (const side of ['container', 'wasm'] as const) {
      const since = route.failoverSince[side];
      if (since === undefined || !route.upstreams[side].hasHealthy(now)) continue;
      route.failoverSince[side] = undefined;
      this.events.emit('failover.ended', { route: route.config.name, side, afterMs: now - since });
      // wasm carried the container's share meanwhile: its figures from then are no fair comparison, so the
      // gates warm up again, as after a weight change
      if (side === 'container') route.markWeightChange(now);
    }
  }

  /** One pass of the gates over every route; runs on a timer, callable from tests. */
  checkGates(now = Date.now()): void {
    for (const route of this.#routes.values()) {
      this.#checkFailovers(route, now);
      if (route.tryArm(now)) {
        this.events.emit('gates.armed', {
          route: route.config.name,
          weight: route.weight,
          afterMs: now - route.changedAt,
          wasmRequests: route.wasmSinceChange,
        });
      }
      // while the container side is out there is no baseline: wasm answers everything (slower, busier) and
      // the container's share of failures is the container's. Gates hold until it is back and warmed up.
      if (!route.armed || route.failoverSince.container !== undefined) continue;
      const breaches = evaluateGates(route, now);
      const names = new Set(breaches.map((b) => b.gate));
      for (const gate of route.breached) {
        if (!names.has(gate)) {
          route.breached.delete(gate);
          this.events.emit('gate.recovered', { route: route.config.name, gate });
        }
      }
      const fresh = breaches.filter((b) => !route.breached.has(b.gate));
      if (fresh.length === 0) continue;
      for (const b of fresh) route.breached.add(b.gate);
      const action =
        route.weight === 0
          ? 'none'
          : route.config.gates.action === 'freeze'
            ? route.frozen
              ? 'none'
              : 'freeze'
            : 'rollback';
      const event = {
        route: route.config.name,
        action,
        weight: route.weight,
        detectedAt: now,
        breaches: fresh,
      };
      this.events.emit('gate.breach', event);
      if (action === 'rollback') {
        this.rollback(route.config.name, 'gate', {
          gates: fresh.map((b) => b.gate),
          detectedAt: now,
          breaches: fresh,
        });
      } else if (action === 'freeze') {
        route.frozen = true;
        this.events.emit('route.frozen', {
          route: route.config.name,
          weight: route.weight,
          gates: fresh.map((b) => b.gate),
        });
      }
    }
  }

  getState(): GatewayState {
    return {
      schemaVersion: '1',
      listen: this.url,
      admin: this.adminUrl,
      startedAt: this.#startedAt,
      routes: [...this.#routes.values()].map((route) => getRouteSnapshot(route)),
      events: this.events.recent(30),
    };
  }

  getRoutes(): readonly RouteState[] {
    return [...this.#routes.values()];
  }

  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes pools. */
  async stop(graceMs = 10_000): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#reloadTimer);
    this.#watcher?.close();
    const close = (server: Server | undefined): Promise<void> =>
      new Promise((done) => {
        if (server === undefined || !server.listening) return done();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          done();
        });
        server.closeIdleConnections();
      });
    await Promise.all([close(this.#server), close(this.#admin)]);
    await this.#health.stop();
    await this.#pools.close();
    await this.#recorder?.recorder.close();
    this.#recorder = undefined;
    this.events.emit('gateway.stopped', {});
  }
}
