import { Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  type ChannelName,
  channelKey,
  type SubscribeParams,
  type SubscribeRequest,
  type WireInstrument,
} from '@tickwire/feeds';
import { Subject } from 'rxjs';
import type { Bus } from './bus';
import { CATALOG_EVERY_MS } from './ingest-publisher';
import type { BusMetrics } from './bus-metrics';
import { type CatalogMessage, decodeJson, encodeJson, type InterestMessage } from './bus-messages';
import { RemoteChannelStream } from './remote-channel-stream';
import type { RemoteChannelSource } from './remote-channel-source';
import type { GapReason, RemoteLink, RemoteSnapshot } from './remote-link';
import {
  CATALOG_SUBJECT,
  CATALOG_WANTED_SUBJECT,
  EPOCH_HEADER,
  INTEREST_SUBJECT,
  RECEIVE_TIME_HEADER,
  SEQ_HEADER,
  snapshotSubject,
  updateSubject,
} from './subjects';

const SNAPSHOT_TIMEOUT_MS = 2000;
/** How long start-up waits for a first catalog from an ingest (then the gateway starts anyway and keeps listening). */
const CATALOG_WAIT_MS = 5000;

export interface RemoteChannelsOptions {
  readonly bus: Bus;
  readonly metrics: BusMetrics;
  readonly gatewayId: string;
  readonly interestTtlMs: number;
}

/**
 * The gateway side of the bus: the instruments the ingests serve, one RemoteChannelStream per
 * channel key its clients want (subscribed to that key's subject), and the interest it announces
 * so the owning ingest publishes those keys, refreshed at a fifth of the interest TTL.
 */
export class RemoteChannels
  implements RemoteChannelSource, RemoteLink, OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('BusGateway');
  private readonly catalog = new Map<string, WireInstrument>();
  private readonly venues = new Set<string>();
  /** When each ingest last announced its catalog, and its venues (health of the gateway role). */
  private readonly ingestsSeen = new Map<string, { time: number; venues: string[] }>();
  /** Which ingest last announced each venue. */
  private readonly owners = new Map<string, string>();
  readonly instrumentsChanged$ = new Subject<readonly WireInstrument[]>();
  private readonly watched = new Map<RemoteChannelStream, () => void>();
  private readonly cleanups: (() => void)[] = [];
  private readonly catalogWaiters = new Set<() => void>();
  private refresh: NodeJS.Timeout | undefined;

  constructor(private readonly options: RemoteChannelsOptions) {}

  onModuleInit(): void {
    const { bus } = this.options;
    this.cleanups.push(
      bus.subscribe(CATALOG_SUBJECT, (message) => {
        const catalog = decodeJson(message.data) as CatalogMessage | undefined;
        if (typeof catalog === 'object' && Array.isArray(catalog.instruments)) {
          this.learn(catalog.instruments);
          this.followOwners(catalog);
        }
      }),
      bus.onReconnect(() => {
        this.logger.warn('bus reconnected: every relayed stream resyncs');
        bus.publish(CATALOG_WANTED_SUBJECT, encodeJson({}));
        this.announce();
        for (const stream of this.watched.keys()) stream.onReconnect();
      }),
    );
    bus.publish(CATALOG_WANTED_SUBJECT, encodeJson({}));
    this.refresh = setInterval(
      () => {
        this.announce();
      },
      Math.max(200, Math.floor(this.options.interestTtlMs / 5)),
    );
    this.refresh.unref();
  }

  /** Start-up waits (bounded) for the first instruments, so clients connecting at once can subscribe. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.catalog.size > 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, CATALOG_WAIT_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.catalogWaiters.add(done);
    });
    this.catalogWaiters.clear();
    if (this.catalog.size === 0) this.logger.warn('no ingest has announced instruments yet; still listening');
  }

  onModuleDestroy(): void {
    clearInterval(this.refresh);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const unsubscribe of this.watched.values()) unsubscribe();
    this.watched.clear();
    this.instrumentsChanged$.complete();
  }

  /**
   * The ingests heard from within three catalog periods (they re-announce every CATALOG_EVERY_MS),
   * with their venues: what a gateway's readiness rests on.
   */
  liveIngests(now = Date.now()): { ingest: string; venues: string[]; lastSeenMs: number }[] {
    return [...this.ingestsSeen]
      .filter(([, seen]) => now - seen.time <= 3 * CATALOG_EVERY_MS)
      .map(([ingest, seen]) => ({ ingest, venues: seen.venues, lastSeenMs: now - seen.time }));
  }

  hasVenue(venue: string): boolean {
    return this.venues.has(venue);
  }

  instrument(key: string): WireInstrument | undefined {
    return this.catalog.get(key);
  }

  instruments(): WireInstrument[] {
    return [...this.catalog.values()];
  }

  create(
    key: string,
    channel: ChannelName,
    instrument: string,
    params: SubscribeParams | undefined,
    onSerialize: () => void,
  ): RemoteChannelStream {
    return new RemoteChannelStream(key, channel, instrument, params, this, onSerialize);
  }

  watch(stream: RemoteChannelStream): void {
    const unsubscribe = this.options.bus.subscribe(updateSubject(stream.key), (message) => {
      const seq = Number(message.headers[SEQ_HEADER]);
      const epoch = message.headers[EPOCH_HEADER] ?? '';
      const receiveTime = Number(message.headers[RECEIVE_TIME_HEADER] ?? 0);
      if (!Number.isSafeInteger(seq)) return;
      stream.onBusUpdate(seq, epoch, Buffer.from(message.data), receiveTime);
    });
    this.watched.set(stream, unsubscribe);
    this.announce([stream]);
  }

  unwatch(stream: RemoteChannelStream): void {
    this.watched.get(stream)?.();
    this.watched.delete(stream);
  }

  /**
   * The `data` of a channel's snapshot, straight from the owning ingest (REST reads on a gateway:
   * book, trades, candles, status). Rejects when no ingest answers in time.
   */
  async snapshotData(request: SubscribeRequest): Promise<unknown> {
    const key = channelKey(request.channel, request.instrument, request);
    const reply = await this.options.bus.request(snapshotSubject(key), encodeJson(request), SNAPSHOT_TIMEOUT_MS);
    this.options.metrics.snapshotRequests.inc({ outcome: 'ok' });
    return (decodeJson(reply.data) as { data?: unknown } | undefined)?.data;
  }

  async fetchSnapshot(stream: RemoteChannelStream): Promise<RemoteSnapshot> {
    const reply = await this.options.bus.request(
      snapshotSubject(stream.key),
      encodeJson(stream.request),
      SNAPSHOT_TIMEOUT_MS,
    );
    const seq = Number(reply.headers[SEQ_HEADER]);
    const epoch = reply.headers[EPOCH_HEADER];
    if (!Number.isSafeInteger(seq) || epoch === undefined) throw new Error('snapshot reply without seq or epoch');
    this.options.metrics.snapshotRequests.inc({ outcome: 'ok' });
    return { seq, epoch, bytes: Buffer.from(reply.data) };
  }

  reportGap(stream: RemoteChannelStream, reason: GapReason, detail: string): void {
    this.options.metrics.gaps.inc({ reason });
    this.logger.warn(
      `${stream.key}: bus gap (${reason}): ${detail}; fresh snapshot to ${stream.subscriberCount} clients`,
    );
  }

  snapshotFailed(stream: RemoteChannelStream, error: unknown): void {
    this.options.metrics.snapshotRequests.inc({ outcome: 'failed' });
    this.logger.debug(
      `${stream.key}: snapshot request failed (retrying): ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  private announce(streams: Iterable<RemoteChannelStream> = this.watched.keys()): void {
    const subscriptions = [...streams].map((stream) => stream.request);
    if (subscriptions.length === 0) return;
    const message: InterestMessage = { gateway: this.options.gatewayId, subscriptions };
    this.options.bus.publish(INTEREST_SUBJECT, encodeJson(message));
  }

  /**
   * A venue announced by another ingest than before changed owner (a takeover): its relayed
   * streams resync at once (fresh snapshots from the new owner, a new epoch: clients get a
   * snapshot), rather than waiting for an update that a quiet stream may never send.
   */
  private followOwners(catalog: CatalogMessage): void {
    const venues = new Set(catalog.instruments.map((instrument) => instrument.venue));
    this.ingestsSeen.set(catalog.ingest, { time: Date.now(), venues: [...venues] });
    for (const venue of venues) {
      const previous = this.owners.get(venue);
      this.owners.set(venue, catalog.ingest);
      if (previous === undefined || previous === catalog.ingest) continue;
      this.logger.warn(`${venue}: now served by ingest ${catalog.ingest} (was ${previous}); its streams resync`);
      for (const stream of this.watched.keys()) {
        if (stream.instrument?.startsWith(`${venue}:`) === true) stream.onReconnect();
      }
    }
  }

  private learn(instruments: readonly WireInstrument[]): void {
    const changed: WireInstrument[] = [];
    for (const instrument of instruments) {
      const known = this.catalog.get(instrument.instrument);
      if (known !== undefined && JSON.stringify(known) === JSON.stringify(instrument)) continue;
      this.catalog.set(instrument.instrument, instrument);
      this.venues.add(instrument.venue);
      changed.push(instrument);
    }
    if (changed.length > 0) this.instrumentsChanged$.next(changed);
    for (const wake of [...this.catalogWaiters]) wake();
  }
}
