import type { SymbolSpec } from './options';

/** The fair price stays within startPrice / 10 and startPrice × 10 (reflected at the bounds). */
const FAIR_RANGE_FACTOR = 10;

/** Largest gap, in ticks, the model leaves between adjacent levels away from the touch. */
export const MAX_LEVEL_GAP = 3;

/** Quote notional the touch level holds on average (e.g. 25,000 USDT). */
const TOUCH_NOTIONAL_UNITS = 25_000n * 100_000_000n;

/** Sizes grow away from the touch up to this factor; the cap keeps lots × lotUnits a safe integer. */
export const MAX_SIZE_GROWTH = 20;

/** Per-symbol constants of the market model, all integers (ticks and lots). */
export interface SymbolModel {
  /** Lowest and highest fair price, in ticks. */
  readonly lowFair: number;
  readonly highFair: number;
  /** No level is ever placed above this tick (keeps tick × tickUnits a safe integer). */
  readonly maxTick: number;
  /** Mean size of the touch level, in lots. */
  readonly touchLots: number;
  /** No level holds more lots than this. */
  readonly maxLevelLots: number;
  /**
   * Mean fair-price move in the normal regime, in ticks: 0.1 bp of the price, at most 10 ticks.
   * Below one tick (few ticks per price, e.g. 0.00001 at a 1e-8 tick) it is the chance of a
   * one-tick move, so relative volatility does not depend on how fine the tick grid is.
   */
  readonly stepTicks: number;
}

/** Highest tick the model can quote for a symbol starting at `startTicks` with `bookLevels` levels. */
export function maxModelTick(startTicks: number, bookLevels: number): number {
  return startTicks * FAIR_RANGE_FACTOR + (MAX_LEVEL_GAP + 1) * (bookLevels + 16);
}

export function deriveSymbolModel(spec: SymbolSpec, bookLevels: number): SymbolModel {
  const maxLevelLots = Math.floor(Number.MAX_SAFE_INTEGER / spec.lotUnits);
  // startPrice × lotSize in units of 1e-16 quote; exact in BigInt, computed once per symbol.
  const lotNotional = BigInt(spec.startTicks) * BigInt(spec.tickUnits) * BigInt(spec.lotUnits);
  const touch = (TOUCH_NOTIONAL_UNITS * 100_000_000n) / lotNotional;
  const touchCap = BigInt(Math.max(1, Math.floor(maxLevelLots / (MAX_SIZE_GROWTH * 4))));
  const touchLots = Number(touch < 1n ? 1n : touch > touchCap ? touchCap : touch);
  return {
    lowFair: Math.max(2, Math.ceil(spec.startTicks / FAIR_RANGE_FACTOR)),
    highFair: spec.startTicks * FAIR_RANGE_FACTOR,
    maxTick: maxModelTick(spec.startTicks, bookLevels),
    touchLots,
    maxLevelLots,
    stepTicks: Math.min(10, spec.startTicks / 100_000),
  };
}
