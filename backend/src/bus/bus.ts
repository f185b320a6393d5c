/** One message on the bus: its subject, its bytes as they are, and small text headers. */
export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

export interface BusReply {
  readonly data: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What ingest and gateway parts exchange: at-most-once publish/subscribe on subjects (NATS
 * syntax: `.`-separated tokens, `*` one token, `>` the rest) and request/reply, over NATS (NatsBus).
 * A single process (the default) needs no bus: its channel streams serve its clients directly.
 */
export interface Bus {
  publish(subject: string, data: Uint8Array, headers?: Readonly<Record<string, string>>): void;
  /** Calls `handler` for every message on `subject`; returns the unsubscribe. */
  subscribe(subject: string, handler: (message: BusMessage) => void): () => void;
  /** Answers requests on `subject`; a handler returning undefined does not answer (another may). */
  serve(subject: string, handler: (message: BusMessage) => BusReply | undefined): () => void;
  /** Rejects when nobody answers within `timeoutMs`. */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<BusMessage>;
  /** Called after the connection came back (messages may have been lost meanwhile); returns the removal. */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

export const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
