/**
 * A pool of worker threads that run `extractJavaFacts`, one per core: parsing dominates a cold run and web-tree-sitter
 * is single-threaded. Batches go to whichever worker is free; facts come back as structured-clone plain data.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { JavaFileFacts } from './facts.ts';

export interface ExtractRequest {
  id: number;
  texts: string[];
}

export interface ExtractResponse {
  id: number;
  facts?: JavaFileFacts[];
  error?: string;
}

export interface JavaPool {
  extract(texts: readonly string[]): Promise<JavaFileFacts[]>;
  close(): Promise<void>;
}

/** Files per message: large enough to amortize messaging, small enough to keep both cores busy. */
const BATCH = 16;

interface Job {
  request: ExtractRequest;
  resolve: (facts: JavaFileFacts[]) => void;
  reject: (error: Error) => void;
}

// sources run via type stripping in development, compiled JavaScript once built
const WORKER_URL = new URL('./worker' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url);

export function createJavaPool(size = availableParallelism()): JavaPool {
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  let nextId = 0;
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      busy.set(worker, job);
      worker.postMessage(job.request);
    }
  };
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(WORKER_URL);
    worker.on('message', (response: ExtractResponse) => {
      const job = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (job !== undefined) {
        if (response.facts !== undefined) job.resolve(response.facts);
        else job.reject(new Error(`java worker failed: ${response.error ?? 'unknown error'}`));
      }
      pump();
    });
    worker.on('error', (error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      job?.reject(error);
    });
    idle.push(worker);
    return worker;
  });
  const submit = (texts: string[]): Promise<JavaFileFacts[]> =>
    new Promise((resolve, reject) => {
      queue.push({ request: { id: nextId++, texts }, resolve, reject });
      pump();
    });
  return {
    async extract(texts) {
      const batches: Promise<JavaFileFacts[]>[] = [];
      for (let i = 0; i < texts.length; i += BATCH) batches.push(submit(texts.slice(i, i + BATCH)));
      return (await Promise.all(batches)).flat();
    },
    async close() {
      for (const job of queue.splice(0)) job.reject(new Error('java pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
