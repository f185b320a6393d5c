export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** How the client talks to the gateway: a WebSocket, or Server-Sent Events plus POSTs (docs/api.md). */
export type ConnectionTransport = 'websocket' | 'sse';

/** How the previous connection ended (for a refused connection, typically 1006 and no reason). */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  readonly url: string;
}

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** The gateway URL being tried or in use; while reconnecting or closed, the one used last. */
  readonly url: string;
  /** The transport of that connection (being tried, in use, or, while reconnecting or closed, used last). */
  readonly transport: ConnectionTransport;
  /** While reconnecting: the URL and transport tried next and the delay before the attempt. */
  readonly nextUrl?: string;
  readonly nextTransport?: ConnectionTransport;
  readonly retryInMs?: number;
  /** Connection attempts since the last connection that received a message. */
  readonly failedAttempts: number;
  readonly lastClose: CloseInfo | null;
}

/** Close codes the client records (and sends, where the socket is still writable) itself. */
export const CLIENT_CLOSE_CODES = {
  /** `client.close()`. */
  normal: 1000,
  /** No message at all for `heartbeatTimeoutMs`: the connection is declared dead. */
  heartbeatTimeout: 4000,
  /**
   * Transport 'auto': a WebSocket that opened but delivered no frame within `fallbackTimeoutMs`
   * (a proxy that passes the upgrade and then holds the frames); Server-Sent Events are tried next.
   */
  fallbackTimeout: 4001,
} as const;
