import type { EpochMicros } from '../model/events';
import { FAULT_KINDS, type FaultKind } from './faults';

/** A snapshot of what the exchange did. */
export interface ExchangeStats {
  readonly connectionsOpened: number;
  readonly connectionsOpen: number;
  /** Upgrades refused because the path is not one of the venue's endpoints. */
  readonly connectionsRejected: number;
  /** Frames read from the source and published. */
  readonly framesPublished: number;
  /** Data frames written to sockets, per stream (each duplicate counts). */
  readonly framesSent: Readonly<Record<string, number>>;
  readonly dataFramesSent: number;
  readonly repliesSent: number;
  readonly keepalivesSent: number;
  readonly pingsSent: number;
  readonly clientMessages: number;
  /** Client messages answered with an error (malformed JSON, unknown method, unknown symbol, ...). */
  readonly clientErrors: number;
  /** Client messages that made a dialect throw; the connection was closed with 1011. */
  readonly sessionErrors: number;
  readonly slowClientsClosed: number;
  readonly httpRequests: number;
  readonly faultsApplied: Readonly<Record<FaultKind, number>>;
  readonly timeline: 'idle' | 'running' | 'finished' | 'failed' | 'stopped';
  readonly now: EpochMicros;
}

/** The mutable counters behind `ExchangeStats`. */
export class ExchangeCounters {
  connectionsOpened = 0;
  connectionsOpen = 0;
  connectionsRejected = 0;
  dataFramesSent = 0;
  repliesSent = 0;
  keepalivesSent = 0;
  pingsSent = 0;
  clientMessages = 0;
  clientErrors = 0;
  sessionErrors = 0;
  slowClientsClosed = 0;
  httpRequests = 0;
  private readonly perStream = new Map<string, number>();
  private readonly faults = new Map<FaultKind, number>();

  frameSent(stream: string): void {
    this.dataFramesSent++;
    this.perStream.set(stream, (this.perStream.get(stream) ?? 0) + 1);
  }

  faultApplied(kind: FaultKind): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
  }

  snapshot(framesPublished: number, timeline: ExchangeStats['timeline'], now: EpochMicros): ExchangeStats {
    const faultsApplied = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, this.faults.get(kind) ?? 0])) as Record<
      FaultKind,
      number
    >;
    return {
      connectionsOpened: this.connectionsOpened,
      connectionsOpen: this.connectionsOpen,
      connectionsRejected: this.connectionsRejected,
      framesPublished,
      framesSent: Object.fromEntries(this.perStream),
      dataFramesSent: this.dataFramesSent,
      repliesSent: this.repliesSent,
      keepalivesSent: this.keepalivesSent,
      pingsSent: this.pingsSent,
      clientMessages: this.clientMessages,
      clientErrors: this.clientErrors,
      sessionErrors: this.sessionErrors,
      slowClientsClosed: this.slowClientsClosed,
      httpRequests: this.httpRequests,
      faultsApplied,
      timeline,
      now,
    };
  }
}
