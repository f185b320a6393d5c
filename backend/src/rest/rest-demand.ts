import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ChannelKind } from '@tickwire/feeds';
import { MarketService } from '../market/market.service';

/** How long a REST read keeps an on-demand instrument subscribed upstream after the last read. */
export const REST_LINGER_MS = 60_000;

/**
 * REST reads of an instrument nobody streams open its upstream for a while, so that polling
 * clients get live data without a WebSocket (and the first read says it is warming up).
 */
@Injectable()
export class RestDemand implements OnApplicationShutdown {
  private readonly held = new Map<string, { release: () => void; timer: NodeJS.Timeout }>();

  constructor(private readonly market: MarketService) {}

  touch(instrument: string, channel: ChannelKind): void {
    const key = `${instrument} ${channel}`;
    const existing = this.held.get(key);
    if (existing !== undefined) {
      existing.timer.refresh();
      return;
    }
    const release = this.market.acquire(instrument, [channel]);
    const timer = setTimeout(() => {
      this.held.delete(key);
      release();
    }, REST_LINGER_MS);
    timer.unref();
    this.held.set(key, { release, timer });
  }

  onApplicationShutdown(): void {
    for (const { release, timer } of this.held.values()) {
      clearTimeout(timer);
      release();
    }
    this.held.clear();
  }
}
