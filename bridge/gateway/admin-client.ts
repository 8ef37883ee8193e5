import { request } from 'undici';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import type { GatewayState, RouteSnapshot } from './gateway-state.ts';
import type { WarmResult } from './warm.ts';

export interface AdminClientOptions {
  /** Admin API base URL, e.g. http://127.0.0.1:9901 */
  url: string;
  token: string;
  signal?: AbortSignal;
}

/** A small client for the gateway's admin API (used by `migrate shift` and `migrate status`). */
export function createAdminClient(options: AdminClientOptions) {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    let response;
    try {
      response = await request(new URL(path, options.url), {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      throw wrapError(
        ErrorCode.backend,
        `cannot reach the gateway admin API at ${options.url}`,
        error,
        'start it with `migrate gateway --config <file>` or pass the right --admin URL',
      );
    }
    const text = await response.body.text();
    let document: unknown;
    try {
      document = JSON.parse(text) as unknown;
    } catch {
      throw new AppError(ErrorCode.backend, `the admin API answered ${response.statusCode} with non-JSON`, {
        hint: `is ${options.url} a migrate gateway admin port?`,
      });
    }
    if (response.statusCode >= 400) {
      const error = (document as { error?: { code?: string; message?: string; hint?: string } }).error ?? {};
      const code =
        response.statusCode === 401
          ? ErrorCode.usage
          : response.statusCode === 404
            ? ErrorCode.notFound
            : response.statusCode === 400 || response.statusCode === 409
              ? ErrorCode.input
              : ErrorCode.backend;
      const hint =
        response.statusCode === 401
          ? 'pass --token or set MIGRATE_GATEWAY_TOKEN to the token the gateway was started with'
          : error.hint;
      throw new AppError(code, `gateway refused: ${error.message ?? `HTTP ${response.statusCode}`}`, {
        ...(hint === undefined ? {} : { hint }),
      });
    }
    return document as T;
  };
  return {
    getState: () => call<GatewayState>('GET', '/api/state'),
    setWeight: (route: string, weight: number, force = false) =>
      call<{ route: RouteSnapshot }>('POST', `/api/routes/${encodeURIComponent(route)}/weight`, {
        weight,
        ...(force ? { force } : {}),
      }),
    setShadow: (route: string, enabled: boolean, sampleRate?: number) =>
      call<{ route: RouteSnapshot }>('POST', `/api/routes/${encodeURIComponent(route)}/shadow`, {
        enabled,
        ...(sampleRate === undefined ? {} : { sampleRate }),
      }),
    warm: (route: string, requests?: number) =>
      call<{ route: RouteSnapshot; warm: WarmResult }>(
        'POST',
        `/api/routes/${encodeURIComponent(route)}/warm`,
        {
          ...(requests === undefined ? {} : { requests }),
        },
      ),
    rollback: (route: string, reason?: string) =>
      call<{ route: RouteSnapshot }>('POST', `/api/routes/${encodeURIComponent(route)}/rollback`, {
        ...(reason === undefined ? {} : { reason }),
      }),
  };
}
