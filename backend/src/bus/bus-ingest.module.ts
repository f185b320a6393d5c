import { type DynamicModule, Module } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import { MarketModule } from '../market/market.module';
import { MarketService } from '../market/market.service';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { MetricsModule } from '../metrics/metrics.module';
import type { Bus } from './bus';
import { BusMetrics } from './bus-metrics';
import { INSTANCE_ID } from './bus.module';
import { BUS } from './bus.tokens';
import { IngestPublisher } from './ingest-publisher';

/** The ingest side of the NATS bus (roles ingest and both); nothing otherwise. */
@Module({})
export class BusIngestModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    if (config.bus.kind !== 'nats' || config.bus.role === 'gateway') return { module: BusIngestModule };
    return {
      module: BusIngestModule,
      imports: [MarketModule, MetricsModule],
      providers: [
        {
          provide: IngestPublisher,
          inject: [GATEWAY_CONFIG, MarketService, GatewayMetrics, BUS, BusMetrics, INSTANCE_ID],
          useFactory: (
            gatewayConfig: GatewayConfig,
            market: MarketService,
            metrics: GatewayMetrics,
            bus: Bus,
            busMetrics: BusMetrics,
            id: string,
          ) => new IngestPublisher(gatewayConfig, market, metrics, bus, busMetrics, id),
        },
      ],
    };
  }
}
