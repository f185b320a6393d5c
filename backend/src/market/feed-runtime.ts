import {
  AlpacaAdapter,
  AlpacaCredentials,
  BinanceAdapter,
  BitfinexAdapter,
  CoinbaseAdapter,
  createAdapter,
  defineInstrument,
  type FeedSource,
  type Instrument,
  KrakenAdapter,
  type MarketEvent,
  type NormalizedSymbol,
  OkxAdapter,
  type VenueAdapter,
} from '@tickwire/feeds';
import {
  ALPACA_DEFAULT_KEY,
  ALPACA_DEFAULT_SECRET,
  alpacaDialect,
  binanceDialect,
  createSimulatedStocks,
  createSimulatedVenue,
  createVirtualExchange,
  DIALECTS,
  openRecordingEntries,
  recordingFrameSource,
  UpstreamPool,
  type VirtualExchange,
} from '@tickwire/feeds/node';
import type {
  FeedConfig,
  LiveFeedConfig,
  ReplayFeedConfig,
  SimulatedFeedConfig,
} from '../config/gateway-config.schema';

/** One configured feed, running: its adapter, its upstream connections and (for demos and replays) its loopback venue. */
export interface RunningFeed {
  /** The venue part of instrument keys (`simulated:BTC-USDT`, `kraken:BTC-USD`). */
  readonly id: string;
  readonly source: FeedSource;
  readonly adapter: VenueAdapter;
  readonly pool: UpstreamPool;
  readonly symbols: readonly NormalizedSymbol[];
  /** Streaming from start-up whatever clients want; the others open on demand. */
  readonly pinned: readonly NormalizedSymbol[];
  /** Replays close candles by trade time; live and simulated feeds by the clock too. */
  readonly clockDriven: boolean;
  close(): Promise<void>;
}

export interface FeedRuntimeContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onEvent: (feedId: string, event: MarketEvent) => void;
  /** Epoch µs; the simulated venue starts its market at this time so its timestamps look live. */
  readonly now: () => number;
}

export async function startFeed(config: FeedConfig, context: FeedRuntimeContext): Promise<RunningFeed> {
  switch (config.kind) {
    case 'live':
      return startLive(config, context);
    case 'simulated':
      return config.protocol === 'alpaca'
        ? startSimulatedStocks(config, context)
        : startSimulatedCrypto(config, context);
    case 'replay':
      return startReplay(config, context);
  }
}

function poolFor(id: string, adapter: VenueAdapter, context: FeedRuntimeContext): UpstreamPool {
  return new UpstreamPool({
    adapter,
    onEvent: (event) => {
      context.onEvent(id, event);
    },
  });
}

function startLive(config: LiveFeedConfig, context: FeedRuntimeContext): RunningFeed {
  const adapter = createAdapter(
    config.venue as Parameters<typeof createAdapter>[0],
    {
      ...(config.ws === undefined ? {} : { ws: config.ws }),
      ...(config.rest === undefined ? {} : { rest: config.rest }),
    },
    context.env,
  );
  const pool = poolFor(config.venue, adapter, context);
  return {
    id: config.venue,
    source: 'live',
    adapter,
    pool,
    symbols: config.symbols,
    pinned: config.pinned,
    clockDriven: true,
    close: () => pool.stop(),
  };
}

async function startSimulatedCrypto(config: SimulatedFeedConfig, context: FeedRuntimeContext): Promise<RunningFeed> {
  const source = createSimulatedVenue({
    seed: config.seed,
    messagesPerSecond: config.messagesPerSecond,
    generatedSymbols: config.generatedSymbols,
    startTime: context.now(),
  });
  const exchange = await createVirtualExchange({
    dialect: binanceDialect({ market: 'spot' }),
    source,
    startOn: 'manual',
  });
  exchange.start();
  const instruments: Instrument[] = source.symbols.map((spec) =>
    defineInstrument({
      venue: 'simulated',
      venueSymbol: spec.symbol,
      base: spec.baseAsset,
      quote: spec.quoteAsset,
      kind: 'spot',
      tickSize: spec.tickSize,
      lotSize: spec.lotSize,
    }),
  );
  const adapter = new BinanceAdapter({
    venue: 'binance',
    wsBase: exchange.url(''),
    restBase: exchange.httpUrl('/api/v3'),
    instruments,
  });
  const pool = poolFor('simulated', adapter, context);
  const symbols = instruments.map((instrument) => instrument.symbol);
  return {
    id: 'simulated',
    source: 'simulated',
    adapter,
    pool,
    symbols,
    pinned: config.pinned ? symbols : [],
    clockDriven: true,
    close: async () => {
      await pool.stop();
      await exchange.close();
    },
  };
}

async function startSimulatedStocks(config: SimulatedFeedConfig, context: FeedRuntimeContext): Promise<RunningFeed> {
  const source = createSimulatedStocks({
    seed: config.seed,
    messagesPerSecond: config.messagesPerSecond,
    startTime: context.now(),
  });
  const exchange = await createVirtualExchange({ dialect: alpacaDialect(), source, startOn: 'manual' });
  exchange.start();
  const adapter = new AlpacaAdapter({
    credentials: new AlpacaCredentials(ALPACA_DEFAULT_KEY, ALPACA_DEFAULT_SECRET),
    wsBase: exchange.url(''),
  });
  const pool = poolFor('alpaca', adapter, context);
  const symbols = source.symbols.map((ticker) => `${ticker}-USD`);
  return {
    id: 'alpaca',
    source: 'simulated',
    adapter,
    pool,
    symbols,
    pinned: config.pinned ? symbols : [],
    clockDriven: true,
    close: async () => {
      await pool.stop();
      await exchange.close();
    },
  };
}

/** The adapter that speaks what a recording of `venue` holds (the captures are Kraken v1 and Coinbase Exchange). */
function replayAdapter(venue: ReplayFeedConfig['venue'], exchange: VirtualExchange): VenueAdapter {
  const ws = exchange.url('/');
  switch (venue) {
    case 'binance':
      return new BinanceAdapter({ venue: 'binance', wsBase: exchange.url(''), restBase: exchange.httpUrl('/api/v3') });
    case 'binance-usdm':
      return new BinanceAdapter({
        venue: 'binance-usdm',
        wsBase: exchange.url(''),
        restBase: exchange.httpUrl('/fapi/v1'),
      });
    case 'kraken':
      return new KrakenAdapter({ version: 'v1', bookDepth: 1000, wsUrl: ws });
    case 'okx':
      return new OkxAdapter({ wsUrl: ws, restBase: exchange.httpUrl('') });
    case 'coinbase':
      return new CoinbaseAdapter({ feed: 'exchange', wsUrl: ws });
    case 'bitfinex':
      return new BitfinexAdapter({ wsUrl: ws });
  }
}

async function startReplay(config: ReplayFeedConfig, context: FeedRuntimeContext): Promise<RunningFeed> {
  const makeDialect = DIALECTS[config.venue];
  if (makeDialect === undefined) throw new Error(`no virtual-exchange dialect for ${config.venue}`);
  const dialect = makeDialect();
  const source = await recordingFrameSource(dialect, await openRecordingEntries(config.file));
  const exchange = await createVirtualExchange({ dialect, source, speed: config.speed, startOn: 'subscription' });
  const adapter = replayAdapter(config.venue, exchange);
  const pool = poolFor(config.venue, adapter, context);
  return {
    id: config.venue,
    source: 'replay',
    adapter,
    pool,
    symbols: config.symbols,
    pinned: config.pinned ? config.symbols : [],
    clockDriven: false,
    close: async () => {
      await pool.stop();
      await exchange.close();
    },
  };
}
