export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

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
  /** While reconnecting: the URL tried next and the delay before the attempt. */
  readonly nextUrl?: string;
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
} as const;
