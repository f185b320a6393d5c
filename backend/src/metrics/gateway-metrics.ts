import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics (served at /api/metrics). One registry per app instance, so two
 * gateways in one process (tests) do not share counters.
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();

  /** Normalized events from upstream, by feed and event type. */
  readonly eventsIn = new Counter({
    name: 'tickwire_events_in_total',
    help: 'Normalized events received from upstream feeds',
    labelNames: ['feed', 'type'] as const,
    registers: [this.registry],
  });

  /** Messages written to client sockets, by channel (one per subscriber). */
  readonly messagesOut = new Counter({
    name: 'tickwire_messages_out_total',
    help: 'Messages sent to clients, counted per subscriber',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  private readonly messagesOutByChannel = new Map<string, Counter.Internal>();

  /** The per-channel child of messagesOut, looked up once per channel (it is counted per subscriber). */
  messagesOutOf(channel: string): Counter.Internal {
    let child = this.messagesOutByChannel.get(channel);
    if (child === undefined) {
      child = this.messagesOut.labels({ channel });
      this.messagesOutByChannel.set(channel, child);
    }
    return child;
  }

  readonly bytesOut = new Counter({
    name: 'tickwire_bytes_out_total',
    help: 'Bytes of channel messages sent to clients',
    registers: [this.registry],
  });

  /** Serializations of channel messages: one per message and channel, whatever the subscriber count. */
  readonly serializations = new Counter({
    name: 'tickwire_serializations_total',
    help: 'Channel messages serialized (once per channel, shared by every subscriber)',
    registers: [this.registry],
  });

  readonly rejections = new Counter({
    name: 'tickwire_rejections_total',
    help: 'Client messages or connections rejected, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly upstreamRejections = new Counter({
    name: 'tickwire_upstream_rejections_total',
    help: 'Upstream events refused by the book (counted; the feed resyncs)',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });

  readonly resyncs = new Counter({
    name: 'tickwire_resyncs_total',
    help: 'Book resyncs reported by upstream feeds',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });

  readonly connections = new Gauge({
    name: 'tickwire_client_connections',
    help: 'Open client WebSocket connections',
    registers: [this.registry],
  });

  readonly subscribers = new Gauge({
    name: 'tickwire_subscribers',
    help: 'Channel subscriptions of connected clients, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly channels = new Gauge({
    name: 'tickwire_channel_streams',
    help: 'Channel streams with at least one subscriber',
    registers: [this.registry],
  });

  readonly conflatedSnapshots = new Counter({
    name: 'tickwire_conflated_snapshots_total',
    help: 'Snapshots sent to slow consumers in place of updates they could not take',
    registers: [this.registry],
  });

  readonly slowConsumerCloses = new Counter({
    name: 'tickwire_slow_consumer_closes_total',
    help: 'Clients closed for holding more unsent data than the hard bound',
    registers: [this.registry],
  });

  /** Gateway receive → socket write, in seconds. */
  readonly lag = new Histogram({
    name: 'tickwire_gateway_lag_seconds',
    help: 'Time from receiving an upstream frame to writing the channel message that carries it',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  /** Venue time → gateway receive, in seconds (venue clocks differ from ours: indicative). */
  readonly venueLag = new Histogram({
    name: 'tickwire_venue_lag_seconds',
    help: 'Time from the venue timestamp to the gateway receiving the frame',
    labelNames: ['feed'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tickwire_process_' });
  }
}
