import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MarketModule } from '../market/market.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ChannelRegistry } from './channel-registry';
import { ClientRequests } from './client-requests';
import { StreamGateway } from './stream.gateway';

@Module({
  imports: [MarketModule, MetricsModule, AuthModule],
  providers: [ChannelRegistry, ClientRequests, StreamGateway],
  exports: [ChannelRegistry, ClientRequests, StreamGateway],
})
export class StreamModule {}
