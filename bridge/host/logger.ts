/** Where the host and its guests log. Injected; library code never prints. */
export interface HostLogger {
  /** `component` is the component's name, or `host`. */
  log(level: string, component: string, message: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line (for non-TTY / `--json`): `{"time","level","component","context"?,"msg",…}`. */
export function createNdjsonLogger(write: (line: string) => void): HostLogger {
  return {
    log(level, component, message, fields) {
      write(
        `${JSON.stringify({ time: new Date().toISOString(), level, component, msg: message, ...fields })}\n`,
      );
    },
  };
}

/** Human-readable lines: `level component: message`. */
export function createTextLogger(write: (line: string) => void): HostLogger {
  return {
    log(level, component, message, fields) {
      const extra = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
      write(`${level.padEnd(5)} ${component}: ${message}${extra}\n`);
    },
  };
}

/** Drops everything (tests that do not look at logs). */
export const silentLogger: HostLogger = { log: () => undefined };
