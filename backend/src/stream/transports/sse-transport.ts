import type { ServerResponse } from 'node:http';
import type { ChannelStream } from '../channel-stream';
import type { ClientTransport } from './client-transport';

const DATA = Buffer.from('data: ');
const END = Buffer.from('\n\n');

/**
 * A client over Server-Sent Events (`text/event-stream`). Each message is an event whose data is
 * the very bytes a WebSocket client gets; channel messages carry an `id:` that lists the position
 * (epoch and seq) of every stream of the connection, so the browser's automatic reconnect sends
 * it back as Last-Event-ID and the gateway resumes each stream where it was.
 */
export class SseTransport implements ClientTransport {
  readonly kind = 'sse';
  private readonly positions = new Map<string, string>();
  private open = true;

  constructor(private readonly response: ServerResponse) {
    response.once('close', () => {
      this.open = false;
    });
  }

  get bufferedAmount(): number {
    return this.response.writableLength;
  }

  get isOpen(): boolean {
    return this.open && !this.response.writableEnded;
  }

  send(bytes: Buffer, stream: ChannelStream | undefined): void {
    if (stream !== undefined) {
      this.positions.set(stream.key, `${stream.epoch}.${stream.seq}`);
      this.response.write(`id: ${encodeResumeToken(this.positions)}\n`);
    }
    // JSON text has no raw newlines, so one `data:` line carries it whole.
    this.response.write(DATA);
    this.response.write(bytes);
    this.response.write(END);
  }

  /** Forgets a stream the client unsubscribed from, so resume tokens stay small. */
  forget(streamKey: string): void {
    this.positions.delete(streamKey);
  }

  close(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.response.end(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
  }

  terminate(): void {
    this.open = false;
    this.response.destroy();
  }

  onClose(listener: () => void): void {
    this.response.once('close', listener);
  }
}

/** `key=epoch.seq` pairs, URI-encoded and joined with `&` (a Last-Event-ID is one line of text). */
export function encodeResumeToken(positions: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const [key, position] of positions) parts.push(`${encodeURIComponent(key)}=${position}`);
  return parts.join('&');
}

/** The positions in a Last-Event-ID; malformed parts are skipped (they just get a snapshot). */
export function decodeResumeToken(token: string | undefined): Map<string, { epoch: string; seq: number }> {
  const positions = new Map<string, { epoch: string; seq: number }>();
  if (token === undefined || token.length > 16_384) return positions;
  for (const part of token.split('&')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    const position = /^([0-9a-z]{1,16})\.(\d{1,15})$/.exec(part.slice(equals + 1));
    if (position === null) continue;
    try {
      positions.set(decodeURIComponent(part.slice(0, equals)), {
        epoch: position[1] as string,
        seq: Number(position[2]),
      });
    } catch {
      // A malformed escape: that stream gets a snapshot.
    }
  }
  return positions;
}
