import type { ChannelStream } from '../channel-stream';

/**
 * How a client session reaches its client: a WebSocket, or a Server-Sent Events response for
 * clients whose proxies strip WebSocket upgrades. The session's limits and slow-consumer policy
 * work on any transport through this.
 */
export interface ClientTransport {
  /** Which transport, for logs and metrics. */
  readonly kind: 'ws' | 'sse';
  /** Bytes written but not yet sent to the client. */
  readonly bufferedAmount: number;
  readonly isOpen: boolean;
  /** Sends one message; `stream` is the channel stream it belongs to (SSE event ids name its position). */
  send(bytes: Buffer, stream: ChannelStream | undefined): void;
  /** Ends with a close code and reason (WebSocket close frame; SSE: a final `close` event). */
  close(code: number, reason: string): void;
  /** Destroys the connection at once. */
  terminate(): void;
  onClose(listener: () => void): void;
}
