import type { EpochMicros } from '../model';
import type { FrameSource, VenueFrame } from '../virtual-exchange/frame-source';
import { centsText, parseCents, Rfc3339Writer } from './alpaca-stock-text';
import { SimulatorOptionsError } from './options';
import { SimRandom } from './random';
import { nextRegime, REGIME_PARAMS, type Regime, VOLATILITY_MODES, type VolatilityMode } from './regimes';

/*
 * A seeded US stock market in Alpaca's stock stream dialect (market data v2, see
 * ../virtual-exchange/alpaca.ts and ../adapters/alpaca/): NBBO quotes, trades and trading halts of
 * a few symbols, as a FrameSource for the virtual exchange's `alpaca` dialect. Same seed and options
 * give byte-identical frames; no Math.random, no wall clock, prices integer cents.
 *
 * Stream keys "<channel>:<SYMBOL>" ("trades:AAPL", "quotes:AAPL", "statuses:AAPL"); a frame's data is
 * a JSON array of data points of that one stream (several sometimes, as Alpaca batches them).
 */

export interface SimulatedStockOptions {
  /** Ticker, upper case: "AAPL". */
  readonly symbol: string;
  /** Initial mid price, a decimal with at most two places (tick 0.01): "189.25". */
  readonly startPrice: string;
  /** Relative share of the message rate (default 1). */
  readonly activity?: number;
  /** The SIP tape: "A" NYSE, "B" NYSE Arca / other listed (CTA), "C" Nasdaq (UTP). Default "C". */
  readonly tape?: 'A' | 'B' | 'C';
}

export interface SimulatedStocksOptions {
  /** 32-bit unsigned seed (default 1). */
  readonly seed?: number;
  /** Simulated time of the first instant, epoch µs (default 2024-01-02T14:30:00Z, the regular open). */
  readonly startTime?: EpochMicros;
  /** Data frames per simulated second, all symbols and streams together (default 200). */
  readonly messagesPerSecond?: number;
  /** Default AAPL, MSFT, NVDA, SPY. */
  readonly symbols?: readonly SimulatedStockOptions[];
  /** Volatility regimes (../regimes.ts): `switching` (default) or one regime for the whole run. */
  readonly volatility?: VolatilityMode;
  /** Mean simulated seconds between trading halts (exponential waits); 0 disables halts. Default 180. */
  readonly haltEverySeconds?: number;
  /** Mean halt length in simulated seconds; each lasts uniformly 50 % to 150 % of it. Default 30. */
  readonly haltSeconds?: number;
}

/** 2024-01-02T14:30:00Z (09:30 New York, the first regular session of 2024) in epoch µs. */
export const DEFAULT_STOCKS_START_TIME: EpochMicros = Date.UTC(2024, 0, 2, 14, 30) * 1000;

export const DEFAULT_STOCKS: readonly SimulatedStockOptions[] = [
  { symbol: 'AAPL', startPrice: '185.64', activity: 2, tape: 'C' },
  { symbol: 'MSFT', startPrice: '370.87', activity: 1.5, tape: 'C' },
  { symbol: 'NVDA', startPrice: '481.68', activity: 1.5, tape: 'C' },
  { symbol: 'SPY', startPrice: '472.65', activity: 2, tape: 'B' },
];

/** SIP exchange codes (Alpaca's list): quotes and trades come from these. */
const EXCHANGES = ['V', 'P', 'K', 'Z', 'Q', 'N', 'J', 'Y', 'X', 'H', 'U', 'L'] as const;
/** Off-exchange trades are reported by the FINRA ADF / TRF: "D". */
const TRADE_EXCHANGES = [...EXCHANGES, 'D', 'D', 'D'] as const;
const SYMBOL = /^[A-Z][A-Z0-9.]{0,9}$/;
const MICROS_PER_SECOND = 1_000_000;

interface StocksConfig {
  readonly seed: number;
  readonly startTime: EpochMicros;
  readonly messagesPerSecond: number;
  readonly volatility: VolatilityMode;
  readonly haltEveryMicros: number;
  readonly haltMicros: number;
  readonly symbols: readonly StockSpec[];
}

interface StockSpec {
  readonly symbol: string;
  readonly startCents: number;
  readonly activity: number;
  readonly tape: 'A' | 'B' | 'C';
}

/** Validates options (plain data, e.g. from JSON) and fills defaults; throws SimulatorOptionsError. */
export function resolveStocksOptions(options: SimulatedStocksOptions = {}): StocksConfig {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new SimulatorOptionsError(`seed must be a 32-bit unsigned integer, got ${String(seed)}`);
  }
  const startTime = options.startTime ?? DEFAULT_STOCKS_START_TIME;
  if (!Number.isSafeInteger(startTime) || startTime < 0) {
    throw new SimulatorOptionsError(`startTime must be non-negative integer epoch µs, got ${String(startTime)}`);
  }
  const messagesPerSecond = options.messagesPerSecond ?? 200;
  if (!(messagesPerSecond > 0 && messagesPerSecond <= 1_000_000)) {
    throw new SimulatorOptionsError(`messagesPerSecond must be in (0, 1000000], got ${String(messagesPerSecond)}`);
  }
  const volatility = options.volatility ?? 'switching';
  if (!VOLATILITY_MODES.includes(volatility)) {
    throw new SimulatorOptionsError(`volatility must be one of ${VOLATILITY_MODES.join(', ')}`);
  }
  const haltEvery = options.haltEverySeconds ?? 180;
  const halt = options.haltSeconds ?? 30;
  if (!(haltEvery >= 0 && Number.isFinite(haltEvery))) {
    throw new SimulatorOptionsError(`haltEverySeconds must be ≥ 0, got ${String(haltEvery)}`);
  }
  if (!(halt > 0 && Number.isFinite(halt))) {
    throw new SimulatorOptionsError(`haltSeconds must be > 0, got ${String(halt)}`);
  }
  const symbols = (options.symbols ?? DEFAULT_STOCKS).map((s, index): StockSpec => {
    if (!SYMBOL.test(s.symbol)) throw new SimulatorOptionsError(`symbols[${index}].symbol: bad ticker "${s.symbol}"`);
    const startCents = parseCents(s.startPrice);
    if (startCents === undefined || startCents < 100 || startCents > 100_000_000) {
      throw new SimulatorOptionsError(
        `symbols[${index}].startPrice must be a decimal from 1 to 1000000 with at most 2 places, got "${s.startPrice}"`,
      );
    }
    const activity = s.activity ?? 1;
    if (!(activity > 0 && Number.isFinite(activity))) {
      throw new SimulatorOptionsError(`symbols[${index}].activity must be > 0`);
    }
    return { symbol: s.symbol, startCents, activity, tape: s.tape ?? 'C' };
  });
  if (symbols.length === 0) throw new SimulatorOptionsError('symbols must not be empty');
  if (new Set(symbols.map((s) => s.symbol)).size !== symbols.length) {
    throw new SimulatorOptionsError('symbols must not repeat');
  }
  return {
    seed,
    startTime,
    messagesPerSecond,
    volatility,
    haltEveryMicros: Math.round(haltEvery * MICROS_PER_SECOND),
    haltMicros: Math.round(halt * MICROS_PER_SECOND),
    symbols,
  };
}

/** Spread in ticks: 1 + geometric; wider in volatile markets. */
const SPREAD_CONTINUE: Readonly<Record<Regime, number>> = { calm: 0.25, normal: 0.4, volatile: 0.6 };

class StockState {
  regime: Regime;
  regimeUntil: EpochMicros;
  fair: number;
  bid = 0;
  ask = 0;
  bidLots = 0;
  askLots = 0;
  bidExchange = 'Q';
  askExchange = 'Q';
  quoted = false;
  halted = false;
  resumeAt = 0;
  tradeId: number;
  lastStep: EpochMicros;
  private readonly moveRate: number;
  readonly low: number;
  readonly high: number;
  readonly tradeStream: string;
  readonly quoteStream: string;
  readonly statusStream: string;
  readonly head: string;

  constructor(
    readonly spec: StockSpec,
    readonly random: SimRandom,
    volatility: VolatilityMode,
    start: EpochMicros,
  ) {
    this.regime = volatility === 'switching' ? 'normal' : volatility;
    this.regimeUntil =
      volatility === 'switching'
        ? start + Math.round(random.exponential(REGIME_PARAMS.normal.meanDurationSeconds * MICROS_PER_SECOND))
        : Number.MAX_SAFE_INTEGER;
    this.fair = spec.startCents;
    this.low = Math.max(1, Math.floor(spec.startCents / 10));
    this.high = spec.startCents * 10;
    this.tradeId = random.int(1, 9_999);
    this.lastStep = start;
    this.moveRate = 8 * Math.max(0.25, spec.startCents / 20_000);
    this.tradeStream = `trades:${spec.symbol}`;
    this.quoteStream = `quotes:${spec.symbol}`;
    this.statusStream = `statuses:${spec.symbol}`;
    this.head = `"S":"${spec.symbol}"`;
    this.requote();
  }

  /**
   * Moves the fair price for the simulated time since the last step (so volatility does not depend
   * on the message rate), then redraws the NBBO around it. Moves arrive at the regime's rate,
   * about driftProbability × 8 per second on a $200 stock (more on dearer ones: the tick is a
   * smaller step there), each 1 + exponential(stepMultiplier / 2) ticks.
   */
  step(time: EpochMicros): void {
    const params = REGIME_PARAMS[this.regime];
    const r = this.random;
    const seconds = (time - this.lastStep) / MICROS_PER_SECOND;
    this.lastStep = time;
    if (r.chance(Math.min(1, params.driftProbability * this.moveRate * seconds))) {
      const ticks = Math.min(10, 1 + Math.floor(r.exponential(params.stepMultiplier / 2)));
      let next = this.fair + (r.chance(0.5) ? ticks : -ticks);
      if (next < this.low) next = 2 * this.low - next;
      if (next > this.high) next = 2 * this.high - next;
      this.fair = next;
    }
    this.requote();
  }

  private requote(): void {
    const r = this.random;
    const spread = 1 + r.geometric(1 - SPREAD_CONTINUE[this.regime], 7);
    this.bid = Math.max(1, this.fair - Math.floor(spread / 2));
    this.ask = this.bid + spread;
    this.bidLots = 1 + r.geometric(0.3, 30);
    this.askLots = 1 + r.geometric(0.3, 30);
    this.bidExchange = pick(r, EXCHANGES);
    this.askExchange = pick(r, EXCHANGES);
  }

  /** Advances the regime chain to `time`. */
  regimeAt(time: EpochMicros): void {
    while (time >= this.regimeUntil) {
      this.regime = nextRegime(this.regime, this.random);
      this.regimeUntil += Math.max(
        1,
        Math.round(this.random.exponential(REGIME_PARAMS[this.regime].meanDurationSeconds * MICROS_PER_SECOND)),
      );
    }
  }
}

function pick<T>(random: SimRandom, items: readonly T[]): T {
  const item = items[random.int(0, items.length - 1)];
  if (item === undefined) throw new RangeError('empty list');
  return item;
}

/** Halt and resume status texts per tape: UTP (Nasdaq, tape C) and CTA (tapes A and B). */
const HALTS: Readonly<Record<'cta' | 'utp', readonly (readonly [string, string, string, string])[]>> = {
  utp: [
    ['H', 'Trading Halt', 'T1', 'Halt News Pending'],
    ['H', 'Trading Halt', 'T12', 'Trading Halted; For information requested by NASDAQ'],
    ['P', 'Volatility Trading Pause', 'LUDP', 'Volatility Trading Pause'],
  ],
  cta: [
    ['2', 'Trading Halt', 'M', 'Limit Up-Limit Down (LULD) Trading Pause'],
    ['2', 'Trading Halt', 'D', 'News Released'],
  ],
};
const RESUME: Readonly<Record<'cta' | 'utp', readonly [string, string]>> = {
  utp: ['T', 'Trading Resumption'],
  cta: ['3', 'Resume'],
};

/** One pass over the simulated market: a deterministic event loop that yields frames in time order. */
class StocksRun {
  private readonly global: SimRandom;
  private readonly stocks: StockState[];
  private readonly times = new Rfc3339Writer();
  private readonly queue: VenueFrame[] = [];
  private clock: EpochMicros;
  private nextHalt: EpochMicros;
  private readonly meanGap: number;

  constructor(private readonly config: StocksConfig) {
    const streams = SimRandom.streams(config.seed, config.symbols.length + 1);
    const global = streams[0];
    if (global === undefined) throw new RangeError('no random stream');
    this.global = global;
    this.stocks = config.symbols.map((spec, i) => {
      const random = streams[i + 1];
      if (random === undefined) throw new RangeError('no random stream');
      return new StockState(spec, random, config.volatility, config.startTime);
    });
    this.clock = config.startTime;
    this.meanGap = MICROS_PER_SECOND / config.messagesPerSecond;
    this.nextHalt =
      config.haltEveryMicros > 0
        ? config.startTime + Math.max(1, Math.round(this.global.exponential(config.haltEveryMicros)))
        : Number.MAX_SAFE_INTEGER;
  }

  next(): VenueFrame {
    for (;;) {
      const frame = this.queue.shift();
      if (frame !== undefined) return frame;
      this.advance();
    }
  }

  private advance(): void {
    const gap = Math.max(1, Math.round(this.global.exponential(this.meanGap)));
    const eventTime = this.clock + gap;
    let resume: StockState | undefined;
    for (const stock of this.stocks) {
      if (stock.halted && (resume === undefined || stock.resumeAt < resume.resumeAt)) resume = stock;
    }
    if (resume !== undefined && resume.resumeAt <= eventTime && resume.resumeAt <= this.nextHalt) {
      this.clock = Math.max(this.clock, resume.resumeAt);
      this.resume(resume);
      return;
    }
    if (this.nextHalt <= eventTime) {
      this.clock = Math.max(this.clock, this.nextHalt);
      this.nextHalt = this.clock + Math.max(1, Math.round(this.global.exponential(this.config.haltEveryMicros)));
      this.halt();
      return;
    }
    this.clock = eventTime;
    this.marketEvent();
  }

  /** Halts a symbol that is trading (if any), for 50-150 % of the mean halt length. */
  private halt(): void {
    const trading = this.stocks.filter((s) => !s.halted);
    if (trading.length === 0) return;
    const stock = pick(this.global, trading);
    const protocol = stock.spec.tape === 'C' ? 'utp' : 'cta';
    const [sc, sm, rc, rm] = pick(this.global, HALTS[protocol]);
    stock.halted = true;
    const length = Math.max(1, Math.round((this.config.haltMicros * this.global.int(50, 150)) / 100));
    stock.resumeAt = this.clock + length;
    this.status(stock, sc, sm, rc, rm);
  }

  /** Resumes trading: the status, then a fresh quote just after it. */
  private resume(stock: StockState): void {
    const [sc, sm] = RESUME[stock.spec.tape === 'C' ? 'utp' : 'cta'];
    stock.halted = false;
    stock.resumeAt = 0;
    this.status(stock, sc, sm, '', '');
    stock.regimeAt(this.clock);
    stock.step(this.clock);
    this.clock += 1;
    this.quotes(stock, 1);
  }

  private status(stock: StockState, sc: string, sm: string, rc: string, rm: string): void {
    const t = this.times.write(this.clock, 0);
    // Statuses carry the same fixed-key layout as Alpaca's example (STATUS_HALT_AAPL).
    const data =
      `[{"T":"s",${stock.head},"sc":"${sc}","sm":"${sm}","rc":"${rc}","rm":"${rm}",` +
      `"t":"${t}","z":"${stock.spec.tape}"}]`;
    this.queue.push({ time: this.clock, stream: stock.statusStream, data });
  }

  /** One data frame of one trading symbol, picked by activity × regime. */
  private marketEvent(): void {
    let total = 0;
    for (const stock of this.stocks) {
      if (!stock.halted) {
        stock.regimeAt(this.clock);
        total += stock.spec.activity * REGIME_PARAMS[stock.regime].activity;
      }
    }
    if (total === 0) return;
    let u = this.global.unit() * total;
    let chosen: StockState | undefined;
    for (const stock of this.stocks) {
      if (stock.halted) continue;
      chosen = stock;
      u -= stock.spec.activity * REGIME_PARAMS[stock.regime].activity;
      if (u < 0) break;
    }
    if (chosen === undefined) return;
    const r = chosen.random;
    const tradeShare = 0.2 + REGIME_PARAMS[chosen.regime].tradeProbability;
    if (chosen.quoted && r.chance(tradeShare)) this.trades(chosen, 1 + r.geometric(0.6, 4));
    else this.quotes(chosen, 1 + r.geometric(0.7, 3), true);
  }

  /** `count` quotes in one frame, each after a step of the price model. */
  private quotes(stock: StockState, count: number, step = false): void {
    const nanos = this.nanos(stock.random, count);
    let data = '[';
    for (let i = 0; i < count; i++) {
      if (step) stock.step(this.clock);
      if (i > 0) data += ',';
      data +=
        `{"T":"q",${stock.head},"bx":"${stock.bidExchange}","bp":${centsText(stock.bid)},"bs":${stock.bidLots},` +
        `"ax":"${stock.askExchange}","ap":${centsText(stock.ask)},"as":${stock.askLots},"c":["R"],` +
        `"z":"${stock.spec.tape}","t":"${this.times.write(this.clock, nanos[i] ?? 0)}"}`;
    }
    stock.quoted = true;
    this.queue.push({ time: this.clock, stream: stock.quoteStream, data: `${data}]` });
  }

  /** `count` trades in one frame, at or inside the current NBBO. */
  private trades(stock: StockState, count: number): void {
    const r = stock.random;
    const nanos = this.nanos(r, count);
    let data = '[';
    for (let i = 0; i < count; i++) {
      const spread = stock.ask - stock.bid;
      // Mostly at the touch (a marketable order), sometimes inside (midpoint or price improvement).
      const price = r.chance(0.8) ? (r.chance(0.5) ? stock.bid : stock.ask) : stock.bid + r.int(0, spread);
      const oddLot = r.chance(0.4);
      const size = oddLot ? r.int(1, 99) : 100 * (1 + r.geometric(0.45, 50));
      const conditions = oddLot ? '["@","I"]' : r.chance(0.1) ? '["@","F"]' : '["@"]';
      if (i > 0) data += ',';
      data +=
        `{"T":"t",${stock.head},"i":${++stock.tradeId},"x":"${pick(r, TRADE_EXCHANGES)}","p":${centsText(price)},` +
        `"s":${size},"c":${conditions},"z":"${stock.spec.tape}","t":"${this.times.write(this.clock, nanos[i] ?? 0)}"}`;
    }
    this.queue.push({ time: this.clock, stream: stock.tradeStream, data: `${data}]` });
  }

  /** Increasing nanosecond offsets within the event's microsecond, one per data point. */
  private nanos(random: SimRandom, count: number): number[] {
    const out: number[] = [];
    let n = random.int(0, 999 - count * 10);
    for (let i = 0; i < count; i++) {
      out.push(n);
      n += random.int(1, 10);
    }
    return out;
  }
}

/**
 * Simulated US stocks as Alpaca's stock stream for the virtual exchange (`alpacaDialect()`).
 * Never ends; `frames()` starts a new, identical pass each call.
 */
export class SimulatedStocks implements FrameSource {
  readonly venue = 'alpaca';
  readonly symbols: readonly string[];

  constructor(private readonly config: StocksConfig) {
    this.symbols = config.symbols.map((s) => s.symbol);
  }

  frames(): AsyncIterable<VenueFrame> {
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<VenueFrame> => {
        const frames = this.framesSync();
        return {
          next: () => Promise.resolve(frames.next()),
          return: () => Promise.resolve(frames.return(undefined)),
        };
      },
    };
  }

  /** The same frames synchronously (tests, benchmarks). */
  *framesSync(): Generator<VenueFrame, undefined> {
    const run = new StocksRun(this.config);
    for (;;) yield run.next();
  }
}

/** A simulated Alpaca stock venue; throws SimulatorOptionsError for bad options. */
export function createSimulatedStocks(options: SimulatedStocksOptions = {}): SimulatedStocks {
  return new SimulatedStocks(resolveStocksOptions(options));
}
