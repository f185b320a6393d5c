import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
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
        MetricsModule,
        MarketModule,
        AuthModule,
        StreamModule,
        RestModule,
        HealthModule,
      ],
    };
  }
}
