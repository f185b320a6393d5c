import { API_SUBPROTOCOL } from '@tickwire/feeds';
import WebSocket from 'ws';
import { rawText } from '../stream/raw-text';
import { Conditions } from '../test-support/conditions';

/** A channel message as the client received it: its bytes and the fields tests look at. */
export interface RawChannelMessage {
  readonly text: string;
  readonly type: string;
  readonly channel: string;
  readonly seq: number;
  readonly data: unknown;
}

/** A test client that keeps every channel message's exact text (to compare bytes across gateways). */
export class RawClient {
  readonly messages: RawChannelMessage[] = [];
  private readonly conditions = new Conditions();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = rawText(data);
      const message = JSON.parse(text) as { type: string; channel?: string; seq?: number; data?: unknown };
      if (message.seq === undefined || message.channel === undefined) return;
      this.messages.push({ text, type: message.type, channel: message.channel, seq: message.seq, data: message.data });
      this.conditions.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, [API_SUBPROTOCOL]);
      socket.once('open', () => {
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  of(channel: string): RawChannelMessage[] {
    return this.messages.filter((message) => message.channel === channel);
  }

  /** Waits (timeout only as a failure guard) until `condition` holds. */
  until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return this.conditions.until(condition, () => what, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Checks a client's messages of one channel form valid streams: each snapshot starts one, each
 * update follows the previous message's seq by one. Returns the problems found.
 */
export function streamProblems(messages: readonly RawChannelMessage[]): string[] {
  const problems: string[] = [];
  let last: number | undefined;
  for (const message of messages) {
    if (message.type === 'snapshot') last = message.seq;
    else if (last === undefined) problems.push(`update ${message.seq} before any snapshot`);
    else if (message.seq !== last + 1) problems.push(`update ${message.seq} after ${last}`);
    if (message.type !== 'snapshot') last = message.seq;
  }
  return problems;
}

/** A counter's value in a Prometheus text exposition (summed over labels). */
export function metricValue(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
