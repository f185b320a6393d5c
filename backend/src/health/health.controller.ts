import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { VENUES } from '@tickwire/feeds';
import type { Response } from 'express';
import type { FeedSummary } from '../market/market.service';
import { MarketService } from '../market/market.service';

export interface HealthReport {
  /** `ok` when every feed is live; `degraded` when some are; `down` when none is. */
  readonly status: 'ok' | 'degraded' | 'down';
  readonly service: 'tickwire-gateway';
  readonly apiVersion: 1;
  readonly uptimeSeconds: number;
  /** Venues of the normalized model; `feeds` says which ones this gateway runs. */
  readonly venues: readonly string[];
  readonly feeds: readonly FeedSummary[];
}

/**
 * `/api/health` is readiness: 200 while at least one feed is live (a load balancer can send
 * traffic), 503 when none is. `/api/health/live` is liveness: 200 while the process answers.
 */
@Controller('health')
export class HealthController {
  private readonly startedAt = process.hrtime.bigint();

  constructor(private readonly market: MarketService) {}

  @Get()
  health(@Res({ passthrough: true }) response: Response): HealthReport {
    const feeds = this.market.feedSummaries();
    const live = feeds.filter((feed) => feed.state === 'live').length;
    const status = live === feeds.length && live > 0 ? 'ok' : live > 0 ? 'degraded' : 'down';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    const uptimeNanos = process.hrtime.bigint() - this.startedAt;
    return {
      status,
      service: 'tickwire-gateway',
      apiVersion: 1,
      uptimeSeconds: Number(uptimeNanos / 1_000_000n) / 1000,
      venues: VENUES,
      feeds,
    };
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
