import WebSocket from 'ws';
import { millisToMicros } from '../model/time';
import type { RecordingWriter } from '../recording/recording-writer';

export interface RecordSessionOptions {
  readonly url: string;
  /** Messages sent after each (re)connection, recorded as `sent` (e.g. subscribe requests). */
  readonly send: readonly string[];
  /** REST URLs fetched after each (re)connection and recorded as `http` (e.g. depth snapshots). */
  readonly http: readonly string[];
  readonly writer: RecordingWriter;
  /** Stop after this long (ms); undefined runs until `stop()`. */
  readonly durationMs?: number;
  /** Backoff between reconnections: doubles from min to max (ms). */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** Wall clock in epoch µs; injectable for tests. */
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export interface RecordSessionResult {
  readonly connections: number;
  readonly framesReceived: number;
  readonly httpResponses: number;
}

/**
 * Records one venue WebSocket (and the REST requests its book sync needs) into a recording,
 * reconnecting with exponential backoff when the connection drops, until the duration is over or
 * stop() is called. Every connection is numbered; opens and closes are recorded too.
 */
export class RecordSession {
  private socket: WebSocket | undefined;
  private stopped = false;
  private conn = 0;
  private frames = 0;
  private httpCount = 0;
  private backoff: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private durationTimer: NodeJS.Timeout | undefined;
  private finish: (() => void) | undefined;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: RecordSessionOptions) {
    this.backoff = options.reconnectMinMs ?? 1000;
    this.now = options.now ?? (() => millisToMicros(performance.timeOrigin + performance.now()));
    this.log = options.log ?? (() => undefined);
  }

  run(): Promise<RecordSessionResult> {
    const done = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    if (this.options.durationMs !== undefined) {
      this.durationTimer = setTimeout(() => {
        this.stop();
      }, this.options.durationMs);
    }
    this.connect();
    return done.then(() => ({ connections: this.conn, framesReceived: this.frames, httpResponses: this.httpCount }));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.durationTimer);
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) {
      this.finish?.();
      return;
    }
    socket.once('close', () => this.finish?.());
    socket.close(1000, 'recording finished');
  }

  private connect(): void {
    const conn = ++this.conn;
    const writer = this.options.writer;
    const socket = new WebSocket(this.options.url, { perMessageDeflate: false });
    this.socket = socket;
    socket.on('open', () => {
      this.backoff = this.options.reconnectMinMs ?? 1000;
      writer.write({ kind: 'open', time: this.now(), conn, url: this.options.url });
      this.log(`connection ${conn} open: ${this.options.url}`);
      for (const message of this.options.send) {
        socket.send(message);
        writer.write({ kind: 'sent', time: this.now(), conn, data: message });
      }
      void this.fetchAll();
    });
    socket.on('message', (data, isBinary) => {
      const time = this.now();
      this.frames++;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      writer.write({ kind: 'recv', time, conn, data: isBinary ? new Uint8Array(bytes) : bytes.toString('utf8') });
    });
    socket.on('error', (error) => {
      this.log(`connection ${conn} error: ${error.message}`);
    });
    socket.on('close', (code, reason) => {
      writer.write({ kind: 'close', time: this.now(), conn, code, reason: reason.toString() });
      this.log(`connection ${conn} closed: ${code} ${reason.toString()}`);
      if (this.stopped) return;
      const wait = this.backoff;
      this.backoff = Math.min(this.backoff * 2, this.options.reconnectMaxMs ?? 30_000);
      this.log(`reconnecting in ${wait} ms`);
      this.reconnectTimer = setTimeout(() => {
        this.connect();
      }, wait);
    });
  }

  private async fetchAll(): Promise<void> {
    for (const url of this.options.http) {
      try {
        const response = await fetch(url);
        const body = await response.text();
        if (this.stopped) return;
        this.options.writer.write({ kind: 'http', time: this.now(), url, status: response.status, body });
        this.httpCount++;
      } catch (error) {
        this.log(`GET ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
