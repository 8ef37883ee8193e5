/**
 * Runs the real Wasmtime (49, its Python binding) on a component: wasmtime-link.py links it against each runtime's
 * host world and instantiates it. The Python comes from `MIGRATE_WASMTIME_PYTHON` or the venv
 * scripts/ensure-wasmtime.sh makes (`~/.cache/migrate/wasmtime-venv`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userCacheDir } from '../../shared/cache-dir.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { WitInterface } from '../wit/wit-parser.ts';

const SCRIPT = fileURLToPath(new URL('./wasmtime-link.py', import.meta.url));

/** Where scripts/ensure-wasmtime.sh puts the venv. */
export function getWasmtimeVenv(): string {
  return userCacheDir('wasmtime-venv');
}

let found: string | null | undefined;

/** A Python that imports wasmtime 49, or undefined. Checked once per process. */
export function findWasmtimePython(): string | undefined {
  if (found !== undefined) return found ?? undefined;
  const candidate = process.env.MIGRATE_WASMTIME_PYTHON ?? join(getWasmtimeVenv(), 'bin', 'python');
  const works =
    existsSync(candidate) &&
    spawnSync(candidate, ['-c', 'import wasmtime'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  found = works ? candidate : null;
  return found ?? undefined;
}

export interface WasmtimeLinkRequest {
  wasm: string;
  cacheDir: string | null;
  /** Cranelift's opt level: `none` to check links quickly, `speed` for figures. */
  optLevel: 'none' | 'speed';
  runtimes: { id: string; instances: Record<string, WitInterface> }[];
  /** Instantiate this many more times against the first runtime, kept alive, for figures. */
  bench?: { instances: number };
}

export interface WasmtimeLinkResult {
  wasmtime: string;
  compileMs: number;
  fromCache: boolean;
  imports: string[];
  results: {
    id: string;
    links: boolean;
    instantiated: boolean;
    missing: { import: string; message: string }[];
  }[];
  bench?: { instances: number; instanceMs: number; rssPerInstanceMb: number };
}

/** Runs wasmtime-link.py with `python`. */
export function runWasmtimeLink(python: string, request: WasmtimeLinkRequest): Promise<WasmtimeLinkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      reject(
        new AppError(ErrorCode.build, `cannot start Wasmtime's Python (${python})`, {
          cause: error,
          hint: 'run scripts/ensure-wasmtime.sh, or unset MIGRATE_WASMTIME_PYTHON',
        }),
      ),
    );
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      let parsed: (WasmtimeLinkResult & { error?: undefined }) | { error: string } | undefined;
      try {
        parsed = JSON.parse(text) as WasmtimeLinkResult | { error: string };
      } catch {
        parsed = undefined;
      }
      if (code === 0 && parsed !== undefined && parsed.error === undefined) {
        resolve(parsed);
        return;
      }
      const detail =
        parsed?.error ?? Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ');
      reject(
        new AppError(ErrorCode.build, `Wasmtime could not load ${request.wasm}: ${detail}`, {
          hint: 'the file may not be a WebAssembly component',
        }),
      );
    });
    child.stdin.end(JSON.stringify(request));
  });
}
