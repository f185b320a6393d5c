import { type DynamicModule, Global, Logger, Module, type Provider } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { MetricsModule } from '../metrics/metrics.module';
import { BusMetrics } from './bus-metrics';
import { BUS, FEED_OWNERSHIP, REMOTE_CHANNELS } from './bus.tokens';
import { FeedLeases, LEASE_BUCKET } from './feed-leases';
import { instanceId } from './instance-id';
import { NatsBus } from './nats-bus';
import { RemoteChannels } from './remote-channels';

/**
 * The bus for every module: with the in-process default, null tokens (nothing changes: channel
 * streams are local); with NATS, the connection, the feed leases (ingest roles) and the relayed
 * channel source (gateway roles). The connection is closed last, by BusCloser in the root module.
 */
@Global()
@Module({})
export class BusModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const bus = config.bus;
    const tokens = [BUS, FEED_OWNERSHIP, REMOTE_CHANNELS];
    if (bus.kind !== 'nats') {
      return {
        module: BusModule,
        providers: tokens.map((token): Provider => ({ provide: token, useValue: null })),
        exports: tokens,
      };
    }
    const id = instanceId(bus.role);
    return {
      module: BusModule,
      imports: [MetricsModule],
      providers: [
        { provide: BUS, useFactory: () => NatsBus.connect(bus.url, id) },
        {
          provide: BusMetrics,
          useFactory: (metrics: GatewayMetrics) => new BusMetrics(metrics),
          inject: [GatewayMetrics],
        },
        {
          provide: FEED_OWNERSHIP,
          inject: [BUS, BusMetrics],
          useFactory: async (nats: NatsBus, metrics: BusMetrics) => {
            if (bus.role === 'gateway') return null;
            const kv = await nats.kv(LEASE_BUCKET, bus.leaseTtlMs);
            const logger = new Logger('FeedLeases');
            return new FeedLeases(kv, id, bus.leaseTtlMs, metrics, (feedId) => {
              logger.warn(`${feedId}: this ingest no longer owns the feed; it stops it and stands by`);
            });
          },
        },
        {
          provide: REMOTE_CHANNELS,
          inject: [BUS, BusMetrics],
          useFactory: (nats: NatsBus, metrics: BusMetrics) =>
            bus.role === 'ingest'
              ? null
              : new RemoteChannels({ bus: nats, metrics, gatewayId: id, interestTtlMs: bus.interestTtlMs }),
        },
        { provide: INSTANCE_ID, useValue: id },
      ],
      exports: [...tokens, BusMetrics, INSTANCE_ID],
    };
  }
}

export const INSTANCE_ID = Symbol('INSTANCE_ID');
