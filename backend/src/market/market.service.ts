import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import {
  type ChannelKind,
  type ChannelName,
  type FeedSource,
  type FeedStatusEvent,
  type MarketEvent,
  type NormalizedSymbol,
  type PriceLevel,
  type WireInstrument,
  defineInstrument,
  parseNormalizedSymbol,
} from '@tickwire/feeds';
import { Subject } from 'rxjs';
import { FEED_OWNERSHIP } from '../bus/bus.tokens';
import { feedIdOf } from '../bus/feed-id';
import type { FeedOwnership } from '../bus/feed-ownership';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { FeedConfig, GatewayConfig } from '../config/gateway-config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { resolveAutoFeeds } from './auto-feeds';
import { type RunningFeed, startFeed } from './feed-runtime';
import { InstrumentMarket } from './instrument-market';
import { observedIncrements } from './observed-increments';

interface InstrumentEntry {
  /** The running feed; replaced when this ingest takes its feed over again after losing it. */
  feed: RunningFeed;
  readonly symbol: NormalizedSymbol;
  readonly market: InstrumentMarket;
  info: WireInstrument;
  /** Wanted upstream channels, by how many channel streams want each. */
  readonly demand: Map<ChannelKind, number>;
}

export interface FeedSummary {
  readonly id: string;
  readonly source: FeedSource;
  readonly state: FeedStatusEvent['state'];
  readonly reason: string;
  readonly instruments: number;
  readonly upstreamSubscriptions: number;
  readonly upstreamConnections: number;
}

/** Fallback tick/lot when a venue's adapter does not know an instrument's (no exchange info). */
const UNKNOWN_INCREMENT = '0.00000001';
const CLOCK_TICK_MS = 1000;
const ALL_CHANNELS: readonly ChannelName[] = ['trades', 'book', 'bbo', 'candles', 'status'];
/** Alpaca's stock stream has trades and quotes, no order book. */
const STOCK_CHANNELS: readonly ChannelName[] = ['trades', 'bbo', 'candles', 'status'];

/**
 * The ingest side of the gateway: runs the configured feeds (each an adapter over its upstream
 * connection pool), routes their normalized events into one InstrumentMarket per instrument, and
 * opens upstream subscriptions on demand: the first channel stream that needs an instrument's
 * book, trades or bbo subscribes it upstream, the last one to go unsubscribes it (pinned
 * instruments stay subscribed).
 */
@Injectable()
export class MarketService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Market');
  private readonly feeds: RunningFeed[] = [];
  private readonly entries = new Map<string, InstrumentEntry>();
  private readonly feedStatus = new Map<string, FeedStatusEvent>();
  private clock: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Feeds waiting for their lease (NATS bus, ingest role). */
  private readonly pendingStarts: Promise<void>[] = [];
  /** Instruments added or changed (tick size learned), for the `instruments` channel. */
  readonly instrumentsChanged$ = new Subject<readonly WireInstrument[]>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    /** NATS bus, ingest roles: a feed starts once this process holds its lease (one owner at a time). */
    @Optional() @Inject(FEED_OWNERSHIP) private readonly ownership: FeedOwnership | null = null,
  ) {}

  async onModuleInit(): Promise<void> {
    // A gateway on the NATS bus runs no feeds: its instruments and streams come from the ingests.
    if (this.config.bus.kind === 'nats' && this.config.bus.role === 'gateway') return;
    const configs: readonly FeedConfig[] =
      this.config.feeds === 'auto' ? await resolveAutoFeeds(this.logger) : this.config.feeds;
    this.clock = setInterval(() => {
      const now = Date.now() * 1000;
      for (const entry of this.entries.values()) if (entry.feed.clockDriven) entry.market.advanceClock(now);
    }, CLOCK_TICK_MS);
    this.clock.unref();
    const ownership = this.ownership;
    if (ownership === null) {
      for (const config of configs) await this.startOwnedFeed(config);
      return;
    }
    // On the bus a feed starts once this ingest holds its lease. A standby finishes starting up
    // (health, metrics, snapshot requests) and takes each feed over in the background when its
    // owner goes, so the takeover bound is the lease's and not a restart's.
    ownership.onLost((feedId) => {
      void this.fence(feedId, configs);
    });
    for (const config of configs) this.standBy(ownership, config);
  }

  /** Waits (in the background) for the feed's lease, then starts it. */
  private standBy(ownership: FeedOwnership, config: FeedConfig): void {
    const feedId = feedIdOf(config);
    const takeover = ownership
      .acquire(feedId)
      .then(async () => {
        if (this.stopped) {
          await ownership.release(feedId);
          return;
        }
        await this.startOwnedFeed(config);
      })
      .catch((error: unknown) => {
        if (!this.stopped) {
          this.logger.error(`feed ${feedId} not started: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    this.pendingStarts.push(takeover);
  }

  /**
   * This ingest lost a feed's lease (another owns it, or it could not renew in time): it stops
   * the feed at once, so only one ingest holds the venue's connections, says so in the
   * instruments' status, and stands by to take the feed over again.
   */
  private async fence(feedId: string, configs: readonly FeedConfig[]): Promise<void> {
    const index = this.feeds.findIndex((feed) => feed.id === feedId);
    const config = configs.find((candidate) => feedIdOf(candidate) === feedId);
    if (index < 0 || config === undefined) return;
    const [feed] = this.feeds.splice(index, 1) as [RunningFeed];
    const status: FeedStatusEvent = {
      type: 'status',
      venue: feed.adapter.venue,
      symbol: null,
      state: 'disconnected',
      reason: 'this ingest lost the feed lease: another ingest serves it',
      receiveTime: Date.now() * 1000,
    };
    for (const entry of this.entries.values()) if (entry.feed === feed) entry.market.applyStatus(status);
    this.feedStatus.set(feedId, status);
    await feed.close();
    if (!this.stopped && this.ownership !== null) this.standBy(this.ownership, config);
  }

  /** Starts one feed this process owns: its instruments appear, pinned symbols subscribe upstream. */
  private async startOwnedFeed(config: FeedConfig): Promise<void> {
    const feed = await startFeed(config, {
      env: process.env,
      now: () => Date.now() * 1000,
      onEvent: (feedId, event) => {
        try {
          this.route(feedId, event);
        } catch (error) {
          // A bug of ours must not stop the feed (or the process): counted, logged, the next event goes on.
          this.metrics.upstreamRejections.inc({ feed: feedId });
          this.logger.error(
            `${feedId}: ${event.type} event failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        }
      },
    });
    if (this.feeds.some((other) => other.id === feed.id)) {
      await feed.close();
      throw new Error(`two feeds use the venue id ${feed.id}; give each venue one feed`);
    }
    if (this.stopped) {
      await feed.close();
      return;
    }
    this.feeds.push(feed);
    const added = feed.symbols.map((symbol) => this.addInstrument(feed, symbol).info);
    this.logger.log(
      `${feed.id}: ${feed.source} feed, ${feed.symbols.length} instruments, ${feed.pinned.length} pinned`,
    );
    const pinned = feed.pinned.flatMap((symbol) =>
      (['book', 'trades', 'bbo'] as const).map((channel) => ({ symbol, channel })),
    );
    if (pinned.length > 0) feed.pool.subscribe(pinned);
    // Taken over again after a loss: channel streams that still want this feed's instruments.
    const wanted = [...this.entries.values()]
      .filter((entry) => entry.feed === feed && !feed.pinned.includes(entry.symbol))
      .flatMap((entry) => [...entry.demand.keys()].map((channel) => ({ symbol: entry.symbol, channel })));
    if (wanted.length > 0) feed.pool.subscribe(wanted);
    this.instrumentsChanged$.next(added);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.clock);
    const ownership = this.ownership;
    ownership?.close();
    await Promise.all(this.pendingStarts);
    await Promise.all(this.feeds.map((feed) => feed.close()));
    if (ownership !== null) await Promise.all(this.feeds.map((feed) => ownership.release(feed.id)));
    for (const entry of this.entries.values()) entry.market.complete();
    this.instrumentsChanged$.complete();
  }

  instruments(): WireInstrument[] {
    return [...this.entries.values()].map((entry) => entry.info);
  }

  hasVenue(venue: string): boolean {
    return this.feeds.some((feed) => feed.id === venue);
  }

  market(key: string): InstrumentMarket | undefined {
    return this.entries.get(key)?.market;
  }

  runningFeeds(): readonly RunningFeed[] {
    return this.feeds;
  }

  feedSummaries(): FeedSummary[] {
    return this.feeds.map((feed) => {
      const status = this.feedStatus.get(feed.id);
      return {
        id: feed.id,
        source: feed.source,
        state: status?.state ?? 'connecting',
        reason: status?.reason ?? 'no upstream connection yet',
        instruments: feed.symbols.length,
        upstreamSubscriptions: feed.pool.subscriptions.length,
        upstreamConnections: feed.pool.connections.length,
      };
    });
  }

  /**
   * Wants `channels` of an instrument upstream until the returned release is called (once).
   * Pinned instruments are subscribed anyway; others subscribe on the first want of a channel and
   * unsubscribe on the last release.
   */
  acquire(key: string, channels: readonly ChannelKind[]): () => void {
    const entry = this.entries.get(key);
    if (entry === undefined) throw new Error(`unknown instrument ${key}`);
    const pinned = entry.feed.pinned.includes(entry.symbol);
    const added = channels.filter((channel) => {
      const count = entry.demand.get(channel) ?? 0;
      entry.demand.set(channel, count + 1);
      return count === 0;
    });
    if (!pinned && added.length > 0 && !this.stopped) {
      entry.feed.pool.subscribe(added.map((channel) => ({ symbol: entry.symbol, channel })));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const removed = channels.filter((channel) => {
        const count = (entry.demand.get(channel) ?? 1) - 1;
        if (count <= 0) entry.demand.delete(channel);
        else entry.demand.set(channel, count);
        return count <= 0;
      });
      if (!pinned && removed.length > 0 && !this.stopped) {
        entry.feed.pool.unsubscribe(removed.map((channel) => ({ symbol: entry.symbol, channel })));
      }
    };
  }

  /** Upstream subscriptions across every feed (for tests and /api/v1/status). */
  upstreamSubscriptionCount(): number {
    return this.feeds.reduce((sum, feed) => sum + feed.pool.subscriptions.length, 0);
  }

  private addInstrument(feed: RunningFeed, symbol: NormalizedSymbol): InstrumentEntry {
    const key = `${feed.id}:${symbol}`;
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      existing.feed = feed;
      return existing;
    }
    const market = new InstrumentMarket({
      key,
      adapterVenue: feed.adapter.venue,
      source: feed.source,
      intervals: this.config.intervals,
      candleHistory: this.config.candleHistory,
      recentTrades: this.config.recentTrades,
      onBookError: (error) => {
        this.metrics.upstreamRejections.inc({ feed: feed.id });
        this.logger.warn(`${key}: book event refused: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    const entry: InstrumentEntry = { feed, symbol, market, info: describe(feed, symbol), demand: new Map() };
    this.entries.set(key, entry);
    return entry;
  }

  private route(feedId: string, event: MarketEvent): void {
    this.metrics.eventsIn.inc({ feed: feedId, type: event.type });
    if (event.type === 'status') {
      this.routeStatus(feedId, event);
      return;
    }
    const entry = this.entries.get(`${feedId}:${event.symbol}`);
    // An event for an instrument nobody configured (a venue pushing more than asked): counted above, not served.
    if (entry === undefined) return;
    if (event.type !== 'candle' && event.venueTime !== null) {
      this.metrics.venueLag.observe({ feed: feedId }, Math.max(0, event.receiveTime - event.venueTime) / 1e6);
    }
    switch (event.type) {
      case 'book_snapshot':
        if (entry.info.increments === 'unknown') this.learnIncrements(entry, event.bids, event.asks);
        entry.market.applyBook(event);
        break;
      case 'book_delta':
        entry.market.applyBook(event);
        break;
      case 'trade':
        entry.market.applyTrade(event);
        break;
      case 'bbo':
        entry.market.applyBbo(event);
        break;
      case 'candle':
        // Venue klines are a cross-check of our candles in feeds' tests; clients get ours.
        break;
    }
  }

  /** Tick and lot size seen in a first book, for an instrument the adapter had none for. */
  private learnIncrements(entry: InstrumentEntry, bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    const observed = observedIncrements(bids, asks);
    if (observed === undefined) return;
    entry.info = { ...entry.info, ...observed, increments: 'observed' };
    this.instrumentsChanged$.next([entry.info]);
  }

  private routeStatus(feedId: string, event: FeedStatusEvent): void {
    if (event.state === 'resyncing') this.metrics.resyncs.inc({ feed: feedId });
    if (event.symbol === null) {
      this.feedStatus.set(feedId, event);
      for (const entry of this.entries.values()) if (entry.feed.id === feedId) entry.market.applyStatus(event);
      return;
    }
    this.entries.get(`${feedId}:${event.symbol}`)?.market.applyStatus(event);
  }
}

function describe(feed: RunningFeed, symbol: NormalizedSymbol): WireInstrument {
  const known = feed.adapter.instrument(symbol);
  const { base, quote } = parseNormalizedSymbol(symbol);
  const instrument =
    known ??
    defineInstrument({
      venue: feed.adapter.venue,
      venueSymbol: symbol,
      base,
      quote,
      kind: feed.adapter.venue === 'alpaca' ? 'stock' : 'spot',
      tickSize: UNKNOWN_INCREMENT,
      lotSize: UNKNOWN_INCREMENT,
    });
  return {
    instrument: `${feed.id}:${symbol}`,
    venue: feed.id,
    symbol,
    venueSymbol: instrument.venueSymbol,
    base: instrument.base,
    quote: instrument.quote,
    kind: instrument.kind,
    tickSize: instrument.tickSize,
    lotSize: instrument.lotSize,
    source: feed.source,
    channels: feed.adapter.venue === 'alpaca' ? STOCK_CHANNELS : ALL_CHANNELS,
    increments: known === undefined ? 'unknown' : 'venue',
  };
}
