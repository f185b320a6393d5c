/**
 * Venues Tickwire speaks to. `simulated` is Tickwire's own seeded market simulator. Binance.US
 * uses Binance's protocol with another endpoint, so it is a venue of its own with the same adapter.
 */
export const VENUES = [
  'binance',
  'binance-usdm',
  'binance-us',
  'kraken',
  'okx',
  'coinbase',
  'bitfinex',
  'alpaca',
  'simulated',
] as const;

export type VenueId = (typeof VENUES)[number];

export function isVenueId(value: unknown): value is VenueId {
  return typeof value === 'string' && (VENUES as readonly string[]).includes(value);
}
