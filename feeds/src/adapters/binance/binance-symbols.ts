import type { ChannelKind } from '../venue-adapter';

/** Quote assets Binance lists, longest match first when splitting "NKNUSDT" into NKN-USDT. */
export const BINANCE_QUOTE_ASSETS = [
  'USDT',
  'USDC',
  'FDUSD',
  'BUSD',
  'TUSD',
  'DAI',
  'BTC',
  'ETH',
  'BNB',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'AUD',
  'JPY',
  'USD',
  'XRP',
  'DOGE',
] as const;

/** Binance stream name of a channel: "btcusdt@depth@100ms", "btcusdt@aggTrade", "btcusdt@bookTicker". */
export function streamName(venueSymbol: string, channel: ChannelKind, trades: 'trade' | 'aggTrade'): string {
  const lower = venueSymbol.toLowerCase();
  switch (channel) {
    case 'book':
      return `${lower}@depth@100ms`;
    case 'trades':
      return `${lower}@${trades}`;
    case 'bbo':
      return `${lower}@bookTicker`;
  }
}

/**
 * The subscriptions a combined-stream URL (…/stream?streams=a/b/c) asks for, e.g. to replay a
 * recorded connection that subscribed through its URL. Streams with no channel (klines) are left out.
 */
export function subscriptionsFromStreamUrl(
  url: string,
  symbolOf: (venueSymbol: string) => string | undefined,
): { symbol: string; channel: ChannelKind }[] {
  const streams = new URL(url).searchParams.get('streams')?.split('/') ?? [];
  const out: { symbol: string; channel: ChannelKind }[] = [];
  for (const stream of streams) {
    const [venueSymbol = '', kind = ''] = stream.split('@');
    const symbol = symbolOf(venueSymbol.toUpperCase());
    const channel: ChannelKind | undefined =
      kind === 'depth'
        ? 'book'
        : kind === 'bookTicker'
          ? 'bbo'
          : kind === 'aggTrade' || kind === 'trade'
            ? 'trades'
            : undefined;
    if (symbol !== undefined && channel !== undefined) out.push({ symbol, channel });
  }
  return out;
}
