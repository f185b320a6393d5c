import type { EpochMicros } from '../model';
import type { FrameSource, VenueFrame, VenueHttpResponse } from '../virtual-exchange/frame-source';
import { BinanceFrameWriter } from './binance-frames';
import { type BinanceRestBackend, handleBinanceRest } from './binance-rest';
import { depthAt, type DepthView } from './depth-view';
import { MarketSimulation } from './market-simulation';
import type { SimulatedVenueOptions, SimulatorConfig, SymbolSpec } from './options';
import { resolveSimulatorOptions } from './resolve-options';
import { deriveSymbolModel, type SymbolModel } from './symbol-model';

/**
 * How far REST may move the live pass ahead of its reader. Answering at `now` generates everything
 * up to `now`, and the live pass keeps those frames queued for its reader; further ahead than
 * this, a separate run answers instead so the queue cannot grow without bound.
 */
const MAX_LIVE_ADVANCE_MICROS = 60_000_000;

/**
 * REST refuses a `now` further than this beyond everything generated so far: answering would mean
 * generating all of it first, and a clock that far ahead of the series is a caller's bug.
 */
const MAX_AHEAD_MICROS = 60_000_000;

/** Binance's answer when it cannot serve a request right now. */
const UNAVAILABLE: VenueHttpResponse = {
  status: 503,
  body: '{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}',
  contentType: 'application/json;charset=UTF-8',
};

class TooFarAheadError extends Error {}

/**
 * The simulated venue as a FrameSource: Binance spot streams and REST from a seeded market model.
 *
 * REST at time T answers with the book after every event at or before T, so that a Binance
 * client's sync (snapshot, then depth updates with u > lastUpdateId) is exact. `frames()` is lazy,
 * so T may lie on either side of what the live pass has generated:
 * - T at or after the live pass's position: the live pass is advanced to T (its frames wait in
 *   its queue for the reader), then answers from its state.
 * - T slightly before it (the reader took a frame whose time has not come yet): the live state
 *   with the journaled changes after T undone (2 s of simulated history is kept).
 * - No live pass, T older than the journal, or T more than a minute ahead of the live pass: a
 *   second, non-emitting run of the same seed is advanced to T (regenerated from the start when
 *   T lies behind it). Same seed, same events, so the same answer; it only costs generation time.
 * - T more than a minute beyond everything generated so far: refused with Binance's 503 -1001
 *   rather than generating an unbounded stretch of market first.
 */
export class SimulatedVenue implements FrameSource, BinanceRestBackend {
  readonly venue = 'binance';
  readonly symbols: readonly SymbolSpec[];
  private readonly indexes: ReadonlyMap<string, number>;
  private readonly models: readonly SymbolModel[];
  private readonly writers: readonly BinanceFrameWriter[];
  private live: MarketSimulation | undefined;
  private restRun: MarketSimulation | undefined;
  /** Furthest time any pass of this venue has generated. */
  private generatedUntil: EpochMicros;

  constructor(readonly config: SimulatorConfig) {
    this.symbols = config.symbols;
    this.indexes = new Map(config.symbols.map((spec) => [spec.symbol, spec.index]));
    this.models = config.symbols.map((spec) => deriveSymbolModel(spec, config.bookLevels));
    this.writers = config.symbols.map((spec) => new BinanceFrameWriter(spec));
    this.generatedUntil = config.startTime;
  }

  /** A new pass from the start; the newest pass is the live one REST answers from. */
  frames(): AsyncIterable<VenueFrame> {
    return {
      // A plain iterator over framesSync(): an async generator would add a second promise per frame.
      [Symbol.asyncIterator]: (): AsyncIterator<VenueFrame> => {
        const frames = this.framesSync();
        return {
          next: () => Promise.resolve(frames.next()),
          return: () => Promise.resolve(frames.return(undefined)),
        };
      },
    };
  }

  /** The same frames synchronously: for benchmarks and tests, which need no event loop turn per frame. */
  *framesSync(): Generator<VenueFrame, undefined> {
    const run = new MarketSimulation(this.config, true);
    this.live = run;
    try {
      for (;;) {
        let frame = run.out.take();
        while (frame === undefined) {
          run.step();
          frame = run.out.take();
        }
        yield frame;
      }
    } finally {
      this.generatedUntil = Math.max(this.generatedUntil, run.processedTime);
      if (this.live === run) this.live = undefined;
    }
  }

  http(url: URL, now: EpochMicros): VenueHttpResponse | undefined {
    if (!Number.isSafeInteger(now)) throw new RangeError(`now must be integer epoch microseconds, got ${now}`);
    try {
      return handleBinanceRest(url, now, this);
    } catch (error) {
      if (error instanceof TooFarAheadError) return UNAVAILABLE;
      throw error;
    }
  }

  symbolIndex(symbol: string): number | undefined {
    return this.indexes.get(symbol);
  }

  writer(index: number): BinanceFrameWriter {
    const writer = this.writers[index];
    if (writer === undefined) throw new RangeError(`no symbol ${index}`);
    return writer;
  }

  model(index: number): SymbolModel {
    const model = this.models[index];
    if (model === undefined) throw new RangeError(`no symbol ${index}`);
    return model;
  }

  depth(index: number, limit: number, now: EpochMicros): DepthView {
    return depthAt(this.runAt(index, now).market(index), limit, now);
  }

  /** A run whose book of symbol `index` can be read as of `now` (see the class comment). */
  private runAt(index: number, now: EpochMicros): MarketSimulation {
    const live = this.live;
    const generated = Math.max(this.generatedUntil, live?.processedTime ?? 0, this.restRun?.processedTime ?? 0);
    if (now - generated > MAX_AHEAD_MICROS) throw new TooFarAheadError();
    if (live !== undefined) {
      if (now >= live.processedTime && now - live.processedTime <= MAX_LIVE_ADVANCE_MICROS) {
        live.advanceTo(now);
        return live;
      }
      if (now < live.processedTime && live.market(index).journal.canRollBackTo(now)) return live;
    }
    let run = this.restRun;
    if (run === undefined || (now < run.processedTime && !run.market(index).journal.canRollBackTo(now))) {
      run = new MarketSimulation(this.config, false);
      this.restRun = run;
    }
    if (now >= run.processedTime) run.advanceTo(now);
    return run;
  }
}

/** A simulated Binance spot venue for the virtual exchange; throws SimulatorOptionsError for bad options. */
export function createSimulatedVenue(options: SimulatedVenueOptions = {}): SimulatedVenue {
  return new SimulatedVenue(resolveSimulatorOptions(options));
}
