import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenComponent, readEphemeralPortRange, resolveListenHint } from '../../../bridge/host/listen.ts';
import { AppError, ErrorCode } from '../../../shared/errors.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A real TCP server on a free loopback port. */
async function startPeer(): Promise<number> {
  const peer = createTcpServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  closers.push(() => peer.close());
  return (peer.address() as AddressInfo).port;
}

/** An outgoing connection whose local port the kernel picked (from the ephemeral range), as a client's is. */
async function connectOut(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  closers.push(() => socket.destroy());
  return socket;
}

function newServer(): Server {
  const server = createServer();
  closers.push(() => server.close());
  return server;
}

describe('listenComponent', () => {
  it('resolves the bound port when the port is free', async () => {
    const port = await listenComponent(newServer(), {
      name: 'hello',
      listen: '127.0.0.1',
      port: 0,
      index: 0,
    });
    expect(port).toBeGreaterThan(0);
  });

  it('names the ephemeral range when an outgoing connection holds the port and nothing listens on it', async () => {
    const socket = await connectOut(await startPeer());
    const port = socket.localPort!;
    const error = await listenComponent(newServer(), {
      name: 'order',
      listen: '127.0.0.1',
      port,
      index: 2,
    }).catch((e: unknown) => e);
    const range = await readEphemeralPortRange();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.io);
    expect((error as AppError).message).toBe(
      `cannot listen on 127.0.0.1:${port} for order (components[2].port): listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
    expect((error as AppError).hint).toContain(`ephemeral range (${range.low}-${range.high})`);
    expect((error as AppError).hint).toContain(`pick a port below ${range.low}`);
  });

  it('says another process listens when a server holds a port outside the ephemeral range', () => {
    expect(resolveListenHint('EADDRINUSE', 8080, { low: 32768, high: 60999 })).toBe(
      "another process listens on port 8080 (`ss -ltnp 'sport = :8080'` shows which): stop it, or pick another port (0 picks a free one)",
    );
  });

  it('reads the kernel’s ephemeral port range', async () => {
    const range = await readEphemeralPortRange();
    expect(range.low).toBeGreaterThan(1023);
    expect(range.high).toBeGreaterThanOrEqual(range.low);
  });
});
