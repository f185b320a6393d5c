import type { EpochMicros, FeedState } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { SessionSink } from '../venue-adapter';
import { CoinbaseBookSync } from './coinbase-book-sync';

/**
 * The books of one connection, by symbol, and the resyncs they asked for while a frame was being
 * handled: the session sends the resubscribe messages for all of them at once after the frame.
 */
export class CoinbaseBooks {
  private readonly books = new Map<NormalizedSymbol, CoinbaseBookSync>();
  private readonly pendingResyncs = new Set<NormalizedSymbol>();

  constructor(private readonly sink: SessionSink) {}

  get(symbol: NormalizedSymbol): CoinbaseBookSync | undefined {
    return this.books.get(symbol);
  }

  symbols(): NormalizedSymbol[] {
    return [...this.books.keys()];
  }

  all(): CoinbaseBookSync[] {
    return [...this.books.values()];
  }

  track(symbol: NormalizedSymbol): void {
    if (this.books.has(symbol)) return;
    this.books.set(symbol, new CoinbaseBookSync(symbol, this.sink, (resynced) => this.pendingResyncs.add(resynced)));
  }

  untrack(symbol: NormalizedSymbol): void {
    this.books.get(symbol)?.reset();
    this.books.delete(symbol);
    this.pendingResyncs.delete(symbol);
  }

  /** Symbols that asked for a fresh snapshot since the last call (and still have a book). */
  takeResyncs(): NormalizedSymbol[] {
    const symbols = [...this.pendingResyncs].filter((symbol) => this.books.has(symbol));
    this.pendingResyncs.clear();
    return symbols;
  }

  /** One status event per book, e.g. "connecting" on open or "disconnected" on close. */
  announce(state: FeedState, reason: string, time: EpochMicros): void {
    for (const symbol of this.books.keys()) {
      this.sink.event({ type: 'status', venue: 'coinbase', symbol, state, reason, receiveTime: time });
    }
  }

  resetAll(): void {
    for (const book of this.books.values()) book.reset();
    this.pendingResyncs.clear();
  }
}
