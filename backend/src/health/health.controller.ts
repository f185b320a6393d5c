import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { VENUES } from '@tickwire/feeds';
import type { Response } from 'express';
import { REMOTE_CHANNELS } from '../bus/bus.tokens';
import type { RemoteChannels } from '../bus/remote-channels';
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
  /** Gateway role on the NATS bus: the ingests heard from recently (it runs no feeds itself). */
  readonly ingests?: readonly { ingest: string; venues: string[]; lastSeenMs: number }[];
}

/**
 * `/api/health` is readiness: 200 while at least one feed is live (a load balancer can send
 * traffic), 503 when none is. `/api/health/live` is liveness: 200 while the process answers.
 */
@Controller('health')
export class HealthController {
  private readonly startedAt = process.hrtime.bigint();

  constructor(
    private readonly market: MarketService,
    @Optional() @Inject(REMOTE_CHANNELS) private readonly remote: RemoteChannels | null = null,
  ) {}

  @Get()
  health(@Res({ passthrough: true }) response: Response): HealthReport {
    const feeds = this.market.feedSummaries();
    const ingests = this.remote?.liveIngests();
    const live = feeds.filter((feed) => feed.state === 'live').length;
    // A gateway on the bus is ready while some ingest is heard from; otherwise its own feeds decide.
    const status =
      ingests !== undefined && feeds.length === 0
        ? ingests.length > 0
          ? 'ok'
          : 'down'
        : live === feeds.length && live > 0
          ? 'ok'
          : live > 0
            ? 'degraded'
            : 'down';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    const uptimeNanos = process.hrtime.bigint() - this.startedAt;
    return {
      status,
      service: 'tickwire-gateway',
      apiVersion: 1,
      uptimeSeconds: Number(uptimeNanos / 1_000_000n) / 1000,
      venues: VENUES,
      feeds,
      ...(ingests === undefined ? {} : { ingests }),
    };
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
