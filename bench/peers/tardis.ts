/*
 * tardis-dev (MPL-2.0, used unmodified as a bench-only devDependency): its normalizers map raw
 * venue messages to trades and book changes, and its OrderBook applies the changes. Driven
 * offline on the same recorded entries Tickwire replays: every received frame is JSON.parsed,
 * offered to the mapper (canHandle → map), and book changes go to one OrderBook per symbol.
 */
import { type BookChange, normalizeBookChanges, normalizeTrades, OrderBook } from 'tardis-dev';
import type { RecordingEntry } from '../../feeds/src/recording/recording-entry';
import type { LapTimer } from '../harness/measure';

export type TardisExchange = 'binance' | 'binance-futures' | 'kraken' | 'okex' | 'coinbase' | 'bitfinex';

/**
 * Tardis picks a mapper version by the timestamp the factory gets; "now" selects its real-time
 * mappers, the ones a live feed uses (e.g. OKX's public `books` channel rather than the
 * `books-l2-tbt` of its historical data).
 */
function mapperTime(): Date {
  return new Date();
}

/**
 * Tardis's Binance book mapper takes the REST snapshot as a generated message
 * `{stream: "<symbol>@depthSnapshot", generated: true, data: <REST body>}` (how tardis-machine
 * feeds it); the symbol comes from the REST URL.
 */
function binanceSnapshotMessage(url: string, body: string): unknown {
  const symbol = /symbol=([A-Za-z0-9]+)/.exec(url)?.[1]?.toLowerCase();
  if (symbol === undefined) return undefined;
  return { stream: `${symbol}@depthSnapshot`, generated: true, data: JSON.parse(body) as unknown };
}

export let tardisSink = 0;

/** Trades normalized from every received frame (a lap per frame); returns frames offered. */
export function tardisTrades(exchange: TardisExchange, entries: readonly RecordingEntry[], timer: LapTimer): number {
  const mapper = normalizeTrades(exchange, mapperTime());
  let frames = 0;
  for (const entry of entries) {
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') continue;
    frames++;
    const message: unknown = JSON.parse(entry.data);
    if (mapper.canHandle(message)) {
      const trades = mapper.map(message, new Date(entry.time / 1000));
      if (trades !== undefined) for (const trade of trades) tardisSink += trade.price;
    }
    timer.lap(1);
  }
  return frames;
}

/** Book changes normalized and applied to one OrderBook per symbol, best bid/ask read after each frame. */
export function tardisBooks(exchange: TardisExchange, entries: readonly RecordingEntry[], timer: LapTimer): number {
  const mapper = normalizeBookChanges(exchange, mapperTime());
  const books = new Map<string, OrderBook>();
  const apply = (message: unknown, time: Date): void => {
    if (!mapper.canHandle(message)) return;
    const changes = mapper.map(message, time);
    if (changes === undefined) return;
    for (const change of changes as Iterable<BookChange>) {
      let book = books.get(change.symbol);
      if (book === undefined) {
        book = new OrderBook();
        books.set(change.symbol, book);
      }
      book.update(change);
      tardisSink += (book.bestBid()?.price ?? 0) + (book.bestAsk()?.price ?? 0);
    }
  };
  let frames = 0;
  for (const entry of entries) {
    if (entry.kind === 'http') {
      if (exchange === 'binance-futures' || exchange === 'binance')
        apply(binanceSnapshotMessage(entry.url, entry.body), new Date(entry.time / 1000));
      timer.lap(0);
      continue;
    }
    if (entry.kind !== 'recv' || typeof entry.data !== 'string') continue;
    frames++;
    apply(JSON.parse(entry.data), new Date(entry.time / 1000));
    timer.lap(1);
  }
  return frames;
}

/** How many book changes and trades tardis produced (to state that it handled the input). */
export function tardisCounts(
  exchange: TardisExchange,
  entries: readonly RecordingEntry[],
): { trades: number; bookChanges: number } {
  const time = mapperTime();
  const tradeMapper = normalizeTrades(exchange, time);
  const bookMapper = normalizeBookChanges(exchange, time);
  let trades = 0;
  let bookChanges = 0;
  for (const entry of entries) {
    let message: unknown;
    if (entry.kind === 'http' && (exchange === 'binance-futures' || exchange === 'binance'))
      message = binanceSnapshotMessage(entry.url, entry.body);
    else if (entry.kind === 'recv' && typeof entry.data === 'string') message = JSON.parse(entry.data);
    else continue;
    if (tradeMapper.canHandle(message)) trades += [...(tradeMapper.map(message, time) ?? [])].length;
    if (bookMapper.canHandle(message)) bookChanges += [...(bookMapper.map(message, time) ?? [])].length;
  }
  return { trades, bookChanges };
}
