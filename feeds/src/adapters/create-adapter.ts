import { VENUES, type VenueId } from '../model/venue';
import { AlpacaAdapter } from './alpaca/alpaca-adapter';
import { AlpacaCredentials } from './alpaca/alpaca-credentials';
import { BinanceAdapter } from './binance/binance-adapter';
import { BitfinexAdapter } from './bitfinex/bitfinex-adapter';
import { CoinbaseAdapter } from './coinbase/coinbase-adapter';
import { KrakenAdapter } from './kraken/kraken-adapter';
import { OkxAdapter } from './okx/okx-adapter';
import type { VenueAdapter } from './venue-adapter';

export interface AdapterEndpoints {
  /** WebSocket URL (or base for Binance/Alpaca); default: the venue's real public endpoint. */
  readonly ws?: string;
  /** REST base where the venue's book sync needs one (Binance, OKX). */
  readonly rest?: string;
}

/** Venues with an adapter: every venue but `simulated`, which speaks Binance's protocol (use `binance` with its URL). */
export type AdapterVenue = Exclude<VenueId, 'simulated'>;
export const ADAPTER_VENUES: readonly AdapterVenue[] = VENUES.filter(
  (venue): venue is AdapterVenue => venue !== 'simulated',
);

export function isAdapterVenue(venue: string): venue is AdapterVenue {
  return (ADAPTER_VENUES as readonly string[]).includes(venue);
}

/**
 * An adapter with the venue's real public endpoints by default (no key needed except for Alpaca,
 * whose APCA_API_KEY_ID / APCA_API_SECRET_KEY come from `env`), or the given ones (the virtual
 * exchange in tests).
 */
export function createAdapter(
  venue: AdapterVenue,
  endpoints: AdapterEndpoints = {},
  env: Readonly<Record<string, string | undefined>> = {},
): VenueAdapter {
  const { ws, rest } = endpoints;
  switch (venue) {
    case 'binance':
    case 'binance-usdm':
    case 'binance-us':
      return new BinanceAdapter({
        venue,
        ...(ws === undefined ? {} : { wsBase: ws }),
        ...(rest === undefined ? {} : { restBase: rest }),
      });
    case 'kraken':
      return new KrakenAdapter({ version: 'v2', ...(ws === undefined ? {} : { wsUrl: ws }) });
    case 'okx':
      return new OkxAdapter({
        ...(ws === undefined ? {} : { wsUrl: ws }),
        ...(rest === undefined ? {} : { restBase: rest }),
      });
    case 'coinbase':
      return new CoinbaseAdapter({ feed: 'advanced-trade', ...(ws === undefined ? {} : { wsUrl: ws }) });
    case 'bitfinex':
      return new BitfinexAdapter(ws === undefined ? {} : { wsUrl: ws });
    case 'alpaca': {
      const credentials = AlpacaCredentials.fromEnv(env);
      return new AlpacaAdapter({
        ...(credentials === undefined ? {} : { credentials }),
        ...(ws === undefined ? {} : { wsBase: ws }),
      });
    }
  }
}
