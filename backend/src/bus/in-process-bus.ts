import { type Bus, type BusMessage, type BusReply, NO_HEADERS } from './bus';
import { subjectMatches } from './subject-match';

interface Handler {
  readonly pattern: string;
  readonly handle: (message: BusMessage) => void;
}

/**
 * The bus inside one process: synchronous delivery to every matching subscriber, nothing lost.
 * One process needs no bus at all (channel streams reach its clients directly); this serves unit
 * tests of the relay logic and any in-process composition of ingest and gateway parts.
 */
export class InProcessBus implements Bus {
  private readonly subscribers = new Set<Handler>();
  private readonly servers = new Set<{ pattern: string; handle: (message: BusMessage) => BusReply | undefined }>();
  private readonly reconnectListeners = new Set<() => void>();

  publish(subject: string, data: Uint8Array, headers: Readonly<Record<string, string>> = NO_HEADERS): void {
    const message: BusMessage = { subject, data, headers };
    for (const handler of [...this.subscribers]) if (subjectMatches(handler.pattern, subject)) handler.handle(message);
  }

  subscribe(subject: string, handle: (message: BusMessage) => void): () => void {
    const handler = { pattern: subject, handle };
    this.subscribers.add(handler);
    return () => {
      this.subscribers.delete(handler);
    };
  }

  serve(subject: string, handle: (message: BusMessage) => BusReply | undefined): () => void {
    const server = { pattern: subject, handle };
    this.servers.add(server);
    return () => {
      this.servers.delete(server);
    };
  }

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<BusMessage> {
    for (const server of [...this.servers]) {
      if (!subjectMatches(server.pattern, subject)) continue;
      const reply = server.handle({ subject, data, headers: NO_HEADERS });
      if (reply !== undefined) {
        return Promise.resolve({ subject, data: reply.data, headers: reply.headers ?? NO_HEADERS });
      }
    }
    return Promise.reject(new Error(`no answer on ${subject} (${timeoutMs} ms)`));
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => {
      this.reconnectListeners.delete(listener);
    };
  }

  /** Tests: as if the connection dropped and came back. */
  simulateReconnect(): void {
    for (const listener of [...this.reconnectListeners]) listener();
  }

  close(): Promise<void> {
    this.subscribers.clear();
    this.servers.clear();
    this.reconnectListeners.clear();
    return Promise.resolve();
  }
}
