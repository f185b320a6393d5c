import type { EpochMicros, FeedState } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import type { VenueId } from '../../model/venue';
import type { SessionSink, UpstreamSubscription } from '../venue-adapter';
import { BitfinexBookSync } from './bitfinex-book-sync';
import { type BitfinexErrorEvent, type BitfinexSubscribedEvent, eventSymbol } from './bitfinex-protocol';
import {
  type BitfinexChannelName,
  type BookParams,
  channelKey,
  channelOf,
  subscribeMessage,
  unsubscribeMessage,
} from './bitfinex-subscriptions';

/**
 * queued: wanted, not requested yet (socket not open, or the connection is at its channel limit);
 * subscribing: subscribe sent, waiting for "subscribed" and its chanId; live: the venue sends data
 * on chanId; unsubscribing: unsubscribe sent (to drop it, or to subscribe again for a fresh
 * snapshot); failed: the venue refused the subscription.
 */
export type ChannelPhase = 'queued' | 'subscribing' | 'live' | 'unsubscribing' | 'failed';

export interface ChannelEntry {
  readonly key: string;
  readonly channel: BitfinexChannelName;
  readonly venueSymbol: string;
  /** The normalized symbol the consumer subscribed with; events carry it. */
  readonly symbol: NormalizedSymbol;
  phase: ChannelPhase;
  chanId: number | undefined;
  /** What happens when the pending request is answered: keep the channel, subscribe again, or drop it. */
  next: 'keep' | 'resubscribe' | 'drop';
  /** Book channels only. */
  readonly book: BitfinexBookSync | undefined;
}

/** A channel the venue reports that this session did not ask for (it is unsubscribed at once). */
export interface ForeignChannel {
  readonly foreign: string;
}

export interface ChannelsConfig {
  readonly venue: VenueId;
  readonly book: BookParams;
  readonly maxChannels: number;
  readonly venueSymbolOf: (symbol: NormalizedSymbol) => string;
}

/**
 * The channels of one connection and their lifecycle. Bitfinex names a channel only by the
 * chanId of its "subscribed" reply, so requests and replies are matched by channel and symbol,
 * and every later message by chanId.
 */
export class BitfinexChannels {
  private wantedList: UpstreamSubscription[] = [];
  private readonly entries = new Map<string, ChannelEntry>();
  private readonly byChanId = new Map<number, ChannelEntry | ForeignChannel>();
  private opened = false;

  constructor(
    private readonly config: ChannelsConfig,
    private readonly sink: SessionSink,
  ) {}

  /** The subscriptions currently wanted. */
  get wanted(): readonly UpstreamSubscription[] {
    return this.wantedList;
  }

  /** All channel entries (any phase), for tests and metrics. */
  get all(): readonly ChannelEntry[] {
    return [...this.entries.values()];
  }

  lookup(chanId: number): ChannelEntry | ForeignChannel | undefined {
    return this.byChanId.get(chanId);
  }

  bookOf(symbol: NormalizedSymbol): BitfinexBookSync | undefined {
    return this.entries.get(channelKey('book', this.config.venueSymbolOf(symbol)))?.book;
  }

  /** Book channels whose chanId is known (live), for a connection-wide resync. */
  liveBooks(): ChannelEntry[] {
    return [...this.entries.values()].filter((entry) => entry.book !== undefined && entry.phase === 'live');
  }

  add(subscriptions: readonly UpstreamSubscription[], time: EpochMicros): void {
    for (const subscription of subscriptions) {
      if (this.isWanted(subscription)) continue;
      this.wantedList.push({ symbol: subscription.symbol, channel: subscription.channel });
      const entry = this.entryFor(subscription);
      if (entry.phase === 'failed') entry.phase = 'queued';
      if (entry.phase === 'unsubscribing' || entry.phase === 'subscribing') {
        if (entry.next === 'drop') entry.next = entry.phase === 'unsubscribing' ? 'resubscribe' : 'keep';
      }
      entry.book?.setWants(this.wantsOf(entry), time);
    }
    this.pump();
  }

  remove(subscriptions: readonly UpstreamSubscription[], time: EpochMicros): void {
    const removed = this.wantedList.filter((w) => subscriptions.some((s) => sameSubscription(s, w)));
    if (removed.length === 0) return;
    this.wantedList = this.wantedList.filter((w) => !removed.includes(w));
    for (const subscription of removed) {
      const entry = this.entries.get(this.keyOf(subscription));
      if (entry === undefined) continue;
      const wants = this.wantsOf(entry);
      entry.book?.setWants(wants, time);
      if (!wants.any) this.release(entry);
    }
    this.pump();
  }

  /** The socket is open: request the wanted channels, up to the limit. */
  open(): void {
    this.opened = true;
    this.pump();
  }

  /** The socket closed: chanIds die with it; books are no longer live. */
  close(time: EpochMicros, reason: string): void {
    this.opened = false;
    this.byChanId.clear();
    const symbols = new Set<NormalizedSymbol>();
    for (const entry of this.entries.values()) {
      entry.book?.reset();
      entry.chanId = undefined;
      entry.phase = 'queued';
      entry.next = 'keep';
      symbols.add(entry.symbol);
    }
    for (const symbol of symbols) this.status(symbol, 'disconnected', reason, time);
  }

  /**
   * The venue confirmed a subscription: the entry goes live with its chanId. A channel this
   * session did not ask for is unsubscribed at once (it would hold one of the 25 slots).
   */
  subscribed(event: BitfinexSubscribedEvent): 'subscribed' | 'repeated' | 'not requested' {
    if (this.byChanId.has(event.chanId)) return 'repeated';
    const venueSymbol = eventSymbol(event) ?? '';
    const entry = this.entries.get(channelKey(event.channel, venueSymbol));
    if (entry?.phase !== 'subscribing') {
      this.byChanId.set(event.chanId, { foreign: event.channel });
      this.sink.send(unsubscribeMessage(event.chanId));
      return 'not requested';
    }
    entry.chanId = event.chanId;
    this.byChanId.set(event.chanId, entry);
    if (entry.next === 'drop') {
      this.sendUnsubscribe(entry);
    } else {
      entry.phase = 'live';
      entry.next = 'keep';
    }
    return 'subscribed';
  }

  /**
   * The venue confirmed an unsubscribe: drop the channel, or subscribe it again (a resync). A
   * channel still wanted that the venue drops unasked is subscribed again too, its book resynced.
   */
  unsubscribed(chanId: number, time: EpochMicros): boolean {
    const target = this.byChanId.get(chanId);
    if (target === undefined) return false;
    this.byChanId.delete(chanId);
    if (!('foreign' in target)) {
      if (target.next === 'drop') {
        this.entries.delete(target.key);
      } else {
        if (target.phase === 'live' && target.book !== undefined) {
          target.book.reset();
          target.book.countResync();
          this.status(target.symbol, 'resyncing', `unsubscribed by the venue (chanId ${chanId})`, time);
        }
        target.phase = 'queued';
        target.next = 'keep';
      }
      target.chanId = undefined;
    }
    this.pump();
    return true;
  }

  /**
   * An error event. With a chanId it answers an unsubscribe (10400 "unsubscribe: invalid", 10401
   * not subscribed): the channel is gone either way. With channel and symbol it refuses a subscribe
   * (10300 failed, 10301 dup, 10302 unknown channel, 10305 channel limit, 10001 unknown pair).
   * Returns what it concerned, for the frame's accounting.
   */
  error(event: BitfinexErrorEvent, time: EpochMicros): string {
    const what = `${event.msg ?? 'error'} (code ${event.code ?? '?'})`;
    if (event.chanId !== undefined) {
      return this.unsubscribed(event.chanId, time) ? 'unsubscribe error' : 'error event';
    }
    const venueSymbol = eventSymbol(event);
    const entry =
      event.channel === undefined || venueSymbol === undefined
        ? undefined
        : this.entries.get(channelKey(event.channel, venueSymbol));
    if (entry?.phase !== 'subscribing') return 'error event';
    entry.phase = 'failed';
    entry.next = 'keep';
    this.status(entry.symbol, 'disconnected', `${entry.channel} subscribe refused: ${what}`, time);
    this.pump();
    return 'subscribe error';
  }

  /**
   * Starts over with a fresh snapshot the only way Bitfinex offers one: unsubscribe, then subscribe
   * again once the venue confirms. Only this channel's symbol is affected. Returns false when there
   * was nothing to resync (not live, or already resubscribing).
   */
  resubscribe(entry: ChannelEntry, reason: string, time: EpochMicros): boolean {
    if (entry.phase !== 'live') return false;
    if (entry.book !== undefined) {
      entry.book.reset();
      entry.book.countResync();
      this.status(entry.symbol, 'resyncing', reason, time);
    }
    entry.next = 'resubscribe';
    this.sendUnsubscribe(entry);
    return true;
  }

  /** Every live channel again (maintenance ended: "unsubscribe/subscribe again all channels"). */
  resubscribeAll(reason: string, time: EpochMicros): void {
    for (const entry of [...this.entries.values()]) this.resubscribe(entry, reason, time);
  }

  /** A status event for every symbol with a book. */
  statusOfBooks(state: FeedState, reason: string, time: EpochMicros): void {
    for (const entry of this.entries.values()) {
      if (entry.book !== undefined) this.status(entry.symbol, state, reason, time);
    }
  }

  private release(entry: ChannelEntry): void {
    switch (entry.phase) {
      case 'queued':
      case 'failed':
        this.entries.delete(entry.key);
        return;
      case 'subscribing':
      case 'unsubscribing':
        entry.next = 'drop';
        return;
      case 'live':
        entry.book?.reset();
        entry.next = 'drop';
        this.sendUnsubscribe(entry);
        return;
    }
  }

  /** Sends subscribes for queued channels while the connection has room (25 channels). */
  private pump(): void {
    if (!this.opened) return;
    let active = 0;
    for (const entry of this.entries.values()) {
      if (entry.phase === 'subscribing' || entry.phase === 'live' || entry.phase === 'unsubscribing') active++;
    }
    // Channels the venue opened unasked hold a slot until their unsubscribe is confirmed.
    for (const target of this.byChanId.values()) if ('foreign' in target) active++;
    for (const entry of this.entries.values()) {
      if (active >= this.config.maxChannels) return;
      if (entry.phase !== 'queued') continue;
      entry.phase = 'subscribing';
      entry.next = 'keep';
      active++;
      this.sink.send(subscribeMessage(entry.channel, entry.venueSymbol, this.config.book));
    }
  }

  private sendUnsubscribe(entry: ChannelEntry): void {
    entry.phase = 'unsubscribing';
    if (entry.chanId !== undefined) this.sink.send(unsubscribeMessage(entry.chanId));
  }

  private entryFor(subscription: UpstreamSubscription): ChannelEntry {
    const key = this.keyOf(subscription);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const channel = channelOf(subscription.channel);
      entry = {
        key,
        channel,
        venueSymbol: this.config.venueSymbolOf(subscription.symbol),
        symbol: subscription.symbol,
        phase: 'queued',
        chanId: undefined,
        next: 'keep',
        book:
          channel === 'book'
            ? new BitfinexBookSync(this.config.venue, subscription.symbol, this.config.book.len, this.sink, {
                book: false,
                bbo: false,
              })
            : undefined,
      };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Which wanted subscriptions this channel serves: a book channel serves `book` and `bbo`. */
  private wantsOf(entry: ChannelEntry): { any: boolean; book: boolean; bbo: boolean } {
    let any = false;
    let book = false;
    let bbo = false;
    for (const w of this.wantedList) {
      if (this.keyOf(w) !== entry.key) continue;
      any = true;
      if (w.channel === 'book') book = true;
      if (w.channel === 'bbo') bbo = true;
    }
    return { any, book, bbo };
  }

  private keyOf(subscription: UpstreamSubscription): string {
    return channelKey(channelOf(subscription.channel), this.config.venueSymbolOf(subscription.symbol));
  }

  private isWanted(subscription: UpstreamSubscription): boolean {
    return this.wantedList.some((w) => sameSubscription(w, subscription));
  }

  private status(symbol: NormalizedSymbol, state: FeedState, reason: string, receiveTime: EpochMicros): void {
    this.sink.event({ type: 'status', venue: this.config.venue, symbol, state, reason, receiveTime });
  }
}

function sameSubscription(a: UpstreamSubscription, b: UpstreamSubscription): boolean {
  return a.symbol === b.symbol && a.channel === b.channel;
}
