import type { Dialect } from '../virtual-exchange/dialect';
import { binanceDialect } from '../virtual-exchange/binance';
import { bitfinexDialect } from '../virtual-exchange/bitfinex';
import { coinbaseDialect } from '../virtual-exchange/coinbase';
import { coinbaseAdvancedDialect } from '../virtual-exchange/coinbase-advanced';
import { krakenDialect } from '../virtual-exchange/kraken';
import { krakenV2Dialect } from '../virtual-exchange/kraken-v2';
import { okxDialect } from '../virtual-exchange/okx';

/** Venues the virtual exchange can speak, by the name `tickwire replay --venue` takes. */
export const DIALECTS: Record<string, () => Dialect> = {
  binance: () => binanceDialect({ market: 'spot' }),
  'binance-us': () => binanceDialect({ market: 'spot' }),
  'binance-usdm': () => binanceDialect({ market: 'usdm' }),
  kraken: () => krakenDialect(),
  'kraken-v2': () => krakenV2Dialect(),
  okx: () => okxDialect(),
  coinbase: () => coinbaseDialect(),
  'coinbase-advanced': () => coinbaseAdvancedDialect(),
  bitfinex: () => bitfinexDialect(),
};

/** The venue of a recorded connection URL (for captures whose files name no venue). */
export function venueOfUrl(url: string): string | undefined {
  const host = (() => {
    try {
      return new URL(url).hostname;
    } catch {
      return '';
    }
  })();
  if (host.startsWith('fstream.')) return 'binance-usdm';
  if (host.endsWith('binance.us')) return 'binance-us';
  if (host.includes('binance')) return 'binance';
  if (host.includes('kraken')) return 'kraken';
  if (host.includes('okx') || host.includes('okex')) return 'okx';
  if (host.includes('coinbase')) return 'coinbase';
  if (host.includes('bitfinex')) return 'bitfinex';
  return undefined;
}
