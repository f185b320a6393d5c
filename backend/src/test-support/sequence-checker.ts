import { API_SUBPROTOCOL } from '@tickwire/feeds';
import WebSocket from 'ws';
import { rawText } from '../stream/raw-text';

/**
 * A healthy client that keeps nothing but counters: per channel stream, the last seq, how many
 * messages, gaps and conflated snapshots it saw. For load tests, where storing every message would
 * measure the test's memory instead of the gateway's.
 */
export class SequenceChecker {
  readonly lastSeq = new Map<string, number>();
  readonly counts = new Map<string, number>();
  gaps = 0;
  conflated = 0;
  snapshots = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(rawText(data)) as {
        type: string;
        channel?: string;
        instrument?: string;
        params?: unknown;
        seq?: number;
        conflated?: boolean;
      };
      if (message.seq === undefined) return;
      const key = `${message.channel ?? ''} ${message.instrument ?? ''} ${JSON.stringify(message.params ?? {})}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      if (message.type === 'snapshot') {
        this.snapshots++;
        if (message.conflated === true) this.conflated++;
      } else {
        const last = this.lastSeq.get(key);
        if (last === undefined || message.seq !== last + 1) this.gaps++;
      }
      this.lastSeq.set(key, message.seq);
    });
    socket.on('error', () => undefined);
  }

  static open(url: string): Promise<SequenceChecker> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, [API_SUBPROTOCOL]);
      socket.once('open', () => {
        resolve(new SequenceChecker(socket));
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.socket.once('close', () => {
        resolve();
      });
      this.socket.close();
    });
  }
}
