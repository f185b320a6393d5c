import type { EpochMicros } from '../model';
import type { LevelLadder } from './level-ladder';
import type { SymbolMarket } from './symbol-market';

/** Top levels of both sides, best first, with the update id they are as of. */
export interface DepthView {
  readonly lastUpdateId: number;
  readonly bidTicks: number[];
  readonly bidLots: number[];
  readonly askTicks: number[];
  readonly askLots: number[];
}

/**
 * Up to `limit` levels per side of `market`'s book as of `time`: the current book with the
 * journaled changes after `time` undone. The caller checks `market.journal.canRollBackTo(time)`.
 * lastUpdateId is the id of the last event at or before `time`, as Binance's REST gives it.
 */
export function depthAt(market: SymbolMarket, limit: number, time: EpochMicros): DepthView {
  // Level key (tick for bids, −tick for asks) → lots as of `time`, for every level changed since.
  const restored = new Map<number, number>();
  const firstUndoneId = market.journal.rollBack(time, (levelKey, previousLots) => {
    restored.set(levelKey, previousLots);
  });
  const lastUpdateId = firstUndoneId === 0 ? market.lastUpdateId : firstUndoneId - 1;
  const [bidTicks, bidLots] = sideAt(market.bids, restored, limit);
  const [askTicks, askLots] = sideAt(market.asks, restored, limit);
  return { lastUpdateId, bidTicks, bidLots, askTicks, askLots };
}

function sideAt(side: LevelLadder, restored: ReadonlyMap<number, number>, limit: number): [number[], number[]] {
  const ticks: number[] = [];
  const lots: number[] = [];
  if (restored.size === 0) {
    // Nothing to undo: the top of the current book is the answer.
    const n = Math.min(limit, side.count);
    for (let depth = 0; depth < n; depth++) {
      ticks.push(side.tickAt(depth));
      lots.push(side.lotsAt(depth));
    }
    return [ticks, lots];
  }
  const sign = side.isBid ? 1 : -1;
  const levels = new Map<number, number>();
  for (let depth = 0; depth < side.count; depth++) levels.set(side.tickAt(depth), side.lotsAt(depth));
  for (const [levelKey, previousLots] of restored) {
    if (Math.sign(levelKey) !== sign) continue;
    const tick = levelKey * sign;
    if (previousLots === 0) levels.delete(tick);
    else levels.set(tick, previousLots);
  }
  const best = [...levels.keys()].sort((a, b) => sign * (b - a)).slice(0, limit);
  for (const tick of best) {
    ticks.push(tick);
    lots.push(levels.get(tick) ?? 0);
  }
  return [ticks, lots];
}
