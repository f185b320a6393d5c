import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  BOOK_DEPTH_DEFAULT,
  BOOK_INTERVAL_DEFAULT_MS,
  channelKey,
  type SubscribeParams,
  type SubscribeRequest,
  type UnsubscribeRequest,
} from '@tickwire/feeds';
import { REMOTE_CHANNELS } from '../bus/bus.tokens';
import type { RemoteChannelSource } from '../bus/remote-channel-source';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import type { InstrumentMarket } from '../market/instrument-market';
import { MarketService } from '../market/market.service';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { ChannelStream, ChannelSubscriber } from './channel-stream';
import { BboChannel } from './channels/bbo-channel';
import { BookChannel } from './channels/book-channel';
import { CandlesChannel } from './channels/candles-channel';
import { InstrumentsChannel } from './channels/instruments-channel';
import { StatusChannel } from './channels/status-channel';
import { TradesChannel } from './channels/trades-channel';
import type { ClientMessageError } from './client-message.schema';

/** A request resolved to the stream it names: its key, echo parameters and how to build it. */
export interface ResolvedChannel {
  readonly key: string;
  readonly instrument: string | undefined;
  readonly params: SubscribeParams | undefined;
  readonly create: () => ChannelStream;
}

/**
 * Channel streams by key, shared by every subscriber of the same channel, instrument and
 * parameters; a stream is created with its first subscriber and disposed with its last (which
 * releases its upstream demand). In the gateway role of the NATS bus (`remote` given) instruments
 * come from the ingests and streams relay theirs (backend/src/bus).
 */
@Injectable()
export class ChannelRegistry {
  private readonly streams = new Map<string, ChannelStream>();
  private readonly onSerialize = (): void => {
    this.metrics.serializations.inc();
  };

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly market: MarketService,
    private readonly metrics: GatewayMetrics,
    @Optional() @Inject(REMOTE_CHANNELS) private readonly remote: RemoteChannelSource | null = null,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  stream(key: string): ChannelStream | undefined {
    return this.streams.get(key);
  }

  /** The stream a request names, or the error to answer it with. */
  resolve(request: SubscribeRequest | UnsubscribeRequest): ResolvedChannel | ClientMessageError {
    if (request.channel === 'instruments') {
      if (request.instrument !== undefined)
        return { code: 'bad_parameter', message: 'instruments takes no instrument' };
      return {
        key: 'instruments',
        instrument: undefined,
        params: undefined,
        create: () => {
          const source = this.remote ?? this.market;
          return new InstrumentsChannel(() => source.instruments(), source.instrumentsChanged$, this.onSerialize);
        },
      };
    }
    const instrument = request.instrument;
    if (instrument === undefined)
      return { code: 'bad_parameter', message: `${request.channel} needs an instrument (venue:SYMBOL)` };
    const colon = instrument.indexOf(':');
    const venue = colon < 0 ? instrument : instrument.slice(0, colon);
    if (colon < 0 || !(this.remote ?? this.market).hasVenue(venue)) {
      return { code: 'unknown_venue', message: `no venue ${JSON.stringify(venue)} on this gateway` };
    }
    const market = this.market.market(instrument);
    const info =
      this.remote === null
        ? this.market.instruments().find((candidate) => candidate.instrument === instrument)
        : this.remote.instrument(instrument);
    if ((market === undefined && this.remote === null) || info === undefined) {
      return { code: 'unknown_instrument', message: `no instrument ${JSON.stringify(instrument)}` };
    }
    if (!info.channels.includes(request.channel)) {
      return {
        code: 'bad_parameter',
        message: `${instrument} has no ${request.channel} channel (it has ${info.channels.join(', ')})`,
      };
    }
    const misplaced = this.misplacedParameter(request);
    if (misplaced !== undefined) return { code: 'bad_parameter', message: misplaced };
    const acquire = (channels: Parameters<MarketService['acquire']>[1]) => this.market.acquire(instrument, channels);
    const remote = this.remote;
    /** The local stream over the instrument's market, or (gateway role) the relayed one. */
    const build =
      (key: string, params: SubscribeParams | undefined, local: (market: InstrumentMarket) => ChannelStream) =>
      (): ChannelStream =>
        remote === null
          ? local(market as InstrumentMarket)
          : remote.create(key, request.channel, instrument, params, this.onSerialize);
    switch (request.channel) {
      case 'book': {
        const depth = request.depth ?? BOOK_DEPTH_DEFAULT;
        if (depth > this.config.limits.maxBookDepth) {
          return {
            code: 'bad_parameter',
            message: `depth: at most ${this.config.limits.maxBookDepth} on this gateway`,
          };
        }
        const params = { depth, intervalMs: request.intervalMs ?? BOOK_INTERVAL_DEFAULT_MS };
        return {
          key: channelKey('book', instrument, params),
          instrument,
          params,
          create: build(
            channelKey('book', instrument, params),
            params,
            (local) =>
              new BookChannel(
                channelKey('book', instrument, params),
                instrument,
                params,
                local,
                acquire,
                this.onSerialize,
              ),
          ),
        };
      }
      case 'bbo': {
        const params = { intervalMs: request.intervalMs ?? 0 };
        const key = channelKey('bbo', instrument, params);
        return {
          key,
          instrument,
          params,
          create: build(
            key,
            params,
            (local) => new BboChannel(key, instrument, params.intervalMs, local, acquire, this.onSerialize),
          ),
        };
      }
      case 'candles': {
        const interval = request.interval ?? '1m';
        if (!this.config.intervals.includes(interval))
          return { code: 'bad_parameter', message: `interval ${interval} is not built on this gateway` };
        const params = { interval };
        const key = channelKey('candles', instrument, params);
        return {
          key,
          instrument,
          params,
          create: build(
            key,
            params,
            (local) => new CandlesChannel(key, instrument, interval, local, acquire, this.onSerialize),
          ),
        };
      }
      case 'trades': {
        const key = channelKey('trades', instrument, {});
        return {
          key,
          instrument,
          params: undefined,
          create: build(
            key,
            undefined,
            (local) => new TradesChannel(key, instrument, local, acquire, this.onSerialize),
          ),
        };
      }
      case 'status': {
        const key = channelKey('status', instrument, {});
        return {
          key,
          instrument,
          params: undefined,
          create: build(key, undefined, (local) => new StatusChannel(key, instrument, local, this.onSerialize)),
        };
      }
    }
  }

  /** Adds a subscriber to the stream (created when new); returns the stream. */
  subscribe(resolved: ResolvedChannel, subscriber: ChannelSubscriber): ChannelStream {
    let stream = this.streams.get(resolved.key);
    if (stream === undefined) {
      stream = resolved.create();
      this.streams.set(resolved.key, stream);
      this.metrics.channels.set(this.streams.size);
    }
    stream.add(subscriber);
    this.metrics.subscribers.inc({ channel: stream.channel });
    return stream;
  }

  unsubscribe(stream: ChannelStream, subscriber: ChannelSubscriber): void {
    this.metrics.subscribers.dec({ channel: stream.channel });
    if (stream.remove(subscriber) && this.streams.get(stream.key) === stream) {
      this.streams.delete(stream.key);
      stream.dispose();
      this.metrics.channels.set(this.streams.size);
    }
  }

  /** Parameters that belong to another channel are refused rather than silently ignored. */
  private misplacedParameter(request: SubscribeRequest | UnsubscribeRequest): string | undefined {
    if (request.channel !== 'book' && request.depth !== undefined) return `depth applies to book only`;
    if (request.channel !== 'book' && request.channel !== 'bbo' && request.intervalMs !== undefined) {
      return 'intervalMs applies to book and bbo only';
    }
    if (request.channel !== 'candles' && request.interval !== undefined) return 'interval applies to candles only';
    return undefined;
  }
}
