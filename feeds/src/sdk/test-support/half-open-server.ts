import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { API_STREAM_PATH, API_SUBPROTOCOL } from '../../api/protocol';
import { Waiters } from './wait-until';

/** RFC 6455, section 1.3. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Answers the WebSocket handshake whose request head (up to the blank line) is `head` with 101 and
 * `tickwire.v1`, then reads and ignores every frame, the close frame included.
 */
export function acceptAndIgnore(socket: Socket, head: string): void {
  const key = /^sec-websocket-key:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? '';
  const accept = createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${API_SUBPROTOCOL}\r\n\r\n`,
  );
  socket.on('data', () => undefined); // every later frame is read and ignored
}

/**
 * A peer that completes the WebSocket handshake (with `tickwire.v1`) and then ignores every frame,
 * the close frame included, keeping the TCP connection open: a half-open gateway.
 */
export class HalfOpenServer {
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Waiters();
  handshakes = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.waiters.notify();
      });
      let head = '';
      const onData = (chunk: Buffer): void => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        acceptAndIgnore(socket, head);
        this.handshakes++;
        this.waiters.notify();
      };
      socket.on('data', onData);
    });
  }

  static async start(): Promise<HalfOpenServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new HalfOpenServer(server, `ws://127.0.0.1:${port}${API_STREAM_PATH}`);
  }

  waitForHandshake(): Promise<true> {
    return this.waiters.until('a WebSocket handshake', () => (this.handshakes > 0 ? true : undefined));
  }

  /** Resolves once every connection was dropped by the client. */
  waitForNoConnection(): Promise<true> {
    return this.waiters.until('no open TCP connection', () => (this.sockets.size === 0 ? true : undefined));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
