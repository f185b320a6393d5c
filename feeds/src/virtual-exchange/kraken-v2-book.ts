import { krakenBookChecksum, type BookSide } from '../book';
import type { VenueFrame } from './frame-source';
import { isArray, isObject, quote } from './json';
import { WireBook, type WireEntry } from './wire-book';

/*
 * Kraken v2 book frames for the v2 dialect, written from the recorded v1 book frames, and the
 * exchange's own v2 books kept from the published frames.
 *
 * - `KrakenV2Encoder` reads the v1 capture in recorded order, keeps each `book-<depth>:<pair>`
 *   book (snapshot, then every update, then cut to the depth: "you will not receive qty: 0 for
 *   levels that fall out of scope") and writes each frame as the v2 message carrying the same
 *   levels, prices and quantities as bare JSON numbers with the wire text unchanged (never through
 *   a float). v2 checksums snapshots and updates alike: the checksum is `krakenBookChecksum` (CRC32
 *   of the top 10 levels per side) of this book after the message. Where the v1 frame carried the
 *   venue's "c", it is compared and disagreements are counted (a correct capture has none).
 * - `KrakenV2Books` is the book the exchange keeps from the frames as the timeline publishes them
 *   (`observe`); a subscriber that arrives after the recorded snapshot went by gets a snapshot of it.
 */

/** A v1 level timestamp ("1618678133.365913") as RFC 3339 ("2021-04-17T16:48:53.365913Z"). */
export function v1TimeToRfc3339(text: string): string | undefined {
  const match = /^(\d{1,11})(?:\.(\d{1,9}))?$/.exec(text);
  if (match?.[1] === undefined) return undefined;
  const seconds = new Date(Number(match[1]) * 1000).toISOString().slice(0, 19);
  return `${seconds}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

/** Epoch microseconds as RFC 3339 with microseconds, as v2 writes `time_in` and `time_out`. */
export function microsToRfc3339(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = Math.floor(micros - whole * 1_000_000);
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}Z`;
}

/** The v2 name of a v1 pair: BTC for XBT ("XBT/USD" → "BTC/USD", "ADA/XBT" → "ADA/BTC"). */
export function v2SymbolOf(pair: string): string {
  return pair
    .split('/')
    .map((asset) => (asset === 'XBT' ? 'BTC' : asset))
    .join('/');
}

/** `[{"price":45285.2,"qty":0.00100000},..]`: the wire text as bare JSON numbers. */
function v2Levels(levels: readonly { readonly price: string; readonly size: string }[]): string {
  return `[${levels.map((level) => `{"price":${level.price},"qty":${level.size}}`).join(',')}]`;
}

/** A v2 book message of `symbol`, keys in the venue's order. */
export function v2BookFrame(
  type: 'snapshot' | 'update',
  symbol: string,
  bids: readonly WireEntry[],
  asks: readonly WireEntry[],
  checksum: number,
  timestamp?: string,
): string {
  const time = timestamp === undefined ? '' : `,"timestamp":${quote(timestamp)}`;
  return (
    `{"channel":"book","type":"${type}","data":[{"symbol":${quote(symbol)},"bids":${v2Levels(bids)},` +
    `"asks":${v2Levels(asks)},"checksum":${checksum}${time}}]}`
  );
}

/** A decimal as a JSON number may carry it (what the v2 frames write bare). */
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** Result of re-encoding one recorded v1 frame. */
export type Encoded =
  | { readonly kind: 'data'; readonly stream: string; readonly data: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Rewrites the recorded v1 book frames as v2 frames, in recorded order (one pass, one instance). */
export class KrakenV2Encoder {
  /** Recorded v1 "c" values that differ from the checksum of the book kept here. */
  checksumDisagreements = 0;
  /** Recorded v1 "c" values compared. */
  checksumsCompared = 0;
  private readonly books = new Map<string, WireBook>();

  /** `frame` is a parsed v1 array frame [channelID, data..., "book-N", pair]. */
  encode(frame: readonly unknown[]): Encoded {
    const channelName = frame[frame.length - 2];
    const pair = frame[frame.length - 1];
    if (typeof channelName !== 'string' || typeof pair !== 'string') {
      return { kind: 'unknown', reason: 'array frame without channelName and pair' };
    }
    const depthMatch = /^book-(\d+)$/.exec(channelName);
    if (depthMatch?.[1] === undefined)
      return { kind: 'unknown', reason: `channel ${channelName}: v2 serves books only` };
    const depth = Number(depthMatch[1]);
    const symbol = v2SymbolOf(pair);
    const stream = `book-${depth}:${symbol}`;
    try {
      return { kind: 'data', stream, data: this.apply(stream, depth, symbol, frame.slice(1, -2)) };
    } catch (error) {
      this.books.delete(stream);
      return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private apply(stream: string, depth: number, symbol: string, parts: readonly unknown[]): string {
    const first = parts[0];
    if (isObject(first) && ('as' in first || 'bs' in first)) {
      const book = new WireBook();
      const bids = v1Levels(first['bs']);
      const asks = v1Levels(first['as']);
      book.replace(bids, asks);
      book.trim(depth);
      this.books.set(stream, book);
      return v2BookFrame('snapshot', symbol, bids, asks, krakenBookChecksum(book.book));
    }
    const book = this.books.get(stream);
    if (book === undefined) throw new Error(`book update of ${stream} before its snapshot`);
    const bids: WireEntry[] = [];
    const asks: WireEntry[] = [];
    let recorded: string | undefined;
    for (const part of parts) {
      if (!isObject(part)) throw new Error('book part is not an object');
      bids.push(...v1Levels(part['b']));
      asks.push(...v1Levels(part['a']));
      if (typeof part['c'] === 'string') recorded = part['c'];
    }
    book.apply(bids, asks);
    book.trim(depth);
    const checksum = krakenBookChecksum(book.book);
    if (recorded !== undefined) {
      this.checksumsCompared++;
      if (Number(recorded) !== checksum) this.checksumDisagreements++;
    }
    return v2BookFrame('update', symbol, bids, asks, checksum, latestTime([...bids, ...asks]));
  }
}

/** v1 levels [price, volume, timestamp(, "r")]; the timestamp is kept as the entry's extra. */
function v1Levels(value: unknown): WireEntry[] {
  if (value === undefined) return [];
  if (!isArray(value)) throw new Error('levels are not an array');
  return value.map((level) => {
    if (!isArray(level)) throw new Error('level is not an array');
    const [price, size, timestamp] = level;
    if (typeof price !== 'string' || typeof size !== 'string' || typeof timestamp !== 'string') {
      throw new Error('level without price, volume and timestamp text');
    }
    if (!DECIMAL.test(price) || !DECIMAL.test(size)) throw new Error(`level ${price} ${size} is not decimal text`);
    return { price, size, extra: [timestamp] };
  });
}

/** The latest level timestamp of an update, as RFC 3339 (the update's "timestamp"). */
function latestTime(levels: readonly WireEntry[]): string | undefined {
  let latest: string | undefined;
  let latestKey = -1;
  for (const level of levels) {
    const text = level.extra?.[0];
    const time = text === undefined ? undefined : v1TimeToRfc3339(text);
    if (time === undefined || text === undefined) continue;
    const key = Number(text);
    if (key > latestKey) {
      latestKey = key;
      latest = time;
    }
  }
  return latest ?? '1970-01-01T00:00:00.000000Z';
}

const LEVEL = /\{"price":([0-9.]+),"qty":([0-9.]+)\}/g;

/** The exchange's own v2 books, one per `book-<depth>:<symbol>` stream, from published frames. */
export class KrakenV2Books {
  private readonly books = new Map<string, { readonly book: WireBook; readonly depth: number }>();

  observe(frame: VenueFrame): void {
    const match = /^book-(\d+):/.exec(frame.stream);
    if (match?.[1] === undefined) return;
    const depth = Number(match[1]);
    const text = frame.data;
    const bidsAt = text.indexOf('"bids":[');
    const asksAt = text.indexOf('],"asks":[');
    const end = text.indexOf('],"checksum":');
    if (bidsAt < 0 || asksAt < bidsAt || end < asksAt) {
      this.books.delete(frame.stream);
      return;
    }
    const bids = levelsOf(text.slice(bidsAt, asksAt + 1));
    const asks = levelsOf(text.slice(asksAt + 2, end + 1));
    try {
      if (text.startsWith('{"channel":"book","type":"snapshot"')) {
        const book = new WireBook();
        book.replace(bids, asks);
        book.trim(depth);
        this.books.set(frame.stream, { book, depth });
      } else {
        const current = this.books.get(frame.stream);
        current?.book.apply(bids, asks);
        current?.book.trim(depth);
      }
    } catch {
      // A frame this book cannot take leaves it unknown: no snapshot until the next recorded one.
      this.books.delete(frame.stream);
    }
  }

  /** A v2 snapshot of the stream's current book, or undefined before its recorded snapshot. */
  snapshot(stream: string): string | undefined {
    const current = this.books.get(stream);
    if (current === undefined) return undefined;
    const side = (which: BookSide): WireEntry[] =>
      current.book.top(which, current.depth).map((level) => ({ price: level.wirePrice, size: level.wireSize }));
    const symbol = stream.slice(stream.indexOf(':') + 1);
    return v2BookFrame('snapshot', symbol, side('bid'), side('ask'), krakenBookChecksum(current.book.book));
  }
}

function levelsOf(text: string): WireEntry[] {
  const out: WireEntry[] = [];
  for (const match of text.matchAll(LEVEL)) out.push({ price: match[1] ?? '', size: match[2] ?? '' });
  return out;
}
