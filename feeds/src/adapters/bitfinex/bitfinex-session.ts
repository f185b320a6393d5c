import { BookUpdateError } from '../../book';
import { DecimalFormatError, isZeroDecimal, toDecimal } from '../../decimal';
import type { EpochMicros, FeedState } from '../../model/events';
import type { NormalizedSymbol } from '../../model/instrument';
import { millisToMicros } from '../../model/time';
import type { FrameOutcome, SessionSink, UpstreamSubscription, VenueSession } from '../venue-adapter';
import type { BitfinexBookSync } from './bitfinex-book-sync';
import { BitfinexChannels, type ChannelEntry } from './bitfinex-channels';
import { LosslessJsonError, type LosslessJson, parseLosslessJson } from './bitfinex-json';
import {
  type BitfinexInfoEvent,
  bookEntry,
  type BookEntry,
  type ChannelFrame,
  FLAG_OB_CHECKSUM,
  FLAG_SEQ_ALL,
  INFO_MAINTENANCE_END,
  INFO_MAINTENANCE_START,
  INFO_RECONNECT,
  isConfEvent,
  isDict,
  isErrorEvent,
  isInfoEvent,
  isSubscribedEvent,
  isUnsubscribedEvent,
  splitChannelFrame,
  tradeEntry,
} from './bitfinex-protocol';
import { SequenceTracker } from './bitfinex-sequence';
import { type BookParams, confMessage } from './bitfinex-subscriptions';

export interface BitfinexSessionConfig {
  readonly book: BookParams;
  /** Ask for OB_CHECKSUM and verify every [CHAN_ID, "cs", CHECKSUM]. */
  readonly checksums: boolean;
  readonly maxChannels: number;
  readonly venueSymbolOf: (symbol: NormalizedSymbol) => string;
}

/** How a frame is accounted: outcome and kind (or reason), given to the sink exactly once. */
type Accounting = readonly [FrameOutcome, string];

const HEARTBEAT: Accounting = ['parsed', 'heartbeat'];
const BOOK_UPDATE: Accounting = ['parsed', 'book update'];
const BOOK_SNAPSHOT: Accounting = ['parsed', 'book snapshot'];
const CHECKSUM: Accounting = ['parsed', 'checksum'];
const TRADE: Accounting = ['parsed', 'te'];

const VENUE = 'bitfinex';

/**
 * One Bitfinex v2 public connection: conf flags, channel subscriptions, the SEQ_ALL sequence,
 * per-symbol books with checksums, trades. README.md quotes the venue rules it follows.
 */
export class BitfinexSession implements VenueSession {
  private readonly channels: BitfinexChannels;
  private readonly sequence = new SequenceTracker();
  /** The venue confirmed SEQ_ALL: a channel frame without a sequence number is then malformed. */
  private sequenced = false;
  /** Latest time seen, for events caused by subscribe/unsubscribe calls (which carry none). */
  private clock: EpochMicros = 0;
  readonly stats = { resyncs: 0, gapResyncs: 0 };

  constructor(
    private readonly config: BitfinexSessionConfig,
    subscriptions: readonly UpstreamSubscription[],
    private readonly sink: SessionSink,
  ) {
    this.channels = new BitfinexChannels(
      { venue: VENUE, book: config.book, maxChannels: config.maxChannels, venueSymbolOf: config.venueSymbolOf },
      sink,
    );
    this.channels.add(subscriptions, 0);
  }

  /** The book of a symbol's book channel, for tests and metrics. */
  bookSync(symbol: NormalizedSymbol): BitfinexBookSync | undefined {
    return this.channels.bookOf(symbol);
  }

  /** The subscriptions currently wanted on this connection. */
  get wanted(): readonly UpstreamSubscription[] {
    return this.channels.wanted;
  }

  /** Channel states (phase, chanId), for tests and metrics. */
  get channelStates(): readonly ChannelEntry[] {
    return this.channels.all;
  }

  get sequenceStats(): { gaps: number; missing: number; duplicates: number; last: number | undefined } {
    return { ...this.sequence.stats, last: this.sequence.lastSequence };
  }

  open(time: EpochMicros): void {
    this.clock = time;
    this.sink.send(confMessage(FLAG_SEQ_ALL + (this.config.checksums ? FLAG_OB_CHECKSUM : 0)));
    this.channels.statusOfBooks('connecting', 'subscribing; waiting for the book snapshot', time);
    this.channels.open();
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    this.channels.add(subscriptions, this.clock);
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    this.channels.remove(subscriptions, this.clock);
  }

  close(time: EpochMicros, reason: string): void {
    this.clock = time;
    this.channels.close(time, reason);
  }

  handleFrame(text: string, receiveTime: EpochMicros): void {
    this.clock = receiveTime;
    let accounting: Accounting;
    try {
      accounting = this.dispatch(text, receiveTime);
    } catch (error) {
      // Parsers report bad input by return value; an exception here is a bug, still never thrown on.
      accounting = ['rejected', `internal error: ${error instanceof Error ? error.message : String(error)}`];
    }
    this.sink.account(accounting[0], accounting[1]);
  }

  /** Bitfinex market data needs no REST: snapshots come from (re)subscribing. */
  handleHttp(): void {
    // Nothing is ever requested.
  }

  private dispatch(text: string, receiveTime: EpochMicros): Accounting {
    const first = firstCharacter(text);
    if (first === '[') return this.channelFrame(text, receiveTime);
    if (first === '{') return this.eventFrame(text, receiveTime);
    return ['rejected', 'not a JSON array or object'];
  }

  private eventFrame(text: string, time: EpochMicros): Accounting {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return ['rejected', 'not JSON'];
    }
    if (!isDict(data)) return ['rejected', 'not a JSON object'];
    const event = data['event'];
    switch (event) {
      case 'info':
        return isInfoEvent(data) ? this.info(data, time) : ['rejected', 'info: malformed'];
      case 'conf':
        if (!isConfEvent(data)) return ['rejected', 'conf: malformed'];
        this.sequenced = data.status === 'OK' && ((data.flags ?? 0) & FLAG_SEQ_ALL) !== 0;
        if (data.status !== 'OK') {
          this.connectionStatus('live', `conf refused (${String(data.status)}): no sequence numbers`, time);
        }
        return ['parsed', 'conf'];
      case 'subscribed': {
        if (!isSubscribedEvent(data)) return ['rejected', 'subscribed: malformed'];
        const result = this.channels.subscribed(data);
        return result === 'subscribed' ? ['parsed', 'subscribed'] : ['ignored', `subscribed (${result})`];
      }
      case 'unsubscribed':
        if (!isUnsubscribedEvent(data)) return ['rejected', 'unsubscribed: malformed'];
        return this.channels.unsubscribed(data.chanId, time)
          ? ['parsed', 'unsubscribed']
          : ['ignored', 'unsubscribed (unknown)'];
      case 'error':
        if (!isErrorEvent(data)) return ['rejected', 'error: malformed'];
        return ['parsed', this.channels.error(data, time)];
      case 'pong':
        return ['ignored', 'pong'];
      default:
        return ['rejected', `unknown event ${JSON.stringify(event ?? null).slice(0, 40)}`];
    }
  }

  /**
   * "info" events: the greeting ({version, platform: {status}}) and the codes 20051 (the server
   * restarts: reconnect), 20060 (maintenance starts: pause) and 20061 (maintenance ended: "It is
   * advised to unsubscribe/subscribe again all channels").
   */
  private info(info: BitfinexInfoEvent, time: EpochMicros): Accounting {
    switch (info.code) {
      case undefined:
        if (info.version !== undefined && info.version !== 2) {
          this.connectionStatus('stale', `info: API version ${info.version}, this adapter speaks 2`, time);
        }
        if (info.platform?.status === 0) this.connectionStatus('stale', 'info: platform in maintenance', time);
        return ['parsed', 'info'];
      case INFO_RECONNECT:
        this.sink.replaceConnection('Bitfinex info 20051: server restarting, reconnect');
        return ['parsed', 'info 20051'];
      case INFO_MAINTENANCE_START:
        this.connectionStatus('stale', 'info 20060: maintenance started', time);
        this.channels.statusOfBooks('stale', 'info 20060: maintenance started', time);
        return ['parsed', 'info 20060'];
      case INFO_MAINTENANCE_END:
        this.connectionStatus('live', 'info 20061: maintenance ended; subscribing again', time);
        this.channels.resubscribeAll('info 20061: maintenance ended', time);
        return ['parsed', 'info 20061'];
      default:
        return ['ignored', `info ${info.code}`];
    }
  }

  private channelFrame(text: string, time: EpochMicros): Accounting {
    let parsed: LosslessJson;
    try {
      parsed = parseLosslessJson(text);
    } catch (error) {
      if (error instanceof LosslessJsonError) return ['rejected', 'not JSON'];
      throw error;
    }
    if (!Array.isArray(parsed)) return ['rejected', 'not a JSON array'];
    const frame = splitChannelFrame(parsed);
    if (typeof frame === 'string') return ['rejected', frame];
    if (frame.seq !== undefined) {
      const check = this.sequence.check(frame.seq);
      if (check === 'duplicate') return ['ignored', 'duplicate sequence'];
      if (check === 'gap') this.gap(frame.seq, time);
    } else if (this.sequenced) {
      return this.rejectOnChannel(frame.chanId, 'missing SEQ_ALL sequence number', time);
    }
    if (frame.kind === 'heartbeat') return HEARTBEAT;
    const target = this.channels.lookup(frame.chanId);
    if (target === undefined) return ['ignored', 'data of an unknown chanId'];
    if ('foreign' in target) return ['ignored', `${target.foreign} (not requested)`];
    if (target.phase !== 'live') return ['ignored', `${target.channel} data while resubscribing`];
    if (target.book !== undefined) return this.bookFrame(target, target.book, frame, time);
    return this.tradesFrame(target, frame, time);
  }

  /**
   * A gap in the connection-wide sequence cannot be pinned on one channel, so every book of the
   * connection resyncs; trades lost in the gap cannot be fetched again (README.md).
   */
  private gap(seq: number, time: EpochMicros): void {
    const expected = this.sequence.expected;
    const reason = `sequence gap: expected ${expected}, got ${seq} (${seq - expected} lost)`;
    let books = 0;
    for (const entry of this.channels.liveBooks()) {
      if (this.resync(entry, reason, time)) books++;
    }
    this.stats.gapResyncs += books;
    this.connectionStatus('live', `${reason}; ${books} books resync, lost trades are not recovered`, time);
  }

  private bookFrame(
    entry: ChannelEntry,
    sync: BitfinexBookSync,
    frame: Exclude<ChannelFrame, { kind: 'heartbeat' }>,
    time: EpochMicros,
  ): Accounting {
    switch (frame.kind) {
      case 'checksum': {
        if (!sync.isLive) return ['ignored', 'checksum before the snapshot'];
        const mismatch = sync.checksum(frame.checksum, frame.seq);
        if (mismatch === undefined) return CHECKSUM;
        this.resync(entry, mismatch, time);
        return ['parsed', 'checksum mismatch'];
      }
      case 'trade':
        return this.rejectOnChannel(frame.chanId, `${frame.tag} on a book channel`, time);
      case 'data':
        return this.bookData(entry, sync, frame.data, frame.seq, time);
    }
  }

  private bookData(
    entry: ChannelEntry,
    sync: BitfinexBookSync,
    data: LosslessJson[],
    seq: number | undefined,
    time: EpochMicros,
  ): Accounting {
    // A snapshot is a list of entries (possibly empty); an update is one entry.
    const isSnapshot = data.length === 0 || Array.isArray(data[0]);
    try {
      if (isSnapshot) {
        const entries: BookEntry[] = [];
        for (const item of data) {
          const parsed = bookEntry(item);
          if (parsed === undefined) return this.reject(entry, 'book snapshot: malformed entry', time);
          entries.push(parsed);
        }
        const problem = sync.snapshot(entries, seq, time);
        if (problem === undefined) return BOOK_SNAPSHOT;
        this.resync(entry, problem, time);
        return ['parsed', 'book snapshot crossed'];
      }
      const update = bookEntry(data);
      if (update === undefined) return this.reject(entry, 'book update: malformed', time);
      if (!sync.isLive) {
        this.resync(entry, `book update before the snapshot${seq === undefined ? '' : ` at seq ${seq}`}`, time);
        return ['ignored', 'book update before the snapshot'];
      }
      const problem = sync.update(update, seq, time);
      if (problem === undefined) return BOOK_UPDATE;
      this.resync(entry, problem, time);
      return ['parsed', 'book update crossed'];
    } catch (error) {
      if (error instanceof DecimalFormatError || error instanceof BookUpdateError) {
        return this.reject(entry, `book ${isSnapshot ? 'snapshot' : 'update'}: ${error.message}`, time);
      }
      throw error;
    }
  }

  /**
   * Trades: "te" (trade executed) becomes a trade event; the "tu" that follows for the same trade
   * id is ignored, so no trade is emitted twice. The snapshot of past trades sent on subscribing is
   * ignored: on a reconnect it would repeat trades already emitted.
   */
  private tradesFrame(
    entry: ChannelEntry,
    frame: Exclude<ChannelFrame, { kind: 'heartbeat' }>,
    time: EpochMicros,
  ): Accounting {
    switch (frame.kind) {
      case 'trade': {
        if (frame.tag === 'tu') return ['ignored', 'tu'];
        const trade = tradeEntry(frame.trade);
        if (trade === undefined) return ['rejected', 'te: malformed'];
        try {
          const sell = trade.amount.charCodeAt(0) === 45; // "-": the taker sold
          const size = toDecimal(sell ? trade.amount.slice(1) : trade.amount);
          const price = toDecimal(trade.price);
          if (isZeroDecimal(size)) return ['rejected', 'te: zero amount'];
          this.sink.event({
            type: 'trade',
            venue: VENUE,
            symbol: entry.symbol,
            receiveTime: time,
            tradeId: String(trade.id),
            side: sell ? 'sell' : 'buy',
            price,
            size,
            venueTime: millisToMicros(trade.mts),
          });
          return TRADE;
        } catch (error) {
          if (error instanceof DecimalFormatError) return ['rejected', `te: ${error.message}`];
          throw error;
        }
      }
      case 'data':
        if (frame.data.length === 0 || Array.isArray(frame.data[0])) return ['ignored', 'trades snapshot'];
        return ['rejected', 'trades: data that is not a snapshot'];
      case 'checksum':
        return ['rejected', 'checksum on a trades channel'];
    }
  }

  /** A rejected frame of a live book leaves the book behind the venue: resync it. */
  private reject(entry: ChannelEntry, reason: string, time: EpochMicros): Accounting {
    this.resync(entry, reason, time);
    return ['rejected', reason];
  }

  private rejectOnChannel(chanId: number, reason: string, time: EpochMicros): Accounting {
    const target = this.channels.lookup(chanId);
    if (target !== undefined && !('foreign' in target) && target.book !== undefined)
      return this.reject(target, reason, time);
    return ['rejected', reason];
  }

  private resync(entry: ChannelEntry, reason: string, time: EpochMicros): boolean {
    const started = this.channels.resubscribe(entry, reason, time);
    if (started) this.stats.resyncs++;
    return started;
  }

  private connectionStatus(state: FeedState, reason: string, receiveTime: EpochMicros): void {
    this.sink.event({ type: 'status', venue: VENUE, symbol: null, state, reason, receiveTime });
  }
}

/** The first non-whitespace character, or '' for blank text. */
function firstCharacter(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return text.charAt(i);
  }
  return '';
}
