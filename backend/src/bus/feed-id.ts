import type { FeedConfig } from '../config/gateway-config.schema';

/** The venue id a feed's instruments carry (`simulated:BTC-USDT`), known before the feed starts (feed-runtime.ts). */
export function feedIdOf(config: FeedConfig): string {
  switch (config.kind) {
    case 'live':
    case 'replay':
      return config.venue;
    case 'simulated':
      return config.protocol === 'alpaca' ? 'alpaca' : 'simulated';
  }
}
