import type { EpochMicros } from '../model';
import { BinanceFrameWriter } from './binance-frames';
import { ChangeJournal } from './change-journal';
import type { FrameQueue } from './frame-queue';
import { LevelLadder } from './level-ladder';
import type { SymbolSpec } from './options';
import type { SimRandom } from './random';
import { nextRegime, REGIME_PARAMS, type Regime, type RegimeParams, type VolatilityMode } from './regimes';
import { MAX_LEVEL_GAP, MAX_SIZE_GROWTH, type SymbolModel } from './symbol-model';

/** Stale levels (on the wrong side of a moved fair price) resolved per event; the rest wait for later events. */
const STALE_LEVELS_PER_EVENT = 24;
/** Chance that a taker picks off stale quotes (at most STALE_SWEEP_LEVELS) before their makers pull them. */
const STALE_SWEEP_PROBABILITY = 0.35;
const STALE_SWEEP_LEVELS = 3;
/** Chance that a level's fill is two trades (two maker orders) rather than one. */
const SPLIT_FILL_PROBABILITY = 0.15;
/** Levels one noise taker may sweep. */
const MAX_SWEEP_LEVELS = 8;
/** Levels added behind a moving price per event. */
const REFILL_LEVELS_PER_EVENT = 24;
/** Far-end levels added per event to bring a side back to its target depth. */
const FAR_ADDS_PER_EVENT = 3;
/** Size growth per tick of distance from the fair price, in percent of the touch size. */
const SIZE_GROWTH_PERCENT_PER_TICK = 4;

/**
 * The simulated market of one symbol: a latent fair price doing a random walk in integer ticks
 * under a volatility regime, and an L2 book (integer ticks → integer lots) that follows it.
 *
 * Each event is one book update id (Binance's `u`) and may: move the fair price; resolve quotes
 * the move left stale (takers sweep them, producing trades, or makers cancel them) and refill the
 * other side behind the price; or, when the book is in line, trade (a taker eats levels from the
 * touch) or churn (size changes, adds, cancels, mostly near the touch). The book is never
 * crossed: bids are only ever placed below the best ask and asks above the best bid, and takers
 * only remove. Changes are kept for the 100 ms depth update and in a journal for REST.
 */
export class SymbolMarket {
  readonly bids = new LevelLadder(true);
  readonly asks = new LevelLadder(false);
  readonly journal = new ChangeJournal();
  readonly writer: BinanceFrameWriter;
  /** Update id of the last book change (Binance's lastUpdateId). */
  lastUpdateId: number;
  /** True while the symbol has changes waiting for the next depth update. */
  hasPendingDepth = false;
  private regime: Regime;
  private regimeUntil: EpochMicros;
  /** Fair price in ticks: the ask makers aim for; the bid they aim for is one tick below. */
  private fair: number;
  private nextTradeId: number;
  private eventTime: EpochMicros = 0;
  /** Update id of the current event, 0 until it changes a level. */
  private eventId = 0;
  private windowFirstId = 0;
  /** Levels changed since the last depth update: tick → current lots. */
  private readonly changedBids = new Map<number, number>();
  private readonly changedAsks = new Map<number, number>();

  constructor(
    readonly spec: SymbolSpec,
    private readonly model: SymbolModel,
    private readonly random: SimRandom,
    private readonly bookLevels: number,
    volatility: VolatilityMode,
    startTime: EpochMicros,
    private readonly out: FrameQueue,
  ) {
    this.writer = new BinanceFrameWriter(spec);
    this.fair = spec.startTicks;
    this.lastUpdateId = random.int(1_000_000, 999_999_999);
    this.nextTradeId = random.int(100_000, 99_999_999);
    if (volatility === 'switching') {
      this.regime = 'normal';
      this.regimeUntil = startTime + this.regimeDuration();
    } else {
      this.regime = volatility;
      this.regimeUntil = Infinity;
    }
    this.buildInitialSide(this.bids);
    this.buildInitialSide(this.asks);
  }

  get currentRegime(): Regime {
    return this.regime;
  }

  /** Relative event intensity: the symbol's activity times its regime's. */
  get intensity(): number {
    return this.spec.activity * REGIME_PARAMS[this.regime].activity;
  }

  /** Runs one market event at `time`, emitting its trades and, if the touch changed, a bookTicker. */
  runEvent(time: EpochMicros): void {
    this.eventTime = time;
    this.eventId = 0;
    this.updateRegime(time);
    const params = REGIME_PARAMS[this.regime];
    const bidTick = this.bids.bestTick();
    const bidLots = this.bids.bestLots();
    const askTick = this.asks.bestTick();
    const askLots = this.asks.bestLots();

    if (this.random.chance(params.driftProbability)) this.drift(params);
    if (this.asks.bestTick() < this.fair) this.resolveStale(this.asks, this.bids);
    else if (this.bids.bestTick() > this.fair - 1) this.resolveStale(this.bids, this.asks);
    else if (this.random.chance(params.tradeProbability)) this.noiseTrade(params);
    // Makers step back into a spread a taker just widened from the next event on, not the same one.
    else {
      this.churn();
      this.repairSpread();
    }
    this.maintainDepth(this.bids);
    this.maintainDepth(this.asks);

    if (
      this.bids.bestTick() !== bidTick ||
      this.bids.bestLots() !== bidLots ||
      this.asks.bestTick() !== askTick ||
      this.asks.bestLots() !== askLots
    ) {
      this.out.produced++;
      if (this.out.emitting) {
        this.out.push({
          time,
          stream: this.writer.bookTickerStream,
          data: this.writer.bookTicker(
            this.eventId,
            this.bids.bestTick(),
            this.bids.bestLots(),
            this.asks.bestTick(),
            this.asks.bestLots(),
          ),
        });
      }
    }
  }

  /** Emits the depth update of the window ending at `time`, if anything changed in it. */
  flushDepth(time: EpochMicros): void {
    this.hasPendingDepth = false;
    if (this.windowFirstId === 0) return;
    this.out.produced++;
    if (this.out.emitting) {
      this.out.push({
        time,
        stream: this.writer.depthStream,
        data: this.writer.depthUpdate(
          Math.floor(time / 1000),
          this.windowFirstId,
          this.lastUpdateId,
          this.changedBids,
          this.changedAsks,
        ),
      });
    }
    this.changedBids.clear();
    this.changedAsks.clear();
    this.windowFirstId = 0;
  }

  private regimeDuration(): number {
    return Math.max(1, Math.round(this.random.exponential(REGIME_PARAMS[this.regime].meanDurationSeconds) * 1e6));
  }

  /** Markov switches are applied lazily at the symbol's next event, catching up on any missed ones. */
  private updateRegime(time: EpochMicros): void {
    while (time >= this.regimeUntil) {
      this.regime = nextRegime(this.regime, this.random);
      this.regimeUntil += this.regimeDuration();
    }
  }

  /** Moves the fair price by a random number of ticks, reflected at the model's bounds. */
  private drift(params: RegimeParams): void {
    const mean = this.model.stepTicks * params.stepMultiplier;
    // A mean below one tick is the chance of a one-tick move.
    if (mean < 1 && !this.random.chance(mean)) return;
    const size = Math.max(1, Math.round(this.random.exponential(mean)));
    this.moveFair(this.random.chance(0.5) ? size : -size);
  }

  /** Moves the fair price, reflected at the model's bounds. */
  private moveFair(ticks: number): void {
    const { lowFair, highFair } = this.model;
    let fair = this.fair + ticks;
    if (fair > highFair) fair = 2 * highFair - fair;
    if (fair < lowFair) fair = 2 * lowFair - fair;
    this.fair = Math.min(highFair, Math.max(lowFair, fair));
  }

  /**
   * The fair price moved through `stale`'s touch (asks below it, or bids above it): a taker may
   * pick off the first stale quotes, their makers pull the rest. Then makers on `other` quote up
   * to the new price.
   */
  private resolveStale(stale: LevelLadder, other: LevelLadder): void {
    const limit = stale.isBid ? this.fair : this.fair - 1;
    // Takers pick off the first few stale quotes; makers pull the rest of them.
    if (this.random.chance(STALE_SWEEP_PROBABILITY)) this.sweep(stale, limit, Infinity, STALE_SWEEP_LEVELS);
    for (let n = 0; n < STALE_LEVELS_PER_EVENT && stale.count > 1; n++) {
      const tick = stale.bestTick();
      if (stale.isBid ? tick < limit : tick > limit) break;
      this.setLevel(stale, tick, 0);
    }
    this.refill(other);
  }

  /** Adds levels from the price makers aim for on `side` back to its current touch ("refill behind"). */
  private refill(side: LevelLadder): void {
    const target = side.isBid
      ? Math.min(this.fair - 1, this.asks.bestTick() - 1)
      : Math.max(this.fair, this.bids.bestTick() + 1);
    const touch = side.bestTick();
    const step = side.isBid ? -1 : 1;
    let added = 0;
    for (
      let tick = target;
      added < REFILL_LEVELS_PER_EVENT && (side.isBid ? tick > touch : tick < touch);
      tick += step
    ) {
      if (!this.isPlaceable(side, tick)) break;
      if (tick === target || this.random.chance(0.85)) {
        this.addLevel(side, tick);
        added++;
      }
    }
  }

  /** A taker on a random side, of a heavy-tailed size, eating levels from the touch. */
  private noiseTrade(params: RegimeParams): void {
    const side = this.random.chance(0.5) ? this.asks : this.bids;
    const touchTick = side.bestTick();
    const base = Math.max(1, Math.floor((this.model.touchLots * params.takerPercent) / 100));
    // Doubling a geometric number of times gives the fat tail of real taker sizes.
    const lots = this.random.scaled(base, 10, 190) * 2 ** this.random.geometric(0.6, 5);
    this.sweep(side, side.isBid ? -Infinity : Infinity, lots, MAX_SWEEP_LEVELS);
    // Price impact: a taker that cleared the touch sometimes drags the fair price a tick along
    // (less often where a tick is a large fraction of the price, as for the fair-price steps).
    if (side.bestTick() !== touchTick && this.random.chance(0.3 * Math.min(1, this.model.stepTicks))) {
      this.moveFair(side.isBid ? -1 : 1);
    }
  }

  /**
   * A taker fills up to `wantedLots` against `side` from the touch, level by level, not beyond
   * `limitTick` and `maxLevels` levels; one side is never emptied. Each fill is one or two trades
   * (a level holds several maker orders).
   */
  private sweep(side: LevelLadder, limitTick: number, wantedLots: number, maxLevels: number): void {
    const takerBuys = !side.isBid;
    let remaining = wantedLots;
    for (let levels = 0; remaining > 0 && levels < maxLevels; levels++) {
      const tick = side.bestTick();
      if (side.isBid ? tick < limitTick : tick > limitTick) return;
      const lots = side.bestLots();
      const fill = Math.min(side.count > 1 ? lots : lots - 1, remaining);
      if (fill <= 0) return;
      this.emitFills(tick, fill, takerBuys);
      this.setLevel(side, tick, lots - fill);
      remaining -= fill;
      if (fill < lots) return;
    }
  }

  private emitFills(tick: number, lots: number, takerBuys: boolean): void {
    if (lots >= 2 && this.random.chance(SPLIT_FILL_PROBABILITY)) {
      const first = this.random.int(1, lots - 1);
      this.emitTrade(tick, first, takerBuys);
      this.emitTrade(tick, lots - first, takerBuys);
    } else {
      this.emitTrade(tick, lots, takerBuys);
    }
  }

  private emitTrade(tick: number, lots: number, takerBuys: boolean): void {
    const tradeId = this.nextTradeId++;
    this.out.produced++;
    if (this.out.emitting) {
      this.out.push({
        time: this.eventTime,
        stream: this.writer.tradeStream,
        // The buyer is the maker exactly when the taker sells.
        data: this.writer.trade(Math.floor(this.eventTime / 1000), tradeId, tick, lots, !takerBuys),
      });
    }
  }

  /** Random size change, add, cancel or spread improvement, mostly near the touch. */
  private churn(): void {
    const side = this.random.chance(0.5) ? this.bids : this.asks;
    const depth = Math.min(side.count - 1, this.random.geometric(0.35, 60));
    const tick = side.tickAt(depth);
    const lots = side.lotsAt(depth);
    const action = this.random.unit();
    if (action < 0.5) {
      this.resize(side, tick, lots);
    } else if (action < 0.7) {
      const candidate = tick + (side.isBid ? -1 : 1) * this.random.int(1, 3);
      if (side.lotsAtTick(candidate) === 0 && this.isPlaceable(side, candidate)) this.addLevel(side, candidate);
      else this.resize(side, tick, lots);
    } else if (action < 0.88) {
      if (side.count > 2) this.setLevel(side, tick, 0);
    } else {
      // Improve the touch by a tick if the spread has room and it stays on the right side of fair.
      const candidate = side.bestTick() + (side.isBid ? 1 : -1);
      const inLine = side.isBid ? candidate <= this.fair - 1 : candidate >= this.fair;
      if (inLine && this.isPlaceable(side, candidate)) this.addLevel(side, candidate);
      else this.resize(side, side.bestTick(), side.bestLots());
    }
  }

  private resize(side: LevelLadder, tick: number, lots: number): void {
    let next = Math.min(this.model.maxLevelLots, this.random.scaled(lots, 40, 170));
    if (next === lots) next = lots > 1 ? lots - 1 : 2;
    this.setLevel(side, tick, next);
  }

  /** After takers widened the spread, makers step back in toward the fair price. */
  private repairSpread(): void {
    const bestBid = this.bids.bestTick();
    const bestAsk = this.asks.bestTick();
    if (bestAsk > this.fair && this.random.chance(0.35)) {
      const tick = this.fair + this.random.int(0, Math.min(2, bestAsk - 1 - this.fair));
      if (tick < bestAsk && this.isPlaceable(this.asks, tick)) this.addLevel(this.asks, tick);
    }
    if (bestBid < this.fair - 1 && this.random.chance(0.35)) {
      const tick = this.fair - 1 - this.random.int(0, Math.min(2, this.fair - 2 - bestBid));
      if (tick > bestBid && this.isPlaceable(this.bids, tick)) this.addLevel(this.bids, tick);
    }
  }

  /** Keeps `bookLevels` levels on a side: trims the far end, or extends it a few levels per event. */
  private maintainDepth(side: LevelLadder): void {
    while (side.count > this.bookLevels) this.setLevel(side, side.worstTick(), 0);
    const step = side.isBid ? -1 : 1;
    for (let n = 0; n < FAR_ADDS_PER_EVENT && side.count < this.bookLevels; n++) {
      const tick = side.worstTick() + step * this.levelGap();
      if (!this.isPlaceable(side, tick)) return;
      this.addLevel(side, tick);
    }
  }

  /** Ticks between adjacent levels: mostly 1 (tick spacing), occasionally a gap of up to MAX_LEVEL_GAP. */
  private levelGap(): number {
    return 1 + this.random.geometric(0.85, MAX_LEVEL_GAP - 1);
  }

  /** A tick where `side` may hold a level: inside the model's price range and not crossing the other side. */
  private isPlaceable(side: LevelLadder, tick: number): boolean {
    return side.isBid
      ? tick >= 1 && tick < this.asks.bestTick()
      : tick <= this.model.maxTick && tick > this.bids.bestTick();
  }

  /** Adds (or tops up) a level with a size typical of its distance from the fair price. */
  private addLevel(side: LevelLadder, tick: number): void {
    const existing = side.lotsAtTick(tick);
    this.setLevel(side, tick, Math.min(this.model.maxLevelLots, existing + this.shapeLots(side, tick)));
  }

  /** Sizes grow away from the touch, with ±50 % noise. */
  private shapeLots(side: LevelLadder, tick: number): number {
    const distance = side.isBid ? this.fair - 1 - tick : tick - this.fair;
    const growth = Math.min(100 * MAX_SIZE_GROWTH, 100 + SIZE_GROWTH_PERCENT_PER_TICK * Math.max(0, distance));
    return this.random.scaled(Math.max(1, Math.floor((this.model.touchLots * growth) / 100)), 50, 150);
  }

  /** Writes a level and records the change for the depth update, the journal and the update id. */
  private setLevel(side: LevelLadder, tick: number, lots: number): void {
    const previous = side.set(tick, lots);
    if (previous === lots) return;
    if (this.eventId === 0) {
      this.eventId = ++this.lastUpdateId;
      if (this.windowFirstId === 0) {
        this.windowFirstId = this.eventId;
        this.hasPendingDepth = true;
      }
    }
    (side.isBid ? this.changedBids : this.changedAsks).set(tick, lots);
    this.journal.record(this.eventTime, this.eventId, side.isBid ? tick : -tick, previous);
  }

  /** The book at the start: `bookLevels` levels from the fair price outward, before any event. */
  private buildInitialSide(side: LevelLadder): void {
    let tick = side.isBid ? this.fair - 1 : this.fair;
    const step = side.isBid ? -1 : 1;
    while (side.count < this.bookLevels && (side.isBid ? tick >= 1 : tick <= this.model.maxTick)) {
      side.set(tick, this.shapeLots(side, tick));
      tick += step * this.levelGap();
    }
  }
}
