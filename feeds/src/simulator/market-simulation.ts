import type { EpochMicros } from '../model';
import { EventHeap } from './event-heap';
import { FrameQueue } from './frame-queue';
import type { SimulatorConfig } from './options';
import { SimRandom } from './random';
import { RateController } from './rate-controller';
import { deriveSymbolModel } from './symbol-model';
import { SymbolMarket } from './symbol-market';

/** Binance's @depth@100ms windows. */
export const DEPTH_INTERVAL_MICROS = 100_000;
/**
 * How far back REST can see the book without regenerating the run (see ChangeJournal). The
 * virtual exchange only needs the last few events (the frame it pulled ahead of its clock); the
 * journal costs 32 bytes per level change, about 100 kB per second at 1000 msgs/s.
 */
export const JOURNAL_MICROS = 2_000_000;

/**
 * One deterministic run of the simulated venue on its own clock. It interleaves each symbol's
 * next event (a Poisson process whose intensity the rate controller sets) with the depth updates
 * every 100 ms, in time order; frames go to `out`. Everything random comes from the seed, and
 * nothing reads the wall clock: pacing is the virtual exchange's job.
 */
export class MarketSimulation {
  readonly out: FrameQueue;
  readonly markets: readonly SymbolMarket[];
  /** Time of the last processed event or depth update: the markets are as of this instant. */
  processedTime: EpochMicros;
  private readonly randoms: readonly SimRandom[];
  private readonly heap: EventHeap;
  private readonly controller: RateController;
  /** Current intensity of every symbol and their sum, which the event rate is shared by. */
  private readonly intensities: Float64Array;
  private totalIntensity: number;
  private nextFlush: EpochMicros;
  private readonly flushList: SymbolMarket[] = [];
  private readonly queued: Uint8Array;
  private producedAtLastFlush = 0;
  private eventsSinceFlush = 0;

  constructor(
    readonly config: SimulatorConfig,
    emitting: boolean,
  ) {
    this.out = new FrameQueue(emitting);
    // Stream 0 generated the symbol settings; symbol i draws from stream i + 1.
    this.randoms = SimRandom.streams(config.seed, config.symbols.length + 1).slice(1);
    this.markets = config.symbols.map(
      (spec, i) =>
        new SymbolMarket(
          spec,
          deriveSymbolModel(spec, config.bookLevels),
          this.random(i),
          config.bookLevels,
          config.volatility,
          config.startTime,
          this.out,
        ),
    );
    this.queued = new Uint8Array(this.markets.length);
    this.intensities = Float64Array.from(this.markets, (market) => market.intensity);
    this.totalIntensity = this.intensities.reduce((sum, intensity) => sum + intensity, 0);
    this.controller = new RateController(config.messagesPerSecond, DEPTH_INTERVAL_MICROS / 1_000_000);
    this.processedTime = config.startTime;
    this.nextFlush = (Math.floor(config.startTime / DEPTH_INTERVAL_MICROS) + 1) * DEPTH_INTERVAL_MICROS;
    this.heap = new EventHeap(this.markets.map((_, i) => config.startTime + this.interArrival(i)));
  }

  /** Time of the next event or depth update. */
  get nextTime(): EpochMicros {
    return Math.min(this.heap.topTime, this.nextFlush);
  }

  /** Processes the next event or depth update. A depth update at time T goes before events at T. */
  step(): void {
    const eventTime = this.heap.topTime;
    if (this.nextFlush <= eventTime) {
      this.flush(this.nextFlush);
      return;
    }
    const index = this.heap.topId;
    const market = this.market(index);
    market.runEvent(eventTime);
    this.eventsSinceFlush++;
    const intensity = market.intensity;
    if (intensity !== this.intensities[index]) {
      // A regime switch: the symbol's share changes, the total rate stays as configured.
      this.totalIntensity += intensity - (this.intensities[index] as number);
      this.intensities[index] = intensity;
    }
    if (market.hasPendingDepth && this.queued[index] === 0) {
      this.queued[index] = 1;
      this.flushList.push(market);
    }
    this.heap.replaceTop(eventTime + this.interArrival(index));
    this.processedTime = eventTime;
  }

  /** Processes everything scheduled at or before `time`; the markets are then as of `time`. */
  advanceTo(time: EpochMicros): void {
    while (this.nextTime <= time) this.step();
  }

  market(index: number): SymbolMarket {
    const market = this.markets[index];
    if (market === undefined) throw new RangeError(`no symbol ${index}`);
    return market;
  }

  private random(index: number): SimRandom {
    const random = this.randoms[index];
    if (random === undefined) throw new RangeError(`no random stream for symbol ${index}`);
    return random;
  }

  /** Exponential gap to the symbol's next event, in whole microseconds (at least 1). */
  private interArrival(index: number): number {
    const rate = (this.controller.eventsPerSecond * (this.intensities[index] as number)) / this.totalIntensity;
    return Math.max(1, Math.round(this.random(index).exponential(1_000_000 / rate)));
  }

  private flush(time: EpochMicros): void {
    for (const market of this.flushList) {
      market.flushDepth(time);
      market.journal.prune(time - JOURNAL_MICROS);
      this.queued[market.spec.index] = 0;
    }
    this.flushList.length = 0;
    this.processedTime = time;
    this.nextFlush = time + DEPTH_INTERVAL_MICROS;
    // The rate is steered every depth interval (see RateController).
    const produced = this.out.produced - this.producedAtLastFlush;
    this.controller.update(produced, this.eventsSinceFlush, DEPTH_INTERVAL_MICROS / 1_000_000);
    this.producedAtLastFlush = this.out.produced;
    this.eventsSinceFlush = 0;
  }
}
