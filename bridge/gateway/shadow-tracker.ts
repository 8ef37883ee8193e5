import type { ShadowConfig } from './config-schema.ts';
import { diffJson, isIgnoredPath } from './json-diff.ts';
import { CountWindow } from './sliding-window.ts';

/** One side's answer, buffered for comparison. `body` is undefined when it was too large to keep. */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

/** A kept example of a difference, for people to look at. */
export interface DiffSample {
  time: string;
  method: string;
  path: string;
  primary: string;
  differences: string[];
  primaryStatus: number;
  candidateStatus: number;
}

/**
 * Compares shadowed exchanges for one route and learns noise the way Diffy does: fields that differ between
 * two calls of the primary itself (ids, timestamps) are noise, not differences of the candidate.
 */
export class ShadowTracker {
  compared = 0;
  differing = 0;
  noiseCompared = 0;
  readonly fieldCounts = new Map<string, number>();
  readonly #noiseCounts = new Map<string, number>();
  readonly #samples: DiffSample[] = [];
  readonly window: CountWindow;

  constructor(windowMs: number) {
    this.window = new CountWindow(windowMs);
  }

  get samples(): readonly DiffSample[] {
    return this.#samples;
  }

  /** Fields currently treated as noise, with the share of primary-vs-primary comparisons they differed in. */
  noise(config: ShadowConfig): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [path, count] of this.#noiseCounts) {
      const rate = count / Math.max(1, this.noiseCompared);
      if (rate >= config.noise.minRate) out[path] = Number(rate.toFixed(3));
    }
    return out;
  }

  /** Needs a second primary call for this shadowed request? (always during warm-up, then sampled) */
  wantsNoiseSample(config: ShadowConfig): boolean {
    return this.noiseCompared < config.noise.warmup || Math.random() < config.noise.sampleRate;
  }

  /** Learns from two answers of the primary to the same request. */
  learnNoise(first: CapturedResponse, second: CapturedResponse, config: ShadowConfig): void {
    this.noiseCompared += 1;
    for (const path of compareResponses(first, second, config)) {
      this.#noiseCounts.set(path, (this.#noiseCounts.get(path) ?? 0) + 1);
    }
  }

  /** Compares the candidate with the primary; returns the differences that are not noise. */
  compare(
    request: { method: string; path: string; primary: string },
    primary: CapturedResponse,
    candidate: CapturedResponse,
    config: ShadowConfig,
  ): string[] {
    const noise = this.noise(config);
    const differences = compareResponses(primary, candidate, config).filter((path) => !(path in noise));
    this.compared += 1;
    this.window.record(differences.length > 0);
    if (differences.length === 0) return differences;
    this.differing += 1;
    for (const path of differences) this.fieldCounts.set(path, (this.fieldCounts.get(path) ?? 0) + 1);
    if (config.maxSamples > 0) {
      this.#samples.push({
        time: new Date().toISOString(),
        ...request,
        differences,
        primaryStatus: primary.status,
        candidateStatus: candidate.status,
      });
      if (this.#samples.length > config.maxSamples) this.#samples.shift();
    }
    return differences;
  }
}

/** Differences between two answers: `status`, `header:<name>`, `body` (not JSON), or body field paths. */
export function compareResponses(a: CapturedResponse, b: CapturedResponse, config: ShadowConfig): string[] {
  const out: string[] = [];
  if (a.status !== b.status) out.push('status');
  for (const name of config.compareHeaders) {
    if (String(a.headers[name] ?? '') !== String(b.headers[name] ?? '')) out.push(`header:${name}`);
  }
  if (a.body === undefined || b.body === undefined) return out;
  if (a.body.equals(b.body)) return out;
  const left = parseJson(a.body);
  const right = parseJson(b.body);
  if (left === undefined || right === undefined) {
    out.push('body');
    return out;
  }
  for (const path of diffJson(left.value, right.value)) {
    if (!isIgnoredPath(path, config.ignore)) out.push(path);
  }
  return out;
}

function parseJson(body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}
