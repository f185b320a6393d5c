import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { API_STREAM_PATH } from '../../api/protocol';
import { Waiters } from './wait-until';

/**
 * A TCP server that accepts connections and never answers the WebSocket handshake, like a gateway
 * host that hangs: a client's socket stays "connecting" until the client gives up on it.
 */
export class SilentTcpServer {
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Waiters();
  accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('connection', (socket) => {
      this.accepted++;
      this.sockets.add(socket);
      this.waiters.notify();
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.waiters.notify();
      });
      socket.on('error', () => undefined);
    });
  }

  static async start(): Promise<SilentTcpServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new SilentTcpServer(server, `ws://127.0.0.1:${port}${API_STREAM_PATH}`);
  }

  /** Connections accepted and still open. */
  get open(): number {
    return this.sockets.size;
  }

  waitForConnection(): Promise<true> {
    return this.waiters.until('a TCP connection', () => (this.accepted > 0 ? true : undefined));
  }

  /** Resolves once every accepted connection was closed by the client. */
  waitForNoConnection(): Promise<true> {
    return this.waiters.until('no open TCP connection', () => (this.sockets.size === 0 ? true : undefined));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
