import type { ServerMessage } from '@tickwire/feeds';
import { Conditions } from './conditions';

export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * A Server-Sent Events client for tests over Node's fetch: parses the event stream as the
 * EventSource spec says (id, event, data lines, a blank line ends an event) and keeps every event.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  /** The last id seen, as EventSource keeps it for Last-Event-ID. */
  lastEventId: string | undefined;
  private readonly controller = new AbortController();
  private readonly conditions = new Conditions();
  private ended = false;
  readonly done: Promise<void>;

  private constructor(private readonly response: Response) {
    this.status = response.status;
    this.done = this.read();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    const client = new SseClient(response);
    client.abort = () => {
      controller.abort();
    };
    return client;
  }

  abort: () => void = () => {
    this.controller.abort();
  };

  /** The JSON messages, in order. */
  messages(): ServerMessage[] {
    return this.events
      .filter((event) => event.event === undefined)
      .map((event) => JSON.parse(event.data) as ServerMessage);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return this.conditions.until(condition, () => what, timeoutMs);
  }

  private async read(): Promise<void> {
    const body = this.response.body;
    if (body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let id: string | undefined;
    let event: string | undefined;
    let data: string[] = [];
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          if (line === '') {
            if (data.length > 0) {
              if (id !== undefined) this.lastEventId = id;
              this.events.push({ id, event, data: data.join('\n') });
              this.conditions.wake();
            }
            id = undefined;
            event = undefined;
            data = [];
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
          else if (field === 'event') event = value;
        }
      }
    } catch {
      // Aborted or the connection dropped.
    } finally {
      this.ended = true;
      this.conditions.wake();
    }
  }
}
