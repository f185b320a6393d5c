import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export interface Received {
  /** Monotonic arrival time (ms). */
  readonly at: number;
  readonly text: string;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
  readonly at: number;
}

export interface TestClientOptions {
  /** Answer server pings (ws does so by default). */
  readonly autoPong?: boolean;
}

/** A real `ws` client over loopback that records everything it receives, with arrival times. */
export class TestClient {
  readonly messages: Received[] = [];
  readonly pings: { readonly at: number; readonly payload: string }[] = [];
  readonly closed: Promise<Closed>;
  private closeInfo: Closed | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push({ at: performance.now(), text: rawText(data) });
    });
    socket.on('ping', (payload) => {
      this.pings.push({ at: performance.now(), payload: payload.toString('utf8') });
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8'), at: performance.now() };
        resolve(this.closeInfo);
      });
    });
    socket.on('error', () => undefined);
  }

  /** Connects; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, options: TestClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, { autoPong: options.autoPong ?? true, perMessageDeflate: false });
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`upgrade refused: HTTP ${response.statusCode ?? 0}`));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closeInfo !== undefined;
  }

  get closeEvent(): Closed | undefined {
    return this.closeInfo;
  }

  send(message: string | object): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends a WebSocket pong frame of our own (not an answer to a ping). */
  pong(payload: string): void {
    this.socket.pong(payload);
  }

  texts(): string[] {
    return this.messages.map((message) => message.text);
  }

  /** Stops reading from the socket (TCP backpressure builds up at the server). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Polls until `predicate` holds; fails with `what` after `timeoutMs`. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate()) {
      if (performance.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.messages.length} messages`);
      }
      await sleep(5);
    }
  }

  /** The first message from index `from` on that satisfies `predicate`, waiting for it if needed. */
  async next(predicate: (text: string) => boolean, what: string, from = 0, timeoutMs = 5000): Promise<Received> {
    let found: Received | undefined;
    await this.waitFor(
      () => {
        found = this.messages.slice(from).find((message) => predicate(message.text));
        return found !== undefined;
      },
      what,
      timeoutMs,
    );
    if (found === undefined) throw new Error(`no ${what}`);
    return found;
  }

  /** Closes (or, if the server is gone, destroys) the socket and waits for it. */
  async close(): Promise<void> {
    if (this.closeInfo !== undefined) return;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    const timer = sleep(1000).then(() => {
      this.socket.terminate();
    });
    await Promise.race([this.closed, timer]);
    await this.closed;
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
