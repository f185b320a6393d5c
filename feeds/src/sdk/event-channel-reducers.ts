import type {
  ChannelName,
  SnapshotMessage,
  UpdateMessage,
  WireCandle,
  WireInstrument,
  WireTrade,
} from '../api/protocol';
import type { ChannelMessage } from './channel-message';
import type { ChannelReducer } from './channel-reducer';

/** Trades kept for an observer that joins late: as many as a `trades` snapshot holds. */
export const RECENT_TRADES_KEPT = 100;
/** Candles kept for an observer that joins late, at least (or as many as the snapshot held). */
export const RECENT_CANDLES_KEPT = 500;

/**
 * Passes messages through and keeps the state a late observer is shown, as a synthetic snapshot
 * with the stream's latest seq. Subclasses say how updates fold into that state.
 */
abstract class EventChannelReducer<C extends ChannelName> implements ChannelReducer<C, ChannelMessage<C>> {
  private latest: ChannelMessage<C> | undefined;
  private replay: SnapshotMessage<C> | undefined;

  snapshot(message: SnapshotMessage<C>): ChannelMessage<C> {
    this.latest = message;
    this.replay = message;
    this.reset(message.data);
    return message;
  }

  update(message: UpdateMessage<C>): ChannelMessage<C> {
    this.latest = message;
    this.replay = undefined;
    this.fold(message.data);
    return message;
  }

  current(): SnapshotMessage<C> | undefined {
    const latest = this.latest;
    if (latest === undefined) return undefined;
    this.replay ??= {
      type: 'snapshot',
      channel: latest.channel,
      ...(latest.instrument === undefined ? {} : { instrument: latest.instrument }),
      ...(latest.params === undefined ? {} : { params: latest.params }),
      seq: latest.seq,
      data: this.state(),
    };
    return this.replay;
  }

  protected abstract reset(data: SnapshotMessage<C>['data']): void;
  protected abstract fold(data: UpdateMessage<C>['data']): void;
  protected abstract state(): SnapshotMessage<C>['data'];
}

/** `bbo` and `status`: each message is the whole state. */
export class LatestStateReducer<C extends 'bbo' | 'status'> extends EventChannelReducer<C> {
  private last: SnapshotMessage<C>['data'] | undefined;

  protected reset(data: SnapshotMessage<C>['data']): void {
    this.last = data;
  }

  protected fold(data: UpdateMessage<C>['data']): void {
    this.last = data;
  }

  protected state(): SnapshotMessage<C>['data'] {
    // current() asks only after a snapshot, and reset() set it then.
    return this.last as SnapshotMessage<C>['data'];
  }
}

/** `trades`: the latest RECENT_TRADES_KEPT trades, oldest first. */
export class RecentTradesReducer extends EventChannelReducer<'trades'> {
  private trades: WireTrade[] = [];

  protected reset(data: readonly WireTrade[]): void {
    this.trades = data.slice(-RECENT_TRADES_KEPT);
  }

  protected fold(data: readonly WireTrade[]): void {
    this.trades.push(...data);
    if (this.trades.length > RECENT_TRADES_KEPT) this.trades.splice(0, this.trades.length - RECENT_TRADES_KEPT);
  }

  protected state(): readonly WireTrade[] {
    return this.trades.slice();
  }
}

/** `candles`: recent candles oldest first; an update replaces the candle with its openTime or adds it. */
export class RecentCandlesReducer extends EventChannelReducer<'candles'> {
  private candles: WireCandle[] = [];
  private kept = RECENT_CANDLES_KEPT;

  protected reset(data: readonly WireCandle[]): void {
    this.candles = data.slice();
    this.kept = Math.max(RECENT_CANDLES_KEPT, data.length);
  }

  protected fold(candle: WireCandle): void {
    const candles = this.candles;
    let index = candles.length;
    while (index > 0 && (candles[index - 1] as WireCandle).openTime > candle.openTime) index--;
    const previous = candles[index - 1];
    if (previous !== undefined && previous.openTime === candle.openTime) candles[index - 1] = candle;
    else candles.splice(index, 0, candle);
    if (candles.length > this.kept) candles.splice(0, candles.length - this.kept);
  }

  protected state(): readonly WireCandle[] {
    return this.candles.slice();
  }
}

/** `instruments`: every instrument, an update adding or replacing some (by `instrument`). */
export class InstrumentsReducer extends EventChannelReducer<'instruments'> {
  private readonly instruments = new Map<string, WireInstrument>();

  protected reset(data: readonly WireInstrument[]): void {
    this.instruments.clear();
    this.fold(data);
  }

  protected fold(data: readonly WireInstrument[]): void {
    for (const instrument of data) this.instruments.set(instrument.instrument, instrument);
  }

  protected state(): readonly WireInstrument[] {
    return [...this.instruments.values()];
  }
}
