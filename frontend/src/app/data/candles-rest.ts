import type { CandleInterval, WireCandle } from '@tickwire/feeds';

/** How many candles of history the chart loads. */
export const HISTORY_LIMIT = 1000;

/** Candle history from the public REST API (`GET /api/v1/instruments/{i}/candles`), oldest first. */
export async function fetchCandles(
  instrument: string,
  interval: CandleInterval,
  signal?: AbortSignal,
): Promise<WireCandle[]> {
  const url = `/api/v1/instruments/${encodeURIComponent(instrument)}/candles?interval=${interval}&limit=${HISTORY_LIMIT}`;
  const response = await fetch(url, { cache: 'no-store', ...(signal === undefined ? {} : { signal }) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as WireCandle[];
}
