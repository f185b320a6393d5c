import type { WireCandle } from '@tickwire/feeds';

/**
 * Puts a candle into a list sorted by open time: replaces the one with its open time, or inserts it
 * in place (live updates come last, so the search starts from the end); keeps the newest `keep`.
 */
export function upsertCandle(candles: WireCandle[], candle: WireCandle, keep = Number.POSITIVE_INFINITY): void {
  let index = candles.length;
  while (index > 0 && (candles[index - 1] as WireCandle).openTime > candle.openTime) index--;
  const previous = candles[index - 1];
  if (previous?.openTime === candle.openTime) {
    if (isNewer(candle, previous)) candles[index - 1] = candle;
  } else {
    candles.splice(index, 0, candle);
  }
  if (candles.length > keep) candles.splice(0, candles.length - keep);
}

/**
 * History from REST and the channel's own snapshot, merged by open time, oldest first: of two
 * values of one candle the newer one wins.
 */
export function mergeCandles(...sources: readonly (readonly WireCandle[])[]): WireCandle[] {
  const byOpen = new Map<number, WireCandle>();
  for (const source of sources) {
    for (const candle of source) {
      const previous = byOpen.get(candle.openTime);
      if (previous === undefined || isNewer(candle, previous)) byOpen.set(candle.openTime, candle);
    }
  }
  return [...byOpen.values()].sort((a, b) => a.openTime - b.openTime);
}

/**
 * Of two values of one candle, the newer: the closed one, else the one with more trades (a candle
 * only grows), else the later received.
 */
function isNewer(candidate: WireCandle, current: WireCandle): boolean {
  if (candidate.closed !== current.closed) return candidate.closed;
  if (candidate.tradeCount !== current.tradeCount) return candidate.tradeCount > current.tradeCount;
  return candidate.receiveTime >= current.receiveTime;
}
