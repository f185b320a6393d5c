import type { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import type { FeedConfig } from '../config/gateway-config.schema';

/** Public venues `feeds: "auto"` tries, with the instruments it shows for each. */
const LIVE_CANDIDATES: readonly {
  readonly venue: 'binance' | 'kraken' | 'okx' | 'coinbase';
  readonly url: string;
  readonly symbols: string[];
}[] = [
  { venue: 'binance', url: 'wss://stream.binance.com:9443/ws', symbols: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'] },
  { venue: 'kraken', url: 'wss://ws.kraken.com/v2', symbols: ['BTC-USD', 'ETH-USD'] },
  { venue: 'okx', url: 'wss://ws.okx.com:8443/ws/v5/public', symbols: ['BTC-USDT', 'ETH-USDT'] },
  { venue: 'coinbase', url: 'wss://advanced-trade-ws.coinbase.com', symbols: ['BTC-USD', 'ETH-USD'] },
];

const PROBE_TIMEOUT_MS = 4000;

/** Whether a WebSocket to `url` opens within the timeout (then closed at once). */
export function probeWebSocket(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => {
      finish(false);
    }, timeoutMs);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve(ok);
    }
    socket.once('open', () => {
      finish(true);
    });
    socket.once('error', () => {
      finish(false);
    });
  });
}

/**
 * `feeds: "auto"`: every public venue that answers, each with its first instruments pinned; when
 * none does (no internet, as on CI), the simulated venue: crypto in Binance's protocol and US
 * stocks in Alpaca's, both labelled `simulated` to clients.
 */
export async function resolveAutoFeeds(logger: Logger, probe = probeWebSocket): Promise<FeedConfig[]> {
  const reachable = await Promise.all(LIVE_CANDIDATES.map((candidate) => probe(candidate.url)));
  const live: FeedConfig[] = LIVE_CANDIDATES.filter((_, index) => reachable[index] === true).map((candidate) => ({
    kind: 'live',
    venue: candidate.venue,
    symbols: candidate.symbols,
    pinned: candidate.symbols,
  }));
  if (live.length > 0) {
    logger.log(`live venues reachable: ${live.map((feed) => (feed.kind === 'live' ? feed.venue : '')).join(', ')}`);
    return live;
  }
  logger.warn('no live venue reachable: serving the simulated venue (crypto and US stocks), labelled simulated');
  return [
    { kind: 'simulated', protocol: 'binance', seed: 1, messagesPerSecond: 200, generatedSymbols: 0, pinned: true },
    { kind: 'simulated', protocol: 'alpaca', seed: 1, messagesPerSecond: 100, generatedSymbols: 0, pinned: true },
  ];
}
