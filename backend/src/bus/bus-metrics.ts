import { Counter, Gauge } from 'prom-client';
import type { GatewayMetrics } from '../metrics/gateway-metrics';

/** The bus's metrics, in the gateway's registry (/api/metrics). */
export class BusMetrics {
  /** Updates lost on the bus (seq jump, a reconnect that missed some, another ingest incarnation): each a resync. */
  readonly gaps: Counter<'reason'>;
  /** Snapshots fetched from an ingest (new streams, gap recoveries, compaction). */
  readonly snapshotRequests: Counter<'outcome'>;
  /** Channel streams an ingest publishes because some gateway wants them. */
  readonly publishedChannels: Gauge;
  /** Feed leases taken over (this ingest became the owner). */
  readonly leaseAcquisitions: Counter<'feed'>;

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    this.gaps = new Counter({
      name: 'tickwire_bus_gaps_total',
      help: 'Channel updates lost on the bus (detected by seq or epoch), each answered with a fresh snapshot',
      labelNames: ['reason'] as const,
      registers,
    });
    this.snapshotRequests = new Counter({
      name: 'tickwire_bus_snapshot_requests_total',
      help: 'Snapshot requests to the owning ingest, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.publishedChannels = new Gauge({
      name: 'tickwire_bus_published_channels',
      help: 'Channel streams this ingest publishes on the bus',
      registers,
    });
    this.leaseAcquisitions = new Counter({
      name: 'tickwire_bus_lease_acquisitions_total',
      help: 'Feed leases this ingest acquired',
      labelNames: ['feed'] as const,
      registers,
    });
  }
}
