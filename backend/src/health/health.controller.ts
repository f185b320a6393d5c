import { Controller, Get } from '@nestjs/common';
import { VENUES } from '@tickwire/feeds';

export interface HealthReport {
  readonly status: 'ok';
  readonly service: 'tickwire-gateway';
  readonly apiVersion: 1;
  readonly uptimeSeconds: number;
  /** Venues in the normalized model; which ones have a connected feed is `feeds`. */
  readonly venues: readonly string[];
  /** Upstream feeds connected now; none until the ingest pipeline lands. */
  readonly feeds: readonly string[];
}

@Controller('health')
export class HealthController {
  private readonly startedAt = process.hrtime.bigint();

  @Get()
  health(): HealthReport {
    const uptimeNanos = process.hrtime.bigint() - this.startedAt;
    return {
      status: 'ok',
      service: 'tickwire-gateway',
      apiVersion: 1,
      uptimeSeconds: Number(uptimeNanos / 1_000_000n) / 1000,
      venues: VENUES,
      feeds: [],
    };
  }
}
