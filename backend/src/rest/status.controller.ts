import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FeedSummary, MarketService } from '../market/market.service';
import { ChannelRegistry } from '../stream/channel-registry';
import { StreamGateway } from '../stream/stream.gateway';

export interface GatewayStatus {
  readonly apiVersion: 1;
  readonly feeds: readonly FeedSummary[];
  readonly connections: number;
  readonly channelStreams: number;
  readonly upstreamSubscriptions: number;
}

@ApiTags('status')
@Controller('v1/status')
export class StatusController {
  constructor(
    private readonly market: MarketService,
    private readonly registry: ChannelRegistry,
    private readonly gateway: StreamGateway,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Feed status per venue, client connections and channel streams' })
  status(): GatewayStatus {
    return {
      apiVersion: 1,
      feeds: this.market.feedSummaries(),
      connections: this.gateway.connectionCount,
      channelStreams: this.registry.size,
      upstreamSubscriptions: this.market.upstreamSubscriptionCount(),
    };
  }
}
