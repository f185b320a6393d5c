import { API_SUBPROTOCOL, type ServerMessage } from '@tickwire/feeds';
import WebSocket from 'ws';
import { rawText } from '../stream/raw-text';
import { Conditions } from './conditions';

/**
 * A real `ws` client of the gateway's stream for tests: collects every message and waits for the
 * ones a test expects (by predicate, with a timeout only as a failure guard).
 */
export class StreamClient {
  readonly messages: ServerMessage[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private readonly conditions = new Conditions();
  readonly closed: Promise<void>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(rawText(data)) as ServerMessage);
      this.conditions.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.conditions.wake();
        resolve();
      });
    });
    socket.on('error', () => undefined);
  }

  static open(
    url: string,
    options: { protocols?: string[]; headers?: Record<string, string> } = {},
  ): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options.protocols ?? [API_SUBPROTOCOL], { headers: options.headers ?? {} });
      const client = new StreamClient(socket);
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`HTTP ${response.statusCode}`));
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits until `predicate` holds for some message from index `from` on; returns it. */
  async next<T extends ServerMessage = ServerMessage>(
    predicate: (message: ServerMessage) => boolean,
    what: string,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<T> {
    const from = options.from ?? 0;
    const found = (): T | undefined => this.messages.slice(from).find(predicate) as T | undefined;
    await this.until(() => found() !== undefined, what, options.timeoutMs);
    return found() as T;
  }

  /** Waits until `condition` holds (re-checked on every message and on close). */
  until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return this.conditions.until(
      condition,
      () => `${what}; last message: ${JSON.stringify(this.messages.at(-1)).slice(0, 400)}`,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}
