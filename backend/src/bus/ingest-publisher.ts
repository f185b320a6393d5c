import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { SubscribeRequest } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { MarketService } from '../market/market.service';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { ChannelRegistry } from '../stream/channel-registry';
import type { ChannelStream, ChannelSubscriber } from '../stream/channel-stream';
import type { Bus, BusReply } from './bus';
import { BusMetrics } from './bus-metrics';
import { type CatalogMessage, decodeJson, encodeJson, type InterestMessage } from './bus-messages';
import { BUS } from './bus.tokens';
import {
  CATALOG_SUBJECT,
  CATALOG_WANTED_SUBJECT,
  EPOCH_HEADER,
  INTEREST_SUBJECT,
  RECEIVE_TIME_HEADER,
  SEQ_HEADER,
  SNAPSHOT_SUBJECTS,
  updateSubject,
} from './subjects';

/** The catalog is re-announced this often, for gateways that missed it. */
export const CATALOG_EVERY_MS = 5000;

/**
 * The ingest side of the bus: runs the channel streams gateways want on its own registry (so their
 * bytes and seq are those of a single-process gateway), publishes each update's bytes once on the
 * key's subject with its seq and epoch as headers, answers snapshot requests at the current seq,
 * and drops a stream no gateway has refreshed interest in for `interestTtlMs`.
 */
export class IngestPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BusIngest');
  private readonly registry: ChannelRegistry;
  private readonly wanted = new Map<string, { stream: ChannelStream; seenAt: number }>();
  private readonly cleanups: (() => void)[] = [];
  private sweep: NodeJS.Timeout | undefined;
  private changes: Subscription | undefined;
  private readonly subscriber: ChannelSubscriber = {
    deliver: (stream, bytes, receiveTime) => {
      this.bus.publish(updateSubject(stream.key), bytes, {
        [SEQ_HEADER]: String(stream.seq),
        [EPOCH_HEADER]: stream.epoch,
        [RECEIVE_TIME_HEADER]: String(receiveTime),
      });
    },
  };

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly market: MarketService,
    metrics: GatewayMetrics,
    @Inject(BUS) private readonly bus: Bus,
    private readonly busMetrics: BusMetrics,
    private readonly ingestId: string,
  ) {
    // Its own registry of local streams: in role `both` the process's clients use relayed streams.
    this.registry = new ChannelRegistry(config, market, metrics, null);
  }

  onApplicationBootstrap(): void {
    const bus = this.bus;
    this.cleanups.push(
      bus.subscribe(INTEREST_SUBJECT, (message) => {
        const interest = decodeJson(message.data) as InterestMessage | undefined;
        if (typeof interest !== 'object' || !Array.isArray(interest.subscriptions)) return;
        for (const request of interest.subscriptions) this.want(request);
      }),
      bus.serve(SNAPSHOT_SUBJECTS, (message) => {
        const stream = this.want(decodeJson(message.data));
        if (stream === undefined) return undefined;
        const reply: BusReply = {
          data: stream.snapshot(),
          headers: { [SEQ_HEADER]: String(stream.seq), [EPOCH_HEADER]: stream.epoch },
        };
        return reply;
      }),
      bus.subscribe(CATALOG_WANTED_SUBJECT, () => {
        this.announceCatalog();
      }),
    );
    this.changes = this.market.instrumentsChanged$.subscribe(() => {
      this.announceCatalog();
    });
    this.announceCatalog();
    let sinceCatalog = 0;
    const every = Math.max(200, Math.floor(this.interestTtlMs / 5));
    this.sweep = setInterval(() => {
      this.dropUnwanted();
      sinceCatalog += every;
      if (sinceCatalog >= CATALOG_EVERY_MS) {
        sinceCatalog = 0;
        this.announceCatalog();
      }
    }, every);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
    this.changes?.unsubscribe();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const { stream } of this.wanted.values()) this.registry.unsubscribe(stream, this.subscriber);
    this.wanted.clear();
    this.busMetrics.publishedChannels.set(0);
  }

  /** Channel streams published now (tests, metrics). */
  get publishedCount(): number {
    return this.wanted.size;
  }

  private get interestTtlMs(): number {
    return this.config.bus.kind === 'nats' ? this.config.bus.interestTtlMs : 5000;
  }

  /** The stream a gateway wants (created and published from now on), or undefined when not served here. */
  private want(request: unknown): ChannelStream | undefined {
    if (typeof request !== 'object' || request === null) return undefined;
    const resolved = this.registry.resolve({ ...(request as SubscribeRequest), op: 'subscribe' });
    if ('code' in resolved) return undefined;
    const known = this.wanted.get(resolved.key);
    if (known !== undefined) {
      known.seenAt = Date.now();
      return known.stream;
    }
    const stream = this.registry.subscribe(resolved, this.subscriber);
    this.wanted.set(resolved.key, { stream, seenAt: Date.now() });
    this.busMetrics.publishedChannels.set(this.wanted.size);
    this.logger.debug(`publishing ${resolved.key}`);
    return stream;
  }

  private dropUnwanted(): void {
    const before = Date.now() - this.interestTtlMs;
    for (const [key, entry] of this.wanted) {
      if (entry.seenAt >= before) continue;
      this.wanted.delete(key);
      this.registry.unsubscribe(entry.stream, this.subscriber);
      this.logger.debug(`no gateway wants ${key} any more`);
    }
    this.busMetrics.publishedChannels.set(this.wanted.size);
  }

  private announceCatalog(): void {
    const message: CatalogMessage = { ingest: this.ingestId, instruments: this.market.instruments() };
    this.bus.publish(CATALOG_SUBJECT, encodeJson(message));
  }
}
