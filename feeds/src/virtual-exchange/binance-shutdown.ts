import type { SessionIo } from './dialect';

/**
 * Binance's announced disconnect: "a `serverShutdown` event comes before a shutdown" (WebSocket
 * Streams, connection rules). The exchange sends `{"e":"serverShutdown","E":<ms>}` `afterMs` after
 * a selected connection opened and closes it `graceMs` later (1001 "Server shutdown"; the code is
 * ours, the venue documents none). A client that replaces the connection in time sees no gap.
 */
export interface BinanceShutdownNotice {
  readonly afterMs: number;
  readonly graceMs: number;
  /** Connection ids (1-based) that get the notice; default all. */
  readonly connections?: readonly number[];
}

export function scheduleShutdownNotice(io: SessionIo, notice: BinanceShutdownNotice): void {
  if (notice.connections !== undefined && !notice.connections.includes(io.connectionId)) return;
  io.timers.timeout(notice.afterMs, () => {
    io.send(`{"e":"serverShutdown","E":${Math.floor(io.now() / 1000)}}`, 'reply');
    io.timers.timeout(notice.graceMs, () => {
      io.close(1001, 'Server shutdown');
    });
  });
}

/** Throws RangeError for a notice that cannot work. */
export function validateShutdownNotice(notice: BinanceShutdownNotice): void {
  if (!(notice.afterMs >= 0 && Number.isFinite(notice.afterMs))) {
    throw new RangeError('serverShutdown: afterMs must be a finite number >= 0');
  }
  if (!(notice.graceMs > 0 && Number.isFinite(notice.graceMs))) {
    throw new RangeError('serverShutdown: graceMs must be a finite number > 0');
  }
}
