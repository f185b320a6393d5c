import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { BusCloser } from './bus/bus-closer';
import { BusIngestModule } from './bus/bus-ingest.module';
import { BusModule } from './bus/bus.module';
import { ConfigModule } from './config/config.module';
import type { GatewayConfig } from './config/gateway-config.schema';
import { HealthModule } from './health/health.module';
import { MarketModule } from './market/market.module';
import { MetricsModule } from './metrics/metrics.module';
import { RestModule } from './rest/rest.module';
import { StreamModule } from './stream/stream.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        BusModule.forRoot(config),
        MetricsModule,
        MarketModule,
        AuthModule,
        StreamModule,
        RestModule,
        HealthModule,
        BusIngestModule.forRoot(config),
      ],
      providers: [BusCloser],
    };
  }
}
