import type { EpochMicros, FeedState } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { SessionSink } from '../venue-adapter';
import {
  type InstrumentState,
  sessionReason,
  statusCause,
  type TradingState,
  type TradingStatusFields,
  tradingReason,
  tradingStateOf,
} from './alpaca-trading-status';
import { type MarketCalendar, type MarketSession, marketSessionAt } from './market-session';

/*
 * The state of each subscribed instrument and the status events that report it. Three things can
 * change, each reported by one FeedStatusEvent for that symbol:
 * - the feed: 'connecting' until the venue confirms the subscription, then 'live'; 'disconnected'
 *   when refused or closed (reason says why);
 * - the trading state, from trading status messages: "halted: H Trading Halt: T1 Halt News Pending";
 * - the market session, from the data's own timestamps: "session: regular".
 * A trading or session change keeps the feed state: a halted stock on a healthy feed is 'live'.
 * The adapter has no clock of its own (replay must match live), so a session change is seen with
 * the first message (or subscription answer) after it, not at 09:30 sharp.
 */

export interface TrackedInstrument extends InstrumentState {
  readonly symbol: NormalizedSymbol;
  readonly venueSymbol: string;
  readonly feed: FeedState;
  /** Which Tickwire channels are wanted, so late data of an unsubscribed channel is ignored. */
  readonly wantsTrades: boolean;
  readonly wantsQuotes: boolean;
}

interface Entry {
  symbol: NormalizedSymbol;
  venueSymbol: string;
  feed: FeedState;
  wantsTrades: boolean;
  wantsQuotes: boolean;
  trading: TradingState;
  tradingCause: string;
  session: MarketSession | undefined;
  sessionFrom: EpochMicros;
  sessionUntil: EpochMicros;
}

export class InstrumentTracker {
  private readonly bySymbol = new Map<NormalizedSymbol, Entry>();
  private readonly byVenueSymbol = new Map<string, Entry>();

  constructor(
    private readonly sink: SessionSink,
    private readonly calendar: MarketCalendar,
  ) {}

  /** Starts tracking (or updates the wanted channels of) an instrument. */
  track(symbol: NormalizedSymbol, venueSymbol: string, wantsTrades: boolean, wantsQuotes: boolean): void {
    const existing = this.bySymbol.get(symbol);
    if (existing !== undefined) {
      existing.wantsTrades = wantsTrades;
      existing.wantsQuotes = wantsQuotes;
      return;
    }
    const entry: Entry = {
      symbol,
      venueSymbol,
      feed: 'connecting',
      wantsTrades,
      wantsQuotes,
      trading: 'trading',
      tradingCause: '',
      session: undefined,
      sessionFrom: 0,
      sessionUntil: 0,
    };
    this.bySymbol.set(symbol, entry);
    this.byVenueSymbol.set(venueSymbol, entry);
  }

  untrack(symbol: NormalizedSymbol): void {
    const entry = this.bySymbol.get(symbol);
    if (entry === undefined) return;
    this.bySymbol.delete(symbol);
    this.byVenueSymbol.delete(entry.venueSymbol);
  }

  get(symbol: NormalizedSymbol): TrackedInstrument | undefined {
    return this.bySymbol.get(symbol);
  }

  byVenue(venueSymbol: string): TrackedInstrument | undefined {
    return this.byVenueSymbol.get(venueSymbol);
  }

  all(): IterableIterator<TrackedInstrument> {
    return this.bySymbol.values();
  }

  /** Sets the feed state; reports it when it changed (or always, with `always`). */
  setFeed(symbol: NormalizedSymbol, state: FeedState, reason: string, time: EpochMicros, always = false): void {
    const entry = this.bySymbol.get(symbol);
    if (entry === undefined || (entry.feed === state && !always)) return;
    const becameLive = state === 'live' && entry.feed !== 'live';
    entry.feed = state;
    this.emit(entry, reason, time);
    // The first live status is followed by the session, so a consumer knows it from the start.
    if (becameLive) {
      entry.session = undefined;
      this.observeTime(entry.symbol, time, time);
    }
  }

  /** Reports a session change seen at `time` (a message's venue time, or a receive time). */
  observeTime(symbol: NormalizedSymbol, time: EpochMicros, receiveTime: EpochMicros): void {
    const entry = this.bySymbol.get(symbol);
    if (entry === undefined) return;
    if (entry.session !== undefined && time >= entry.sessionFrom && time < entry.sessionUntil) return;
    const window = marketSessionAt(time, this.calendar);
    entry.sessionFrom = window.from;
    entry.sessionUntil = window.until;
    if (entry.session === window.session) return;
    entry.session = window.session;
    if (entry.feed === 'live') this.emit(entry, sessionReason(window.session), receiveTime);
  }

  /**
   * Applies a trading status message; true when it changed the trading state (and was reported),
   * false for informational codes and repeats.
   */
  applyStatus(symbol: NormalizedSymbol, status: TradingStatusFields, receiveTime: EpochMicros): boolean {
    const entry = this.bySymbol.get(symbol);
    const state = tradingStateOf(status);
    if (entry === undefined || state === undefined) return false;
    const cause = statusCause(status);
    if (entry.trading === state && entry.tradingCause === cause) return false;
    entry.trading = state;
    entry.tradingCause = cause;
    this.emit(entry, tradingReason(state, cause), receiveTime);
    return true;
  }

  private emit(entry: Entry, reason: string, receiveTime: EpochMicros): void {
    this.sink.event({
      type: 'status',
      venue: 'alpaca',
      symbol: entry.symbol,
      state: entry.feed,
      reason,
      receiveTime,
    });
  }
}
