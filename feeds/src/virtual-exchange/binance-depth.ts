import type { BookLevel, WireLevel } from '../book';
import type { EpochMicros } from '../model/events';
import { MICROS_PER_MILLI } from '../model/time';
import type { HttpEntry } from '../recording/recording-entry';
import { BinanceDepthSync, type BinanceMarket, type DepthDiff, type DepthSnapshot } from './binance-depth-sync';
import type { VenueFrame, VenueHttpResponse } from './frame-source';
import { isArray, isObject, isUnsignedInteger, parseJson, quote, type JsonObject } from './json';
import { recordedAt } from './recording-source';

/*
 * Binance REST depth (GET /api/v3/depth, /fapi/v1/depth) answered from the exchange's live books:
 * - spot: "limit INT NO Default: 100; Maximum: 5000. If limit > 5000, only 5000 entries will be
 *   returned." Response {"lastUpdateId":..,"bids":[[PRICE,QTY]..],"asks":[..]}.
 * - usdm: "limit INT NO Default 500; Valid limits:[5, 10, 20, 50, 100, 500, 1000]". Response
 *   {"lastUpdateId":..,"E":<message output time>,"T":<transaction time>,"bids":..,"asks":..}.
 * Once the timeline reaches a symbol's first recorded snapshot, the answer is the live book
 * (lastUpdateId = the last applied u). Before that, or after a gap in the published diffs, it is
 * the recorded snapshot chosen by `recordedAt`, cut to `limit`.
 */

const JSON_CONTENT = 'application/json;charset=UTF-8';
const DIGITS = /^[0-9]{1,20}$/;
const LIMITS: Readonly<Record<BinanceMarket, { readonly fallback: number; readonly max: number }>> = {
  spot: { fallback: 100, max: 5000 },
  usdm: { fallback: 500, max: 1000 },
};

/** Binance's REST error body: {"code":-1121,"msg":"Invalid symbol."} with status 400. */
export function binanceRestError(code: number, msg: string): VenueHttpResponse {
  return { status: 400, body: `{"code":${code},"msg":${quote(msg)}}`, contentType: JSON_CONTENT };
}

/** The live depth books of one Binance dialect, one per symbol with a recorded snapshot. */
export class BinanceDepthBooks {
  private readonly books = new Map<string, BinanceDepthSync>();
  /** The one diff stream each symbol's book follows (a capture may hold @depth and @depth@100ms). */
  private readonly diffStreams = new Map<string, string>();

  constructor(
    private readonly market: BinanceMarket,
    private readonly depthPath: string,
  ) {}

  /** Learns the recorded depth snapshots (entries sorted by time). */
  learn(entries: readonly HttpEntry[]): void {
    const bySymbol = new Map<string, DepthSnapshot[]>();
    for (const entry of entries) {
      const symbol = this.snapshotSymbol(entry);
      const snapshot = symbol === undefined ? undefined : parseSnapshot(entry);
      if (symbol === undefined || snapshot === undefined) continue;
      bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), snapshot]);
    }
    for (const [symbol, snapshots] of bySymbol) this.books.set(symbol, new BinanceDepthSync(this.market, snapshots));
  }

  /** A frame the timeline published: depthUpdate events move their symbol's book. */
  observe(frame: VenueFrame): void {
    const at = frame.stream.indexOf('@depth');
    if (at <= 0) return;
    const tail = frame.stream.slice(at + '@depth'.length);
    // depth5/10/20 are partial-book snapshots, not diffs.
    if (tail !== '' && !tail.startsWith('@')) return;
    const symbol = frame.stream.slice(0, at).toUpperCase();
    const book = this.books.get(symbol);
    if (book === undefined) return;
    const followed = this.diffStreams.get(symbol) ?? frame.stream;
    if (followed !== frame.stream) return;
    this.diffStreams.set(symbol, followed);
    book.advance(frame.time);
    const diff = parseDiff(frame.data);
    if (diff !== undefined) book.onDiff(diff);
  }

  /** GET depth as of `now`: the live book once reached, else the recorded snapshot. */
  answer(url: URL, entries: readonly HttpEntry[], now: EpochMicros): VenueHttpResponse {
    const symbol = url.searchParams.get('symbol');
    if (symbol === null || symbol === '') {
      return binanceRestError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    }
    const limit = this.limitOf(url.searchParams.get('limit'));
    if (typeof limit !== 'number') return limit;
    const book = this.books.get(symbol);
    book?.advance(now);
    if (book?.live === true) {
      return { status: 200, body: this.liveBody(book, limit, now), contentType: JSON_CONTENT };
    }
    const snapshot = recordedAt(
      entries.filter((entry) => this.snapshotSymbol(entry) === symbol),
      now,
    );
    if (snapshot === undefined) return binanceRestError(-1121, 'Invalid symbol.');
    return { status: snapshot.status, body: cutToLimit(snapshot.body, limit), contentType: JSON_CONTENT };
  }

  private liveBody(book: BinanceDepthSync, limit: number, now: EpochMicros): string {
    const bids = levelsText(book.top('bid', limit));
    const asks = levelsText(book.top('ask', limit));
    if (this.market === 'spot') return `{"lastUpdateId":${book.lastUpdateId},"bids":${bids},"asks":${asks}}`;
    const outputTime = Math.floor(now / MICROS_PER_MILLI);
    const transactionTime = book.transactionTime ?? outputTime;
    return `{"lastUpdateId":${book.lastUpdateId},"E":${outputTime},"T":${transactionTime},"bids":${bids},"asks":${asks}}`;
  }

  /**
   * Levels per side, or the venue's error. Spot clamps above 5000 as documented; usdm lists its
   * valid values, and any other value from 1 is served as given up to 1000 (ours: the answer to an
   * unlisted value is not documented).
   */
  private limitOf(text: string | null): number | VenueHttpResponse {
    const { fallback, max } = LIMITS[this.market];
    if (text === null) return fallback;
    if (text === '') return binanceRestError(-1105, "Parameter 'limit' was empty.");
    if (!DIGITS.test(text) || Number(text) < 1) {
      return binanceRestError(-1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.");
    }
    return Math.min(Number(text), max);
  }

  /** The symbol of a recorded depth snapshot of this market, or undefined for other entries. */
  private snapshotSymbol(entry: HttpEntry): string | undefined {
    try {
      const recorded = new URL(entry.url);
      return recorded.pathname === this.depthPath ? (recorded.searchParams.get('symbol') ?? undefined) : undefined;
    } catch {
      return undefined;
    }
  }
}

function levelsText(levels: readonly BookLevel[]): string {
  return `[${levels.map((level) => `[${quote(level.wirePrice)},${quote(level.wireSize)}]`).join(',')}]`;
}

/** A recorded body with at most `limit` levels per side; byte for byte when it already fits. */
function cutToLimit(body: string, limit: number): string {
  const parsed = parseJson(body);
  if (!parsed.ok || !isObject(parsed.value)) return body;
  const { bids, asks, lastUpdateId } = parsed.value;
  if (!isArray(bids) || !isArray(asks) || !isUnsignedInteger(lastUpdateId)) return body;
  if (bids.length <= limit && asks.length <= limit) return body;
  return JSON.stringify({ ...parsed.value, bids: bids.slice(0, limit), asks: asks.slice(0, limit) });
}

function parseSnapshot(entry: HttpEntry): DepthSnapshot | undefined {
  if (entry.status !== 200) return undefined;
  const parsed = parseJson(entry.body);
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const { lastUpdateId, T } = parsed.value;
  const bids = wireLevels(parsed.value['bids']);
  const asks = wireLevels(parsed.value['asks']);
  if (!isUnsignedInteger(lastUpdateId) || bids === undefined || asks === undefined) return undefined;
  return { time: entry.time, lastUpdateId, T: isUnsignedInteger(T) ? T : undefined, bids, asks };
}

/** A depthUpdate event (the bare event text), or undefined for anything else. */
function parseDiff(text: string): DepthDiff | undefined {
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const event: JsonObject = parsed.value;
  const { e, U, u, pu, T } = event;
  const bids = wireLevels(event['b']);
  const asks = wireLevels(event['a']);
  if (e !== 'depthUpdate' || !isUnsignedInteger(U) || !isUnsignedInteger(u) || bids === undefined) return undefined;
  if (asks === undefined) return undefined;
  return {
    U,
    u,
    pu: isUnsignedInteger(pu) ? pu : undefined,
    T: isUnsignedInteger(T) ? T : undefined,
    bids,
    asks,
  };
}

function wireLevels(value: unknown): WireLevel[] | undefined {
  if (!isArray(value)) return undefined;
  const levels: WireLevel[] = [];
  for (const level of value) {
    if (!isArray(level)) return undefined;
    const [price, size] = level;
    if (typeof price !== 'string' || typeof size !== 'string') return undefined;
    levels.push([price, size]);
  }
  return levels;
}
