import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MarketModule } from '../market/market.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ChannelRegistry } from './channel-registry';
import { AddressLimiter } from './address-limiter';
import { ClientRequests } from './client-requests';
import { SseController } from './sse.controller';
import { SseSessions } from './sse-sessions';
import { StreamGateway } from './stream.gateway';

@Module({
  imports: [MarketModule, MetricsModule, AuthModule],
  providers: [ChannelRegistry, ClientRequests, AddressLimiter, StreamGateway, SseSessions],
  controllers: [SseController],
  exports: [ChannelRegistry, ClientRequests, AddressLimiter, StreamGateway, SseSessions],
})
export class StreamModule {}
