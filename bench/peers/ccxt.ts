/*
 * ccxt pro (MIT) as shipped, driven offline: an exchange object with its markets set by hand (no
 * REST), a stub client (no socket), and every recorded frame handed to the class's own WebSocket
 * message handler, which keeps its OrderBook (float prices, bisect-sorted arrays) and verifies
 * what it checks: the Binance pu chain; on OKX only seqId/prevSeqId, which this 2022 capture lacks,
 * so nothing (ccxt 4.5 computes no OKX checksum).
 */
import ccxt from 'ccxt';
import type { RecordingEntry } from '../../feeds/src/recording/recording-entry';
import type { LapTimer } from '../harness/measure';

/** The part of a ccxt pro exchange this file calls (ccxt's own typings are far wider). */
interface CcxtBook {
  nonce?: number;
  cache: unknown[];
  readonly bids: readonly (readonly number[])[];
  readonly asks: readonly (readonly number[])[];
  reset(snapshot: unknown): void;
}

interface CcxtProExchange {
  orderbooks: Record<string, CcxtBook | undefined>;
  setMarkets(markets: readonly Record<string, unknown>[]): unknown;
  safeMarket(id: string): { symbol: string };
  orderBook(snapshot: Record<string, never>, depth: number): CcxtBook;
  parseOrderBook(body: unknown, symbol: string, timestamp: undefined, bids: string, asks: string): { nonce?: number };
  handleMessage(client: StubClient, message: unknown): void;
  handleOrderBook(client: StubClient, message: unknown): void;
  handleOrderBookMessage(client: StubClient, message: unknown, book: CcxtBook): void;
}

interface StubClient {
  readonly url: string;
  subscriptions: Record<string, unknown>;
  rejected: number;
  resolve(): void;
  reject(error: unknown): void;
}

function stubClient(url: string, subscriptions: readonly string[] = []): StubClient {
  const client: StubClient = {
    url,
    subscriptions: Object.fromEntries(subscriptions.map((hash) => [hash, true])),
    rejected: 0,
    resolve: () => undefined,
    reject: () => {
      client.rejected++;
    },
  };
  return client;
}

const pro = (ccxt as unknown as { pro: Record<string, new (config?: object) => CcxtProExchange> }).pro;

function exchange(id: string): CcxtProExchange {
  const Exchange = pro[id];
  if (Exchange === undefined) throw new Error(`ccxt.pro.${id} missing`);
  return new Exchange({ options: { checksum: true } });
}

function market(id: string, base: string, quote: string, type: 'spot' | 'swap' | 'future', settle?: string) {
  const contract = type !== 'spot';
  return {
    id,
    symbol: contract ? `${base}/${quote}:${settle ?? quote}` : `${base}/${quote}`,
    base,
    quote,
    settle: contract ? (settle ?? quote) : undefined,
    baseId: base,
    quoteId: quote,
    type,
    spot: !contract,
    swap: type === 'swap',
    future: type === 'future',
    option: false,
    linear: contract ? settle === quote : undefined,
    inverse: contract ? settle !== quote : undefined,
    contract,
    active: true,
    precision: {},
    limits: {},
    info: {},
  };
}

export let ccxtSink = 0;

function readTop(ex: CcxtProExchange): void {
  for (const book of Object.values(ex.orderbooks)) ccxtSink += (book?.bids[0]?.[0] ?? 0) + (book?.asks[0]?.[0] ?? 0);
}

/** A prepared peer: `run` replays the entries once into fresh books; `books` reports what it holds. */
export interface CcxtRun {
  run(entries: readonly RecordingEntry[], timer: LapTimer): number;
  books(): string;
}

/** USDT-quoted ids (e.g. SUSHIUSDT) of the REST snapshots in a recording. */
function snapshotIds(entries: readonly RecordingEntry[]): string[] {
  const ids = entries.flatMap((entry) => (entry.kind === 'http' ? [/symbol=(\w+)/.exec(entry.url)?.[1] ?? ''] : []));
  return [...new Set(ids)].filter((id) => id.endsWith('USDT'));
}

/**
 * binanceusdm (or binance for spot): handleOrderBook, with its pu-chain (futures) or U/u (spot)
 * checks, for each depthUpdate; the REST snapshot is applied as ccxt's fetchOrderBookSnapshot
 * does (parseOrderBook, reset, unroll the cached diffs with the same rules).
 */
export function ccxtBinance(kind: 'usdm' | 'spot', entries: readonly RecordingEntry[]): CcxtRun {
  const ex = exchange(kind === 'usdm' ? 'binanceusdm' : 'binance');
  const bases = snapshotIds(entries).map((id) => id.slice(0, -'USDT'.length));
  const markets = bases.map((base) =>
    kind === 'usdm' ? market(`${base}USDT`, base, 'USDT', 'swap', 'USDT') : market(`${base}USDT`, base, 'USDT', 'spot'),
  );
  ex.setMarkets(markets);
  const client = stubClient(kind === 'usdm' ? 'wss://fstream.binance.com/ws' : 'wss://stream.binance.com:9443/stream');
  const unroll = (book: CcxtBook): void => {
    const cached = book.cache as { U: number; u: number; pu: number }[];
    book.cache = [];
    for (const diff of cached) {
      const nonce = book.nonce ?? 0;
      if (kind === 'usdm') {
        if (diff.u < nonce) continue;
        if ((diff.U <= nonce && diff.u >= nonce) || diff.pu === nonce) ex.handleOrderBookMessage(client, diff, book);
      } else {
        if (diff.u <= nonce) continue;
        if (diff.U - 1 <= nonce && diff.u - 1 >= nonce) ex.handleOrderBookMessage(client, diff, book);
      }
    }
  };
  return {
    run(entries, timer) {
      for (const m of markets) ex.orderbooks[m.symbol] = ex.orderBook({}, 1000);
      let frames = 0;
      for (const entry of entries) {
        if (entry.kind === 'http') {
          const id = /symbol=(\w+)/.exec(entry.url)?.[1];
          if (id === undefined) continue;
          const { symbol } = ex.safeMarket(id);
          const book = ex.orderbooks[symbol];
          if (book === undefined) continue;
          const body = JSON.parse(entry.body) as { lastUpdateId: number };
          const snapshot = ex.parseOrderBook(body, symbol, undefined, 'bids', 'asks');
          snapshot.nonce = body.lastUpdateId;
          book.reset(snapshot);
          unroll(book);
          timer.lap(0);
          continue;
        }
        if (entry.kind !== 'recv' || typeof entry.data !== 'string') continue;
        frames++;
        const message = JSON.parse(entry.data) as { stream?: string; data?: unknown };
        if (message.stream?.includes('@depth') === true) ex.handleOrderBook(client, message.data);
        readTop(ex);
        timer.lap(1);
      }
      return frames;
    },
    books: () => describeBooks(ex, client),
  };
}

function describeBooks(ex: CcxtProExchange, client: StubClient): string {
  const books = Object.entries(ex.orderbooks).map(
    ([symbol, book]) => `${symbol} ${book?.bids.length ?? 0}/${book?.asks.length ?? 0}`,
  );
  return `${books.join(', ')}; ${client.rejected} rejected`;
}

/** handleMessage for every frame; the client is subscribed to the books so updates are kept. */
function viaHandleMessage(ex: CcxtProExchange, client: StubClient): CcxtRun {
  return {
    run(entries, timer) {
      ex.orderbooks = {};
      let frames = 0;
      for (const entry of entries) {
        if (entry.kind !== 'recv' || typeof entry.data !== 'string') continue;
        frames++;
        ex.handleMessage(client, JSON.parse(entry.data));
        readTop(ex);
        timer.lap(1);
      }
      return frames;
    },
    books: () => describeBooks(ex, client),
  };
}

/** okx: books snapshot + update (ccxt checks seqId/prevSeqId only; the capture has none, and no checksum). */
export function ccxtOkx(): CcxtRun {
  const ex = exchange('okx');
  const markets = [
    market('BTC-USDT', 'BTC', 'USDT', 'spot'),
    market('UNI-USD-SWAP', 'UNI', 'USD', 'swap', 'UNI'),
    market('BTC-USD-220527', 'BTC', 'USD', 'future', 'BTC'),
  ];
  ex.setMarkets(markets);
  const client = stubClient(
    'wss://ws.okx.com:8443/ws/v5/public',
    markets.map((m) => `books:${m.symbol}`),
  );
  return viaHandleMessage(ex, client);
}

const COINBASE_PRODUCTS = [
  'SKL-USD',
  'SKL-BTC',
  'BAND-GBP',
  'NMR-EUR',
  'BAND-BTC',
  'YFI-BTC',
  'DASH-BTC',
  'NU-GBP',
  'CRV-EUR',
  'SKL-GBP',
];

/** coinbaseexchange: level2 snapshot + l2update (the feed carries no sequence or checksum). */
export function ccxtCoinbase(): CcxtRun {
  const ex = exchange('coinbaseexchange');
  ex.setMarkets(
    COINBASE_PRODUCTS.map((id) => {
      const [base = '', quote = ''] = id.split('-');
      return market(id, base, quote, 'spot');
    }),
  );
  const client = stubClient(
    'wss://ws-feed.exchange.coinbase.com',
    COINBASE_PRODUCTS.map((id) => `level2:${id}`),
  );
  return viaHandleMessage(ex, client);
}

export const CCXT_KRAKEN_REASON =
  "ccxt pro's kraken class speaks WebSocket v2 only (channel/data frames); the recording is v1 and no v2 capture exists";
