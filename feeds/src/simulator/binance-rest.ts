import type { EpochMicros } from '../model';
import type { VenueHttpResponse } from '../virtual-exchange/frame-source';
import type { BinanceFrameWriter } from './binance-frames';
import type { DepthView } from './depth-view';
import { formatUnits8 } from './fixed8';
import type { SymbolSpec } from './options';
import type { SymbolModel } from './symbol-model';

/** What the REST endpoints need from the venue. */
export interface BinanceRestBackend {
  readonly symbols: readonly SymbolSpec[];
  symbolIndex(symbol: string): number | undefined;
  writer(index: number): BinanceFrameWriter;
  model(index: number): SymbolModel;
  /** Up to `limit` levels per side of a symbol's book as of `now`. */
  depth(index: number, limit: number, now: EpochMicros): DepthView;
}

const JSON_CONTENT = 'application/json;charset=UTF-8';
const DEFAULT_DEPTH_LIMIT = 100;
const MAX_DEPTH_LIMIT = 5000;
/** Binance's parameter pattern for symbols, quoted in its -1100 message. */
const SYMBOL_PARAMETER = /^[A-Z0-9-_.]{1,20}$/;
const SYMBOLS_PARAMETER = /^\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}")*)?\]$/;
const DIGITS = /^[0-9]{1,20}$/;

class BinanceError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function json(body: string, status = 200): VenueHttpResponse {
  return { status, body, contentType: JSON_CONTENT };
}

/**
 * Binance spot REST as the simulated venue serves it: GET /api/v3/depth, /api/v3/exchangeInfo
 * (a subset: status, assets, PRICE_FILTER and LOT_SIZE), /api/v3/ping and /api/v3/time. Errors
 * are Binance's: HTTP 400 with {"code":-11xx,"msg":...}. Unknown paths return undefined (the
 * virtual exchange answers 404).
 */
export function handleBinanceRest(
  url: URL,
  now: EpochMicros,
  backend: BinanceRestBackend,
): VenueHttpResponse | undefined {
  try {
    switch (url.pathname) {
      case '/api/v3/depth':
        return json(depth(url.searchParams, now, backend));
      case '/api/v3/exchangeInfo':
        return json(exchangeInfo(url.searchParams, now, backend));
      case '/api/v3/ping':
        checkParameters(url.searchParams, []);
        return json('{}');
      case '/api/v3/time':
        checkParameters(url.searchParams, []);
        return json(`{"serverTime":${Math.floor(now / 1000)}}`);
      default:
        return undefined;
    }
  } catch (error) {
    if (error instanceof BinanceError) return json(JSON.stringify({ code: error.code, msg: error.message }), 400);
    throw error;
  }
}

/** Binance's checks common to every endpoint: no repeated and no unexpected parameters. */
function checkParameters(params: URLSearchParams, known: readonly string[]): void {
  const names = [...params.keys()];
  if (new Set(names).size !== names.length) throw new BinanceError(-1101, 'Duplicate values for a parameter detected.');
  const read = names.filter((name) => known.includes(name)).length;
  if (read !== names.length) {
    throw new BinanceError(
      -1104,
      `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${names.length}'.`,
    );
  }
}

function symbolParameter(params: URLSearchParams, backend: BinanceRestBackend): number {
  const symbol = params.get('symbol');
  if (symbol === null || symbol === '') {
    throw new BinanceError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  }
  return knownSymbol(symbol, backend);
}

function knownSymbol(symbol: string, backend: BinanceRestBackend): number {
  if (!SYMBOL_PARAMETER.test(symbol)) {
    throw new BinanceError(
      -1100,
      "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'.",
    );
  }
  const index = backend.symbolIndex(symbol);
  if (index === undefined) throw new BinanceError(-1121, 'Invalid symbol.');
  return index;
}

/**
 * Limit 1 to 5000 (default 100); above 5000 the answer is truncated to 5000, as Binance documents.
 * Binance documents no answer for 0; the simulator rejects it like other out-of-range text.
 */
function limitParameter(params: URLSearchParams): number {
  const text = params.get('limit');
  if (text === null) return DEFAULT_DEPTH_LIMIT;
  if (text === '') throw new BinanceError(-1105, "Parameter 'limit' was empty.");
  if (!DIGITS.test(text)) {
    throw new BinanceError(-1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.");
  }
  const limit = Number(text);
  if (limit < 1)
    throw new BinanceError(-1100, "Illegal characters found in parameter 'limit'; legal range is '1 - 5000'.");
  return Math.min(limit, MAX_DEPTH_LIMIT);
}

function depth(params: URLSearchParams, now: EpochMicros, backend: BinanceRestBackend): string {
  checkParameters(params, ['symbol', 'limit']);
  const index = symbolParameter(params, backend);
  const limit = limitParameter(params);
  const view = backend.depth(index, limit, now);
  const writer = backend.writer(index);
  const bids = writer.orderedLevels(view.bidTicks, view.bidLots);
  const asks = writer.orderedLevels(view.askTicks, view.askLots);
  return `{"lastUpdateId":${view.lastUpdateId},"bids":${bids},"asks":${asks}}`;
}

function exchangeInfo(params: URLSearchParams, now: EpochMicros, backend: BinanceRestBackend): string {
  checkParameters(params, ['symbol', 'symbols']);
  const symbol = params.get('symbol');
  const symbols = params.get('symbols');
  let indexes: number[];
  if (symbol !== null && symbols !== null) {
    throw new BinanceError(-1128, 'Combination of optional parameters invalid.');
  } else if (symbol !== null) {
    indexes = [knownSymbol(symbol, backend)];
  } else if (symbols !== null) {
    if (!SYMBOLS_PARAMETER.test(symbols)) {
      throw new BinanceError(
        -1100,
        `Illegal characters found in parameter 'symbols'; legal range is '${SYMBOLS_PARAMETER.source}'.`,
      );
    }
    indexes = (JSON.parse(symbols) as string[]).map((name) => knownSymbol(name, backend));
  } else {
    indexes = backend.symbols.map((spec) => spec.index);
  }
  return JSON.stringify({
    timezone: 'UTC',
    serverTime: Math.floor(now / 1000),
    rateLimits: [],
    exchangeFilters: [],
    symbols: indexes.map((index) => symbolInfo(index, backend)),
  });
}

function symbolInfo(index: number, backend: BinanceRestBackend): object {
  const spec = backend.symbols[index];
  if (spec === undefined) throw new RangeError(`no symbol ${index}`);
  const model = backend.model(index);
  return {
    symbol: spec.symbol,
    status: 'TRADING',
    baseAsset: spec.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: spec.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: formatUnits8(spec.tickUnits),
        maxPrice: formatUnits8(model.maxTick * spec.tickUnits),
        tickSize: formatUnits8(spec.tickUnits),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: formatUnits8(spec.lotUnits),
        maxQty: formatUnits8(model.maxLevelLots * spec.lotUnits),
        stepSize: formatUnits8(spec.lotUnits),
      },
    ],
  };
}
