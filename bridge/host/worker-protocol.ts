import type { RequestParts } from './guest-http.ts';
import type { CallOutcome } from './sync-call.ts';

/** What a guest worker starts with. */
export interface WorkerData {
  /** Component name, for logs. */
  name: string;
  /** file: URL of jco's transpiled `component.js` (instantiation mode `sync`). */
  jsUrl: string;
  /** The component's core modules, compiled once by the main thread. */
  modules: Record<string, WebAssembly.Module>;
  /** The synchronous bridge buffer (see sync-call.ts). */
  sync: SharedArrayBuffer;
  /** Config keys this component may read. */
  config: Record<string, string>;
  /** The component's imports as it declares them (versioned). */
  declaredImports: string[];
  /** Requests per instance before it is replaced by a fresh one; 0: never (see the host config's `reuse`). */
  reuse: number;
  /** JSPI workers (jspi-worker.ts) only: requests served at once, each in an instance of its own. */
  concurrency?: number;
  /** JSPI workers only: a request suspended on a call longer than this is answered `timeout`. */
  timeoutMs?: number;
}

/** Main thread → worker. */
export type WorkerRequest =
  | { type: 'http'; id: number; request: RequestParts }
  | { type: 'message'; id: number; message: { subject: string; body: Uint8Array; replyTo?: string } }
  | { type: 'instances'; id: number; count: number }
  /** JSPI workers: the outcome of the capability call `callId`. */
  | { type: 'outcome'; callId: number; outcome: CallOutcome };

/** Worker → main thread. */
export type WorkerReply =
  | { type: 'ready'; instantiateMs: number }
  /**
   * A capability call. A JSPI worker numbers its calls (`callId`, answered by an `outcome` message instead of
   * the sync buffer) and names the instance that made it (SQL sessions are per instance).
   */
  | { type: 'call'; op: string; args: unknown[]; callId?: number; instance?: number }
  /** JSPI workers: an instance's invocation ended (its SQL session ends with it). */
  | { type: 'end'; instance: number }
  | { type: 'log'; level: string; context: string; message: string }
  | { type: 'http-response'; status: number; headers: [string, string][]; body: Uint8Array }
  | { type: 'message-handled'; error: string | undefined }
  | { type: 'failed'; reason: 'trap' | 'no-export' | 'no-response' | 'guest-error'; message: string }
  | { type: 'instances'; times: number[]; memory: NodeJS.MemoryUsage };
