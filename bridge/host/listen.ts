import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, ErrorCode } from '../../shared/errors.ts';

/** The ports outgoing connections take their local port from (`net.ipv4.ip_local_port_range`), inclusive. */
export interface PortRange {
  low: number;
  high: number;
}

/** Linux's default, for a machine whose /proc does not say. */
const DEFAULT_EPHEMERAL: PortRange = { low: 32768, high: 60999 };

/** Reads the kernel's ephemeral port range; Linux's default where /proc has none. */
export async function readEphemeralPortRange(): Promise<PortRange> {
  try {
    const [low, high] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return { low: low!, high: high! };
  } catch {
    // not Linux
  }
  return DEFAULT_EPHEMERAL;
}

/** Where a component listens, and where the host config says so. */
export interface ListenTarget {
  name: string;
  listen: string;
  port: number;
  /** Its index in the host config's `components`, to name the field. */
  index: number;
}

/**
 * What to do about a listen error, by its code. A port in the ephemeral range can be taken by an outgoing
 * connection's local end (or one in TIME_WAIT): nothing listens there, so "pick a free port" would mislead. Pure.
 */
export function resolveListenHint(code: string | undefined, port: number, ephemeral: PortRange): string {
  if (code === 'EADDRINUSE' && port >= ephemeral.low && port <= ephemeral.high)
    return (
      `port ${port} is in the kernel's ephemeral range (${ephemeral.low}-${ephemeral.high}), where outgoing ` +
      `connections take their local port: one from that port (or one in TIME_WAIT, up to a minute after it ` +
      `closed) blocks listening even when nothing listens (\`ss -tan 'sport = :${port}'\` shows it); pick a port ` +
      `below ${ephemeral.low}, or 0 for a free one`
    );
  if (code === 'EADDRINUSE')
    return `another process listens on port ${port} (\`ss -ltnp 'sport = :${port}'\` shows which): stop it, or pick another port (0 picks a free one)`;
  if (code === 'EACCES')
    return 'ports below 1024 need root (or CAP_NET_BIND_SERVICE): pick a port from 1024 up';
  if (code === 'EADDRNOTAVAIL')
    return 'the listen address is not one of this machine’s: use 127.0.0.1, 0.0.0.0 or an address `ip addr` lists';
  return 'pick a free port';
}

/**
 * Starts `server` listening for a component; resolves the bound port. A port it cannot bind is an AppError
 * naming the component, the config field and what to do about it.
 */
export async function listenComponent(server: Server, target: ListenTarget): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(target.port, target.listen, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      ErrorCode.io,
      `cannot listen on ${target.listen}:${target.port} for ${target.name} (components[${target.index}].port): ${(error as Error).message}`,
      { cause: error, hint: resolveListenHint(code, target.port, await readEphemeralPortRange()) },
    );
  }
  return (server.address() as AddressInfo).port;
}
