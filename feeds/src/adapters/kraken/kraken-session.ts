import { BookUpdateError } from '../../book';
import { DecimalFormatError } from '../../decimal';
import type { EpochMicros } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';
import type { SymbolDirectory } from '../symbol-directory';
import type { SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import { type KrakenBookDepth, KrakenBookSync } from './kraken-book-sync';
import type { Accounting, FrameContext } from './kraken-frame-context';
import { type RequestMethod, requestTexts } from './kraken-subscriptions';
import { type KrakenVersion, pairOf } from './kraken-symbols';
import { parseV1Frame } from './kraken-v1-parser';
import { parseV2Frame } from './kraken-v2-parser';

export interface KrakenSessionConfig {
  readonly venue: VenueId;
  readonly version: KrakenVersion;
  /** Levels per side of every book subscription; the book is trimmed to it after each update. */
  readonly depth: KrakenBookDepth;
  /** Most pairs per subscribe/unsubscribe request. */
  readonly pairsPerMessage: number;
  readonly symbols: SymbolDirectory;
}

/**
 * One Kraken spot WebSocket connection (v1 or v2): subscriptions, frame parsing to normalized
 * events, and per-symbol book sync with checksum verification. See README.md for the rules quoted.
 */
export class KrakenSession implements VenueSession {
  private readonly books = new Map<NormalizedSymbol, KrakenBookSync>();
  private wanted: UpstreamSubscription[];
  private readonly context: FrameContext;
  private readonly parse: (text: string, receiveTime: EpochMicros, context: FrameContext) => Accounting;

  constructor(
    private readonly config: KrakenSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.parse = config.version === 'v1' ? parseV1Frame : parseV2Frame;
    this.context = {
      venue: config.venue,
      symbolOf: (pair) => config.symbols.symbolOf(pair),
      bookOf: (symbol) => this.books.get(symbol),
      emit: (event) => {
        sink.event(event);
      },
    };
    this.wanted = dedupe(subscriptions);
    for (const subscription of this.wanted) this.track(subscription);
  }

  /** Per-symbol book state, for tests and metrics. */
  bookSync(symbol: NormalizedSymbol): KrakenBookSync | undefined {
    return this.books.get(symbol);
  }

  /** The subscriptions this session currently wants from the venue. */
  get subscriptions(): readonly UpstreamSubscription[] {
    return this.wanted;
  }

  open(time: EpochMicros): void {
    this.request('subscribe', this.wanted);
    for (const symbol of this.books.keys()) {
      this.sink.event({
        type: 'status',
        venue: this.config.venue,
        symbol,
        state: 'connecting',
        reason: `subscribed to book depth ${this.config.depth}; waiting for the snapshot`,
        receiveTime: time,
      });
    }
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const added = dedupe(subscriptions).filter((s) => !this.wanted.some((w) => same(w, s)));
    this.wanted.push(...added);
    for (const subscription of added) this.track(subscription);
    this.request('subscribe', added);
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = this.wanted.filter((w) => subscriptions.some((s) => same(w, s)));
    this.wanted = this.wanted.filter((w) => !removed.includes(w));
    for (const subscription of removed) {
      if (subscription.channel === 'book') this.books.delete(subscription.symbol);
    }
    this.request('unsubscribe', removed);
  }

  close(time: EpochMicros, reason: string): void {
    for (const [symbol, sync] of this.books) {
      sync.reset();
      this.sink.event({
        type: 'status',
        venue: this.config.venue,
        symbol,
        state: 'disconnected',
        reason,
        receiveTime: time,
      });
    }
  }

  handleFrame(text: string, receiveTime: EpochMicros): void {
    let accounting: Accounting;
    try {
      accounting = this.parse(text, receiveTime, this.context);
    } catch (error) {
      accounting = ['rejected', rejection(error)];
    }
    this.sink.account(accounting[0], accounting[1]);
  }

  handleHttp(): void {
    // Kraken's books come whole over the socket (snapshot on subscribe): this session never makes
    // REST requests, so a response reaching it is not its own and is left alone.
  }

  /** Kraken's way to a fresh book snapshot: unsubscribe the pair's book, then subscribe it again. */
  private resubscribeBook(symbol: NormalizedSymbol): void {
    const book = [{ symbol, channel: 'book' as const }];
    this.request('unsubscribe', book);
    this.request('subscribe', book);
  }

  private request(method: RequestMethod, subscriptions: readonly UpstreamSubscription[]): void {
    const wanted = subscriptions.map((s) => ({ pair: this.pairOf(s.symbol), channel: s.channel }));
    for (const text of requestTexts(this.config, method, wanted)) this.sink.send(text);
  }

  private pairOf(symbol: NormalizedSymbol): string {
    return this.config.symbols.venueSymbolOf(symbol, (base, quote) => pairOf(this.config.version, base, quote));
  }

  private track(subscription: UpstreamSubscription): void {
    const { symbol, channel } = subscription;
    if (channel !== 'book' || this.books.has(symbol)) return;
    this.books.set(
      symbol,
      new KrakenBookSync({
        venue: this.config.venue,
        symbol,
        depth: this.config.depth,
        emit: this.context.emit,
        resubscribe: () => {
          this.resubscribeBook(symbol);
        },
      }),
    );
  }
}

function same(a: UpstreamSubscription, b: UpstreamSubscription): boolean {
  return a.symbol === b.symbol && a.channel === b.channel;
}

function dedupe(subscriptions: readonly UpstreamSubscription[]): UpstreamSubscription[] {
  const out: UpstreamSubscription[] = [];
  for (const s of subscriptions) if (!out.some((o) => same(o, s))) out.push(s);
  return out;
}

/**
 * The rejection reason of a frame the parser threw on: invalid decimal text or book levels (found
 * before anything was applied), or anything unforeseen, which still must not escape handleFrame.
 */
function rejection(error: unknown): string {
  if (error instanceof DecimalFormatError) return `invalid decimal: ${error.message}`;
  if (error instanceof BookUpdateError) return `invalid book level: ${error.message}`;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
