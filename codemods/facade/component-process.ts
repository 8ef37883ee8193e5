/**
 * A minimal `process` for a component, over the facade binding: ported Node code may still read `process.env` or
 * write `process.stderr`. Part of the facade copied into a transformed service (no npm imports).
 */
import type { CapabilityBinding, LogLevel } from './capabilities.ts';

const decoder = new TextDecoder();

/** Adds `DB_HOST` for a lower-case `db_host` (Spin variables are lower-case; ported code reads env in upper case). */
function withUpperCaseNames(values: Record<string, string>): Record<string, string> {
  const env = { ...values };
  for (const [key, value] of Object.entries(values)) {
    if (/^[a-z][a-z0-9_]*$/.test(key)) env[key.toUpperCase()] ??= value;
  }
  return env;
}

/**
 * Code ported from Node may still reach for `process` (`process.env`, `process.stderr.write`); a component has
 * none. Installs a minimal one over the binding: env from config, stdout/stderr lines to the log capability.
 */
export function installProcessShim(binding: CapabilityBinding): void {
  const global = globalThis as { process?: unknown };
  if (global.process !== undefined) return;
  const writer = (level: LogLevel) => ({
    write: (chunk: string | Uint8Array): boolean => {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
      binding.log.log(level, '', text.replace(/\n$/, ''));
      return true;
    },
  });
  let env: Record<string, string> | undefined;
  global.process = {
    // Read on first use: no WIT import may be called while the component is initialised (Wizer).
    get env(): Record<string, string> {
      env ??= withUpperCaseNames(binding.config.getAll());
      return env;
    },
    stdout: writer('info'),
    stderr: writer('info'),
  };
}
